"""Cleaning raw channel input and rejecting messages the assistant should not process."""

from __future__ import annotations

import unicodedata

MAX_MESSAGE_CHARS = 2000

EMPTY = "empty"
TOO_LONG = "too_long"

# Hangul fillers are letters to Unicode but render as nothing; they are used to send
# "blank" messages, so they go with the zero-width characters.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Control, format (zero-width spaces, joiners, bidi overrides, BOM) and lone surrogates.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def _cleaned_char(char: str) -> str:
    if char in "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029":
        return " "
    if char in _INVISIBLE_LETTERS or unicodedata.category(char) in _DROPPED_CATEGORIES:
        return ""
    return char


def sanitize(text: str | None) -> str:
    """Text without control, format (zero-width, bidi) or invisible characters, with line
    breaks and tabs turned into spaces, whitespace runs collapsed and the ends stripped.

    The text is NFC-composed first, so Hangul typed as separate jamo (common on macOS)
    becomes ordinary syllables.
    """
    if not text:
        return ""
    composed = unicodedata.normalize("NFC", text)
    cleaned = "".join(_cleaned_char(char) for char in composed)
    return " ".join(cleaned.split())


def classify_input(text: str | None) -> str | None:
    """Why a message cannot be processed: "empty", "too_long" (more than MAX_MESSAGE_CHARS
    after sanitizing), or None when it is fine."""
    cleaned = sanitize(text)
    if not cleaned:
        return EMPTY
    if len(cleaned) > MAX_MESSAGE_CHARS:
        return TOO_LONG
    return None
