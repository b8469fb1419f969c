from __future__ import annotations

import dataclasses
import itertools
from datetime import date

import pytest

from bot.nlp.entities import ENTITY_NAMES, EntitySpan, extract_entities

TODAY = date(2026, 11, 25)  # Wednesday

Expected = list[tuple[str, str, str]]  # (entity, surface text, canonical value)


def found(text: str) -> Expected:
    return [(e.entity, e.text, e.value) for e in extract_entities(text, TODAY)]


EXAMPLES: list[tuple[str, Expected]] = [
    (
        "어제 접촉사고가 났어요 접수하고 싶어요",
        [("incident_date", "어제", "2026-11-24"), ("incident_type", "접촉사고", "collision")],
    ),
    (
        "AU20250001 차량 사고 접수합니다. 오늘 오전 8시 강남역 근처에서 택시랑 부딪혔어요",
        [
            ("policy_number", "AU20250001", "AU20250001"),
            ("product", "차량", "auto"),
            ("incident_date", "오늘", "2026-11-25"),
            ("incident_type", "부딪", "collision"),
        ],
    ),
    (
        "생년월일 1985-03-14, 연락처 010-2345-6789",
        [
            ("birth_date", "1985-03-14", "1985-03-14"),
            ("change_type", "연락처", "contact"),
            ("phone", "010-2345-6789", "010-2345-6789"),
        ],
    ),
    (
        "what's the status of claim CLM-2026-000123?",
        [("claim_id", "CLM-2026-000123", "CLM-2026-000123")],
    ),
    (
        "any update on complaint cmp 2026 000045?",
        [("complaint_id", "cmp 2026 000045", "CMP-2026-000045")],
    ),
    ("변경번호 CHG-2026-000007이에요", [("change_id", "CHG-2026-000007", "CHG-2026-000007")]),
    (
        "지난주 금요일에 오사카 여행 중에 캐리어를 도난당했어요 여행자보험 청구하고 싶습니다",
        [
            ("incident_date", "지난주 금요일", "2026-11-20"),
            ("product", "여행", "travel"),
            ("incident_type", "캐리어", "baggage"),
            ("incident_type", "도난", "theft"),
            ("product", "여행자보험", "travel"),
        ],
    ),
    (
        "비행기가 7시간 지연돼서 호텔비 따로 냈는데 보상 청구 할래요 TR20261105",
        [
            ("incident_type", "비행기가 7시간 지연", "flight_delay"),
            ("policy_number", "TR20261105", "TR20261105"),
        ],
    ),
    (
        "실손 청구 하려고요 병원비 35만원 나왔어요",
        [
            ("product", "실손", "health"),
            ("incident_type", "병원", "illness"),
            ("amount", "35만원", "350000 KRW"),
        ],
    ),
    ("제12조 3항이 무슨 뜻이에요", [("clause_ref", "제12조 3항", "12(3)")]),
    ("explain Article 12(3) in plain words", [("clause_ref", "Article 12(3)", "12(3)")]),
    ("수익자를 배우자로 바꾸고 싶어요", [("change_type", "수익자", "beneficiary")]),
    ("my birthday is 14/03/1985", [("birth_date", "14/03/1985", "1985-03-14")]),
    (
        "born 1985-03-14, phone 010-5555-0192",
        [
            ("birth_date", "1985-03-14", "1985-03-14"),
            ("phone", "010-5555-0192", "010-5555-0192"),
        ],
    ),
    ("dob 1990-07-08", [("birth_date", "1990-07-08", "1990-07-08")]),
    ("1990년 1월 2일생", [("birth_date", "1990년 1월 2일", "1990-01-02")]),
    ("850314", [("birth_date", "850314", "1985-03-14")]),
    ("생년월일 920708입니다", [("birth_date", "920708", "1992-07-08")]),
    (
        "2026년 11월 3일에 자전거 타다 넘어져서 손목 골절됐습니다 보험금 신청하려구요",
        [
            ("incident_date", "2026년 11월 3일", "2026-11-03"),
            ("incident_type", "넘어져", "injury"),
            ("incident_type", "골절", "injury"),
        ],
    ),
    (
        "i was in a car crash yesterday on the highway",
        [("incident_type", "car crash", "collision"), ("incident_date", "yesterday", "2026-11-24")],
    ),
    (
        "typhoon flooded my car yesterday, i want to report it",
        [
            ("incident_type", "typhoon", "natural_disaster"),
            ("incident_type", "flooded", "water_damage"),
            ("product", "car", "auto"),
            ("incident_date", "yesterday", "2026-11-24"),
        ],
    ),
    (
        "submitting a claim for physio sessions, around 500,000 won",
        [("amount", "500,000 won", "500000 KRW")],
    ),
    (
        "start a claim for me please, au 2025-0001, minor fender bender in the parking lot",
        [
            ("policy_number", "au 2025-0001", "AU20250001"),
            ("incident_type", "fender bender", "collision"),
        ],
    ),
    ("11/20 around noon", [("incident_date", "11/20", "2026-11-20")]),
    (
        "1,200,000원 청구했어요 CLM-2026-000124",
        [
            ("amount", "1,200,000원", "1200000 KRW"),
            ("claim_id", "CLM-2026-000124", "CLM-2026-000124"),
        ],
    ),
    (
        "주택화재보험 HO20240077 누수 피해 120만 5천원",
        [
            ("product", "주택화재보험", "home"),
            ("policy_number", "HO20240077", "HO20240077"),
            ("incident_type", "누수", "water_damage"),
            ("amount", "120만 5천원", "1205000 KRW"),
        ],
    ),
    (
        "2026-11-10 윗집 누수로 천장 젖음, 견적 3백만 원",
        [
            ("incident_date", "2026-11-10", "2026-11-10"),
            ("incident_type", "누수", "water_damage"),
            ("amount", "3백만 원", "3000000 KRW"),
        ],
    ),
    (
        "HE20230042 실비 청구 $300",
        [
            ("policy_number", "HE20230042", "HE20230042"),
            ("product", "실비", "health"),
            ("amount", "$300", "300 USD"),
        ],
    ),
    (
        "PA20220310 상해보험 이번달 보험료 못 냈어요",
        [("policy_number", "PA20220310", "PA20220310"), ("product", "상해보험", "accident")],
    ),
    (
        "1985년 3월 14일생이고 연락처는 02-123-4567",
        [
            ("birth_date", "1985년 3월 14일", "1985-03-14"),
            ("change_type", "연락처", "contact"),
            ("phone", "02-123-4567", "02-123-4567"),
        ],
    ),
    ("1588-1234 상담원 연결", [("phone", "1588-1234", "1588-1234")]),
    ("fire insurance", [("product", "fire insurance", "home")]),
    (
        "보험 가입금액 1억에서 2억으로 올리고 싶어요",
        [
            ("change_type", "보험 가입금액", "sum_insured"),
            ("amount", "1억", "100000000 KRW"),
            ("amount", "2억", "200000000 KRW"),
        ],
    ),
    (
        "11월 3일에 청구한 120만원 언제쯤 받을 수 있나요",
        [("incident_date", "11월 3일", "2026-11-03"), ("amount", "120만원", "1200000 KRW")],
    ),
    ("주택화재보험 들어있는데", [("product", "주택화재보험", "home")]),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_extract_entities(text: str, expected: Expected) -> None:
    assert found(text) == expected


def test_span_fields() -> None:
    text = "증권번호는 AU20250001이고 어제 사고가 났어요"
    spans = extract_entities(text, TODAY)
    assert spans[0] == EntitySpan("policy_number", 6, 16, "AU20250001", "AU20250001")
    assert spans[1] == EntitySpan("incident_date", 19, 21, "어제", "2026-11-24")
    with pytest.raises(dataclasses.FrozenInstanceError):
        spans[0].value = "x"  # type: ignore[misc]


# --- birth date or incident date ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("생년월일 1985-03-14", [("birth_date", "1985-03-14", "1985-03-14")]),
        ("생일은 78년 12월 25일", [("birth_date", "78년 12월 25일", "1978-12-25")]),
        ("주민번호 앞자리 850314", [("birth_date", "850314", "1985-03-14")]),
        ("d.o.b. 2001-02-03", [("birth_date", "2001-02-03", "2001-02-03")]),
        # a birth keyword makes even a recent date a birth date (a baby's policy)
        ("아기 생일 2025-06-01", [("birth_date", "2025-06-01", "2025-06-01")]),
        ("2025-06-01 태어났어요", [("birth_date", "2025-06-01", "2025-06-01")]),
        # six bare digits are how Koreans give a birth date
        ("251120", [("birth_date", "251120", "2025-11-20")]),
        # more than 15 years ago
        ("1990-07-21", [("birth_date", "1990-07-21", "1990-07-21")]),
        ("March 14, 1985", [("birth_date", "March 14, 1985", "1985-03-14")]),
        ("2011-11-24", [("birth_date", "2011-11-24", "2011-11-24")]),
        ("2011-11-25", [("incident_date", "2011-11-25", "2011-11-25")]),
        # otherwise an incident date
        ("2026-10-28", [("incident_date", "2026-10-28", "2026-10-28")]),
        ("20261028", [("incident_date", "20261028", "2026-10-28")]),
        ("3월 14일", [("incident_date", "3월 14일", "2026-03-14")]),
        ("2027-01-01", [("incident_date", "2027-01-01", "2027-01-01")]),  # future is kept
        # relative dates are never birth dates
        ("어제 생일이었는데", [("incident_date", "어제", "2026-11-24")]),
        ("born yesterday", [("incident_date", "yesterday", "2026-11-24")]),
        # each date looks only as far as its neighbour for a keyword
        (
            "생일 85.03.14 사고일 어제",
            [("birth_date", "85.03.14", "1985-03-14"), ("incident_date", "어제", "2026-11-24")],
        ),
        (
            "생년월일 1985-03-14 사고 2026-11-10",
            [
                ("birth_date", "1985-03-14", "1985-03-14"),
                ("incident_date", "2026-11-10", "2026-11-10"),
            ],
        ),
    ],
)
def test_birth_or_incident_date(text: str, expected: Expected) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text", ["2월 30일", "2026-13-01 에", "31 April", "850230", "생년월일 1985-02-30"]
)
def test_impossible_dates_are_not_entities(text: str) -> None:
    assert [e for e in found(text) if e[0].endswith("_date")] == []


