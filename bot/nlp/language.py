"""Which language a customer message is written in: "ko" or "en"."""

from __future__ import annotations

import re

from bot.nlp.identifiers import find_identifiers

KOREAN = "ko"
ENGLISH = "en"

# Syllables, conjoining jamo, compatibility jamo (ㅇㅇ, ㅠㅠ, ㅋㅋ) and the extended blocks.
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")
_LATIN_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+")


def _has_latin_word(text: str) -> bool:
    """A run of Latin letters with no digits in it; AU2025 or 3pm look like codes, not words."""
    return any(
        not any(char.isdigit() for char in token.group()) for token in _LATIN_TOKEN.finditer(text)
    )


def detect_language(text: str, previous: str | None = None) -> str:
    """Any Hangul -> "ko"; else any English word -> "en"; else ``previous`` or "ko".

    Messages made only of ids, digits, dates or emoji say nothing about the language, so
    the conversation keeps the language it had.
    """
    if _HANGUL.search(text):
        return KOREAN
    parts, position = [], 0
    for identifier in find_identifiers(text):
        parts.append(text[position : identifier.start])
        position = identifier.end
    parts.append(text[position:])
    if _has_latin_word(" ".join(parts)):
        return ENGLISH
    return previous if previous is not None else KOREAN
