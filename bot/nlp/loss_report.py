"""Whether a message given without a question sounds like someone reporting a loss."""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.nlp.language import detect_language

# Entities that only answer a question (an id, a date, an amount) are not a story.
_STORY_ENTITIES = frozenset({"incident_type"})
_WORDS = re.compile(r"\S+")


def looks_like_loss_report(text: str, entity_names: Collection[str]) -> bool:
    """True for "윗집에서 물이 새서 천장이 다 젖었어요" or "a van drove into my car".

    A named kind of incident is enough; otherwise a free description long enough to be one
    (five words in English, three in Korean, where one word carries more) and holding no
    entity of the value kind: "AU20250001 이거요" or "2026-11-20" stay plain values.
    """
    if _STORY_ENTITIES & set(entity_names):
        return True
    if set(entity_names) - {"product"}:
        return False
    words = _WORDS.findall(text)
    needed = 3 if detect_language(text) == "ko" else 5
    return len(words) >= needed
