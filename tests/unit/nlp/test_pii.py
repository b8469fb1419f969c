from __future__ import annotations

import json
from collections import namedtuple

import pytest

from bot.nlp.pii import (
    PiiSpan,
    find_pii,
    mask_in,
    mask_pii,
    normalise,
    pii_replacements,
    replace_spans,
)


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


# --- written in other characters: spaces, dashes, dots and digits of every kind -----------

NBSP, THIN, NARROW_NBSP, IDEOGRAPHIC, ZWSP = "\u00a0", "\u2009", "\u202f", "\u3000", "\u200b"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # spaces
        ("010 1234 5678", "010-****-5678"),
        (f"010{NBSP}2345{NBSP}6789", "010-****-6789"),
        (f"010{THIN}2345{THIN}6789", "010-****-6789"),
        (f"010{NARROW_NBSP}2345{NARROW_NBSP}6789", "010-****-6789"),
        (f"010{IDEOGRAPHIC}2345{IDEOGRAPHIC}6789", "010-****-6789"),
        ("010\u20072345\u20076789", "010-****-6789"),  # figure space
        ("010\t2345\t6789", "010-****-6789"),
        (f"010{ZWSP}2345{ZWSP}6789", "010-****-6789"),  # zero-width space
        ("010\u00ad2345\u00ad6789", "010-****-6789"),  # soft hyphen
        # dashes
        *[
            (f"010{dash}2345{dash}6789", "010-****-6789")
            for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d\u30fc"
        ],
        # dots
        ("010.1234.5678", "010-****-5678"),
        ("010·2345·6789", "010-****-6789"),
        ("010\uff0e2345\uff0e6789", "010-****-6789"),  # full-width full stop
        # full-width digits and signs
        ("０１０－２３４５－６７８９", "010-****-6789"),
        ("０１０２３４５６７８９", "010-****-6789"),
        ("＋８２　１０　２３４５　６７８９", "010-****-6789"),
        ("０1０-２3４5-６7８9", "010-****-6789"),  # mixed widths
        ("٠١٠-٢٣٤٥-٦٧٨٩", "010-****-6789"),  # Arabic-Indic digits
        # +82 and landlines
        ("+82 10-1234-5678", "010-****-5678"),
        ("+82 10 2345 6789", "010-****-6789"),
        ("+82 (0)10-2345-6789", "010-****-6789"),
        ("+82\u201310\u20132345\u20136789", "010-****-6789"),
        ("02-123-4567", "02-****-4567"),
        ("02 123 4567", "02-****-4567"),
        ("(02) 123-4567", "02-****-4567"),
        ("070 1234 5678", "070-****-5678"),
        ("+1 415-555-2671", "+1-****-2671"),  # abroad: the country code stays
        # registration numbers: hyphen, space, dot, nothing, other dashes, full width
        ("850314.2345678", "850314-*******"),
        ("850314 2345678", "850314-*******"),
        ("850314 . 2345678", "850314-*******"),
        ("850314\u20132345678", "850314-*******"),
        (f"850314{NBSP}-{NBSP}2345678", "850314-*******"),
        ("８５０３１４－２３４５６７８", "850314-*******"),
        ("８５０３１４２３４５６７８", "850314-*******"),
        # cards and e-mails
        ("4111.1111.1111.1111", "****-****-****-1111"),
        ("４１１１ １１１１ １１１１ １１１１", "****-****-****-1111"),
        ("ｋｉｍ＠ｅｘａｍｐｌｅ．ｃｏｍ", "k***@example.com"),
        ("kim\uff20example.com", "k***@example.com"),
    ],
)
def test_mask_pii_reads_normalised_text(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
    assert mask_pii(masked) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # only the number changes; full-width punctuation and spacing around it stay
        ("전화：０１０ ２３４５ ６７８９입니다！", "전화：010-****-6789입니다！"),
        (
            f"연락처{IDEOGRAPHIC}010{NBSP}2345{NBSP}6789{IDEOGRAPHIC}로 주세요～",
            f"연락처{IDEOGRAPHIC}010-****-6789{IDEOGRAPHIC}로 주세요～",
        ),
        ("«850314.2345678»  ＯＫ", "«850314-*******»  ＯＫ"),
        ("Ｅ메일：ｋｉｍ＠ｅｘａｍｐｌｅ．ｃｏｍ　감사", "Ｅ메일：k***@example.com　감사"),
        ("㈜보담 ①번 010—2345—6789 ㎖", "㈜보담 ①번 010-****-6789 ㎖"),
    ],
)
def test_text_around_a_match_is_left_as_written(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "ＡＵ２０２５０００１　ＯＫ",  # a policy number, full width
        "１，２００，０００원",
        "２０２６－１１－２５",
        "1588\u20131234",  # a business's service number with an en dash
        "080-123-4567",  # toll free
        "15881234",
        "0102345678901",  # too many digits for a phone
        "010-2345-67890",
        "가나다\u00a0라마\u3000바사",
    ],
)
def test_normalised_text_without_personal_data_is_returned_unchanged(text: str) -> None:
    assert find_pii(text) == []
    assert mask_pii(text) is text


