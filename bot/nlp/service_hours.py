"""When people answer: the consultants' hours and whether they are in right now (Seoul).

Hours are configuration (`BODAM_AGENT_HOURS`, default "09:00-18:00" on weekdays); the
accident line answers around the clock. Public holidays are not modelled.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, time, timedelta

DEFAULT_HOURS = "09:00-18:00"


@dataclass(frozen=True)
class Availability:
    open_now: bool
    opens: datetime  # now when open, else the next opening time
    closes: time
    hours: str


def agent_hours() -> tuple[time, time]:
    start, end = os.environ.get("BODAM_AGENT_HOURS", DEFAULT_HOURS).split("-", 1)
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def availability(now: datetime) -> Availability:
    """Whether consultants are in at ``now`` (Seoul time), and when they are next."""
    start, end = agent_hours()
    hours = f"{start:%H:%M}-{end:%H:%M}"
    is_weekday = now.weekday() < 5
    if is_weekday and start <= now.time() < end:
        return Availability(True, now, end, hours)
    day = now.date() if is_weekday and now.time() < start else now.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    opens = datetime.combine(day, start, tzinfo=now.tzinfo)
    return Availability(False, opens, end, hours)
