"""Every entity of spec/entities.yml in a message, with character offsets and canonical value.

When mentions overlap, one wins, in this order: ids (policy number, claim / complaint /
change id); phone numbers and other personal numbers (resident registration numbers, card
numbers and e-mail addresses produce no entity, but nothing else may be read inside them);
dates, amounts and clause references; finally product / incident / change keywords. Within
a rank the longer mention wins.

A date is a birth_date when a birth keyword (생년월일, 생일, born, DOB ...) stands next to
it, when it is written as six bare digits (850314), or when it is more than 15 years ago;
otherwise it is an incident_date. Relative dates (어제, last Friday) are always incident
dates, and dates that do not exist are not entities at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.nlp.change_types import find_change_types
from bot.nlp.clauses import find_clause_refs
from bot.nlp.dates import DateMatch, find_dates
from bot.nlp.identifiers import find_identifiers
from bot.nlp.incident_types import find_incident_types
from bot.nlp.money import find_amounts
from bot.nlp.phones import find_phones
from bot.nlp.pii import find_pii
from bot.nlp.products import find_products
from bot.nlp.spans import select_non_overlapping

ENTITY_NAMES = (
    "policy_number", "claim_id", "complaint_id", "change_id", "product", "birth_date",
    "incident_date", "incident_type", "change_type", "amount", "phone", "clause_ref",
)  # fmt: skip

BIRTH_DATE_MIN_AGE_YEARS = 15
_BIRTH_KEYWORD = re.compile(
    r"생년월일|생일|출생|태어|주민\s?(?:등록)?\s?번호|"
    r"(?<![A-Za-z])(?:birth(?:day|date)?|born|dob|d\.o\.b\.?|date of birth)(?![A-Za-z])",
    re.IGNORECASE,
)
_KEYWORD_WINDOW_BEFORE = 25
_KEYWORD_WINDOW_AFTER = 12

_RANK_ID = 0
_RANK_PERSONAL_NUMBER = 1
_RANK_VALUE = 2
_RANK_KEYWORD = 3


@dataclass(frozen=True)
class EntitySpan:
    entity: str
    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True)
class _Candidate:
    rank: int
    start: int
    end: int
    entity: str | None  # None: a personal number that blocks other readings of its digits
    value: str
    date_match: DateMatch | None = None


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _date_entity(
    text: str, match: DateMatch, previous_end: int, next_start: int, today: date
) -> str:
    if match.relative:
        return "incident_date"
    before = text[max(previous_end, match.start - _KEYWORD_WINDOW_BEFORE) : match.start]
    after = text[match.end : min(next_start, match.end + _KEYWORD_WINDOW_AFTER)]
    if _BIRTH_KEYWORD.search(before) or _BIRTH_KEYWORD.search(after):
        return "birth_date"
    long_ago = match.value is not None and match.value < _years_before(
        today, BIRTH_DATE_MIN_AGE_YEARS
    )
    return "birth_date" if match.six_digits or long_ago else "incident_date"


def _candidates(text: str, today: date) -> list[_Candidate]:
    found = [
        _Candidate(_RANK_ID, m.start, m.end, m.entity, m.value) for m in find_identifiers(text)
    ]
    found += [
        _Candidate(_RANK_PERSONAL_NUMBER, p.start, p.end, None, "")
        for p in find_pii(text)
        if p.kind != "phone"
    ]
    found += [
        _Candidate(_RANK_PERSONAL_NUMBER, p.start, p.end, "phone", p.value)
        for p in find_phones(text)
    ]
    found += [
        _Candidate(_RANK_VALUE, d.start, d.end, "date", d.value.isoformat(), d)
        for d in find_dates(text, today)
        if d.value is not None
    ]
    found += [
        _Candidate(_RANK_VALUE, a.start, a.end, "amount", str(a.money)) for a in find_amounts(text)
    ]
    found += [
        _Candidate(_RANK_VALUE, c.start, c.end, "clause_ref", c.value)
        for c in find_clause_refs(text)
    ]
    for entity, terms in (
        ("product", find_products(text)),
        ("incident_type", find_incident_types(text)),
        ("change_type", find_change_types(text)),
    ):
        found += [_Candidate(_RANK_KEYWORD, t.start, t.end, entity, t.value) for t in terms]
    return found


def extract_entities(text: str, today: date) -> list[EntitySpan]:
    """Entities in ``text``, non-overlapping and sorted by start; relative dates use ``today``."""
    chosen = select_non_overlapping(
        _candidates(text, today), lambda c: (c.rank, c.start - c.end, c.start)
    )
    date_bounds = [(c.start, c.end) for c in chosen if c.date_match is not None]
    spans = []
    date_index = 0
    for candidate in chosen:
        if candidate.entity is None:
            continue
        entity = candidate.entity
        if candidate.date_match is not None:
            previous_end = date_bounds[date_index - 1][1] if date_index > 0 else 0
            has_next = date_index + 1 < len(date_bounds)
            next_start = date_bounds[date_index + 1][0] if has_next else len(text)
            entity = _date_entity(text, candidate.date_match, previous_end, next_start, today)
            date_index += 1
        spans.append(
            EntitySpan(
                entity,
                candidate.start,
                candidate.end,
                text[candidate.start : candidate.end],
                candidate.value,
            )
        )
    return spans
