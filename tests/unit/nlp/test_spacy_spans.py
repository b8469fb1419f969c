"""Places, people, relationships, items and addresses found by the spaCy pipelines."""

from __future__ import annotations

import itertools
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.nlp import spacy_spans
from bot.nlp.spacy_spans import (
    ADDRESS,
    ITEM,
    PERSON,
    PLACE,
    RELATIONSHIP,
    Person,
    find_address,
    find_items,
    find_people,
    find_person,
    find_place,
    find_spans,
    split_sentences,
)

Found = list[tuple[str, str]]  # (label, value)


def found(text: str, language: str) -> Found:
    return [(span.label, span.value) for span in find_spans(text, language)]


KOREAN: list[tuple[str, Found]] = [
    (
        "오늘 아침 8시 반쯤 회사 지하주차장 들어가다가 기둥에 박았어요 앞범퍼 깨졌어요",
        [(PLACE, "회사 지하주차장"), (ITEM, "앞범퍼")],
    ),
    ("장소는 시청역 말고 을지로입구역이에요", [(PLACE, "시청역"), (PLACE, "을지로입구역")]),
    ("수익자를 아내 박지은으로 바꿔 주세요", [(RELATIONSHIP, "spouse"), (PERSON, "박지은")]),
    (
        "서울시 마포구 월드컵로 12길 34 301호로 이사했어요",
        [(ADDRESS, "서울시 마포구 월드컵로 12길 34 301호")],
    ),
    ("인천공항에서 캐리어를 잃어버렸어요", [(PLACE, "인천공항"), (ITEM, "캐리어")]),
    ("집 앞 골목에서 넘어졌어요", [(PLACE, "집 앞 골목")]),
    ("아파트 주차장에서 사이드미러가 깨졌어요", [(PLACE, "아파트 주차장"), (ITEM, "사이드미러")]),
    ("올림픽대로에서 추돌사고가 났어요", [(PLACE, "올림픽대로")]),
    ("강남역 사거리에서 신호 대기 중에 뒤에서 받혔어요", [(PLACE, "강남역 사거리")]),
    ("시청역 앞에서 접촉사고가 났어요", [(PLACE, "시청역 앞")]),
    (
        "욕실 천장에서 물이 새서 벽지가 젖었어요",
        [(PLACE, "욕실"), (ITEM, "천장"), (ITEM, "벽지")],
    ),
    ("오사카 호텔에서 지갑을 도난당했어요", [(PLACE, "오사카 호텔"), (ITEM, "지갑")]),
    ("오사카에서 여권을 도난당했어요", [(PLACE, "오사카"), (ITEM, "여권")]),
    ("한강 다리에서 사고가 났어요", [(PLACE, "한강 다리")]),
    ("한강다리에서 사고가 났어요", [(PLACE, "한강다리")]),
    ("성수대교 위에서 사고 났어요", [(PLACE, "성수대교 위")]),
    ("우리 아파트 지하주차장에서 문콕 당했어요", [(PLACE, "우리 아파트 지하주차장")]),
    ("운전석 문짝이랑 앞 범퍼가 찌그러졌어요", [(ITEM, "운전석 문짝"), (ITEM, "앞 범퍼")]),
    ("남편 박준호 씨가 운전했어요", [(RELATIONSHIP, "spouse"), (PERSON, "박준호")]),
    ("김철수 씨가 운전했어요", [(PERSON, "김철수")]),
    ("저는 이민수입니다", [(PERSON, "이민수")]),
    ("이름은 최수진이에요", [(PERSON, "최수진")]),
    ("계약자 성함은 김영희입니다", [(PERSON, "김영희")]),
    ("딸 이름은 이서연이라는 아이예요", [(RELATIONSHIP, "child"), (PERSON, "이서연")]),
    ("수익자를 아들 김도윤으로 변경해 주세요", [(RELATIONSHIP, "child"), (PERSON, "김도윤")]),
    ("남궁민수로 변경해 주세요", [(PERSON, "남궁민수")]),
    ("막내딸이 다쳤어요", [(RELATIONSHIP, "child")]),
    ("부모님 집에서 물이 샜어요", [(RELATIONSHIP, "parent"), (PLACE, "집")]),
    ("Grace Lee가 제 딸이에요", [(PERSON, "Grace Lee"), (RELATIONSHIP, "child")]),
    (
        "경기도 성남시 분당구 정자동 178-1 래미안아파트 101동 1203호로 바꿔 주세요",
        [(ADDRESS, "경기도 성남시 분당구 정자동 178-1 래미안아파트 101동 1203호")],
    ),
    ("부산 해운대구 우동 1408 101동 1203호", [(ADDRESS, "부산 해운대구 우동 1408 101동 1203호")]),
    ("주소는 서울특별시 강남구 테헤란로 152예요", [(ADDRESS, "서울특별시 강남구 테헤란로 152")]),
    ("주소를 인천 연수구 송도동 24-5로 변경하고 싶어요", [(ADDRESS, "인천 연수구 송도동 24-5")]),
]