# --- numbers that must not be read as something else -------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010-2345-6789", [("phone", "010-2345-6789", "010-2345-6789")]),
        ("01023456789", [("phone", "01023456789", "010-2345-6789")]),
        ("+82 10-2345-6789", [("phone", "+82 10-2345-6789", "010-2345-6789")]),
        ("010-9876-5432요", [("phone", "010-9876-5432", "010-9876-5432")]),
        ("02-123-4567", [("phone", "02-123-4567", "02-123-4567")]),
        ("010 2345 6789원", [("phone", "010 2345 6789", "010-2345-6789")]),
        # resident registration numbers, card numbers and e-mail addresses: nothing
        ("850314-2345678", []),
        ("8503142345678", []),
        ("주민번호 850314-2345678 이에요", []),
        ("4111 1111 1111 1111", []),
        ("1234-5678-9012-3456", []),
        ("kim.bodam@example.com 이요", []),
        ("01023456789@example.com", []),
        # ids win over dates, amounts and phones inside them
        ("TR20261105", [("policy_number", "TR20261105", "TR20261105")]),
        ("AU20250001원", [("policy_number", "AU20250001", "AU20250001")]),
        ("CLM-2026-000123", [("claim_id", "CLM-2026-000123", "CLM-2026-000123")]),
        # bare numbers are not amounts
        ("1200000", []),
        ("동승자 1명 있었어요", []),
        ("만 35세요", []),
        ("차량번호 12가 3456", [("product", "차량", "auto")]),
        ("상대방 과실 100%요", []),
    ],
)
def test_numbers_are_read_once(text: str, expected: Expected) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE claims;--",
        "<script>alert(1)</script>",
        '"; rm -rf / #',
        "{{7*7}} ${jndi:ldap://x}",
        "\x00\x01\x02",
        "",
        "   ",
        "😀👍🏽",
        "ㅋㅋㅋㅋ",
        "Robert'); DROP TABLE Students;--",
    ],
)
def test_hostile_or_empty_input_gives_no_entities(text: str) -> None:
    assert extract_entities(text, TODAY) == []


