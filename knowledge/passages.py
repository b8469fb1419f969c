"""Policy data -> passages, the units that are embedded and matched.

Each clause gives, per language: a summary passage (product, chapter, title, plain-language
explanation and what to do), an example passage (one concrete situation, which is close to how
customers describe theirs) and the clause wording cut into chunks of whole paragraphs. Glossary
terms and product summaries become passages of their own kinds, kept apart from clauses.

Long wording paragraphs are split into sentences with spaCy's blank ``ko`` / ``xx`` pipeline
and its rule-based sentencizer (MeCab, which spaCy's default Korean tokenizer needs, is absent).
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass

from knowledge.policy_data import Clause, GlossaryEntry, PolicyData, ProductInfo

CLAUSE, TERM, PRODUCT = "clause", "term", "product"
# Chunk sizes in characters: about 150-250 tokens for the e5 tokenizer in either language.
MAX_CHUNK_CHARS = {"ko": 320, "en": 800}
_MIN_SENTENCE_CHARS = 12
_PARAGRAPH_START = re.compile(r"^\s*[①-⑳]")
_sentencizers: dict[str, object] = {}
_sentencizer_lock = threading.Lock()


@dataclass(frozen=True)
class Passage:
    kind: str  # CLAUSE, TERM or PRODUCT
    ref: str  # clause id, glossary term id or product key
    product: str  # "" for a glossary term that is not tied to one product
    language: str
    field: str  # summary, example, text, term, product
    text: str

    def to_json(self) -> dict:
        return asdict(self)


def _sentencizer(language: str):
    import spacy

    with _sentencizer_lock:
        if language not in _sentencizers:
            if language == "ko":
                nlp = spacy.blank(
                    "ko", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}}
                )
            else:
                nlp = spacy.blank("xx")
            nlp.add_pipe("sentencizer")
            _sentencizers[language] = nlp
        return _sentencizers[language]


def split_sentences(text: str, language: str) -> list[str]:
    """Sentences of ``text``; fragments such as "1." or "e.g." are glued back to a neighbour."""
    sentences: list[str] = []
    for sentence in _sentencizer(language)(text).sents:
        piece = sentence.text.strip()
        if not piece:
            continue
        if sentences and len(piece) < _MIN_SENTENCE_CHARS:
            sentences[-1] = f"{sentences[-1]} {piece}"
        elif sentences and len(sentences[-1]) < _MIN_SENTENCE_CHARS:
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _paragraphs(text: str) -> list[str]:
    """A numbered paragraph (①, ②, ...) together with its items (1., 2., ...)."""
    paragraphs: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if not paragraphs or _PARAGRAPH_START.match(line):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [" ".join(lines) for lines in paragraphs]


def chunk_wording(text: str, language: str, max_chars: int | None = None) -> list[str]:
    """Cut a clause wording into chunks of whole paragraphs, at most ``max_chars`` long when
    a paragraph allows it (a longer paragraph is cut between sentences)."""
    max_chars = max_chars or MAX_CHUNK_CHARS[language]
    units: list[str] = []
    for paragraph in _paragraphs(text):
        if len(paragraph) <= max_chars:
            units.append(paragraph)
        else:
            units.extend(split_sentences(paragraph, language))
    chunks: list[str] = []
    for unit in units:
        if chunks and len(chunks[-1]) + 1 + len(unit) <= max_chars:
            chunks[-1] = f"{chunks[-1]} {unit}"
        else:
            chunks.append(unit)
    return chunks


def _heading(clause: Clause, language: str) -> str:
    product = clause.product_name_ko if language == "ko" else clause.product_name_en
    parts = [product, clause.get("chapter", language), clause.get("title", language)]
    return " · ".join(part for part in parts if part)


def clause_passages(clause: Clause) -> list[Passage]:
    passages = []
    for language in ("ko", "en"):
        title = clause.get("title", language)
        fields = {
            "summary": f"{_heading(clause, language)}. {clause.get('plain', language)} "
            f"{clause.get('action', language)}",
            "example": f"{title}. {clause.get('example', language)}",
        }
        for field, text in fields.items():
            if text.strip(" ."):
                passages.append(Passage(CLAUSE, clause.clause_id, clause.product, language,
                                        field, text.strip()))
        for chunk in chunk_wording(clause.get("text", language), language):
            passages.append(Passage(CLAUSE, clause.clause_id, clause.product, language, "text",
                                    f"{title}. {chunk}"))
    return passages


def term_passages(entry: GlossaryEntry) -> list[Passage]:
    passages = []
    product = entry.products[0] if len(entry.products) == 1 else ""
    for language in ("ko", "en"):
        names = entry.names(language)
        definition = entry.definition(language)
        if names and definition:
            passages.append(Passage(TERM, entry.term_id, product, language, "term",
                                    f"{', '.join(names)}: {definition}"))
    return passages


def product_passages(product: ProductInfo) -> list[Passage]:
    passages = []
    for language in ("ko", "en"):
        summary = product.summary(language)
        if summary:
            passages.append(Passage(PRODUCT, product.key, product.key, language, "product",
                                    f"{product.name(language)}: {summary}"))
    return passages


def build_passages(data: PolicyData) -> list[Passage]:
    passages: list[Passage] = []
    for clause in data.clauses:
        passages.extend(clause_passages(clause))
    for entry in data.glossary:
        passages.extend(term_passages(entry))
    for product in data.products.values():
        passages.extend(product_passages(product))
    return passages
