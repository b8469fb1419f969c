"""Which language a question is in: "ko" when it has any Hangul, else "en" (as bot.nlp does)."""

from __future__ import annotations

import re

_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")


def detect_language(text: str) -> str:
    return "ko" if _HANGUL.search(text or "") else "en"


def normalise_language(language: str | None, text: str) -> str:
    if language:
        language = language.lower()[:2]
        if language in ("ko", "en"):
            return language
    return detect_language(text)
