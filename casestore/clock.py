"""Time handling: instants are stored in UTC, business dates are Korean (KST) dates."""

from datetime import date, datetime, time, timedelta, timezone
from typing import overload

UTC = timezone.utc
# Korea has had no daylight saving since 1988, so a fixed offset avoids depending on tzdata.
KST = timezone(timedelta(hours=9), "KST")


def utcnow() -> datetime:
    return datetime.now(UTC)


@overload
def kst(instant: datetime) -> datetime: ...
@overload
def kst(instant: None) -> None: ...
def kst(instant: datetime | None) -> datetime | None:
    """``instant`` shown in Korean time (the same instant, so comparisons are unaffected)."""
    return None if instant is None else instant.astimezone(KST)


def today_kst() -> date:
    return datetime.now(KST).date()


def business_date(instant: datetime) -> date:
    """The calendar date in Korea at ``instant``."""
    return instant.astimezone(KST).date()


def start_of_business_day(day: date) -> datetime:
    """Midnight KST of ``day``, as a UTC instant."""
    return datetime.combine(day, time(0), KST).astimezone(UTC)