# Ordinary replies and look-alikes: 다리 (leg), 보험회사, 전화 (in 휴대전화), 역시 (역),
# 정말로 / 강제로 (a surname syllable before 로), 고객님 (before 님).
KOREAN_NOTHING = [
    "네 맞아요",
    "고마워요",
    "감사합니다 수고하세요",
    "이거 보상되나요",
    "정말 감사합니다",
    "이번에 처음이에요",
    "조금 기다려 주세요",
    "다리를 다쳤어요",
    "왼쪽다리를 다쳤어요",
    "보험회사에서 연락 왔어요",
    "전화로 해주세요",
    "역시 안 되나요",
    "정말로 바꿔 주세요",
    "강제로 문을 열었어요",
    "신분증이에요",
    "진단서예요",
    "고객님 성함이 어떻게 되세요",
    "증권번호는 AU2025-123456이에요",
    "어제 오후 3시쯤 사고가 났어요",
]

ENGLISH: list[tuple[str, Found]] = [
    (
        "I reversed into a cyclist in the car park on King Street",
        [(PLACE, "car park on King Street")],
    ),
    ("my daughter Grace Lee", [(RELATIONSHIP, "child"), (PERSON, "Grace Lee")]),
    ("My husband John Smith was driving", [(RELATIONSHIP, "spouse"), (PERSON, "John Smith")]),
    (
        "The beneficiary should be my son, Daniel Park",
        [(RELATIONSHIP, "child"), (PERSON, "Daniel Park")],
    ),
    ("My name is Emily Carter", [(PERSON, "Emily Carter")]),
    ("Mr. Brown hit my car", [(PERSON, "Brown")]),
    ("John O'Neil hit my car on the M25", [(PERSON, "John O'Neil"), (PLACE, "M25")]),
    (
        "I lost my watch and my passport at Heathrow Airport",
        [(ITEM, "watch"), (ITEM, "passport"), (PLACE, "Heathrow Airport")],
    ),
    ("We were on holiday in Paris when my bag was stolen", [(PLACE, "Paris"), (ITEM, "bag")]),
    ("The ceiling in my kitchen collapsed", [(ITEM, "ceiling"), (PLACE, "my kitchen")]),
    (
        "Someone broke into my flat and took my laptop",
        [(PLACE, "my flat"), (ITEM, "laptop")],
    ),
    ("I hit a bollard at the Tesco car park", [(PLACE, "Tesco car park")]),
    (
        "A van hit me at the junction of Oxford Street and Regent Street",
        [(PLACE, "junction of Oxford Street and Regent Street")],
    ),
    ("My mum fell down the stairs at home", [(RELATIONSHIP, "parent"), (PLACE, "home")]),
    ("I live at 221B Baker Street, London", [(ADDRESS, "221B Baker Street, London")]),
    ("12 Baker Street, London", [(ADDRESS, "12 Baker Street, London")]),
    ("Flat 3, 45 King Road, Seoul", [(ADDRESS, "Flat 3, 45 King Road, Seoul")]),
    (
        "Flat 12, 3 Station Road, Cambridge CB1 2JW",
        [(ADDRESS, "Flat 12, 3 Station Road, Cambridge CB1 2JW")],
    ),
]

ENGLISH_NOTHING = [
    "yes that's right",
    "no thanks",
    "Thank you very much",
    "Can I make a claim please",
    "Is this covered?",
    "Sorry, I don't know",
    "Please ring me back",
    "I was in January when it happened",
    "My policy number is AU2025-123456",
]


@pytest.mark.parametrize(("text", "expected"), KOREAN, ids=[text for text, _ in KOREAN])
def test_korean_spans(text: str, expected: Found) -> None:
    assert found(text, "ko") == expected


@pytest.mark.parametrize("text", KOREAN_NOTHING)
def test_korean_ordinary_phrases_have_no_spans(text: str) -> None:
    assert found(text, "ko") == []


@pytest.mark.parametrize(("text", "expected"), ENGLISH, ids=[text for text, _ in ENGLISH])
def test_english_spans(text: str, expected: Found) -> None:
    assert found(text, "en") == expected


@pytest.mark.parametrize("text", ENGLISH_NOTHING)
def test_english_ordinary_phrases_have_no_spans(text: str) -> None:
    assert found(text, "en") == []


ALL_CASES = [(text, "ko") for text, _ in KOREAN] + [(text, "en") for text, _ in ENGLISH]


@pytest.mark.parametrize(("text", "language"), ALL_CASES)
def test_offsets_point_into_the_text_without_overlaps(text: str, language: str) -> None:
    spans = find_spans(text, language)
    for span in spans:
        assert text[span.start : span.end] == span.text
    for left, right in itertools.pairwise(spans):
        assert left.end <= right.start


