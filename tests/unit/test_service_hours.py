"""Whether consultants are in right now (Seoul time), and when they are next."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from bot.nlp.clock import SEOUL
from bot.nlp.service_hours import Availability, availability


def seoul(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 (the 25th is a Wednesday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def default_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BODAM_AGENT_HOURS", raising=False)


@pytest.mark.parametrize("moment", [seoul(25, 9), seoul(25, 10, 30), seoul(25, 17, 59)])
def test_weekday_inside_hours_is_open_until_six(moment: datetime) -> None:
    assert availability(moment) == Availability(
        open_now=True, opens=moment, closes=time(18, 0), hours="09:00-18:00"
    )


@pytest.mark.parametrize(
    ("moment", "opens"),
    [
        (seoul(25, 8, 59), seoul(25, 9)),  # Wednesday morning: today at nine
        (seoul(25, 0, 5), seoul(25, 9)),
        (seoul(25, 18), seoul(26, 9)),  # closing time is already closed
        (seoul(25, 23, 30), seoul(26, 9)),
    ],
)
def test_weekday_outside_hours_opens_at_the_next_nine(moment: datetime, opens: datetime) -> None:
    found = availability(moment)
    assert found == Availability(
        open_now=False, opens=opens, closes=time(18, 0), hours="09:00-18:00"
    )
    assert found.opens.tzinfo == SEOUL


@pytest.mark.parametrize(
    "moment",
    [
        seoul(27, 18, 30),  # Friday evening
        seoul(28, 0, 0),  # Saturday midnight
        seoul(28, 10, 0),  # Saturday inside weekday hours
        seoul(29, 8, 0),  # Sunday before nine
        seoul(29, 23, 59),  # Sunday night
    ],
)
def test_friday_evening_and_the_weekend_open_on_monday_at_nine(moment: datetime) -> None:
    found = availability(moment)
    assert found.open_now is False
    assert found.opens == seoul(30, 9)
    assert found.opens.weekday() == 0


def test_friday_before_nine_opens_the_same_day() -> None:
    assert availability(seoul(27, 7)).opens == seoul(27, 9)


def test_custom_hours_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BODAM_AGENT_HOURS", "08:30-20:00")
    evening = availability(seoul(25, 19, 0))
    assert evening == Availability(
        open_now=True, opens=seoul(25, 19), closes=time(20, 0), hours="08:30-20:00"
    )
    early = availability(seoul(25, 8, 0))
    assert (early.open_now, early.opens, early.hours) == (False, seoul(25, 8, 30), "08:30-20:00")
    late = availability(seoul(27, 20, 0))
    assert (late.open_now, late.opens) == (False, seoul(30, 8, 30))


def test_custom_hours_may_have_spaces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BODAM_AGENT_HOURS", " 10:00 - 17:00 ")
    assert availability(seoul(25, 9, 30)).opens == seoul(25, 10)
    assert availability(seoul(25, 16, 59)).open_now is True
    assert availability(seoul(25, 17)).opens == seoul(26, 10)
    assert availability(seoul(25, 17)).hours == "10:00-17:00"
