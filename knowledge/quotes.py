"""The paragraph and the one sentence of a clause that decide a question.

Every clause wording is cut into paragraphs (①② / (1)(2)) and sentences (spaCy's sentencizer,
``knowledge.wording``); each sentence is embedded once, with the index. For an answer, the
sentence closest to the question is quoted with its paragraph's label ("제12조 ②",
"Article 12(2)"), so the customer sees the words that decide their case next to the plain
explanation.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from knowledge.policy_data import Citable, Clause, citation
from knowledge.wording import paragraph_label, split_paragraphs, split_sentences

SENTENCES_FILE = "sentences"
_ITEM = re.compile(r"^(?:\d{1,2}|[가-하])\.\s")


@dataclass(frozen=True)
class Sentence:
    clause_id: str
    language: str
    paragraph: int | None
    text: str


@dataclass(frozen=True)
class Quote:
    clause_id: str
    language: str
    paragraph: int | None  # None: an article without numbered paragraphs
    label: str  # "제12조 ②" / "Article 12(2)"
    sentence: str  # the sentence that decides the question, as written
    paragraph_text: str  # the whole paragraph it belongs to
    # When the sentence is a numbered item ("3. …"), the paragraph's opening sentence that
    # the item completes ("회사는 다음의 경우 계약을 해지할 수 없습니다."); else "".
    lead: str = ""

    def quoted(self, separator: str = " … ") -> str:
        """The words to quote: the lead and the item, or the sentence alone."""
        return f"{self.lead}{separator}{self.sentence}" if self.lead else self.sentence

    def to_json(self) -> dict:
        return asdict(self)


def paragraph_citation(record: Citable, quote: Quote | None, language: str) -> str:
    """``citation`` with the paragraph of ``quote``: "… 제12조(휴대품 손해) ②" /
    "…, Article 12(2) (Baggage loss)"."""
    base = citation(record, language)
    if quote is None or quote.paragraph is None:
        return base
    if language == "ko":
        return f"{base} {paragraph_marker(quote.paragraph, 'ko')}"
    article = f"Article {record.article}"
    return base.replace(article, f"{article}{paragraph_marker(quote.paragraph, 'en')}", 1)


def paragraph_marker(number: int, language: str) -> str:
    """② in Korean wordings (①..⑳), (2) in English ones."""
    if language == "ko" and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    return f"({number})"


def clause_sentences(clause: Clause, language: str) -> list[Sentence]:
    sentences = []
    for paragraph in split_paragraphs(clause.get("text", language)):
        for text in split_sentences(paragraph.text, language):
            sentences.append(Sentence(clause.clause_id, language, paragraph.number, text))
    return sentences


def paragraph_text(clause: Clause, language: str, number: int | None) -> str:
    for paragraph in split_paragraphs(clause.get("text", language)):
        if paragraph.number == number:
            return paragraph.text
    return ""


class SentenceIndex:
    def __init__(self, sentences: list[Sentence], vectors: np.ndarray) -> None:
        self.sentences = sentences
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._rows: dict[tuple[str, str], list[int]] = {}
        for row, sentence in enumerate(sentences):
            self._rows.setdefault((sentence.clause_id, sentence.language), []).append(row)

    @classmethod
    def build(cls, clauses: list[Clause], embedder) -> SentenceIndex:
        sentences = [
            sentence
            for clause in clauses
            for language in ("ko", "en")
            for sentence in clause_sentences(clause, language)
        ]
        texts = [s.text for s in sentences]
        vectors = embedder.embed_passages(texts) if texts else np.zeros((0, embedder.dim))
        return cls(sentences, np.asarray(vectors, dtype=np.float32))

    def save(self, folder: Path) -> None:
        np.save(folder / f"{SENTENCES_FILE}.npy", self.vectors)
        rows = [[s.clause_id, s.language, s.paragraph, s.text] for s in self.sentences]
        (folder / f"{SENTENCES_FILE}.json").write_text(json.dumps(rows, ensure_ascii=False),
                                                       encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> SentenceIndex:
        rows = json.loads((folder / f"{SENTENCES_FILE}.json").read_text(encoding="utf-8"))
        sentences = [Sentence(*row) for row in rows]
        vectors = np.load(folder / f"{SENTENCES_FILE}.npy") if sentences else np.zeros((0, 1))
        return cls(sentences, vectors)

    def quote(self, clause: Clause, language: str, query_vector: np.ndarray | None) -> Quote:
        """The sentence of ``clause`` closest to the question (the first one without a
        question vector), with its paragraph."""
        rows = self._rows.get((clause.clause_id, language), [])
        lead = ""
        if rows and query_vector is not None:
            cosines = self.vectors[rows] @ np.asarray(query_vector, dtype=np.float32)
            best = self.sentences[rows[int(np.argmax(cosines))]]
            lead = self._lead(rows, best)
        elif rows:
            best = self.sentences[rows[0]]
        else:
            fallback = clause_sentences(clause, language)
            if not fallback:
                return Quote(clause.clause_id, language, None,
                             paragraph_label(clause.article, None, language), "", "")
            best = fallback[0]
        return Quote(
            clause.clause_id,
            language,
            best.paragraph,
            paragraph_label(clause.article, best.paragraph, language),
            best.text,
            paragraph_text(clause, language, best.paragraph),
            lead,
        )

    def _lead(self, rows: list[int], best: Sentence) -> str:
        """The first sentence of ``best``'s paragraph when ``best`` is one of its items."""
        if not _ITEM.match(best.text):
            return ""
        for row in rows:
            sentence = self.sentences[row]
            if sentence.paragraph == best.paragraph and sentence is not best:
                return "" if _ITEM.match(sentence.text) else sentence.text
        return ""
