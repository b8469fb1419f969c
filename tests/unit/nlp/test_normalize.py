from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from bot.nlp.normalize import (
    DateResult,
    Money,
    normalize_case_id,
    normalize_change_type,
    normalize_clause_ref,
    normalize_incident_type,
    normalize_phone,
    normalize_policy_number,
    normalize_product,
    parse_amount,
    parse_date,
)

TODAY = date(2026, 11, 25)  # Wednesday


# --- policy numbers and case ids --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AU20250001", "AU20250001"),
        ("au20250001", "AU20250001"),
        ("au 2025-0001", "AU20250001"),
        ("AU-2025-0001", "AU20250001"),
        ("HE 2023 0042", "HE20230042"),
        ("증권번호는 AU20240315입니다", "AU20240315"),
        ("증권번호AU20231234요", "AU20231234"),
        ("HO20240077이에요", "HO20240077"),
        ("TR20261105", "TR20261105"),
        ("증번 PA20240909", "PA20240909"),
        ("my policy number is HE20230042", "HE20230042"),
        ("policy no. au20231188.", "AU20231188"),
        ("AU2025000", None),  # 7 digits
        ("AU202500011", None),  # 9 digits
        ("XX20250001", None),  # unknown product prefix
        ("BAU20250001", None),  # part of a longer code
        ("CLM-2026-000123", None),
        ("20250001", None),
        ("", None),
    ],
)
def test_normalize_policy_number(text: str, expected: str | None) -> None:
    assert normalize_policy_number(text) == expected


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("CLM-2026-000123", "CLM", "CLM-2026-000123"),
        ("clm2026000123", "CLM", "CLM-2026-000123"),
        ("CLM 2026 000123", "CLM", "CLM-2026-000123"),
        ("clm-2026000123", "CLM", "CLM-2026-000123"),
        ("청구번호 CLM-2026-000311이요", "CLM", "CLM-2026-000311"),
        ("what's the status of claim CLM-2026-000123?", "CLM", "CLM-2026-000123"),
        ("민원번호 CMP-2026-000045", "CMP", "CMP-2026-000045"),
        ("cmp 2026 000102 이요", "CMP", "CMP-2026-000102"),
        ("변경번호 CHG-2026-000007이에요", "CHG", "CHG-2026-000007"),
        ("chg2026000007", "chg", "CHG-2026-000007"),
        ("CMP-2026-000045", "CLM", None),  # wrong kind
        ("CLM-2026-00012", "CLM", None),  # 5-digit serial
        ("CLM-26-000123", "CLM", None),
        ("CLM-2026-0001234", "CLM", None),
        ("no id here", "CLM", None),
    ],
)
def test_normalize_case_id(text: str, kind: str, expected: str | None) -> None:
    assert normalize_case_id(text, kind) == expected


