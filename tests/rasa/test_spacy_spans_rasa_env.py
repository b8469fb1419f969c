"""bot.nlp.spacy_spans inside the Rasa environment: the spaCy pinned there, beside Rasa,
pydantic 1 and numpy 1, gives the same spans as in the app environment."""

from __future__ import annotations

from pathlib import Path

import numpy
import pydantic
import pytest
import rasa
import spacy

from bot.nlp.spacy_spans import ITEM, PERSON, PLACE, RELATIONSHIP, Person, find_person, find_spans

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements" / "rasa.txt"


def pinned(name: str) -> str:
    for line in REQUIREMENTS.read_text().splitlines():
        package, _, version = line.partition("==")
        if package.strip().lower() == name:
            return version.strip()
    raise AssertionError(f"{name} is not pinned in {REQUIREMENTS.name}")


def test_spacy_is_the_pinned_one_next_to_rasa() -> None:
    assert rasa.__version__ == pinned("rasa")
    assert spacy.__version__ == pinned("spacy")
    assert pydantic.VERSION.startswith("1.")
    assert numpy.__version__ == pinned("numpy")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "오늘 아침 8시 반쯤 회사 지하주차장 들어가다가 기둥에 박았어요 앞범퍼 깨졌어요",
            "ko",
            [(PLACE, "회사 지하주차장"), (ITEM, "앞범퍼")],
        ),
        (
            "장소는 시청역 말고 을지로입구역이에요",
            "ko",
            [(PLACE, "시청역"), (PLACE, "을지로입구역")],
        ),
        (
            "수익자를 아내 박지은으로 바꿔 주세요",
            "ko",
            [(RELATIONSHIP, "spouse"), (PERSON, "박지은")],
        ),
        (
            "I reversed into a cyclist in the car park on King Street",
            "en",
            [(PLACE, "car park on King Street")],
        ),
        ("my daughter Grace Lee", "en", [(RELATIONSHIP, "child"), (PERSON, "Grace Lee")]),
        ("네 맞아요", "ko", []),
        ("yes that's right", "en", []),
    ],
)
def test_same_spans_as_in_the_app_environment(
    text: str, language: str, expected: list[tuple[str, str]]
) -> None:
    assert [(span.label, span.value) for span in find_spans(text, language)] == expected


def test_person_with_relationship() -> None:
    assert find_person("수익자를 아내 박지은으로 바꿔 주세요", "ko") == Person("박지은", "spouse")
    assert find_person("my daughter Grace Lee", "en") == Person("Grace Lee", "child")
