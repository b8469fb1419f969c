"""Dates written in Korean or English, absolute or relative to a given day.

Conventions (the contract other modules rely on):

- Two-digit years: above today's two-digit year means 19xx, otherwise 20xx (85 -> 1985,
  26 -> 2026 when today is in 2026).
- No year given (3월 14일, 11/20, March 14): this year, or last year when that day is still
  ahead of today, because customers talk about things that already happened.
- Slash or dot dates with a four-digit year at the end are month-first unless the first
  number cannot be a month (14/03/1985 is day-first).
- Weeks start on Monday. 지난주/last week X = day X of the previous calendar week; 지난 X /
  last X = the most recent X strictly before today; 이번 주/this X = day X of this week.
- A date that does not exist (2월 30일, 2026-13-01, 31 April) is reported as impossible,
  not silently corrected. Future dates are returned as they are.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.nlp.spans import longest_first, select_non_overlapping

IMPOSSIBLE = "impossible"
UNPARSED = "unparsed"


@dataclass(frozen=True)
class DateResult:
    value: date | None
    error: str | None  # None on success, "impossible" or "unparsed"


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    value: date | None  # None when the text names a date that does not exist
    relative: bool = False  # said relative to today: 어제, last Friday, 3 days ago
    six_digits: bool = False  # bare YYMMDD, the way Koreans give a birth date


class _NotADateError(Exception):
    """Raised by a rule whose pattern matched something that is not a date after all."""


_Rule = Callable[[re.Match[str], date], date | None]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_NAME = (
    r"(?<![A-Za-z])(?P<month_name>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|"
    r"june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
    r"(?![A-Za-z])\.?"
)
_KO_WEEKDAYS = "월화수목금토일"
_EN_WEEKDAYS = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
_EN_WEEKDAY = (
    r"(?P<weekday>monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|"
    r"friday|fri|saturday|sat|sunday|sun)(?![A-Za-z])\.?"
)
_EN_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_KO_DAY_COUNTS = {
    "하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6,
    "이레": 7, "일주일": 7, "열흘": 10, "보름": 15,
}  # fmt: skip
_KO_SMALL_NUMBERS = {"한": 1, "두": 2, "세": 3, "네": 4}
_KO_WEEK_OFFSETS = {
    "지지난주": -2, "지난주": -1, "저번주": -1, "이번주": 0, "금주": 0,
    "다음주": 1, "담주": 1, "다다음주": 2,
}  # fmt: skip
_KO_MONTH_OFFSETS = {
    "지난달": -1, "저번달": -1, "이번달": 0, "이달": 0, "다음달": 1,
}  # fmt: skip

# A leading character-class lookahead lets the regex engine skip quickly to plausible
# starting points, which keeps 20k-character inputs fast.
_DIGIT_FIRST = r"(?=\d)"
# Digits that are part of a longer number, id or date must not start or end a date.
_NUMERIC_BEFORE = r"(?<![\d])(?<!\d[.\-/])"
_NUMERIC_AFTER = r"(?![\d]|[.\-/]\d)"


def _full_year(two_digits: int, today: date) -> int:
    return 1900 + two_digits if two_digits > today.year % 100 else 2000 + two_digits


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _without_year(month: int, day: int, today: date) -> date | None:
    year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    return _make(year, month, day)


def _year_or_default(year_text: str | None, month: int, day: int, today: date) -> date | None:
    if not year_text:
        return _without_year(month, day, today)
    year_text = year_text.lstrip("'")
    year = int(year_text)
    if len(year_text) == 2:
        year = _full_year(year, today)
    return _make(year, month, day)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _weekday_in_week(today: date, weekday: int, week_offset: int) -> date:
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=week_offset, days=weekday)


def _most_recent_weekday(today: date, weekday: int) -> date:
    delta = (today.weekday() - weekday) % 7 or 7
    return today - timedelta(days=delta)


def _en_weekday(name: str) -> int:
    return _EN_WEEKDAYS[name.lower()[:3]]


# --- absolute dates ---------------------------------------------------------------------


def _year_month_day(match: re.Match[str], today: date) -> date | None:
    return _year_or_default(
        match.group("year"), int(match.group("month")), int(match.group("day")), today
    )


def _six_digits(match: re.Match[str], today: date) -> date | None:
    year = _full_year(int(match.group("year")), today)
    return _make(year, int(match.group("month")), int(match.group("day")))


def _month_or_day_first(first: int, second: int) -> tuple[int, int]:
    """(month, day) for two numbers written month-first unless the first can't be a month."""
    if first > 12 >= second:
        return second, first
    return first, second