def test_normalize_case_id_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown case id kind"):
        normalize_case_id("CLM-2026-000123", "XYZ")


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # absolute, with a year
        ("1985-03-14", date(1985, 3, 14)),
        ("1985.03.14", date(1985, 3, 14)),
        ("1985/3/14", date(1985, 3, 14)),
        ("1985. 3. 14.", date(1985, 3, 14)),
        ("85.03.14", date(1985, 3, 14)),
        ("85-3-14", date(1985, 3, 14)),
        ("19850314", date(1985, 3, 14)),
        ("850314", date(1985, 3, 14)),
        ("850314요", date(1985, 3, 14)),
        ("생년월일 920708입니다", date(1992, 7, 8)),
        ("011225", date(2001, 12, 25)),
        ("261120", date(2026, 11, 20)),  # 26 is not above this year's 26 -> 2026
        ("271120", date(1927, 11, 20)),
        ("1985년 3월 14일", date(1985, 3, 14)),
        ("1985년3월14일생", date(1985, 3, 14)),
        ("85년 3월 14일", date(1985, 3, 14)),
        ("생일은 78년 12월 25일", date(1978, 12, 25)),
        ("2026년 11월 3일이요", date(2026, 11, 3)),
        ("14 March 1985", date(1985, 3, 14)),
        ("14th of March, 1985", date(1985, 3, 14)),
        ("March 14, 1985", date(1985, 3, 14)),
        ("march 14 1985", date(1985, 3, 14)),
        ("Mar 14 2026", date(2026, 3, 14)),
        ("november 3rd 2026", date(2026, 11, 3)),
        ("Sept. 9, 2026", date(2026, 9, 9)),
        ("14/03/1985", date(1985, 3, 14)),
        ("my birthday is 14/03/1985", date(1985, 3, 14)),
        ("03/14/1985", date(1985, 3, 14)),
        ("2026.10.15", date(2026, 10, 15)),
        # no year: this year, or last year if that day has not come yet
        ("3월 14일", date(2026, 3, 14)),
        ("11월 20일이요", date(2026, 11, 20)),
        ("11월 25일", date(2026, 11, 25)),
        ("11월 26일", date(2025, 11, 26)),
        ("12월 20일부터 27일까지요", date(2025, 12, 20)),
        ("11/20", date(2026, 11, 20)),
        ("11/20 around noon", date(2026, 11, 20)),
        ("12/31", date(2025, 12, 31)),
        ("25/11", date(2026, 11, 25)),
        ("March 14", date(2026, 3, 14)),
        ("on the 20th of november", date(2026, 11, 20)),
        ("from dec 20 to dec 27", date(2025, 12, 20)),
        # relative, Korean
        ("오늘", date(2026, 11, 25)),
        ("오늘 아침 8시쯤", date(2026, 11, 25)),
        ("어제", date(2026, 11, 24)),
        ("어제요", date(2026, 11, 24)),
        ("어제오후4시쯤요", date(2026, 11, 24)),
        ("어젯밤", date(2026, 11, 24)),
        ("지난밤에 도둑이 들었어요", date(2026, 11, 24)),
        ("그제", date(2026, 11, 23)),
        ("그저께", date(2026, 11, 23)),
        ("엊그제", date(2026, 11, 23)),
        ("3일 전", date(2026, 11, 22)),
        ("3일전이요", date(2026, 11, 22)),
        ("10일 전", date(2026, 11, 15)),
        ("2주 전쯤?", date(2026, 11, 11)),
        ("사흘 전 밤 11시쯤", date(2026, 11, 22)),
        ("이틀 전", date(2026, 11, 23)),
        ("일주일 전", date(2026, 11, 18)),
        ("한 달 전", date(2026, 10, 25)),
        ("지난주 금요일", date(2026, 11, 20)),
        ("지난주 금요일이요", date(2026, 11, 20)),
        ("지난주 토요일 오후", date(2026, 11, 21)),
        ("지난주 수욜", date(2026, 11, 18)),
        ("지난 주 월요일", date(2026, 11, 16)),
        ("저번주 일요일", date(2026, 11, 22)),
        ("이번 주 월요일", date(2026, 11, 23)),
        ("이번주 수요일", date(2026, 11, 25)),
        ("지난 금요일", date(2026, 11, 20)),
        ("지난 화요일", date(2026, 11, 24)),
        ("지난 수요일", date(2026, 11, 18)),
        ("지난달 14일", date(2026, 10, 14)),
        ("저번 달 3일", date(2026, 10, 3)),
        ("이번 달 3일", date(2026, 11, 3)),
        # relative, English
        ("today", date(2026, 11, 25)),
        ("this morning", date(2026, 11, 25)),
        ("tonight", date(2026, 11, 25)),
        ("yesterday", date(2026, 11, 24)),
        ("Yesterday evening around 7", date(2026, 11, 24)),
        ("last night", date(2026, 11, 24)),
        ("kitchen fire last night, need to file a claim asap", date(2026, 11, 24)),
        ("the day before yesterday", date(2026, 11, 23)),
        ("day before yesterday", date(2026, 11, 23)),
        ("3 days ago", date(2026, 11, 22)),
        ("two weeks ago", date(2026, 11, 11)),
        ("a week ago", date(2026, 11, 18)),
        ("last Friday", date(2026, 11, 20)),
        ("last friday", date(2026, 11, 20)),
        ("last saturday night", date(2026, 11, 21)),
        ("last Tuesday", date(2026, 11, 24)),
        ("last Wednesday", date(2026, 11, 18)),
        ("last week Friday", date(2026, 11, 20)),
        ("last week on Monday", date(2026, 11, 16)),
        ("Friday last week", date(2026, 11, 20)),
        ("this Monday", date(2026, 11, 23)),
        ("this past Sunday", date(2026, 11, 22)),
        # the future parses; whether it is acceptable is decided elsewhere
        ("2027-01-01", date(2027, 1, 1)),
        ("내일", date(2026, 11, 26)),
        ("tomorrow", date(2026, 11, 26)),
        ("this Friday", date(2026, 11, 27)),
        ("다음주 월요일", date(2026, 11, 30)),
        ("next Monday", date(2026, 11, 30)),
        ("2030년 1월 1일", date(2030, 1, 1)),
        # leap day
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == DateResult(expected, None)