CORPUS = [text for text, _ in EXAMPLES] + [
    "AU20250001 CLM-2026-000123 CMP-2026-000045 CHG-2026-000007 1985-03-14 850314",
    "어제 그제 오늘 3일 전 지난주 금요일 지난 월요일 지난달 14일 11/20 3월 14일",
    "50만원 3백만 원 1,200,000원 120만 5천원 1억 2천만원 2.5만원 오십만원 $300 €50",
    "010-2345-6789 02-123-4567 850314-2345678 4111 1111 1111 1111 a@b.co",
    "자동차보험 실비 여행자보험 주택화재보험 상해보험 접촉사고 도난 화재 누수 태풍",
    "제12조 3항 Article 12(3) 수익자 가입금액 보험기간 주소 연락처 납입 방법",
    "Mar 14 2026, 14 March 1985, last Friday, 3 days ago, the day before yesterday",
]


@pytest.mark.parametrize("text", CORPUS)
def test_spans_are_consistent(text: str) -> None:
    spans = extract_entities(text, TODAY)
    assert spans == sorted(spans, key=lambda s: s.start)
    for span in spans:
        assert span.entity in ENTITY_NAMES
        assert text[span.start : span.end] == span.text
        assert span.value
    for left, right in itertools.pairwise(spans):
        assert left.end <= right.start


def test_every_entity_of_the_spec_can_be_found() -> None:
    text = (
        "AU20250001 CLM-2026-000123 CMP-2026-000045 CHG-2026-000007 자동차보험 "
        "생년월일 850314 어제 접촉사고 수익자 50만원 010-2345-6789 제12조"
    )
    assert {span.entity for span in extract_entities(text, TODAY)} == set(ENTITY_NAMES)


def test_long_input_is_handled_in_linear_time() -> None:
    # 20,000 characters of realistic and pathological material; a quadratic pattern would
    # take minutes here, so simply finishing is the check.
    chunk = "어제 AU20250001 접촉사고 50만원 010-2345-6789 "
    text = (chunk * 600)[:20_000]
    spans = extract_entities(text, TODAY)
    assert len(spans) > 1000
    for pathological in (
        "1" * 20_000,
        "1," * 10_000,
        "a" * 20_000,
        "a." * 10_000,
        "만" * 20_000,
        "일이" * 10_000,
        " " * 20_000,
        "원" * 20_000,
        "1 " * 10_000,
        "@" * 20_000,
        "-1" * 10_000,
        "AU" * 10_000,
    ):
        extract_entities(pathological, TODAY)