def _numeric_with_year_last(match: re.Match[str], today: date) -> date | None:
    month, day = _month_or_day_first(int(match.group("first")), int(match.group("second")))
    return _make(int(match.group("year")), month, day)


def _slash_without_year(match: re.Match[str], today: date) -> date | None:
    first, second = int(match.group("first")), int(match.group("second"))
    if first == 0 or second == 0 or min(first, second) > 12 or max(first, second) > 31:
        raise _NotADateError  # 50/50, 0/1: ratios and scores, not dates
    month, day = _month_or_day_first(first, second)
    return _without_year(month, day, today)


def _english_named_month(match: re.Match[str], today: date) -> date | None:
    month = _MONTHS[match.group("month_name").lower()[:3]]
    return _year_or_default(match.group("year"), month, int(match.group("day")), today)


# --- relative dates ---------------------------------------------------------------------


def _days_from_today(days: int) -> _Rule:
    def rule(match: re.Match[str], today: date) -> date | None:
        return today + timedelta(days=days)

    return rule


def _amount_ago(count: int, unit: str, today: date) -> date:
    if unit.startswith(("개월", "달", "month")):
        return _add_months(today, -count)
    if unit.startswith(("주", "week")):
        return today - timedelta(weeks=count)
    return today - timedelta(days=count)


def _ko_digits_ago(match: re.Match[str], today: date) -> date | None:
    return _amount_ago(int(match.group("count")), match.group("unit"), today)


def _ko_words_ago(match: re.Match[str], today: date) -> date | None:
    return today - timedelta(days=_KO_DAY_COUNTS[match.group("count")])


def _ko_small_number_ago(match: re.Match[str], today: date) -> date | None:
    return _amount_ago(_KO_SMALL_NUMBERS[match.group("count")], match.group("unit"), today)


def _en_ago(match: re.Match[str], today: date) -> date | None:
    count_text = match.group("count").lower()
    count = int(count_text) if count_text.isdigit() else _EN_SMALL_NUMBERS[count_text]
    return _amount_ago(count, match.group("unit").lower(), today)


def _ko_weekday_of_week(match: re.Match[str], today: date) -> date | None:
    offset = _KO_WEEK_OFFSETS[re.sub(r"\s", "", match.group("week"))]
    return _weekday_in_week(today, _KO_WEEKDAYS.index(match.group("weekday")), offset)


def _ko_last_weekday(match: re.Match[str], today: date) -> date | None:
    return _most_recent_weekday(today, _KO_WEEKDAYS.index(match.group("weekday")))


def _ko_day_of_month(match: re.Match[str], today: date) -> date | None:
    offset = _KO_MONTH_OFFSETS[re.sub(r"\s", "", match.group("month"))]
    first_of_month = _add_months(today.replace(day=1), offset)
    return _make(first_of_month.year, first_of_month.month, int(match.group("day")))


def _en_weekday_of_week(offset: int) -> _Rule:
    def rule(match: re.Match[str], today: date) -> date | None:
        return _weekday_in_week(today, _en_weekday(match.group("weekday")), offset)

    return rule


def _en_last_weekday(match: re.Match[str], today: date) -> date | None:
    return _most_recent_weekday(today, _en_weekday(match.group("weekday")))


@dataclass(frozen=True)
class _DatePattern:
    regex: re.Pattern[str]
    rule: _Rule
    relative: bool = False
    six_digits: bool = False


def _absolute(pattern: str, rule: _Rule, *, six_digits: bool = False) -> _DatePattern:
    return _DatePattern(re.compile(pattern, re.IGNORECASE), rule, six_digits=six_digits)


def _relative(pattern: str, rule: _Rule) -> _DatePattern:
    return _DatePattern(re.compile(pattern, re.IGNORECASE), rule, relative=True)


def _en_lead(words: str) -> str:
    """The start of an English phrase: not inside a word; a space stands for 1-3 spaces."""
    return r"(?<![A-Za-z])" + words.replace(" ", r"\s{1,3}")


def _en(words: str) -> str:
    """A whole English phrase, bounded by non-letters on both sides."""
    return _en_lead(words) + r"(?![A-Za-z])"


