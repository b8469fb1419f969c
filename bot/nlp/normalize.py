"""Canonical values for what customers type: ids, dates, money, products, phones ...

Every function takes free text, finds the first (or, for types, the most specific) mention
anywhere in it and returns its canonical form, or None when there is none. They are pure:
the same input (and ``today``) always gives the same output.
"""

from __future__ import annotations

from bot.nlp.change_types import find_change_types
from bot.nlp.clauses import find_clause_refs
from bot.nlp.dates import DateResult, parse_date
from bot.nlp.identifiers import CASE_KINDS, find_case_ids, find_policy_numbers
from bot.nlp.incident_types import find_incident_types
from bot.nlp.money import Money, parse_amount
from bot.nlp.phones import find_phones
from bot.nlp.products import find_products
from bot.nlp.terms import most_specific

__all__ = [
    "DateResult",
    "Money",
    "normalize_case_id",
    "normalize_change_type",
    "normalize_clause_ref",
    "normalize_incident_type",
    "normalize_phone",
    "normalize_policy_number",
    "normalize_product",
    "parse_amount",
    "parse_date",
]


def normalize_policy_number(text: str) -> str | None:
    """ "au 2025-0001" -> "AU20250001"."""
    found = find_policy_numbers(text)
    return found[0].value if found else None


def normalize_case_id(text: str, kind: str) -> str | None:
    """``kind`` is "CLM", "CMP" or "CHG": "clm2026000123" -> "CLM-2026-000123"."""
    kind = kind.upper()
    if kind not in CASE_KINDS:
        raise ValueError(f"unknown case id kind {kind!r}; expected one of {CASE_KINDS}")
    found = find_case_ids(text, kind)
    return found[0].value if found else None


def normalize_product(text: str) -> str | None:
    """자동차보험 / 실비 / travel cover ... -> auto, home, travel, health or accident."""
    found = find_products(text)
    return found[0].value if found else None


def normalize_incident_type(text: str) -> str | None:
    """The most specific incident type named in ``text`` (rules in ``incident_types``)."""
    return most_specific(find_incident_types(text))


def normalize_change_type(text: str) -> str | None:
    """수익자 / 주소 / payment method ... -> the policy change type."""
    return most_specific(find_change_types(text))


def normalize_clause_ref(text: str) -> str | None:
    """제12조 -> "12"; 12조 3항, Article 12(3), art. 12 para 3 -> "12(3)"."""
    found = find_clause_refs(text)
    return found[0].value if found else None


def normalize_phone(text: str) -> str | None:
    """01023456789 / +82 10-2345-6789 -> "010-2345-6789"; 021234567 -> "02-123-4567"."""
    found = find_phones(text)
    return found[0].value if found else None
