"""The structure inside one clause of a wording: paragraphs (항) and sentences.

Used by ``knowledge.ingest`` (counting what it found in an insurer's document) and by the answer
code that quotes and cites a single paragraph ("제12조 ②", "Article 12(2)").

- Paragraphs: Korean standard terms number them ①②③ at the start of a line, the English
  versions (1) (2) (3). Numbered items (1. 2. / 가. 나.) belong to the paragraph above them.
- Sentences: spaCy's rule-based ``sentencizer`` over a blank pipeline, "ko" with Kiwi morphemes
  as tokens (the way ``bot/nlp/spacy_spans.py`` builds its Korean pipeline, without importing
  the bot), or "en". The sentencizer alone splits after every full stop token, so a small
  component before it marks the places where a wording's full stop does not end a sentence
  (item numbers "1.", "No. 3", "etc. and") and where a new line must start one (a paragraph
  or item marker). Its own settings are kept: it never overwrites what that component set.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Beyond ⑳ Unicode goes on with ㉑..㉟ and ㊱..㊿, rare in wordings but cheap to label.
_CIRCLED_MORE = "".join(chr(code) for code in range(0x3251, 0x3260)) + "".join(
    chr(code) for code in range(0x32B1, 0x32C0)
)
_CIRCLED_MARKER = re.compile(rf"^[ \t]*(?P<marker>[{_CIRCLED}])[ \t]*")
_NUMBER_MARKER = re.compile(r"^[ \t]*(?P<marker>\((?P<number>[1-9]|1[0-9]|20)\))[ \t]*")
# A numbered item (호, 목) at the start of a line: "1. ", "12. ", "가. ".
_ITEM_MARKER = re.compile(r"^[ \t]*(?:\d{1,2}|[가-하])\.[ \t]+", re.MULTILINE)


@dataclass(frozen=True)
class Paragraph:
    number: int | None  # 1 for "①" or "(1)"; None for text before the first marker
    marker: str  # the marker as written ("①", "(1)"), "" when none
    text: str  # the paragraph without its marker; its numbered items stay inside


def _marker(line: str, style: str | None) -> tuple[re.Match[str], int, str] | None:
    """The paragraph marker opening ``line`` as (match, number, style), if any.

    Once a text has used one style, the other is read as ordinary text: a Korean paragraph
    may list sub-items as (1) (2) without them being paragraphs of their own.
    """
    if style in (None, "circled"):
        match = _CIRCLED_MARKER.match(line)
        if match:
            return match, _CIRCLED.index(match["marker"]) + 1, "circled"
    if style in (None, "number"):
        match = _NUMBER_MARKER.match(line)
        if match:
            return match, int(match["number"]), "number"
    return None


def split_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs (항) of a clause's text, in order; line breaks inside a paragraph stay."""
    paragraphs: list[Paragraph] = []
    number: int | None = None
    marker = ""
    lines: list[str] = []
    style: str | None = None

    def close() -> None:
        body = "\n".join(lines).strip()
        if body or marker:
            paragraphs.append(Paragraph(number, marker, body))

    for line in (text or "").splitlines():
        found = _marker(line, style)
        if found is None:
            lines.append(line.rstrip())
            continue
        close()
        match, number, style = found
        marker = match["marker"]
        lines = [line[match.end():].rstrip()]
    close()
    return paragraphs


def _circled(number: int) -> str:
    if 1 <= number <= len(_CIRCLED):
        return _CIRCLED[number - 1]
    if number - len(_CIRCLED) <= len(_CIRCLED_MORE):
        return _CIRCLED_MORE[number - len(_CIRCLED) - 1]
    return f"제{number}항"


def paragraph_label(article: int | str, number: int | None, language: str) -> str:
    """"제12조 ②" / "Article 12(2)"; without a paragraph number just the article."""
    if language == "ko":
        label = f"제{article}조"
        return label if number is None else f"{label} {_circled(number)}"
    label = f"Article {article}"
    return label if number is None else f"{label}({number})"


# --------------------------------------------------------------------------- sentences

_TOKENIZER_NAME = "bodam.knowledge_kiwi_words.v1"
_BOUNDARIES_NAME = "bodam_wording_boundaries"
# After this many strings in a pipeline's vocabulary it is built afresh (spaCy keeps every
# word it has seen, which would grow without end in a long-running server).
MAX_VOCAB_STRINGS = 500_000


