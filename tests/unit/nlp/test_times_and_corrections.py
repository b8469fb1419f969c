"""Times of day and corrections, as customers type them."""

from __future__ import annotations

import pytest

from bot.nlp.corrections import read_correction
from bot.nlp.times import find_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("오늘 아침 8시 반쯤 회사 지하주차장 들어가다가", "08:30"),
        ("어제 저녁 7시쯤 강남역 사거리에서", "19:00"),
        ("밤 11시 20분에 배관이 터졌어요", "23:20"),
        ("새벽 2시에 불이 났어요", "02:00"),
        ("오후 세 시쯤이요", "15:00"),
        ("14:45에 출발 예정이던 비행기", "14:45"),
        ("around 7:30pm last night", "19:30"),
        ("at 9am on the motorway", "09:00"),
        ("어제 저녁이었어요", "evening"),
        ("it happened this morning", "morning"),
        ("어젯밤에 윗집에서 물이 샜어요", "night"),
    ],
)
def test_times_are_read(text: str, expected: str) -> None:
    found = find_time(text)
    assert found is not None and found.value == expected


@pytest.mark.parametrize(
    "text", ["AU20250001이요", "네 맞아요", "2026-11-24", "my policy number is AU20250001"]
)
def test_no_time_where_none_is_said(text: str) -> None:
    assert find_time(text) is None


@pytest.mark.parametrize(
    ("text", "new_text", "slot", "shift"),
    [
        ("아 오늘 아침 아니고 어제 저녁이었어요", "어제 저녁이었어요", None, None),
        ("장소는 시청역 말고 을지로입구역이에요", "을지로입구역이에요", "incident_place", None),
        ("아 잠깐, 하루 전이었네요", "아 잠깐, 하루 전이었네요", None, -1),
        ("sorry, it was Tuesday not Monday", "sorry, it was Tuesday", None, None),
        ("it wasn't monday, it was tuesday", "it was tuesday", None, None),
        ("not at the hotel but at the airport", "at the airport", None, None),
        ("날짜가 틀렸어요 23일이에요", "날짜가 틀렸어요 23일이에요", "incident_date", None),
        ("actually it was the day before", "actually it was the day before", None, -1),
    ],
)
def test_corrections_are_read(
    text: str, new_text: str, slot: str | None, shift: int | None
) -> None:
    correction = read_correction(text)
    assert correction.is_correction
    assert correction.new_text == new_text
    assert correction.day_shift == shift
    if slot:
        assert correction.slot == slot


@pytest.mark.parametrize(
    "text", ["AU20250001이요", "네 맞아요", "어제 저녁 7시쯤이요", "yes please"]
)
def test_plain_answers_are_not_corrections(text: str) -> None:
    assert not read_correction(text).is_correction