@pytest.mark.parametrize(
    "text",
    [
        "2월 30일",
        "2026년 2월 29일",
        "2025-02-29",
        "2026-13-01",
        "2026-00-10",
        "1985.04.31",
        "31 April",
        "April 31, 2026",
        "850230",
        "19850231",
        "13월 1일",
        "2/30",
    ],
)
def test_impossible_dates(text: str) -> None:
    assert parse_date(text, TODAY) == DateResult(None, "impossible")


def test_day_of_last_month_depends_on_its_length() -> None:
    assert parse_date("지난달 31일", TODAY) == DateResult(date(2026, 10, 31), None)
    assert parse_date("지난달 31일", date(2026, 12, 10)) == DateResult(None, "impossible")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "안녕하세요",
        "10월 말쯤이요",
        "이번 달 초",
        "AU20250001",
        "TR20261105",
        "CLM-2026-000123",
        "010-2345-6789",
        "01023456789",
        "850314-2345678",  # resident registration number
        "8503142345678",
        "1,200,000원",
        "50/50",
        "123456",
        "금요일",
        "보험금 입금일 언제에요",  # 금일 inside 입금일
        "안내일정 알려주세요",  # 내일 inside 안내일정
        "is there a 24/7 hotline",
        "last week",
        "2026년",
        "3개월",
        "'; DROP TABLE claims;--",
    ],
)
def test_unparsed_dates(text: str) -> None:
    assert parse_date(text, TODAY) == DateResult(None, "unparsed")


def test_parse_date_prefers_an_existing_date_over_an_impossible_one() -> None:
    assert parse_date("2월 30일 아니 3월 1일이요", TODAY) == DateResult(date(2026, 3, 1), None)


def test_two_digit_years_follow_today() -> None:
    assert parse_date("300101", date(2031, 5, 1)).value == date(2030, 1, 1)
    assert parse_date("300101", TODAY).value == date(1930, 1, 1)


