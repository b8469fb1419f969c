"""Argument checks. Every failure raises InvalidInput with a message naming the argument.

Messages never repeat the rejected value: it is user input and may hold personal data.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime

from casestore.errors import InvalidInput
from casestore.vocabulary import PRODUCT_PREFIXES

POLICY_NUMBER = re.compile(r"(AU|HO|TR|HE|PA)[0-9]{8}")
CLAIM_ID = re.compile(r"CLM-[0-9]{4}-[0-9]{6}")
COMPLAINT_ID = re.compile(r"CMP-[0-9]{4}-[0-9]{6}")
CHANGE_ID = re.compile(r"CHG-[0-9]{4}-[0-9]{6}")
CUSTOMER_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
SLUG = re.compile(r"[a-z][a-z0-9_]{0,39}")
# Rasa input channel names ("rest", "socketio", custom ones), not a closed list.
CHANNEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,39}")

MAX_KEY = 128
MAX_SHORT = 200
MAX_TEXT = 4000
MAX_SUMMARY = 20_000
MAX_AMOUNT = 10**15


def _identifier(name: str, value: object, pattern: re.Pattern[str], example: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a string like {example}")
    normalised = value.strip().upper()
    if not pattern.fullmatch(normalised):
        raise InvalidInput(f"{name} is not valid; expected a value like {example}")
    return normalised


def policy_number(value: object, name: str = "policy_number") -> str:
    return _identifier(name, value, POLICY_NUMBER, "AU20250001")


def claim_id(value: object) -> str:
    return _identifier("claim_id", value, CLAIM_ID, "CLM-2026-000123")


def complaint_id(value: object) -> str:
    return _identifier("complaint_id", value, COMPLAINT_ID, "CMP-2026-000045")


def change_id(value: object) -> str:
    return _identifier("change_id", value, CHANGE_ID, "CHG-2026-000007")


def customer_id(value: object, name: str = "customer_id") -> str:
    if not isinstance(value, str) or not CUSTOMER_ID.fullmatch(value):
        raise InvalidInput(f"{name} must be 1-32 letters, digits, '-' or '_' (like C001)")
    return value


def optional_customer_id(value: object) -> str | None:
    return None if value is None else customer_id(value)


def optional_policy_number(value: object) -> str | None:
    return None if value is None else policy_number(value)


def one_of(name: str, value: object, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInput(f"{name} must be one of {', '.join(allowed)}")
    return value


def slug(name: str, value: object) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise InvalidInput(f"{name} must be a lower-case word like claim_delay")
    return value


def channel(value: object) -> str:
    if not isinstance(value, str) or not CHANNEL.fullmatch(value):
        raise InvalidInput("channel must be 1-40 letters, digits or _.:- (like rest or kakao)")
    return value


def text(name: str, value: object, *, max_len: int = MAX_TEXT) -> str:
    """Required free text, stored exactly as given."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{name} must be a non-empty string")
    if len(value) > max_len:
        raise InvalidInput(f"{name} is longer than {max_len} characters")
    if "\x00" in value:
        raise InvalidInput(f"{name} must not contain NUL characters")
    return value


def optional_text(name: str, value: object, *, max_len: int = MAX_TEXT) -> str | None:
    if value is None:
        return None
    return text(name, value, max_len=max_len)


def idempotency_key(value: object) -> str | None:
    return optional_text("idempotency_key", value, max_len=MAX_KEY)


def actor(value: object) -> str:
    return text("actor", value, max_len=MAX_SHORT)


def a_date(name: str, value: object) -> date:
    # datetime is a subclass of date; a time of day here is almost always a caller bug.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInput(f"{name} must be a datetime.date")
    return value


def aware_datetime(name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidInput(f"{name} must be a datetime.datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{name} must be timezone-aware (for example datetime.now(UTC))")
    return value


def optional_bool(name: str, value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidInput(f"{name} must be True, False or None")
    return value


def optional_amount(name: str, value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < MAX_AMOUNT:
        raise InvalidInput(f"{name} must be a non-negative integer amount in KRW")
    return value


def product_matches_number(product: str, number: str) -> None:
    if PRODUCT_PREFIXES[product] != number[:2]:
        raise InvalidInput(
            f"policy number {number} does not start with {PRODUCT_PREFIXES[product]} "
            f"for product {product}"
        )
