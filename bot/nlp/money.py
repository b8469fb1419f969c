"""Money amounts in Korean and English: 50만원, 1억 2천만원, 오십만원, $300, 10,000 won.

A number only counts as money next to a currency marker (원, 달러, $, won, KRW ...), so that
bare numbers (ages, counts, plate numbers) are not mistaken for amounts. The one exception
is a figure ending in 만 or 억 followed by nothing but a particle or punctuation (1억으로요,
50만 정도): in customer-service Korean those are always won.

Amounts are whole units of the currency; decimals are rounded half up ($12.50 -> 13).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bot.nlp.spans import longest_first, select_non_overlapping


@dataclass(frozen=True)
class Money:
    amount: int
    currency: str  # ISO 4217: KRW, USD, EUR, JPY, GBP

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@dataclass(frozen=True)
class AmountMatch:
    start: int
    end: int
    money: Money


_CURRENCY_BY_MARKER = {
    "원": "KRW", "won": "KRW", "krw": "KRW", "₩": "KRW",
    "달러": "USD", "dollar": "USD", "dollars": "USD", "usd": "USD", "bucks": "USD",
    "$": "USD", "us$": "USD",
    "유로": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR", "€": "EUR",
    "엔": "JPY", "엔화": "JPY", "yen": "JPY", "jpy": "JPY", "¥": "JPY",
    "파운드": "GBP", "pound": "GBP", "pounds": "GBP", "gbp": "GBP", "£": "GBP",
}  # fmt: skip
_ENGLISH_MULTIPLIERS = {"k": 1_000, "thousand": 1_000, "million": 1_000_000, "billion": 10**9}
_HANGUL_DIGITS = {c: i for i, c in enumerate("일이삼사오육칠팔구", start=1)}
_SMALL_UNITS = {"십": 10, "백": 100, "천": 1_000}
_LARGE_UNITS = {"만": 10_000, "억": 100_000_000}
# 조 (10^12) is left out: 조원 means "team member" far more often than a trillion won.

_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SUFFIX_MARKER = re.compile(
    r"(?P<marker>원|달러|유로|파운드|엔화|엔(?![가-힣])|엔(?=[이을은에으도만]))"
    r"|(?<![A-Za-z])(?P<word>won|krw|dollars?|usd|bucks|euros?|eur|yen|jpy|pounds?|gbp)"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)
_PREFIX_AMOUNT = re.compile(
    r"(?P<marker>US\$|\$|€|£|¥|₩|(?<![A-Za-z])(?:USD|EUR|KRW|JPY|GBP)(?![A-Za-z]))"
    r"\s?(?P<number>" + _ARABIC + r")(?!\d)"
    r"(?:\s?(?P<multiplier>k|thousand|million|billion)(?![A-Za-z])"
    r"|(?P<korean_unit>만|억))?",
    re.IGNORECASE,
)
_ENGLISH_MULTIPLIER_BEFORE = re.compile(
    r"(?<=\d)\s?(?P<multiplier>k|thousand|million|billion)\s?\Z", re.IGNORECASE
)
# 만/억 closing a figure with no currency after it, followed only by a particle or the end.
_IMPLICIT_WON = re.compile(
    r"(?<=[\d십백천])[만억](?=\s?(?:$|[.,!?~)]|으로|에서|부터|까지|에|이요|요|정도|쯤|이상|이하|가량|짜리|이에요|입니다))"
)
_NUMBER_CHARS = frozenset("0123456789,." + "일이삼사오육칠팔구" + "십백천" + "만억")
_TOKEN = re.compile(
    r"(?P<space>\s)|(?P<arabic>" + _ARABIC + r")|(?P<digit>[일이삼사오육칠팔구])"
    r"|(?P<small>[십백천])|(?P<large>[만억])"
)
_MAX_FIGURE_CHARS = 40


def _parse_korean_figure(figure: str) -> Decimal | None:
    """Value of a figure such as "1억 2천만", "3백만", "오십만", "1,200,000"; None if malformed."""
    tokens = []
    position = 0
    while position < len(figure):
        match = _TOKEN.match(figure, position)
        if match is None:
            return None
        tokens.append((match.lastgroup, match.group()))
        position = match.end()
    if not tokens or tokens[0][0] == "space" or tokens[-1][0] == "space":
        return None
    kinds = [kind for kind, _ in tokens if kind != "space"]
    if "arabic" not in kinds and "small" not in kinds and "large" not in kinds:
        return None  # 일, 이, 오 ... alone are ordinary words

    total = Decimal(0)
    section = Decimal(0)
    pending: Decimal | None = None
    last_small = 10**9
    last_large = 10**13
    previous = None
    for kind, text in tokens:
        if kind == "space":
            if previous == "digit":
                return None  # "이 백만원" is "this million won", not two million
            previous = kind
            continue
        if kind in ("arabic", "digit"):
            if pending is not None:
                return None  # two numbers in a row
            pending = (
                Decimal(text.replace(",", ""))
                if kind == "arabic"
                else Decimal(_HANGUL_DIGITS[text])
            )
        elif kind == "small":
            unit = _SMALL_UNITS[text]
            if unit >= last_small:
                return None
            section += (pending if pending is not None else 1) * unit
            pending, last_small = None, unit
        else:
            unit = _LARGE_UNITS[text]
            if unit >= last_large:
                return None
            section += pending if pending is not None else 0
            total += (section or 1) * unit
            section, pending, last_small, last_large = Decimal(0), None, 10**9, unit
        previous = kind
    return total + section + (pending or 0)


def _figure_before(text: str, end: int) -> tuple[int, Decimal] | None:
    """The longest well-formed figure ending at ``end``: (start, value)."""
    run_start = end
    while (
        run_start > 0
        and end - run_start < _MAX_FIGURE_CHARS
        and (
            text[run_start - 1] in _NUMBER_CHARS
            or (text[run_start - 1] == " " and run_start - 2 >= 0 and text[run_start - 2] != " ")
        )
    ):
        run_start -= 1
    for start in range(run_start, end):
        char = text[start]
        previous = text[start - 1] if start > 0 else " "
        if char in " ,." or previous in "-,." or (previous.isascii() and previous.isalpha()):
            continue
        if previous.isdigit():
            continue  # inside a number, or a unit glued to one (the 백 of 3백만)
        value = _parse_korean_figure(text[start:end])
        if value is not None:
            return start, value
    return None


def _whole_units(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _suffix_amounts(text: str) -> list[AmountMatch]:
    found = []
    for marker in _SUFFIX_MARKER.finditer(text):
        marker_text = (marker.group("marker") or marker.group("word")).lower()
        figure_end = marker.start()
        if figure_end > 0 and text[figure_end - 1] == " ":
            figure_end -= 1
        multiplier = 1
        if marker.group("word") or marker_text in ("달러", "유로", "파운드"):
            window_start = max(0, figure_end - 12)
            before = _ENGLISH_MULTIPLIER_BEFORE.search(text, window_start, figure_end)
            if before is not None:
                multiplier = _ENGLISH_MULTIPLIERS[before.group("multiplier").lower()]
                figure_end = before.start()
        figure = _figure_before(text, figure_end)
        if figure is None:
            continue
        start, value = figure
        money = Money(_whole_units(value * multiplier), _CURRENCY_BY_MARKER[marker_text])
        found.append(AmountMatch(start, marker.end(), money))
    return found


def _prefix_amounts(text: str) -> list[AmountMatch]:
    found = []
    for match in _PREFIX_AMOUNT.finditer(text):
        value = Decimal(match.group("number").replace(",", ""))
        if match.group("multiplier"):
            value *= _ENGLISH_MULTIPLIERS[match.group("multiplier").lower()]
        elif match.group("korean_unit"):
            value *= _LARGE_UNITS[match.group("korean_unit")]
        currency = _CURRENCY_BY_MARKER[match.group("marker").lower()]
        found.append(AmountMatch(match.start(), match.end(), Money(_whole_units(value), currency)))
    return found


def _implicit_won_amounts(text: str) -> list[AmountMatch]:
    found = []
    for unit in _IMPLICIT_WON.finditer(text):
        figure = _figure_before(text, unit.end())
        if figure is None:
            continue
        start, value = figure
        if not any(char.isdigit() for char in text[start : unit.end()]):
            continue  # 오천만 without 원 is too often part of an ordinary word
        found.append(AmountMatch(start, unit.end(), Money(_whole_units(value), "KRW")))
    return found


def find_amounts(text: str) -> list[AmountMatch]:
    """Every money amount, non-overlapping (the longest wins), sorted by position."""
    candidates = _suffix_amounts(text) + _prefix_amounts(text) + _implicit_won_amounts(text)
    return select_non_overlapping(candidates, longest_first)


def parse_amount(text: str) -> Money | None:
    """The first money amount in ``text``."""
    amounts = find_amounts(text)
    return amounts[0].money if amounts else None
