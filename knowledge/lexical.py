"""Words for BM25: Kiwi morphemes for Korean, lower-case words for English.

Korean keeps the morphemes that carry meaning (nouns, verb and adjective stems, roots,
adverbs, foreign words and numbers) and drops particles and endings, so 잠겼는데 and 잠기다
meet on 잠기. English keeps lower-case words minus stop words, with a light suffix stemmer
(flooded / floods / flooding -> flood) because customers and wordings rarely share word forms.
"""

from __future__ import annotations

import re
import threading

_KEEP_TAG_PREFIXES = ("NNG", "NNP", "VV", "VA", "XR", "MAG", "SL", "SN", "SH")
_ENGLISH_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORD_TEXT = """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves i'm it's s t don get got still also
"""
_STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
_analyser = None
_analyser_lock = threading.Lock()  # guards loading and, to be safe across threads, every call


def _kiwi():
    """The shared Kiwi analyser (loading its model takes a few seconds, so only once)."""
    global _analyser
    if _analyser is None:
        from kiwipiepy import Kiwi

        _analyser = Kiwi()
    return _analyser


def stem_english(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", "e"),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            stem = word[: len(word) - len(suffix)] + replacement
            # flooded -> flood, stopped -> stop, driving -> drive is not attempted
            if suffix in ("ing", "ed") and len(stem) > 3 and stem[-1] == stem[-2]:
                stem = stem[:-1]
            return stem
    return word


def english_tokens(text: str) -> list[str]:
    words = _ENGLISH_WORD.findall(text.lower().replace("’", "'"))
    return [stem_english(word) for word in words if word not in _STOP_WORDS]


def korean_tokens(text: str) -> list[str]:
    with _analyser_lock:
        analysed = _kiwi().tokenize(text)
    tokens = []
    for token in analysed:
        if token.tag.startswith(_KEEP_TAG_PREFIXES):
            form = token.form.lower() if token.tag == "SL" else token.form
            tokens.append(stem_english(form) if token.tag == "SL" else form)
    return tokens


def tokenize(text: str, language: str) -> list[str]:
    return korean_tokens(text) if language == "ko" else english_tokens(text)
