"""Finding and masking personal data before text is stored or logged.

Masked forms keep just enough to let a person recognise their own data:

- phone: first group and last four digits, 010-****-6789 (+82 numbers are shown domestic,
  other countries as +1-****-2671);
- resident registration number: the birth-date half, 850314-*******;
- card: last four digits, ****-****-****-1234;
- e-mail: first letter and domain, k***@example.com.

Text is searched in a normalised copy (see ``normalise``): NFKC, every Unicode space as " ",
every dash or minus as "-", middle dots as ".", digits of any script as 0-9, and zero-width
and combining characters dropped. So "010 2345 6789" with no-break or thin spaces,
"０１０－２３４５－６７８９" and "850314.2345678" are found like their plain forms. Phone
numbers are read by ``phonenumbers`` (bot/nlp/phones.py).

``mask_pii`` returns the original text with only the matched spans replaced: everything
around a match stays exactly as written (the normalised copy is used for finding only), and
``find_pii`` reports offsets into the original text.

Masked text contains none of the patterns again, so masking is idempotent. Policy numbers,
case ids, dates and amounts are not personal data here and are left alone (the tracker
store hides policy numbers and birth dates itself, bot/tracker_store.py). Business service
numbers (1588-xxxx) are not personal either and stay readable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.nlp.phones import PhoneMatch, find_phones
from bot.nlp.spans import select_non_overlapping

PII_KINDS = ("phone", "rrn", "card", "email")

# Birth date (YYMMDD), then a digit for sex/century (1-8) and six more digits; written with
# a hyphen, a dot, a space or nothing between the halves.
_RRN = re.compile(
    r"(?<![\d\-])(?<!\d\.)(?P<birth>\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
    r"(?: {0,2}[\-.] {0,2}| ?)(?P<rest>[1-8]\d{6})(?![\d\-]|\.\d)"
)
_CARD = re.compile(
    r"(?<![\d\-])(?<!\d\.)"
    r"(?P<number>\d{4}(?P<sep>[ \-.])\d{4}(?P=sep)\d{4}(?P=sep)\d{1,4}(?:(?P=sep)\d{1,3})?"
    r"|\d{4}[ \-]\d{6}[ \-]\d{5}"
    r"|\d{13,19})"
    r"(?![\d]|[ \-.]\d)"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])(?P<local>[A-Za-z0-9._%+\-]+)@"
    r"(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})(?![A-Za-z0-9\-])"
)
_FOUR_FOUR_FOUR_FOUR = re.compile(r"\d{4}([ \-.])\d{4}\1\d{4}\1\d{4}")
_MAY_HOLD_PII = re.compile(r"[0-9@]")
_PRIORITY = {"rrn": 0, "card": 1, "phone": 2, "email": 3}

# Dashes that are not in Unicode's dash punctuation class (Pd) but are typed as one.
_EXTRA_DASHES = frozenset("\u2212\u2043\u02d7\u2796\u30fc\uff70")
_DOTS = frozenset("\u00b7\u2027\u2219\u22c5\u30fb\uff65\u318d\u3002")
# Characters whose NFKC form is themselves and that need no mapping: the fast path.
_PLAIN = re.compile(r"[\n\r\x20-\x5b\x5d-\x7e\uac00-\ud7a3]*")  # no backslash
# A repr inside JSON escapes its backslash again (\\xa0): a run of backslashes counts.
_ESCAPE = re.compile(
    r"\\+(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U00(?:0[0-9a-fA-F]|10)[0-9a-fA-F]{4}|[tnr])"
)
_ESCAPED_CONTROLS = {"t": "\t", "n": "\n", "r": "\r"}


@lru_cache(maxsize=4096)
def _normalised_char(char: str) -> str:
    if char in "\n\r":
        return char
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me"):  # zero-width spaces and joiners, soft hyphen, accents
        return ""
    if char.isspace():
        return " "
    if category == "Pd" or char in _EXTRA_DASHES:
        return "-"
    if char in _DOTS:
        return "."
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    folded = unicodedata.normalize("NFKC", char)
    if folded == char:
        return char
    return "".join(_normalised_char(c) if c != char else c for c in folded)


@dataclass(frozen=True)
class Normalised:
    """A normalised copy of a text and, for each of its characters, where it came from."""

    text: str
    starts: tuple[int, ...] | None  # None: identical to the original
    ends: tuple[int, ...] | None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def normalise(text: str) -> Normalised:
    """NFKC per character, with space, dash, dot and digit variants folded (module doc).

    Each character is normalised on its own so that every character of the copy points
    back to the characters of the original it came from; composition across characters
    cannot produce a digit, a separator or an ASCII letter, so nothing that is searched for
    is lost against whole-string NFKC. Backslash escapes (``\\xa0``, ``\\uff10``, ``\\t``)
    are read as the character they stand for: logged reprs and JSON write unusual spaces
    and digits that way.
    """
    if _PLAIN.fullmatch(text):
        return Normalised(text, None, None)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def add(folded: str, start: int, end: int) -> None:
        parts.append(folded)
        starts.extend([start] * len(folded))
        ends.extend([end] * len(folded))

    position = 0
    for escape in _ESCAPE.finditer(text) if "\\" in text else ():
        for index in range(position, escape.start()):
            add(_normalised_char(text[index]), index, index + 1)
        code = escape.group().lstrip("\\")
        char = _ESCAPED_CONTROLS.get(code) or chr(int(code[1:], 16))
        add(_normalised_char(char), escape.start(), escape.end())
        position = escape.end()
    for index in range(position, len(text)):
        add(_normalised_char(text[index]), index, index + 1)
    return Normalised("".join(parts), tuple(starts), tuple(ends))


@dataclass(frozen=True)
class PiiSpan:
    kind: str  # phone, rrn, card or email
    start: int
    end: int


@dataclass(frozen=True)
class _Found:
    kind: str
    start: int  # in the normalised text
    end: int
    phone: PhoneMatch | None = None


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


def _find(text: str) -> list[_Found]:
    if not _MAY_HOLD_PII.search(text):
        return []
    candidates = [_Found("rrn", m.start(), m.end()) for m in _RRN.finditer(text)]
    candidates += [
        _Found("card", m.start(), m.end()) for m in _CARD.finditer(text) if _is_card(m.group())
    ]
    candidates += [
        _Found("phone", m.start, m.end, m) for m in find_phones(text, include_service_numbers=False)
    ]
    candidates += [_Found("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    return select_non_overlapping(
        candidates, lambda s: (s.start - s.end, _PRIORITY[s.kind], s.start)
    )


def find_pii(text: str) -> list[PiiSpan]:
    """Every piece of personal data, non-overlapping (longest, then rrn > card > phone).

    Offsets are into ``text`` as given, not into its normalised copy.
    """
    norm = normalise(text)
    return [PiiSpan(f.kind, *norm.original_span(f.start, f.end)) for f in _find(norm.text)]


def _masked(found: _Found, matched: str) -> str:
    if found.phone is not None:
        return f"{found.phone.area}-****-{found.phone.last_four}"
    if found.kind == "rrn":
        return f"{matched[:6]}-*******"
    if found.kind == "card":
        return f"****-****-****-{re.sub(r'[^0-9]', '', matched)[-4:]}"
    local, domain = matched.split("@", 1)
    return f"{local[0]}***@{domain}"


def replace_spans(text: str, replacements: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, replacement)`` applied.

    Overlapping spans are merged, and the merged stretch is hidden character by character
    (every letter and digit becomes ``*``): no part of either match is left readable.
    """
    ordered = sorted({r for r in replacements if r[0] < r[1]})
    merged: list[tuple[int, int, str | None]] = []
    for start, end, replacement in ordered:
        if merged and start < merged[-1][1]:
            last_start, last_end, _ = merged[-1]
            merged[-1] = (last_start, max(last_end, end), None)
        else:
            merged.append((start, end, replacement))
    parts, position = [], 0
    for start, end, replacement in merged:
        parts.append(text[position:start])
        if replacement is None:
            replacement = "".join("*" if c.isalnum() else c for c in text[start:end])
        parts.append(replacement)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def pii_replacements(text: str, *, keep_birth_date: bool = True) -> list[tuple[int, int, str]]:
    """``(start, end, mask)`` for each piece of personal data in ``text`` (original offsets).

    ``keep_birth_date=False`` hides the birth-date half of a registration number as well.
    """
    norm = normalise(text)
    found = []
    for item in _find(norm.text):
        mask = _masked(item, norm.text[item.start : item.end])
        if item.kind == "rrn" and not keep_birth_date:
            mask = "******-*******"
        found.append((*norm.original_span(item.start, item.end), mask))
    return found


def mask_pii(text: str) -> str:
    """``text`` with every piece of personal data replaced by its masked form."""
    replacements = pii_replacements(text)
    return replace_spans(text, replacements) if replacements else text


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
