"""Noisy training copies: no spaces, one edit, reproducible."""

from __future__ import annotations

import random
import unicodedata

import pytest

from bot.nlp.augment import noisy_variants, one_edit, without_spaces


def jamo(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def test_korean_gets_a_squeezed_copy_and_a_one_letter_edit() -> None:
    text = "보험금 청구한 거 어떻게 됐어요?"
    squeezed, edited = noisy_variants(text, seed=1)
    assert squeezed == "보험금청구한거어떻게됐어요?"
    assert len(edited) == len(text)
    changed = [i for i, (a, b) in enumerate(zip(text, edited, strict=True)) if a != b]
    assert len(changed) == 1
    # One Hangul letter of that syllable differs (a final may be added or dropped).
    assert edit_distance(jamo(text[changed[0]]), jamo(edited[changed[0]])) == 1


@pytest.mark.parametrize("seed", range(20))
def test_english_gets_exactly_one_letter_edit_in_a_longer_word(seed: int) -> None:
    text = "how do I cancel my policy"
    (edited,) = noisy_variants(text, seed)
    assert edit_distance(text, edited) in (1, 2)  # a swap of two letters counts as two
    assert edited.split()[2] == "I"  # one- and two-letter words are left alone


def test_copies_are_reproducible_and_differ_by_seed() -> None:
    text = "자동차 사고 접수하고 싶어요"
    assert noisy_variants(text, 3) == noisy_variants(text, 3)
    assert len({tuple(noisy_variants(text, seed)) for seed in range(10)}) > 1


@pytest.mark.parametrize("text", ["AU20250001", "HE20230042 12", "", "ok", "12 34"])
def test_text_without_anything_to_edit_gives_no_copies(text: str) -> None:
    assert noisy_variants(text) == []


def test_helpers() -> None:
    assert without_spaces(" 보험 료\t납부 ") == "보험료납부"
    assert one_edit("ok", random.Random(0)) == "ok"
