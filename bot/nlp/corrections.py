"""A customer correcting something said earlier: "아 오늘 아침 아니고 어제 저녁이었어요",
"장소는 시청역 말고 을지로입구역이에요", "sorry, it was Tuesday not Monday", "하루 전이었네요".

`read_correction` tells whether a message corrects, which value it names (date, place ...)
when it says so, the words that hold the new value (the negated old value removed), and a
shift in days for "a day earlier" kinds of corrections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKERS = re.compile(
    r"아니고|아니라|아니구|말고|잘못|틀렸|정정|수정|고칠|고쳐|바꿔|아\s*잠깐|아\s*참|아니\s|"
    r"\bnot\b|\bactually\b|\bsorry\b|\bwait\b|\bcorrection\b|\binstead\b|\bi meant\b|"
    r"\bmistake\b|\bwrong\b|\bscratch that\b|\bmy bad\b|\b(?:was|is)n't\b",
    re.IGNORECASE,
)
# "X 아니고 Y", "X 말고 Y": the old value stands before the marker.
_KO_NOT_BEFORE = re.compile(r"[^,.!?\n]*?\s*(?:이|가|은|는)?\s*(?:아니고|아니라|아니구|말고)\s*")
# "Y, not X" / "Y not X": the old value follows "not" up to the end of the clause.
_EN_NOT_AFTER = re.compile(
    r",?\s*(?:\b(?:it\s+)?(?:was|is)\s*n[o']t|\bnot)\s+(?:on\s+|at\s+|in\s+|the\s+)?[^,.!?\n]*",
    re.IGNORECASE,
)
# "not X but Y" / "not X, Y"
_EN_NOT_BUT = re.compile(r"\bnot\s+[^,.!?\n]*?\s*(?:,\s*|\bbut\s+)", re.IGNORECASE)

_SLOT_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("incident_date", re.compile(r"날짜|일시|며칠|요일|\bdate\b|\bday\b", re.IGNORECASE)),
    ("incident_time", re.compile(r"시간|몇\s*시|\btime\b", re.IGNORECASE)),
    ("incident_place", re.compile(r"장소|위치|곳|\bplace\b|\blocation\b|\bwhere\b", re.IGNORECASE)),
    ("incident_type", re.compile(r"사고\s*유형|종류|\btype\b|\bkind\b", re.IGNORECASE)),
    ("policy_number", re.compile(r"증권\s*번호|\bpolicy\s*(?:number|no)\b", re.IGNORECASE)),
    ("birth_date", re.compile(r"생년월일|생일|\bbirth|\bdob\b", re.IGNORECASE)),
    (
        "change_new_value",
        re.compile(r"수익자|주소|연락처|\bbeneficiary\b|\baddress\b", re.IGNORECASE),
    ),
)

_DAY_SHIFTS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (-1, re.compile(r"하루\s*(?:전|앞)|전날|그\s*전날|a day (?:earlier|before)|the day before"
                    r"|one day (?:earlier|before)", re.IGNORECASE)),
    (-2, re.compile(r"이틀\s*(?:전|앞)|two days (?:earlier|before)", re.IGNORECASE)),
    (1, re.compile(r"하루\s*(?:뒤|후)|다음\s*날|a day later|the day after|the next day"
                   r"|one day later", re.IGNORECASE)),
    (2, re.compile(r"이틀\s*(?:뒤|후)|two days later", re.IGNORECASE)),
)  # fmt: skip


@dataclass(frozen=True)
class Correction:
    is_correction: bool
    new_text: str  # the message without the negated old value
    slot: str | None = None  # the value the customer names ("장소는 ..."), if any
    day_shift: int | None = None  # "하루 전이었네요": days to add to the date given before


def read_correction(text: str) -> Correction:
    """What a message corrects, if anything."""
    marked = bool(_MARKERS.search(text))
    shift = next((days for days, pattern in _DAY_SHIFTS if pattern.search(text)), None)
    slot = next((name for name, pattern in _SLOT_WORDS if pattern.search(text)), None)
    new_text = _without_old_value(text)
    return Correction(marked or shift is not None, new_text, slot, shift)


def _without_old_value(text: str) -> str:
    if _EN_NOT_BUT.search(text):
        return _EN_NOT_BUT.sub(" ", text).strip()
    stripped = _KO_NOT_BEFORE.sub(" ", text)
    if stripped != text:
        return stripped.strip()
    return _EN_NOT_AFTER.sub("", text).strip(" ,")


_KO_SWAP = re.compile(
    r"(?P<old>[0-9A-Za-z가-힣-]+?)(?:이|가|은|는)?\s*(?:아니고|아니라|아니구|말고)\s*"
    r"(?P<new>[0-9A-Za-z가-힣-]+?)(?:이었어요|였어요|이에요|예요|이요|입니다|이고|으로|로|요)?"
    r"(?=[\s.,!~]|$)"
)
_EN_SWAP = re.compile(
    r"(?P<new>[\w'-]+)\s*,?\s+not\s+(?P<old>[\w'-]+)|"
    r"\bnot\s+(?P<old2>[\w'-]+)\s*,?\s*(?:but\s+|it'?s\s+)(?P<new2>[\w'-]+)",
    re.IGNORECASE,
)


def swapped_words(text: str) -> tuple[str, str] | None:
    """ "101동 아니라 102동이에요" -> ("101동", "102동"); "it's Suzanne not Susan" ->
    ("Susan", "Suzanne"): one word said instead of another, to be replaced where it stands."""
    match = _KO_SWAP.search(text)
    if match and match["old"] != match["new"]:
        return match["old"], match["new"]
    match = _EN_SWAP.search(text)
    if match:
        old, new = match["old"] or match["old2"], match["new"] or match["new2"]
        if old and new and old.lower() != new.lower():
            return old, new
    return None