_PATTERNS: tuple[_DatePattern, ...] = (
    # 1985-03-14, 1985.3.14, 1985/3/14, 1985. 3. 14.
    _absolute(
        _DIGIT_FIRST
        + _NUMERIC_BEFORE
        + r"(?P<year>(?:19|20)\d\d)\s?(?P<sep>[-./])\s?(?P<month>\d{1,2})"
        r"\s?(?P=sep)\s?(?P<day>\d{1,2})" + _NUMERIC_AFTER,
        _year_month_day,
    ),
    # 85.03.14, 85-3-14
    _absolute(
        _DIGIT_FIRST
        + _NUMERIC_BEFORE
        + r"(?P<year>\d\d)(?P<sep>[-./])\s?(?P<month>\d{1,2})(?P=sep)\s?"
        r"(?P<day>\d{1,2})" + _NUMERIC_AFTER,
        _year_month_day,
    ),
    # 14/03/1985, 03/14/1985
    _absolute(
        _DIGIT_FIRST
        + _NUMERIC_BEFORE
        + r"(?P<first>\d{1,2})(?P<sep>[-./])(?P<second>\d{1,2})(?P=sep)"
        r"(?P<year>(?:19|20)\d\d)" + _NUMERIC_AFTER,
        _numeric_with_year_last,
    ),
    # 19850314; letters before the digits mean a policy number such as TR20261105
    _absolute(
        _DIGIT_FIRST
        + r"(?<![\dA-Za-z\-])(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?![\d\-])",
        _year_month_day,
    ),
    # 850314; a hyphen after it means a resident registration number, never a date
    _absolute(
        _DIGIT_FIRST
        + r"(?<![\dA-Za-z\-])(?P<year>\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?![\d\-])",
        _six_digits,
        six_digits=True,
    ),
    # 1985년 3월 14일, 85년 3월 14일, 3월 14일
    _absolute(
        _DIGIT_FIRST
        + r"(?:(?<!\d)(?P<year>\d{4}|\d\d)\s{0,2}년\s{0,2})?(?<!\d)(?P<month>\d{1,2})\s{0,2}월"
        r"\s{0,2}(?P<day>\d{1,2})\s{0,2}일",
        _year_month_day,
    ),
    # 11/20 (but not 24/7)
    _absolute(
        _DIGIT_FIRST
        + r"(?!24/7(?!\d))(?<![\d/.\-])(?P<first>\d{1,2})/(?P<second>\d{1,2})(?![\d/]|\.\d)",
        _slash_without_year,
    ),
    # 14 March 1985, 20th of November
    _absolute(
        _DIGIT_FIRST
        + r"(?<![\d.])(?P<day>\d{1,2})(?!\d)(?:st|nd|rd|th)?\s{0,2}(?:of\s{1,2})?"
        + _MONTH_NAME
        # a two-digit year too ("2 nov 72"), but not an hour ("20 November 10am")
        + r"(?:,?\s{0,2}(?P<year>(?:19|20)\d\d|'?\d\d)(?![\d:]|\s{0,2}(?:[ap]\.?m|시|h\b)))?",
        _english_named_month,
    ),
    # March 14, 1985 / Mar 14 2026 / november 3rd
    _absolute(
        r"(?=[adfjmnosADFJMNOS])" + _MONTH_NAME + r"\s{0,2}(?P<day>\d{1,2})(?!\d)(?:st|nd|rd|th)?"
        r"(?:,?\s{0,2}(?P<year>(?:19|20)\d\d)(?!\d))?",
        _english_named_month,
    ),
    _relative(r"오늘|(?<![가-힣])금일", _days_from_today(0)),
    _relative(r"어젯\s?밤|어젯\s?저녁|지난\s?밤|간밤|어제", _days_from_today(-1)),
    _relative(r"엊그저께|엊그제|그저께|그제(?!서야|야)", _days_from_today(-2)),
    _relative(r"(?<![가-힣])내일", _days_from_today(1)),
    _relative(r"(?<!내일\s)(?<!내일)모레", _days_from_today(2)),
    _relative(
        _DIGIT_FIRST + r"(?<!\d)(?P<count>\d{1,3})\s?(?P<unit>주일|주|일|개월|달)\s?전",
        _ko_digits_ago,
    ),
    _relative(r"(?P<count>" + "|".join(_KO_DAY_COUNTS) + r")\s?전", _ko_words_ago),
    _relative(
        r"(?<![가-힣])(?P<count>한|두|세|네)\s?(?P<unit>주일|주|개월|달)\s?전", _ko_small_number_ago
    ),
    _relative(
        r"(?P<week>지지난\s?주|지난\s?주|저번\s?주|이번\s?주|금주|다다음\s?주|다음\s?주|담주)"
        r"\s{0,2}(?P<weekday>[월화수목금토일])(?:요일|욜)",
        _ko_weekday_of_week,
    ),
    _relative(r"(?:지난|저번)\s{1,2}(?P<weekday>[월화수목금토일])(?:요일|욜)", _ko_last_weekday),
    _relative(
        r"(?P<month>지난\s?달|저번\s?달|이번\s?달|이달|다음\s?달)\s{0,2}(?P<day>\d{1,2})\s?일",
        _ko_day_of_month,
    ),
    _relative(_en(r"(?:today|tonight|this (?:morning|afternoon|evening))"), _days_from_today(0)),
    _relative(_en(r"(?:the )?day before yesterday"), _days_from_today(-2)),
    _relative(_en(r"(?:yesterday|last night)"), _days_from_today(-1)),
    _relative(_en(r"tomorrow"), _days_from_today(1)),
    _relative(
        r"(?=[\dAaOoTtFfSsEeNn])"
        + _en(
            r"(?P<count>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten) "
            r"(?P<unit>days?|weeks?|months?) (?:ago|back)"
        ),
        _en_ago,
    ),
    _relative(r"(?=[Ll])" + _en_lead(r"last week (?:on )?") + _EN_WEEKDAY, _en_weekday_of_week(-1)),
    _relative(
        r"(?=[FfMmOoSsTtWw])"
        + _en_lead(r"(?:on )?")
        + _EN_WEEKDAY
        + r"\s{1,3}(?:of\s{1,3})?last\s{1,3}week(?![A-Za-z])",
        _en_weekday_of_week(-1),
    ),
    _relative(
        r"(?=[LlTtPp])" + _en_lead(r"(?:last|this past|past) ") + _EN_WEEKDAY, _en_last_weekday
    ),
    _relative(r"(?=[Tt])" + _en_lead(r"this ") + _EN_WEEKDAY, _en_weekday_of_week(0)),
    _relative(r"(?=[Nn])" + _en_lead(r"next ") + _EN_WEEKDAY, _en_weekday_of_week(1)),
)


