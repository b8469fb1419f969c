"""The assistant's notion of "today": Korean time, pinnable for reproducible tests."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone

# Korea has no daylight saving time; a fixed offset needs no tz database.
SEOUL = timezone(timedelta(hours=9), "KST")


def now() -> datetime:
    """Current time in Seoul; `BODAM_TODAY=YYYY-MM-DD` pins the date (tests, demos)."""
    pinned = os.environ.get("BODAM_TODAY")
    current = datetime.now(timezone.utc).astimezone(SEOUL)
    if pinned:
        day = date.fromisoformat(pinned)
        return current.replace(year=day.year, month=day.month, day=day.day)
    return current


def today() -> date:
    return now().date()