def test_date_result_is_frozen() -> None:
    result = parse_date("어제", TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = None  # type: ignore[misc]


# --- money ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("50만원", 500_000, "KRW"),
        ("50만원이요", 500_000, "KRW"),
        ("50만 원", 500_000, "KRW"),
        ("3백만 원", 3_000_000, "KRW"),
        ("3백만 원 정도요", 3_000_000, "KRW"),
        ("1,200,000원", 1_200_000, "KRW"),
        ("1200000원", 1_200_000, "KRW"),
        ("120만 5천원", 1_205_000, "KRW"),
        ("1억 2천만원", 120_000_000, "KRW"),
        ("1억2천만원", 120_000_000, "KRW"),
        ("5천만원", 50_000_000, "KRW"),
        ("2.5만원", 25_000, "KRW"),
        ("오십만원", 500_000, "KRW"),
        ("이백만원", 2_000_000, "KRW"),
        ("삼만 오천원이에요", 35_000, "KRW"),
        ("이천오백만원", 25_000_000, "KRW"),
        ("십오만원", 150_000, "KRW"),
        ("천만원", 10_000_000, "KRW"),
        ("만원", 10_000, "KRW"),
        ("백원", 100, "KRW"),
        ("일억원", 100_000_000, "KRW"),
        ("5만 3천 2백원", 53_200, "KRW"),
        ("수리비 견적 230만원", 2_300_000, "KRW"),
        ("병원비 35만원 냈어요", 350_000, "KRW"),
        ("약 80만 원", 800_000, "KRW"),
        ("250만원 정도 들었어요", 2_500_000, "KRW"),
        ("금액이 백만원", 1_000_000, "KRW"),  # 이 is a particle here, not "two"
        ("1억으로요", 100_000_000, "KRW"),
        ("보험 가입금액 1억에서 2억으로 올리고 싶어요", 100_000_000, "KRW"),
        ("5천만 정도요", 50_000_000, "KRW"),
        ("₩50,000", 50_000, "KRW"),
        ("KRW 50000", 50_000, "KRW"),
        ("10,000 won", 10_000, "KRW"),
        ("about 500,000 won", 500_000, "KRW"),
        ("2 million won", 2_000_000, "KRW"),
        ("$300", 300, "USD"),
        ("around $1,500", 1_500, "USD"),
        ("병원비 $300 냈어요", 300, "USD"),
        ("300 dollars", 300, "USD"),
        ("USD 300", 300, "USD"),
        ("usd300", 300, "USD"),
        ("300 USD", 300, "USD"),
        ("US$ 1,200", 1_200, "USD"),
        ("$12.50", 13, "USD"),
        ("1.5k dollars", 1_500, "USD"),
        ("300달러", 300, "USD"),
        ("300만 달러", 3_000_000, "USD"),
        ("€50", 50, "EUR"),
        ("50 euros", 50, "EUR"),
        ("50유로", 50, "EUR"),
        ("¥1000", 1_000, "JPY"),
        ("10만엔이요", 100_000, "JPY"),
        ("£20", 20, "GBP"),
    ],
)
def test_parse_amount(text: str, amount: int, currency: str) -> None:
    assert parse_amount(text) == Money(amount, currency)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "50",
        "1200000",
        "만 35세요",
        "동승자 1명 있었어요",
        "10만 명",
        "2만 km 탔어요",
        "상대방 과실 100%요",
        "차량번호 12가 3456",
        "2018년식 쏘나타",
        "010-2345-6789",
        "01023456789",
        "850314-2345678",
        "1985-03-14",
        "AU20250001",
        "CLM-2026-000123",
        "회사원이에요",  # 사원 is "employee", not four won
        "연구원",
        "이것만요",
        "그만요",
        "병원",
        "원래 그래요",
        "백엔드 개발자",
        "12조원",  # trillions are out of scope; 조원 is usually "team member"
        "won the game",
        "'; DROP TABLE claims;--",
    ],
)
def test_no_amount(text: str) -> None:
    assert parse_amount(text) is None


def test_money_str() -> None:
    assert str(Money(500_000, "KRW")) == "500000 KRW"