def test_offsets_point_into_the_original_text() -> None:
    text = f"전화{NBSP}０１０{NBSP}２３４５{NBSP}６７８９{ZWSP}, 주민 ８５０３１４．２３４５６７８"
    spans = find_pii(text)
    assert [(s.kind, text[s.start : s.end]) for s in spans] == [
        ("phone", "０１０\u00a0２３４５\u00a0６７８９"),
        ("rrn", "８５０３１４．２３４５６７８"),
    ]


def test_normalise_maps_every_character_back() -> None:
    norm = normalise(f"a{NBSP}㎖{ZWSP}－１")
    assert norm.text == "a ml-1"
    assert norm.original_span(2, 4) == (2, 3)  # "ml" comes from "㎖"
    assert norm.original_span(4, 6) == (4, 6)  # the zero-width space was dropped
    assert normalise("plain 010-2345-6789 한글").starts is None


def test_registration_numbers_can_be_hidden_whole() -> None:
    text = "주민 850314-2345678"
    assert pii_replacements(text) == [(3, 17, "850314-*******")]
    assert pii_replacements(text, keep_birth_date=False) == [(3, 17, "******-*******")]


def test_replace_spans_hides_overlapping_matches_together() -> None:
    text = "ab 1234-5678 cd"
    assert replace_spans(text, [(3, 12, "X"), (3, 12, "X")]) == "ab X cd"
    assert replace_spans(text, [(3, 8, "X"), (6, 12, "Y")]) == "ab ****-**** cd"
    assert replace_spans(text, []) == text


def test_normalisation_keeps_masking_linear() -> None:
    text = (
        "연락처\u00a0０１０\u00a0２３４５\u00a0６７８９ 메일 ｋｉｍ＠ｎａｖｅｒ．ｃｏｍ " * 400
    )[:20_000]
    masked = mask_pii(text)
    assert "６７８９" not in masked and "２３４５" not in masked
    assert masked.count("010-****-6789") >= 300


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # reprs in tracebacks and JSON with ensure_ascii write unusual characters as escapes
        (repr("０１０\u00a0２３４５\u2009６７８９"), "'010-****-6789'"),
        (r"010\xa02345\xa06789", "010-****-6789"),
        (r"010\u200b2345\u200b6789", "010-****-6789"),
        (r"\uff10\uff11\uff10\u20132345\u20136789", "010-****-6789"),
        (r"010\t2345\t6789", "010-****-6789"),
        # a repr inside JSON: the repr's backslash is escaped once more
        (
            json.dumps(repr("０１０\u00a0２３４５\u00a0６７８９")),
            "\"'010-****-6789'\"",
        ),
        (
            r"\uff10\uff11\uff10\\xa0\uff12\uff13\uff14\uff15\\xa0\uff16\uff17\uff18\uff19",
            "010-****-6789",
        ),
        (r"850314\u00a0-\u00a02345678", "850314-*******"),
        (r'{"text": "\uc804\ud654 010 2345 6789"}', r'{"text": "\uc804\ud654 010-****-6789"}'),
        (r"C:\Users\xavier\new 010-2345-6789", r"C:\Users\xavier\new 010-****-6789"),
        (r"\ud800 \U0010ffff \x00 \\xa0", r"\ud800 \U0010ffff \x00 \\xa0"),
    ],
)
def test_escaped_characters_are_read_as_what_they_stand_for(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
