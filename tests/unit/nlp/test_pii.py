from __future__ import annotations

from collections import namedtuple

import pytest

from bot.nlp.pii import PiiSpan, find_pii, mask_in, mask_pii


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # phones: first group and last four digits
        ("010-2345-6789", "010-****-6789"),
        ("01023456789", "010-****-6789"),
        ("010 2345 6789", "010-****-6789"),
        ("010.2345.6789", "010-****-6789"),
        ("+82 10-2345-6789", "010-****-6789"),
        ("+821023456789", "010-****-6789"),
        ("02-123-4567", "02-****-4567"),
        ("031-1234-5678", "031-****-5678"),
        ("010-9876-5432요", "010-****-5432요"),
        ("제 번호는 010-2345-6789 입니다", "제 번호는 010-****-6789 입니다"),
        # resident registration numbers: the birth-date half stays
        ("850314-2345678", "850314-*******"),
        ("8503142345678", "850314-*******"),
        ("850314 - 2345678", "850314-*******"),
        ("주민번호 850314-2345678 이에요", "주민번호 850314-******* 이에요"),
        ("020101-3456789", "020101-*******"),
        # card numbers: last four digits
        ("1234-5678-9012-3456", "****-****-****-3456"),  # 4-4-4-4 form, Luhn not needed
        ("1234 5678 9012 3456", "****-****-****-3456"),
        ("4111111111111111", "****-****-****-1111"),  # Luhn-valid
        ("4111-1111-1111-1111", "****-****-****-1111"),
        ("3782 822463 10005", "****-****-****-0005"),  # Amex 4-6-5, Luhn-valid
        ("카드 4111 1111 1111 1111 로 결제", "카드 ****-****-****-1111 로 결제"),
        # e-mail: first letter and domain
        ("kim.bodam@example.com", "k***@example.com"),
        ("kim.bodam@example.com 이요", "k***@example.com 이요"),
        ("메일은 Emily.Carter+ins@mail.co.kr 입니다", "메일은 E***@mail.co.kr 입니다"),
        ("01023456789@naver.com", "0***@naver.com"),  # the whole address, not a phone
        # several at once
        (
            "연락처 010-2345-6789, 이메일 kim@naver.com, 주민번호 8503142345678",
            "연락처 010-****-6789, 이메일 k***@naver.com, 주민번호 850314-*******",
        ),
    ],
)
def test_mask_pii(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
    assert mask_pii(masked) == masked  # idempotent


@pytest.mark.parametrize(
    "text",
    [
        "AU20250001",
        "증권번호 HE20230042 입니다",
        "CLM-2026-000123",
        "CMP-2026-000045 CHG-2026-000007",
        "1985-03-14",
        "19850314",
        "850314",
        "1985년 3월 14일",
        "1,200,000원",
        "1200000원",
        "50만원",
        "$1,500",
        "1588-1234",  # a business's service number
        "2026-11-25 10:30",
        "1234567812345678",  # 16 digits, Luhn-invalid, no groups
        "1234-5678",
        "991332-1234567",  # month 13: not a registration number
        "not-an-email@",
        "@handle",
        "'; DROP TABLE claims;--",
        "<script>alert(1)</script>",
        "",
    ],
)
def test_not_personal_data(text: str) -> None:
    assert find_pii(text) == []
    assert mask_pii(text) == text


def test_find_pii_reports_kinds_and_offsets() -> None:
    text = "전화 010-2345-6789 / 850314-2345678 / 4111111111111111 / a@b.co"
    assert find_pii(text) == [
        PiiSpan("phone", 3, 16),
        PiiSpan("rrn", 19, 33),
        PiiSpan("card", 36, 52),
        PiiSpan("email", 55, 61),
    ]


def test_masked_text_contains_no_digits_of_the_hidden_parts() -> None:
    masked = mask_pii("010-2345-6789 850314-2345678 4111 1111 1111 1234")
    for hidden in ("2345", "2345678", "4111 1111 1111"):
        assert hidden not in masked


def test_mask_in_masks_nested_structures() -> None:
    events = [
        {
            "event": "user",
            "text": "제 번호는 010-2345-6789 이에요",
            "parse_data": {
                "entities": [{"entity": "phone", "value": "010-2345-6789", "start": 6}],
                "intent": {"name": "inform", "confidence": 0.98},
            },
            "metadata": ("kim@example.com", 850314, None, True),
        },
        {"event": "slot", "name": "rrn", "value": "850314-2345678"},
    ]
    assert mask_in(events) == [
        {
            "event": "user",
            "text": "제 번호는 010-****-6789 이에요",
            "parse_data": {
                "entities": [{"entity": "phone", "value": "010-****-6789", "start": 6}],
                "intent": {"name": "inform", "confidence": 0.98},
            },
            "metadata": ("k***@example.com", 850314, None, True),
        },
        {"event": "slot", "name": "rrn", "value": "850314-*******"},
    ]


def test_mask_in_returns_a_new_object_and_leaves_the_input_alone() -> None:
    original = {"text": "010-2345-6789", "items": ["a@b.co"]}
    masked = mask_in(original)
    assert masked is not original
    assert masked["items"] is not original["items"]
    assert original == {"text": "010-2345-6789", "items": ["a@b.co"]}


def test_mask_in_keeps_container_types_and_masks_keys() -> None:
    Pair = namedtuple("Pair", "left right")
    value = {
        "010-2345-6789": {"a@b.co"},
        "pair": Pair("850314-2345678", 3),
        "frozen": frozenset({"02-123-4567"}),
    }
    assert mask_in(value) == {
        "010-****-6789": {"a***@b.co"},
        "pair": Pair("850314-*******", 3),
        "frozen": frozenset({"02-****-4567"}),
    }
    assert isinstance(mask_in(value)["pair"], Pair)


@pytest.mark.parametrize("value", [None, 3, 2.5, True, b"010-2345-6789", "", "plain text"])
def test_mask_in_leaves_other_values(value: object) -> None:
    assert mask_in(value) == value


def test_mask_pii_is_linear_on_long_input() -> None:
    text = ("연락처 010-2345-6789 이메일 kim@naver.com 금액 1,200,000원 " * 400)[:20_000]
    masked = mask_pii(text)
    assert "2345" not in masked
    for pathological in ("a" * 20_000, "1" * 20_000, "a." * 10_000, "@" * 20_000, "1-" * 10_000):
        mask_pii(pathological)