# --- products, incident and change types ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("자동차보험이요", "auto"),
        ("자동차 보험", "auto"),
        ("개인용 자동차보험", "auto"),
        ("자보요", "auto"),
        ("자보 사고접수 하려구요", "auto"),
        ("차보험 갱신", "auto"),
        ("운전자보험", "auto"),
        ("제 명의 차량이에요", "auto"),
        ("car insurance", "auto"),
        ("Motor insurance quote", "auto"),
        ("my car was scrapped", "auto"),
        ("주택화재보험이요", "home"),
        ("화재보험", "home"),
        ("집 보험 들고 싶어요", "home"),
        ("home insurance", "home"),
        ("tell me about your home insurance", "home"),
        ("fire insurance", "home"),
        ("여행자보험이요", "travel"),
        ("해외여행 가는데", "travel"),
        ("해외 출장 가는데 어떤 보험이 필요할까요?", "travel"),
        ("how much does travel cover cost?", "travel"),
        ("travel", "travel"),
        ("실비요", "health"),
        ("실손이요", "health"),
        ("의료실비", "health"),
        ("실손의료보험", "health"),
        ("medical insurance", "health"),
        ("health", "health"),
        ("상해보험", "accident"),
        ("personal accident cover", "accident"),
        ("accident insurance", "accident"),
        ("교통사고로 다쳤는데 상해보험이랑 자보 둘 다 받을 수 있어요?", "accident"),
        ("피보험자보다 계약자가", None),  # 자보 inside 피보험자보다 is not 자동차보험
        ("my auto-debit didn't go through", None),
        ("안녕하세요", None),
        ("", None),
    ],
)
def test_normalize_product(text: str, expected: str | None) -> None:
    assert normalize_product(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("접촉사고요", "collision"),
        ("추돌사고예요", "collision"),
        ("교통사고 처리 접수 부탁드립니다", "collision"),
        ("사고났어요", "collision"),
        ("사고가 났는데 어떻게 해요", "collision"),
        ("신호대기하는데 뒤차가 박았어요", "collision"),
        ("차 긁혔는데 보험 접수좀", "collision"),
        ("오토바이랑 부딪혔는데 사람이 다쳤어요", "collision"),
        ("a fender bender", "collision"),
        ("got rear-ended while waiting at a red light", "collision"),
        ("someone hit my parked car and drove off", "collision"),
        ("i was in a car crash yesterday, nobody hurt", "collision"),
        ("도난", "theft"),
        ("도둑이 들었어요", "theft"),
        ("가방을 소매치기 당했어요", "theft"),
        ("someone stole my bike", "theft"),
        ("my phone got pickpocketed in rome", "theft"),
        ("화재요", "fire"),
        ("주방에서 불이 났어요", "fire"),
        ("누전으로 불이 나서 옆집 벽까지 그을렸어요", "fire"),
        ("kitchen fire last night", "fire"),
        ("주택화재보험 들어있는데 화재가 났어요", "fire"),
        ("누수", "water_damage"),
        ("윗집에서 물이 새서 천장이 젖었어요", "water_damage"),
        ("보일러 배관이 터졌어요", "water_damage"),
        ("침수", "water_damage"),
        ("water damage", "water_damage"),
        ("burst pipe in the kitchen", "water_damage"),
        ("flood", "water_damage"),
        ("I want to file a claim, my flat flooded", "water_damage"),
        ("태풍 때 배관이 터져서 누수가 생겼어요", "water_damage"),  # the pipe is the cause
        ("태풍 피해요", "natural_disaster"),
        ("태풍으로 차가 침수되면 보상되나요?", "natural_disaster"),
        ("지진", "natural_disaster"),
        ("우박 맞아서 차 지붕이 움푹 패였어요", "natural_disaster"),
        ("basement flooded after the storm", "natural_disaster"),
        ("typhoon flooded my car yesterday", "natural_disaster"),
        ("골절이요", "injury"),
        ("계단에서 미끄러져서 발목 다쳤어요", "injury"),
        ("손목 골절로 수술했어요", "injury"),
        ("다리 부러져서 입원했어요", "injury"),
        ("broke my arm", "injury"),
        ("slipped and fell", "injury"),
        ("i tore a ligament playing soccer", "injury"),
        ("질병으로 입원했어요", "illness"),
        ("병원 통원 치료", "illness"),
        ("여행중에 배탈나서 현지 병원 갔는데", "illness"),
        ("독감에 걸렸어요", "illness"),
        ("got sick on holiday", "illness"),
        ("아파트 베란다", None),  # 아파트 is a flat, not 아파(요)
        ("수하물 분실", "baggage"),
        ("캐리어가 안 나왔어요", "baggage"),
        ("지난주 금요일에 캐리어를 도난당했어요", "baggage"),
        ("lost luggage", "baggage"),
        ("비행기 지연이요", "flight_delay"),
        ("비행기가 7시간 지연돼서 호텔비 따로 냈는데", "flight_delay"),
        ("항공편 결항", "flight_delay"),
        ("flight delay", "flight_delay"),
        ("delayed flight, 6 hours", "flight_delay"),
        ("my flight was cancelled, can i get the hotel costs covered", "flight_delay"),
        ("휴대폰 분실했어요", "other"),
        ("기타", "other"),
        ("보험료 얼마예요?", None),
        ("fire insurance", None),  # the product, not a fire
        ("", None),
    ],
)
def test_normalize_incident_type(text: str, expected: str | None) -> None:
    assert normalize_incident_type(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("수익자를 배우자로 바꾸고 싶어요", "beneficiary"),
        ("수익자요", "beneficiary"),
        ("beneficiary", "beneficiary"),
        ("가입금액", "sum_insured"),
        ("보험가입금액 올리고 싶어요", "sum_insured"),
        ("I need to raise my sum insured", "sum_insured"),
        ("보험기간", "period"),
        ("귀국일이 바뀌어서 보험 종료일 변경해야 돼요", "period"),
        ("보험 기간 연장하고 싶어요", "period"),
        ("can I extend my travel policy?", "period"),
        ("주소요", "address"),
        ("이사했어요 주소 바꿔주세요", "address"),
        ("the new address is 45 Teheran-ro", "address"),
        ("연락처", "contact"),
        ("전화번호요", "contact"),
        ("이메일 주소 변경", "contact"),  # not address
        ("contact number", "contact"),
        ("by email", "contact"),
        ("납입 방법이요", "payment_method"),
        ("자동이체 계좌요", "payment_method"),
        ("카드로 바꿀게요", "payment_method"),
        ("payment method", "payment_method"),
        ("switch to direct debit", "payment_method"),
        ("안녕하세요", None),
        ("", None),
    ],
)
def test_normalize_change_type(text: str, expected: str | None) -> None:
    assert normalize_change_type(text) == expected


