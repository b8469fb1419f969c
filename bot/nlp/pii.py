"""Finding and masking personal data before text is stored or logged.

Masked forms keep just enough to let a person recognise their own data:

- phone: first group and last four digits, 010-****-6789 (+82 numbers are shown domestic);
- resident registration number: the birth-date half, 850314-*******;
- card: last four digits, ****-****-****-1234;
- e-mail: first letter and domain, k***@example.com.

Masked text contains none of the patterns again, so masking is idempotent. Policy numbers,
case ids, dates and amounts are not personal data and are left alone. Business service
numbers (1588-xxxx) are not personal either and stay readable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.nlp.phones import find_phones
from bot.nlp.spans import select_non_overlapping

PII_KINDS = ("phone", "rrn", "card", "email")

# Birth date (YYMMDD), then a digit for sex/century (1-8) and six more digits.
_RRN = re.compile(
    r"(?<![\d\-])(?P<birth>\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
    r"(?: ?- ?| ?)(?P<rest>[1-8]\d{6})(?![\d\-])"
)
_CARD = re.compile(
    r"(?<![\d\-])"
    r"(?P<number>\d{4}(?P<sep>[ \-])\d{4}(?P=sep)\d{4}(?P=sep)\d{1,4}(?:(?P=sep)\d{1,3})?"
    r"|\d{4}[ \-]\d{6}[ \-]\d{5}"
    r"|\d{13,19})"
    r"(?![\d]|[ \-]\d)"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])(?P<local>[A-Za-z0-9._%+\-]+)@"
    r"(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})(?![A-Za-z0-9\-])"
)
_FOUR_FOUR_FOUR_FOUR = re.compile(r"\d{4}([ \-])\d{4}\1\d{4}\1\d{4}")
_PRIORITY = {"rrn": 0, "card": 1, "phone": 2, "email": 3}


@dataclass(frozen=True)
class PiiSpan:
    kind: str  # phone, rrn, card or email
    start: int
    end: int


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_card(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    if not 13 <= len(digits) <= 19:
        return False
    return bool(_FOUR_FOUR_FOUR_FOUR.fullmatch(text)) or _luhn_valid(digits)


def find_pii(text: str) -> list[PiiSpan]:
    """Every piece of personal data, non-overlapping (longest, then rrn > card > phone)."""
    candidates = [PiiSpan("rrn", m.start(), m.end()) for m in _RRN.finditer(text)]
    candidates += [
        PiiSpan("card", m.start(), m.end()) for m in _CARD.finditer(text) if _is_card(m.group())
    ]
    candidates += [
        PiiSpan("phone", m.start, m.end) for m in find_phones(text, include_service_numbers=False)
    ]
    candidates += [PiiSpan("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    return select_non_overlapping(
        candidates, lambda s: (s.start - s.end, _PRIORITY[s.kind], s.start)
    )


def _masked(kind: str, found: str) -> str:
    if kind == "phone":
        phone = find_phones(found, include_service_numbers=False)[0]
        return f"{phone.area}-****-{phone.last_four}"
    if kind == "rrn":
        return f"{found[:6]}-*******"
    if kind == "card":
        return f"****-****-****-{re.sub(r'[^0-9]', '', found)[-4:]}"
    local, domain = found.split("@", 1)
    return f"{local[0]}***@{domain}"


def mask_pii(text: str) -> str:
    """``text`` with every piece of personal data replaced by its masked form."""
    spans = find_pii(text)
    if not spans:
        return text
    parts, position = [], 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(_masked(span.kind, text[span.start : span.end]))
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def mask_in(value: Any) -> Any:
    """A copy of a nested structure (tracker events, slots) with every string masked.

    Dict keys are masked too, since a key can carry data (a phone number used as an id).
    Tuples, lists, sets and dicts are rebuilt; any other object is returned as it is.
    """
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, Mapping):
        return {mask_in(key): mask_in(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_in(item) for item in value]
    if isinstance(value, tuple):
        items = [mask_in(item) for item in value]
        if hasattr(value, "_fields"):  # named tuple
            return type(value)(*items)
        return tuple(items)
    if isinstance(value, (set, frozenset)):
        return type(value)(mask_in(item) for item in value)
    return value
