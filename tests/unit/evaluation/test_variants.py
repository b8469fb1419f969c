"""The no-space and typo variant builders."""

from __future__ import annotations

import pytest

from evaluation.variants import (
    FINALS,
    INITIALS,
    VOWELS,
    compose,
    decompose,
    is_syllable,
    remove_spaces,
    to_jamo,
    typo_variant,
)

KOREAN = [
    "보험금 청구한 거 어떻게 됐어요?",
    "어제 접촉사고가 났어요 접수하고 싶어요",
    "AU20250001 차량 사고 접수합니다",
    "실비 청구할게요",
    "가",
    "ㅋㅋ 콜센터 몇 시까지 해요",
]


def test_compose_and_decompose_round_trip_every_syllable() -> None:
    for code in range(0xAC00, 0xD7A4):
        char = chr(code)
        assert compose(*decompose(char)) == char
    assert decompose("한") == (INITIALS.index("ㅎ"), VOWELS.index("ㅏ"), FINALS.index("ㄴ"))
    assert to_jamo("한글 ok") == "ㅎㅏㄴㄱㅡㄹ ok"


def test_compose_rejects_impossible_syllables() -> None:
    with pytest.raises(ValueError):
        compose(19, 0, 0)
    with pytest.raises(ValueError):
        decompose("A")


def test_remove_spaces() -> None:
    assert remove_spaces("자동차 보험  접수하고\t싶어요 ") == "자동차보험접수하고싶어요"
    assert remove_spaces("붙여쓴문장") == "붙여쓴문장"


@pytest.mark.parametrize("text", KOREAN)
def test_korean_typo_is_exactly_one_jamo_edit_in_one_syllable(text: str) -> None:
    variant = typo_variant(text, seed=7)
    assert variant != text
    assert len(variant) == len(text)
    changed = [i for i, (a, b) in enumerate(zip(text, variant, strict=True)) if a != b]
    assert len(changed) == 1
    before, after = text[changed[0]], variant[changed[0]]
    assert is_syllable(before) and is_syllable(after)  # valid recomposed Hangul
    slots = [x != y for x, y in zip(decompose(before), decompose(after), strict=True)]
    assert sum(slots) == 1


def test_typo_is_deterministic_for_a_seed_and_varies_with_it() -> None:
    assert [typo_variant(t, seed=3) for t in KOREAN] == [typo_variant(t, seed=3) for t in KOREAN]
    many = {typo_variant("보험금 청구한 거 어떻게 됐어요?", seed=s) for s in range(20)}
    assert len(many) > 5


def test_english_typo_is_one_letter_replaced() -> None:
    text = "what is the status of my claim?"
    variant = typo_variant(text, seed=1)
    assert variant == typo_variant(text, seed=1)
    diffs = [(a, b) for a, b in zip(text, variant, strict=True) if a != b]
    assert len(variant) == len(text) and len(diffs) == 1
    assert diffs[0][0].isalpha() and diffs[0][1].isalpha()


def test_nothing_to_edit_leaves_the_text() -> None:
    assert typo_variant("2026-11-25 123", seed=1) == "2026-11-25 123"
