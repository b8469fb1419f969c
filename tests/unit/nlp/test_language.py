from __future__ import annotations

import pytest

from bot.nlp.language import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "안녕하세요",
        "어제 접촉사고가 났어요 접수하고 싶어요",
        "ㅇㅇ",
        "ㅠㅠ",
        "ㅋㅋㅋ",
        "AU20250001 이에요",
        "증권번호AU20231234요",
        "CLM-2026-000123 어떻게 됐어요?",
        "MRI 찍었는데 실비 되나요",
        "경부고속도로 서울방향 판교IC 근처",
        "hi 안녕",
        "1985년 3월 14일",
        "50만원",
    ],
)
def test_any_hangul_is_korean(text: str) -> None:
    assert detect_language(text) == "ko"
    assert detect_language(text, previous="en") == "ko"


@pytest.mark.parametrize(
    "text",
    [
        "hi there",
        "bye",
        "ok",
        "yes, correct",
        "what's the status of claim CLM-2026-000123?",
        "my policy number is HE20230042",
        "policy no. AU20231188",
        "CLM-2026-000123 please",
        "14 March 1985",
        "$300 dollars",
        "Café au lait",
        "'; DROP TABLE claims;--",
        "<script>alert(1)</script>",
    ],
)
def test_latin_words_are_english(text: str) -> None:
    assert detect_language(text) == "en"
    assert detect_language(text, previous="ko") == "en"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "AU20250001",
        "au20250001",
        "au 2025-0001",
        "HO20240077!",
        "CLM-2026-000123",
        "clm2026000123",
        "CMP-2026-000045",
        "CHG-2026-000007",
        "AU20250001 CLM-2026-000123",
        "1985-03-14",
        "850314",
        "11/20",
        "010-2345-6789",
        "1,200,000",
        "$300",
        "€50",
        "😀👍",
        "?!",
        "3pm",
        "2nd",
    ],
)
def test_text_without_words_keeps_the_previous_language(text: str) -> None:
    assert detect_language(text) == "ko"
    assert detect_language(text, previous="en") == "en"
    assert detect_language(text, previous="ko") == "ko"