@pytest.mark.parametrize(
    ("text", "language", "person"),
    [
        ("수익자를 아내 박지은으로 바꿔 주세요", "ko", Person("박지은", "spouse")),
        ("my daughter Grace Lee", "en", Person("Grace Lee", "child")),
        ("Emily Carter is my wife", "en", Person("Emily Carter", "spouse")),
        ("Grace Lee가 제 딸이에요", "ko", Person("Grace Lee", "child")),
        ("김철수 씨가 운전했어요", "ko", Person("김철수", None)),
        ("엄마가 넘어지셨어요", "ko", Person(None, "parent")),
        ("my grandson was in the car", "en", Person(None, "grandchild")),
        ("네 맞아요", "ko", None),
        ("yes that's right", "en", None),
        ("고마워요", "ko", None),
    ],
)
def test_find_person(text: str, language: str, person: Person | None) -> None:
    assert find_person(text, language) == person


def test_each_name_gets_the_relationship_said_next_to_it() -> None:
    assert find_people("남편 이름은 정우성이고 아들은 정민호예요", "ko") == [
        Person("정우성", "spouse"),
        Person("정민호", "child"),
    ]
    assert find_people("My wife Sarah Lee and my daughter Grace", "en") == [
        Person("Sarah Lee", "spouse"),
        Person("Grace", "child"),
    ]


@pytest.mark.parametrize(
    ("text", "language", "place"),
    [
        ("장소는 시청역 말고 을지로입구역이에요", "ko", "을지로입구역"),
        ("회사 지하주차장에서 박고 병원에 갔어요", "ko", "회사 지하주차장"),
        (
            "I reversed into a cyclist in the car park on King Street",
            "en",
            "car park on King Street",
        ),
        ("It was not at the station but in the car park", "en", "car park"),
        ("네 맞아요", "ko", None),
        ("yes that's right", "en", None),
    ],
)
def test_find_place_skips_a_corrected_place(text: str, language: str, place: str | None) -> None:
    assert find_place(text, language) == place


def test_find_address_and_items() -> None:
    assert find_address("서울시 마포구 월드컵로 12길 34 301호로 이사했어요", "ko") == (
        "서울시 마포구 월드컵로 12길 34 301호"
    )
    assert find_address("고마워요", "ko") is None
    assert find_address("My new address is 45 King Road, Seoul", "en") == "45 King Road, Seoul"
    assert find_items("앞범퍼랑 사이드미러가 깨졌고 앞범퍼는 떨어졌어요", "ko") == [
        "앞범퍼",
        "사이드미러",
    ]
    assert find_items("They took my laptop, my phone and two suitcases", "en") == [
        "laptop",
        "phone",
        "suitcases",
    ]


def test_split_sentences() -> None:
    text = "오늘 사고가 났어요 차가 많이 부서졌어요. 그리고 병원에 갔어요"
    assert split_sentences(text, "ko") == [
        "오늘 사고가 났어요",
        "차가 많이 부서졌어요.",
        "그리고 병원에 갔어요",
    ]
    assert split_sentences("I crashed. Nobody was hurt! Can you help?", "en") == [
        "I crashed.",
        "Nobody was hurt!",
        "Can you help?",
    ]
    assert split_sentences("  ", "ko") == []


@pytest.mark.parametrize(
    "text",
    [
        "  회사  지하주차장에서\t박았어요 \n앞범퍼 ",
        "박지은(아내)입니다!!",
        "최수진이에요ㅠㅠ 😢 🚗 앞범퍼…",
        "TV랑 노트북이 망가졌어요",
        "",
    ],
)
def test_korean_doc_keeps_the_text(text: str) -> None:
    doc = spacy_spans._pipeline("ko").nlp(text)
    assert doc.text == text
    assert all(token.text for token in doc)


def test_empty_text() -> None:
    assert find_spans("", "ko") == []
    assert find_spans("   ", "en") == []
    assert find_person("", "en") is None


def test_the_same_from_many_threads() -> None:
    cases = ALL_CASES * 3
    expected = [find_spans(text, language) for text, language in cases]
    spacy_spans._find_spans.cache_clear()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda case: find_spans(*case), cases))
    assert results == expected


def test_a_message_takes_milliseconds() -> None:
    story = (
        "오늘 아침 8시 반쯤 회사 지하주차장 들어가다가 기둥에 박았어요 앞범퍼 깨졌고 사이드미러도 "
        "나갔어요. 아내 박지은이 옆에 타고 있었는데 다친 데는 없어요. 그 다음에 시청역 근처 "
        "정비소에 차를 맡겼고 견적은 내일 나온대요. 연락은 제 휴대폰으로 주세요 {}"
    )
    find_spans(story.format(0), "ko")
    started = time.perf_counter()
    for number in range(1, 21):  # new text every time: no cache
        find_spans(story.format(number), "ko")
    # ~3 ms on a busy two-core machine; the bound only catches a gross regression.
    assert (time.perf_counter() - started) / 20 < 0.025
