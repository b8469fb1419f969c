"""Sentences of a wording with spaCy: a blank "ko" pipeline over Kiwi morphemes or a blank
"en" one, each with the ``sentencizer`` (see ``knowledge.wording`` for why and how).

A module of its own because importing spaCy imports thinc, which loads torch when it is
installed: only index builds and ingest need sentences, never a search.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from knowledge.wording import _ITEM_MARKER, _marker

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
