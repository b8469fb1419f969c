"""Times of day in a customer's words: "8시 반쯤", "저녁 7시", "around 7:30pm", "last night".

The result is "HH:MM" when a clock time is named, otherwise a part of the day
("morning", "evening", ...) when only that is said, otherwise None. Parts of the day
are kept as words because "어제 저녁" does not say 19:00.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PARTS_OF_DAY = ("dawn", "morning", "noon", "afternoon", "evening", "night")

_KO_PART = {
    "새벽": "dawn", "아침": "morning", "오전": "morning", "점심": "noon", "낮": "afternoon",
    "오후": "afternoon", "저녁": "evening", "밤": "night", "어젯밤": "night", "오늘밤": "night",
}  # fmt: skip
_EN_PART = {
    "dawn": "dawn", "morning": "morning", "noon": "noon", "lunchtime": "noon",
    "afternoon": "afternoon", "evening": "evening", "night": "night", "tonight": "night",
}  # fmt: skip
# Hours said without am/pm that are read as afternoon or evening (저녁 7시 = 19:00).
_PM_PARTS = {"afternoon", "evening", "night"}

_KO_NUMBERS = {
    "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
    "아홉": 9, "열": 10, "열한": 11, "열두": 12,
}  # fmt: skip
_KO_CLOCK = re.compile(
    r"(?P<part>새벽|아침|오전|점심|낮|오후|저녁|어젯밤|오늘밤|밤)?\s*"
    r"(?P<hour>\d{1,2}|열한|열두|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*시"
    r"(?:\s*(?P<half>반)|\s*(?P<minute>\d{1,2})\s*분)?"
)
_COLON_CLOCK = re.compile(
    r"(?<![\d:])(?P<hour>[01]?\d|2[0-3])[:시](?P<minute>[0-5]\d)(?![\d:])\s*(?P<ampm>[ap]\.?m\.?)?",
    re.IGNORECASE,
)
_EN_CLOCK = re.compile(r"\b(?P<hour>1[0-2]|0?[1-9])\s*(?P<ampm>[ap])\.?m\.?\b", re.IGNORECASE)
_KO_PART_ONLY = re.compile(r"새벽|아침|오전|점심|낮|오후|저녁|어젯밤|오늘밤|(?<![가-힣])밤")
_EN_PART_ONLY = re.compile(
    r"\b(?:dawn|morning|noon|lunchtime|afternoon|evening|night|tonight)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class TimeMatch:
    start: int
    end: int
    value: str  # "HH:MM" or one of PARTS_OF_DAY


def _hour_in_part(hour: int, part: str | None) -> int:
    if part in _PM_PARTS and hour < 12:
        # 밤 12시 is midnight; 새벽/아침 hours stay as said.
        return hour + 12 if not (part == "night" and hour <= 4) else hour
    if part == "noon" and hour < 6:
        return hour + 12
    return hour


def _clock(hour: int, minute: int) -> str | None:
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    return f"{hour % 24:02d}:{minute:02d}"


def find_time(text: str) -> TimeMatch | None:
    """The first time of day named in ``text``, or None."""
    for match in _COLON_CLOCK.finditer(text):
        hour, minute = int(match["hour"]), int(match["minute"])
        if match["ampm"] and match["ampm"][0].lower() == "p" and hour < 12:
            hour += 12
        part = _part_before(text, match.start())
        value = _clock(_hour_in_part(hour, part) if not match["ampm"] else hour, minute)
        if value:
            return TimeMatch(match.start(), match.end(), value)
    match = _KO_CLOCK.search(text)
    if match:
        raw = match["hour"]
        hour = int(raw) if raw.isdigit() else _KO_NUMBERS[raw]
        minute = 30 if match["half"] else int(match["minute"] or 0)
        part = _KO_PART.get(match["part"] or "") or _part_before(text, match.start())
        value = _clock(_hour_in_part(hour, part), minute)
        if value:
            return TimeMatch(match.start(), match.end(), value)
    match = _EN_CLOCK.search(text)
    if match:
        hour = int(match["hour"]) % 12 + (12 if match["ampm"].lower() == "p" else 0)
        return TimeMatch(match.start(), match.end(), f"{hour:02d}:00")
    match = _KO_PART_ONLY.search(text)
    if match:
        return TimeMatch(match.start(), match.end(), _KO_PART[match.group()])
    match = _EN_PART_ONLY.search(text)
    if match:
        return TimeMatch(match.start(), match.end(), _EN_PART[match.group().lower()])
    return None


def _part_before(text: str, position: int) -> str | None:
    """A part of the day said just before a clock time ("오늘 저녁 7:30")."""
    window = text[max(0, position - 8) : position]
    found = _KO_PART_ONLY.findall(window)
    if found:
        return _KO_PART[found[-1]]
    english = _EN_PART_ONLY.findall(window)
    return _EN_PART[english[-1].lower()] if english else None