# --- clause references and phones -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("제12조", "12"),
        ("제12조에 따르면", "12"),
        ("12조 3항", "12(3)"),
        ("12조3항", "12(3)"),
        ("제12조 제3항", "12(3)"),
        ("제 12 조 3 항이 무슨 뜻이에요", "12(3)"),
        ("제12조의2", "12-2"),
        ("제12조의2 제1항", "12-2(1)"),
        ("Article 12(3)", "12(3)"),
        ("article 12 (3)", "12(3)"),
        ("art. 12 para 3", "12(3)"),
        ("Art. 7, paragraph 2", "7(2)"),
        ("what does article 5 exclusions mean in simple terms", "5"),
        ("clause 4", "4"),
        ("12조원", None),
        ("3조각", None),
        ("무슨 조항이에요", None),
        ("", None),
    ],
)
def test_normalize_clause_ref(text: str, expected: str | None) -> None:
    assert normalize_clause_ref(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010-2345-6789", "010-2345-6789"),
        ("01023456789", "010-2345-6789"),
        ("010 2345 6789", "010-2345-6789"),
        ("010.2345.6789", "010-2345-6789"),
        ("010-9876-5432요", "010-9876-5432"),
        ("+82 10-2345-6789", "010-2345-6789"),
        ("+82-10-2345-6789", "010-2345-6789"),
        ("+821023456789", "010-2345-6789"),
        ("011-123-4567", "011-123-4567"),
        ("02-123-4567", "02-123-4567"),
        ("021234567", "02-123-4567"),
        ("02-1234-5678", "02-1234-5678"),
        ("(02) 1234-5678", "02-1234-5678"),
        ("031-123-4567", "031-123-4567"),
        ("0311234567", "031-123-4567"),
        ("070-1234-5678", "070-1234-5678"),
        ("1588-1234", "1588-1234"),
        ("제 번호는 010-2345-6789 입니다", "010-2345-6789"),
        ("0102345678901", None),  # too many digits
        ("123-4567", None),
        ("AU20250001", None),
        ("1985-03-14", None),
        ("850314-2345678", None),
        ("", None),
    ],
)
def test_normalize_phone(text: str, expected: str | None) -> None:
    assert normalize_phone(text) == expected