def _kiwi_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of Kiwi's morphemes; contractions (했 = 하 + 었) share characters and
    are merged into one span, zero-length morphemes dropped."""
    from knowledge.lexical import _analyser_lock, _kiwi

    with _analyser_lock:  # the analyser knowledge.lexical already loaded, under its lock
        tokens = _kiwi().tokenize(text)
    spans: list[tuple[int, int]] = []
    for token in tokens:
        start, end = token.start, token.start + token.len
        if end <= start:
            continue
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


class _KiwiWords:
    """spaCy tokenizer: one token per Kiwi morpheme (merged as above); the text between
    morphemes becomes a single trailing space or a whitespace token, so ``doc.text`` is the
    input unchanged and character offsets can be used on it."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        position = 0
        for start, end in _kiwi_spans(text):
            if start < position:
                continue
            self._gap(text[position:start], words, spaces)
            words.append(text[start:end])
            spaces.append(False)
            position = end
        self._gap(text[position:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    @staticmethod
    def _gap(gap: str, words: list[str], spaces: list[bool]) -> None:
        if not gap:
            return
        if words and gap[0] == " " and not spaces[-1]:
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)

    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> _KiwiWords:
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        return None

    def from_disk(self, path: Any, **kwargs: Any) -> _KiwiWords:
        return self


@spacy.registry.tokenizers(_TOKENIZER_NAME)
def _create_kiwi_words() -> Callable[[Language], _KiwiWords]:
    def create(nlp: Language) -> _KiwiWords:
        return _KiwiWords(nlp.vocab)

    return create


def _must_start(text: str) -> set[int]:
    """Offsets where a sentence starts whatever the punctuation: a line opening with a
    paragraph or item marker, and the first line after a blank one."""
    starts: set[int] = set()
    offset = 0
    after_blank = False
    for line in text.splitlines(keepends=True):
        content = line.strip()
        start = offset + len(line) - len(line.lstrip())
        if content and (after_blank or _marker(line, None) or _ITEM_MARKER.match(line)):
            starts.add(start)
        after_blank = not content and offset > 0
        offset += len(line)
    return starts


def _never_start(text: str) -> set[int]:
    """Offsets where no sentence starts: the words right after an item number ("1. 기명…")."""
    return {match.end() for match in _ITEM_MARKER.finditer(text)}


def _english_continues(word: str) -> bool:
    """An English sentence does not open with a word in lower case or a number: after a full
    stop such a word goes on the same sentence ("etc. and", "No. 3", "Art. 5")."""
    return word[:1].islower() or word[:1].isdigit()


@Language.component(_BOUNDARIES_NAME)
def _wording_boundaries(doc: Doc) -> Doc:
    text = doc.text
    must, never = _must_start(text), _never_start(text)
    english = doc.lang_ == "en"
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if token.is_space:
            continue
        if token.idx in must:
            token.is_sent_start = True
        elif token.idx in never or not (previous.whitespace_ or previous.is_space):
            token.is_sent_start = False  # glued to what precedes: "0.03", "3%", "제3조"
        elif english and _english_continues(token.text):
            token.is_sent_start = False  # also past a bracket: "(..., etc.) and the purpose"
    return doc


_PIPELINES: dict[str, Language] = {}
_PIPELINE_LOCKS = {"ko": threading.Lock(), "en": threading.Lock()}
_BUILD_LOCK = threading.Lock()


def _build(language: str) -> Language:
    if language == "ko":
        nlp = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": _TOKENIZER_NAME}}})
    else:
        nlp = spacy.blank("en")
    nlp.add_pipe(_BOUNDARIES_NAME)
    nlp.add_pipe("sentencizer")
    return nlp


def _pipeline(language: str) -> Language:
    """The pipeline for ``language``, built once (and again when its vocabulary is large)."""
    nlp = _PIPELINES.get(language)
    if nlp is None or len(nlp.vocab.strings) > MAX_VOCAB_STRINGS:
        with _BUILD_LOCK:
            nlp = _PIPELINES.get(language)
            if nlp is None or len(nlp.vocab.strings) > MAX_VOCAB_STRINGS:
                nlp = _build(language)
                _PIPELINES[language] = nlp
    return nlp


def split_sentences(text: str, language: str) -> list[str]:
    """The sentences of ``text`` as stripped substrings of it, in order.

    ``language`` "en" is English; anything else is read as Korean. A numbered item is one
    sentence with its number ("1. 기명피보험자: … 말합니다."); "합니다. 다만, …" and
    "… is paid. However, …" are two.
    """
    if not text or not text.strip():
        return []
    key = "en" if language == "en" else "ko"
    nlp = _pipeline(key)
    with _PIPELINE_LOCKS[key]:  # spaCy's vocabulary is not safe to grow from two threads
        doc = nlp(text)
        bounds = [(sentence.start_char, sentence.end_char) for sentence in doc.sents]
    sentences = [text[start:end].strip() for start, end in bounds]
    return [sentence for sentence in sentences if sentence]