def find_dates(text: str, today: date) -> list[DateMatch]:
    """Every date mention, non-overlapping (the longest wins), sorted by position.

    Mentions of dates that do not exist are included with ``value=None``.
    """
    candidates = []
    for pattern in _PATTERNS:
        for match in pattern.regex.finditer(text):
            try:
                value = pattern.rule(match, today)
            except _NotADateError:
                continue
            candidates.append(
                DateMatch(
                    match.start(),
                    match.end(),
                    value,
                    relative=pattern.relative,
                    six_digits=pattern.six_digits,
                )
            )
    return select_non_overlapping(candidates, longest_first)


def parse_date(text: str, today: date) -> DateResult:
    """The first existing date in ``text``; else "impossible" if one was named, else "unparsed"."""
    matches = find_dates(text, today)
    for match in matches:
        if match.value is not None:
            return DateResult(match.value, None)
    if matches:
        return DateResult(None, IMPOSSIBLE)
    return DateResult(None, UNPARSED)


_BARE_WEEKDAY = re.compile(
    r"(?<![가-힣])(?P<ko>[월화수목금토일])(?:요일|욜)|"
    r"\b(?P<en>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)


def past_weekday(text: str, today: date) -> date | None:
    """A weekday named alone ("화요일이었어요", "it was Tuesday") read as a past day: today
    when it is today's name, else the most recent one.

    Not part of `find_dates`: out of context "Tuesday" may be next Tuesday, but the day
    something already happened is in the past.
    """
    match = _BARE_WEEKDAY.search(text)
    if match is None:
        return None
    weekday = (
        _KO_WEEKDAYS.index(match["ko"]) if match["ko"] else _en_weekday(match["en"])
    )
    return today if today.weekday() == weekday else _most_recent_weekday(today, weekday)
