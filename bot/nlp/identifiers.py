"""Policy numbers and case ids (claims, complaints, policy changes) as written by customers.

Canonical forms come from spec/entities.yml: ``AU20250001`` and ``CLM-2026-000123``.
Customers type them in lowercase, with spaces or with hyphens missing or added, so the
patterns accept those variants and the canonical form is rebuilt from the digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlp.spans import longest_first, select_non_overlapping

POLICY_PREFIXES = ("AU", "HO", "TR", "HE", "PA")
CASE_KINDS = ("CLM", "CMP", "CHG")
ENTITY_BY_CASE_KIND = {"CLM": "claim_id", "CMP": "complaint_id", "CHG": "change_id"}

_POLICY_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>AU|HO|TR|HE|PA)[ \t-]{0,2}"
    r"(?P<digits>(?:\d[ -]?){7}\d)(?!\d)",
    re.IGNORECASE,
)
_CASE_ID = re.compile(
    r"(?<![A-Za-z0-9])(?P<kind>CLM|CMP|CHG)[ \t_-]{0,2}(?P<year>\d{4})[ \t_-]{0,2}"
    r"(?P<serial>\d{6})(?!\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class IdentifierMatch:
    entity: str  # policy_number, claim_id, complaint_id or change_id
    start: int
    end: int
    value: str


def find_policy_numbers(text: str) -> list[IdentifierMatch]:
    found = []
    for match in _POLICY_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group("digits"))
        value = match.group("prefix").upper() + digits
        found.append(IdentifierMatch("policy_number", match.start(), match.end(), value))
    return found


def find_case_ids(text: str, kind: str | None = None) -> list[IdentifierMatch]:
    """Claim / complaint / change ids; ``kind`` ("CLM", "CMP", "CHG") restricts the search."""
    found = []
    for match in _CASE_ID.finditer(text):
        found_kind = match.group("kind").upper()
        if kind is not None and found_kind != kind:
            continue
        value = f"{found_kind}-{match.group('year')}-{match.group('serial')}"
        entity = ENTITY_BY_CASE_KIND[found_kind]
        found.append(IdentifierMatch(entity, match.start(), match.end(), value))
    return found


def find_identifiers(text: str) -> list[IdentifierMatch]:
    """Every policy number and case id, non-overlapping, sorted by position."""
    candidates = find_policy_numbers(text) + find_case_ids(text)
    return select_non_overlapping(candidates, longest_first)
