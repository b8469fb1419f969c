"""Places, people, relationships, damaged items and addresses in a customer message, with spaCy.

Two rule-based spaCy pipelines, no trained model (only ``spacy.blank``):

- Korean: ``spacy.blank("ko")`` with a Kiwi tokenizer instead of spaCy's MeCab one. Tokens are
  Kiwi morphemes, except that glued nouns make one token (지하+주차장 -> 지하주차장, 박+보검 ->
  박보검), so a compound, a name or a place name is one token followed by its particles.
- English: ``spacy.blank("en")``.

Each has an ``entity_ruler`` for the vocabulary and a ``sentencizer``. The Korean ruler matches
nouns on their last morpheme (범퍼 finds 앞범퍼, 주차장 finds 지하주차장); a few lines of
Python then add what needs context: modifiers before a place (회사 지하주차장), names with a
cue (씨, 님, 입니다, 으로 바꿔, a relationship next to them). The English side does the same
with a ``Matcher`` (in / at / on + a place noun phrase, capitalised names). Addresses are
regular expressions over the text. Results are character offsets into the original text,
without overlaps (the longest mention wins) and sorted by start.

Values: RELATIONSHIP -> spouse / child / parent / sibling / grandchild / grandparent; other
labels -> the text as written. A place is returned without its particle (에서, 에) or English
preposition and leading article: "in the car park on King Street" -> "car park on King Street",
"회사 지하주차장에서" -> "회사 지하주차장"; possessives stay ("in my kitchen" -> "my kitchen").

Only the words around a trigger (a vocabulary word, a name followed by 씨 / 입니다 ..., a city,
any Latin letter) go through Kiwi; the other words of a Korean message stay whole tokens. Kiwi
costs about 20 microseconds a character and is most of the time a call takes.

Pipelines are built once per process, lazily, and are only read after that; results are
cached per (text, language), since one message is asked for its place, person and items in turn.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from bot.nlp.spans import select_non_overlapping

PLACE = "PLACE"
PERSON = "PERSON"
RELATIONSHIP = "RELATIONSHIP"
ITEM = "ITEM"
ADDRESS = "ADDRESS"
LABELS = (PLACE, PERSON, RELATIONSHIP, ITEM, ADDRESS)
_CITY = "CITY"  # internal: a city is a place only after in / at / 에서

# Equal lengths: the more specific label wins.
_LABEL_RANK = {ADDRESS: 0, PLACE: 1, ITEM: 2, RELATIONSHIP: 3, PERSON: 4}
_CACHE_SIZE = 512


@dataclass(frozen=True)
class SpanFound:
    label: str  # PLACE, PERSON, RELATIONSHIP, ITEM, ADDRESS
    start: int  # character offsets into the original text
    end: int
    text: str
    value: str  # relationship key; otherwise the cleaned text


@dataclass(frozen=True)
class Person:
    name: str | None
    relationship: str | None  # spouse, child, parent, sibling, grandchild, grandparent


# --------------------------------------------------------------------------- vocabulary


def _words(text: str, separator: str | None = None) -> list[str]:
    return text.split(separator)


RELATIONSHIP_WORDS_KO: dict[str, str] = {
    **dict.fromkeys(("배우자", "아내", "와이프", "남편", "부인", "집사람", "신랑"), "spouse"),
    **dict.fromkeys(("아들", "딸", "자녀", "자식", "아드님", "따님"), "child"),
    **dict.fromkeys(
        ("어머니", "엄마", "아버지", "아빠", "부모", "어머님", "아버님", "모친", "부친"), "parent"
    ),
    **dict.fromkeys(
        ("형", "오빠", "누나", "언니", "동생", "남동생", "여동생", "형제", "자매", "형님"),
        "sibling",
    ),
    **dict.fromkeys(("손자", "손녀", "손주"), "grandchild"),
    **dict.fromkeys(("할머니", "할아버지", "조부모", "외할머니", "외할아버지"), "grandparent"),
}

RELATIONSHIP_WORDS_EN: dict[str, str] = {
    **dict.fromkeys(("spouse", "wife", "husband", "partner"), "spouse"),
    **dict.fromkeys(("son", "daughter", "child", "children", "kid", "kids"), "child"),
    **dict.fromkeys(
        ("mother", "mum", "mom", "father", "dad", "parent", "parents", "mummy", "mommy", "daddy"),
        "parent",
    ),
    **dict.fromkeys(("brother", "sister", "sibling", "siblings"), "sibling"),
    **dict.fromkeys(("grandson", "granddaughter", "grandchild", "grandchildren"), "grandchild"),
    **dict.fromkeys(
        ("grandmother", "grandfather", "grandma", "grandpa", "grandparent", "grandparents",
         "granny", "grandad", "granddad"),
        "grandparent",
    ),
}  # fmt: skip

ITEMS_KO = _words(
    "범퍼 사이드미러 백미러 룸미러 미러 문짝 도어 헤드라이트 전조등 후미등 라이트 타이어 휠 "
    "유리 앞유리 뒷유리 유리창 창문 보닛 본넷 트렁크 펜더 휀다 천장 벽지 바닥 장판 마루 타일 "
    "가구 소파 침대 식탁 노트북 휴대폰 핸드폰 스마트폰 휴대전화 태블릿 아이패드 아이폰 가방 "
    "캐리어 여행가방 배낭 지갑 여권 카메라 시계 손목시계 안경 선글라스 티비 텔레비전 냉장고 "
    "세탁기 에어컨 컴퓨터 모니터 자전거 반지 목걸이 귀걸이 이어폰"
)
_ITEMS_KO_LATIN = ("TV", "LED", "PC")
# Glued or spaced before an item: 앞범퍼, 운전석 문짝, 조수석 사이드미러.
_ITEM_PREFIXES_KO = _words(
    "앞 뒷 뒤 앞쪽 뒤쪽 좌측 우측 왼쪽 오른쪽 운전석 조수석 전면 후면 측면 차량 자동차 차 사이드"
)

ITEMS_EN = _words(
    "bumper|front bumper|rear bumper|wing mirror|side mirror|rear-view mirror|mirror|windscreen|"
    "windshield|rear windscreen|headlight|headlamp|tail light|taillight|tyre|tire|wheel|bonnet|"
    "car door|door panel|ceiling|floor|flooring|carpet|wallpaper|laptop|phone|mobile phone|"
    "smartphone|mobile|iphone|tablet|ipad|bag|handbag|backpack|suitcase|luggage|wallet|purse|"
    "passport|camera|glasses|sunglasses|fridge|refrigerator|freezer|washing machine|dishwasher|"
    "tv|television|computer|monitor|bike|bicycle|necklace|earrings|earphones|headphones|sofa",
    "|",
)
# Nouns that are also verbs ("I watch", "ring me"): items only after a determiner.
_AMBIGUOUS_ITEMS_EN = ("watch", "ring", "case")
_PLURAL_EXCEPTIONS_EN = {"glasses", "sunglasses", "luggage", "earrings", "earphones", "headphones"}

PLACE_HEADS_KO = _words(
    "주차장 지하주차장 사거리 삼거리 오거리 교차로 로터리 역 지하철역 전철역 기차역 공항 "
    "터미널 정류장 정류소 호텔 모텔 리조트 펜션 숙소 병원 의원 약국 집 아파트 빌라 주택 "
    "오피스텔 회사 사무실 학교 유치원 어린이집 마트 백화점 편의점 상가 가게 매장 식당 카페 "
    "커피숍 술집 도로 고속도로 국도 대로 갓길 터널 대교 육교 골목 골목길 횡단보도 주유소 "
    "휴게소 톨게이트 나들목 화장실 주방 부엌 욕실 베란다 발코니 거실 안방 현관 계단 엘리베이터 "
    "로비 복도 마당 옥상 지하실 창고 공원 놀이터 수영장 헬스장 체육관 운동장 해변 해수욕장 "
    "스키장 캠핑장 은행 건물 빌딩 공장 공사장 세차장 정비소 드레스룸 다용도실 세탁실 작은방 "
    "큰방 서재 주차타워 놀이공원"
)
# Also a body part, a mayor, ... : a place only inside a proper-noun compound (한강다리).
_AMBIGUOUS_HEADS_KO = ("다리", "시장", "방", "길")
# Proper nouns ending like this are places: 시청역, 인천공항, 올림픽대로, 성수대교, 이마트.
_PROPER_PLACE_SUFFIX_KO = re.compile(
    r"(?:역|공항|호텔|병원|대로|도로|터널|대교|다리|마트|백화점|공원|시장|해수욕장|사거리|"
    r"삼거리|교차로|터미널|아파트|빌딩|타워|학교|톨게이트|나들목|휴게소|리조트|IC|몰|센터)$"
)
_NOT_PLACES_KO = {"보험회사", "보험사", "카드회사", "카드사", "회사원", "역시", "지역", "영역"}
_PLACE_MODIFIERS_KO = {"우리", "저희", "지하", "지상", "옥외", "실내", "야외", "점", "지점", "호점"}
_POSITIONS_KO = {
    "앞", "뒤", "옆", "근처", "부근", "건너편", "맞은편", "입구", "출구", "앞쪽", "뒤쪽", "안",
    "밖", "쪽", "사이", "주변", "인근", "위", "아래", "밑",
}  # fmt: skip
CITIES_KO = _words(
    "서울 부산 대구 인천 광주 대전 울산 세종 제주 제주도 수원 성남 고양 용인 창원 청주 전주 "
    "천안 포항 강릉 춘천 경주 여수 속초 도쿄 오사카 교토 후쿠오카 삿포로 오키나와 베이징 "
    "상하이 홍콩 타이베이 방콕 파타야 푸켓 다낭 나트랑 하노이 호치민 세부 보라카이 발리 "
    "싱가포르 괌 사이판 하와이 뉴욕 로스앤젤레스 샌프란시스코 시애틀 라스베이거스 런던 파리 "
    "로마 바르셀로나 마드리드 프라하 베를린 뮌헨 암스테르담 취리히 빈 이스탄불 두바이 시드니 "
    "멜버른 일본 중국 대만 태국 베트남 필리핀 미국 영국 프랑스 이탈리아 스페인 독일 호주"
)

_PREPOSITIONS_EN = (
    "in", "at", "on", "into", "onto", "near", "outside", "inside", "by", "behind", "opposite",
    "off", "under", "beside", "past", "through",
)  # fmt: skip
_ARTICLES_EN = ("the", "a", "an")
_NAMED_PLACE_ENDS_EN = {
    "world", "land", "mall", "centre", "center", "tower", "market", "plaza", "square",
    "beach", "pier", "village", "resort", "stadium", "arena", "palace", "outlet", "outlets",
}  # fmt: skip
_NAMED_PLACE_STOP_EN = {
    "the", "a", "an", "my", "our", "this", "that", "whole", "entire", "new", "old", "around",
    "about", "of", "and", "or", "in", "at", "on",
}  # fmt: skip
_DETERMINERS_EN = (
    *_ARTICLES_EN, "my", "our", "his", "her", "their", "your", "this", "that", "its", "some",
)  # fmt: skip
PLACE_HEADS_EN = _words(
    "car park|parking lot|parking garage|parking space|parking bay|garage|multi-storey|"
    "intersection|junction|roundabout|crossroads|traffic lights|crossing|zebra crossing|"
    "station|train station|bus station|petrol station|gas station|service station|bus stop|"
    "airport|terminal|platform|hotel|motel|hostel|resort|hospital|clinic|pharmacy|flat|"
    "apartment|house|home|building|office|work|school|nursery|university|supermarket|shop|"
    "store|mall|shopping centre|shopping center|market|restaurant|cafe|café|bar|pub|gym|pool|"
    "swimming pool|beach|park|playground|campsite|motorway|highway|freeway|road|street|lane|"
    "avenue|bridge|tunnel|roundabout|driveway|drive|pavement|sidewalk|kitchen|bathroom|"
    "bedroom|living room|lounge|hallway|hall|stairs|staircase|garden|balcony|loft|attic|"
    "basement|cellar|toilet|toilets|lobby|reception|lift|elevator|car wash",
    "|",
)
_STREET_SUFFIXES_EN = _words(
    "street st st. road rd rd. avenue ave ave. lane ln drive dr close way place pl court ct "
    "crescent terrace gardens square boulevard blvd hill row mews grove bridge highway"
)
# Not "park": Daniel Park is a person; "in Hyde Park" is found through the preposition.
_NAMED_PLACE_HEADS_EN = _words(
    "airport station hotel hospital bridge tunnel mall market centre center tower "
    "terminal beach resort university school"
)
_PLACE_MODIFIERS_EN = set(
    _words(
        "hotel office supermarket underground multi-storey multistorey shopping train bus petrol "
        "gas staff public main local long-stay short-stay long short stay hospital airport "
        "station school work company apartment building residents visitor visitors customer "
        "rear front back side upstairs downstairs ground basement outdoor indoor private "
        "covered open-air car friend friend's friends neighbour neighbour's neighbor neighbor's "
        "'s old new big small busy quiet same usual nearby kitchen bathroom garden family "
        "mum mom dad parents sister brother son daughter wife husband north south east west"
    )
)
CITIES_EN = _words(
    "seoul|busan|incheon|daegu|daejeon|gwangju|ulsan|jeju|suwon|tokyo|osaka|kyoto|fukuoka|"
    "sapporo|okinawa|beijing|shanghai|hong kong|taipei|bangkok|phuket|pattaya|da nang|hanoi|"
    "ho chi minh city|saigon|manila|cebu|boracay|bali|singapore|kuala lumpur|guam|saipan|"
    "hawaii|honolulu|new york|los angeles|san francisco|seattle|las vegas|chicago|boston|"
    "london|paris|rome|milan|venice|florence|barcelona|madrid|lisbon|prague|berlin|munich|"
    "amsterdam|zurich|vienna|istanbul|dubai|sydney|melbourne|edinburgh|manchester|dublin|"
    "japan|china|taiwan|thailand|vietnam|philippines|korea|america|france|italy|spain|"
    "germany|australia|scotland|england|ireland",
    "|",
)

# Common surnames; 남궁, 황보 ... are two syllables.
_SURNAMES = _words(
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 "
    "심 노 하 곽 성 차 주 우 구 민 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 석 선 설 길 연 위 "
    "표 명 반 라 왕 금 옥 육 맹 탁 국 편 봉"
)
_COMPOUND_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문")
_SURNAME_ALT = "|".join((*_COMPOUND_SURNAMES, *_SURNAMES))
_KO_NAME_SHAPE = re.compile(
    rf"(?:{'|'.join(_COMPOUND_SURNAMES)})[가-힣]{{1,2}}|(?:{'|'.join(_SURNAMES)})[가-힣]{{1,3}}"
)
# Everyday words that start like a surname and can stand where a name does ("이거예요").
_NOT_NAMES_KO = set(
    _words(
        "이거 이것 이걸 이건 이게 이번 이상 이전 이후 이름 이사 이유 이용 이체 이미 이제 이쪽 "
        "이런 이해 이혼 이동 이외 이내 이하 이자 이의 이메일 정말 정도 정보 정상 정리 정산 "
        "정비 정지 정신 정기 정액 정비소 조금 조회 조건 조치 조사 조정 오늘 오전 오후 오류 "
        "오른쪽 오토바이 고객 고장 고민 고지 고지서 고속도로 강아지 강제 강남 김치 박스 박사 최근 "
        "최대 최소 최종 최초 최고 한번 한도 한국 한쪽 한달 장소 장기 장애 장례 장례식 장난 "
        "임시 임신 임대 서류 서비스 서울 서명 신청 신고 신분증 신용 신규 신경 권리 황당 안내 "
        "안녕 안전 안경 안방 송금 유지 유리 유선 유효 유족 전화 전체 전부 전액 전날 전혀 "
        "전기 전세 홍보 문의 문제 문자 문서 문짝 양식 양쪽 손해 손님 손상 배우자 배상 배송 "
        "백신 허리 허가 남편 남자 남동생 심사 심장 노트북 하루 하나 성함 성별 성인 차량 차이 "
        "차장 주소 주민 주차 주차장 주의 주말 주방 주임 우리 우편 우선 우측 구매 구청 구조 "
        "구입 민원 진단 진단서 진료 진행 진짜 지금 지난 지갑 지역 지급 지원 엄마 채팅 원래 "
        "원인 천장 방금 방문 방법 공항 공사 현금 현재 현관 변경 연락 연락처 연세 위치 위험 "
        "표시 명의 반품 왕복 금액 국가 여권 여기 여행 선생 선생님 선택 석고 길이 남궁 황보 "
        "진심 정확 정정 조카 고모 이모 삼촌 외삼촌 사촌 할머니 할아버지 손자 손녀 형님 "
        "성수대교 노원 송파 강서 강동 서초 구로 관악 마포 용산 성북 중랑 동작 양천 은평 "
        "한강 부산 대구 인천 광주 대전 울산 세종 제주 수원 성남 고양 용인 창원 청주 전주"
    )
)
_NAME_TITLES_KO = ("씨", "님")
_COPULA_CUES_KO = {
    "예요", "에요", "이에요", "입니다", "이고", "이며", "이라는", "라는", "이라고", "라고", "야",
    "이야", "이요", "요",
}  # fmt: skip
_NAME_LABELS_KO = {
    "이름", "성함", "명의", "예금주", "수익자", "피보험자", "계약자", "운전자", "보호자",
    "상대방", "가해자", "피해자",
}  # fmt: skip
_CHANGE_VERBS_KO = ("바꿔", "바꾸", "변경", "지정", "수정", "등록", "해", "하", "올려", "넣어")

_NOT_NAMES_EN = set(
    _words(
        "i i'm i've it it's we you he she they my our your his her their me us the a an this "
        "that these those there here then so but and or if when what where why how who which "
        "yes yeah no not ok okay hi hello hey dear thanks thank please sorry sure great good "
        "fine well also just can could would should will shall may might must do does did is "
        "are was were be been have has had get got let lets let's after before today tomorrow "
        "yesterday tonight morning evening night last next monday tuesday wednesday thursday "
        "friday saturday sunday january february march april may june july august september "
        "october november december mr mrs ms miss dr mr. mrs. ms. dr. sir madam street st road "
        "rd avenue ave "
        "lane drive close way place court crescent terrace gardens square boulevard hill row "
        "airport station hotel hospital bridge tunnel mall market centre center tower "
        "insurance policy claim claims account customer service team support number car bus "
        "train flight north south east west new old big little great royal saint san los las "
        "de du la le van von kingdom united states republic city town county london seoul "
        "english korean british american christmas easter google apple samsung iphone ipad "
        "tv wife husband son daughter mother father mum mom dad brother sister partner "
        "grandma grandpa granny uncle aunt cousin friend neighbour neighbor boss doctor nurse"
    )
)

# --------------------------------------------------------------------------- addresses

_KO_REGIONS = (
    "서울특별시|서울시|서울|부산광역시|부산시|부산|대구광역시|대구시|대구|인천광역시|인천시|"
    "인천|광주광역시|광주시|광주|대전광역시|대전시|대전|울산광역시|울산시|울산|"
    "세종특별자치시|세종시|세종|경기도|경기|강원특별자치도|강원도|강원|충청북도|충북|"
    "충청남도|충남|전북특별자치도|전라북도|전북|전라남도|전남|경상북도|경북|경상남도|경남|"
    "제주특별자치도|제주도|제주"
)
_KO_NOT_CITY = "다시|역시|당시|즉시|동시|임시|항시|수시|혹시|잠시|평시|정시|일시|전시|감시|무시"
_KO_ADDRESS = re.compile(
    rf"(?<![가-힣A-Za-z0-9])"
    rf"(?:(?P<region>{_KO_REGIONS})\s*)?"
    rf"(?:(?P<city>(?!(?:{_KO_NOT_CITY})(?![가-힣]))[가-힣]{{1,4}}시)\s+)?"
    rf"(?:(?P<district>[가-힣]{{1,5}}(?:구|군))\s+)?"
    rf"(?:[가-힣]{{1,6}}(?:읍|면)\s+)?"
    rf"(?:"
    rf"(?P<road>[가-힣0-9]{{1,12}}(?:로|길))(?:\s*\d+(?:번)?길)?\s*\d+(?:-\d+)?(?:번지)?"
    rf"|(?P<dong>[가-힣0-9]{{1,8}}(?:동|리|가))\s*\d+(?:-\d+)?(?:번지)?"
    rf")"
    # then a dong name, a building, and its 동 / 층 / 호, in any order, each optional
    rf"(?:\s*,?\s*(?:[가-힣]{{1,8}}동(?![0-9가-힣])|[가-힣A-Za-z0-9]{{1,20}}"
    rf"(?:아파트|빌라|오피스텔|맨션|타워|빌딩|센터|하우스)|\d+동|\d+층|\d+호))*"
    rf"(?:\s*\([가-힣0-9\s,.-]{{1,20}}\))?"
)
_EN_STREET_SUFFIX = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Place|Pl|Court|Ct|Crescent|"
    r"Terrace|Gardens|Square|Sq|Boulevard|Blvd|Hill|Row|Mews|Grove|Parade|Walk)\.?"
)
_EN_ADDRESS = re.compile(
    rf"(?<![\w])"
    rf"(?:(?:Flat|Apt\.?|Apartment|Unit|Suite|Room)\s+\d+[A-Za-z]?,?\s+)?"
    rf"(?:[A-Z][A-Za-z]+\s+(?:House|Court|Building|Tower|Mansions),?\s+)?"
    rf"\d+[A-Za-z]?(?:-\d+)?,?\s+(?:[A-Z][A-Za-z'’-]+\s+){{1,3}}{_EN_STREET_SUFFIX}"
    rf"(?:,\s*[A-Z][a-z][A-Za-z-]*(?:\s+[A-Z][a-z][A-Za-z-]*)?)?"
    rf"(?:,?\s+[A-Z]{{1,2}}\d[A-Z\d]?\s*\d[A-Z]{{2}}|,?\s+\d{{5}}(?:-\d{{4}})?)?"
)

# --------------------------------------------------------------------------- Korean tokenizer

_HANGUL_WORD = re.compile(r"[가-힣]+")
_NOUN_TAGS = {"NNG", "NNP", "NR", "SN", "SL", "SH"}
_NOT_JOINED_SUFFIXES = {"님", "씨", "쯤", "께", "씩", "경", "가량", "들", "짜리", "째", "이", "분"}
_TRAILING_PUNCT = re.compile(r"[.,!?~…。、]+$")
_KIWI_LOCK = threading.Lock()
_kiwi_instance: Any = None
_kiwi_config: Any = None
# Kiwi's beam keeps candidates within this score of the best (its default is 8); 5 gave the
# same analyses on the test messages, about a quarter faster.
KIWI_CUTOFF_THRESHOLD = 5.0


def _kiwi() -> Any:
    """One Kiwi analyser per process: loading its model takes seconds and ~100 MB."""
    global _kiwi_instance, _kiwi_config
    with _KIWI_LOCK:
        if _kiwi_instance is None:
            from kiwipiepy import Kiwi

            kiwi = Kiwi()
            _kiwi_config = dataclasses.replace(
                kiwi.global_config, cutoff_threshold=KIWI_CUTOFF_THRESHOLD
            )
            _kiwi_instance = kiwi
        return _kiwi_instance


def _kiwi_tokens(text: str) -> list[Any]:
    kiwi = _kiwi()
    with _KIWI_LOCK:  # kiwipiepy does not promise thread safety
        return list(kiwi.tokenize(text, override_config=_kiwi_config))


@dataclass
class _Piece:
    start: int
    end: int
    tag: str
    head: str  # the form of the last morpheme: 주차장 in 지하주차장
    parts: int = 1
    proper: bool = False  # Kiwi saw a proper noun in it, or split it into single syllables


def _morpheme_pieces(text: str, offset: int) -> list[_Piece]:
    """Kiwi morphemes of ``text`` as non-overlapping pieces with offsets shifted by ``offset``."""
    pieces: list[_Piece] = []
    for morph in _kiwi_tokens(text):
        start = offset + morph.start
        end = start + morph.len
        if start == end:
            # Kiwi sometimes folds the copula of 이에요 into an unknown name (최수진이 + 이/VCP
            # of length 0): give the 이 back to the copula.
            previous = pieces[-1] if pieces else None
            if (
                morph.tag == "VCP"
                and previous is not None
                and previous.end == start
                and previous.tag in ("NNP", "NNG")
                and previous.end - previous.start >= 3
                and text[start - offset - 1 : start - offset + 1] == "이에"
            ):
                previous.end -= 1
                previous.head = previous.head[:-1] or previous.head
                pieces.append(_Piece(start - 1, start, "VCP", "이"))
            continue
        if pieces and start < pieces[-1].end:  # contractions share characters: 했 = 하 + 었
            pieces[-1].end = max(pieces[-1].end, end)
            continue
        pieces.append(_Piece(start, end, morph.tag, morph.form, proper=morph.tag == "NNP"))
    return pieces


def _joins(chunk: _Piece, last_tag: str, piece: _Piece, text: str) -> bool:
    if chunk.end != piece.start:
        return False
    if piece.tag in _NOUN_TAGS:
        return last_tag in _NOUN_TAGS or last_tag in ("MM", "XPN")
    if piece.tag == "XSN":
        return last_tag in _NOUN_TAGS and text[piece.start : piece.end] not in _NOT_JOINED_SUFFIXES
    if piece.tag == "NNB":
        return last_tag in ("SN", "NR") and text[piece.start : piece.end] not in ("씨", "님")
    return False


def _glue_nouns(pieces: list[_Piece], text: str) -> list[_Piece]:
    """Glued nouns become one piece; particles, endings and 씨 / 님 stay apart."""
    chunks: list[_Piece] = []
    last_tag = ""
    for piece in pieces:
        if chunks and _joins(chunks[-1], last_tag, piece, text):
            chunk = chunks[-1]
            chunk.end = piece.end
            chunk.parts += 1
            chunk.head = piece.head
            chunk.proper = chunk.proper or piece.proper or piece.end - piece.start == 1
            if chunk.tag not in ("SN", "NR", "SL", "MM", "XPN"):
                chunk.tag = piece.tag
        else:
            first = piece.proper or piece.end - piece.start == 1 or piece.tag == "MM"
            chunks.append(_Piece(piece.start, piece.end, piece.tag, piece.head, 1, first))
        last_tag = piece.tag
    for chunk in chunks:
        if chunk.parts == 1:
            chunk.proper = chunk.tag == "NNP"
        elif chunk.tag not in ("SN", "NR", "SL"):
            # Kiwi splits names it does not know into syllables (박 + 보검, 구 + 혜 + 선).
            if chunk.proper:
                chunk.tag = "NNP"
            elif chunk.tag in ("MM", "XPN"):
                chunk.tag = "NNG"
    return chunks


def _korean_relationship_words() -> dict[str, str]:
    children = {
        prefix + child: "child"
        for prefix in ("막내", "큰", "작은", "둘째", "첫째", "셋째", "외동", "외")
        for child in ("딸", "아들")
    }
    return {**RELATIONSHIP_WORDS_KO, **children, "부모님": "parent"}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))


# Which words Kiwi must see, and how many words around them: a place noun with the modifier
# before it and the position after it (회사 지하주차장, 시청역 앞), an item with a spaced prefix
# (운전석 문짝), a relationship or a name label with the name next to it; a name with its cue
# (박지은으로, 최수진이에요, 김철수 씨), a city, a Latin word, on their own.
_KO_TRIGGERS = (
    (
        re.compile(_alternation((*PLACE_HEADS_KO, *_AMBIGUOUS_HEADS_KO, "대교", "대로", "공항",
                                 "역", "호텔", "터널", "병원", "마트", "센터", "타워"))),
        1,
        1,
    ),
    (re.compile(_alternation((*ITEMS_KO, *_ITEMS_KO_LATIN))), 1, 0),
    (re.compile(_alternation((*_korean_relationship_words(), *_NAME_LABELS_KO))), 1, 1),
    (re.compile(r"(?<!\S)(?:씨|님)"), 1, 0),
    (
        re.compile(
            rf"(?<!\S)(?:{_SURNAME_ALT})[가-힣]{{1,3}}(?:씨|님|입니다|이에요|예요|이고|이며|"
            rf"이라는|라는|이라고|라고|으로|로|이랑|랑|하고)"
            rf"|{_alternation(CITIES_KO)}|[A-Za-z]"
        ),
        0,
        0,
    ),
)  # fmt: skip
_WORD = re.compile(r"\S+")
_VERB_ENDING = re.compile(
    r"(?:요|다|죠|고|[아어여해와워져]서|면|며|니|는데|지만|다가|까|네)[.!?~]*$"
)
_LATIN = re.compile("[A-Za-z]")


def _korean_pieces(text: str) -> list[_Piece]:
    """Kiwi pieces for the words around a trigger, one piece per word elsewhere."""
    words = [(match.start(), match.end()) for match in _WORD.finditer(text)]
    starts = [start for start, _ in words]
    wanted = [False] * len(words)
    for trigger, before, after in _KO_TRIGGERS:
        for match in trigger.finditer(text):
            index = bisect.bisect_right(starts, match.start()) - 1
            wanted[index] = True
            for near in range(max(0, index - before), min(len(words), index + after + 1)):
                # A neighbour is read for a modifier or a name; a verb is neither.
                if not _VERB_ENDING.search(text, *words[near]):
                    wanted[near] = True
    pieces: list[_Piece] = []
    index = 0
    while index < len(words):
        start, end = words[index]
        if not wanted[index]:
            punct = _TRAILING_PUNCT.search(text, start, end)
            cut = punct.start() if punct and punct.start() > start else end
            pieces.append(_Piece(start, cut, "X", text[start:cut]))
            if cut < end:
                pieces.append(_Piece(cut, end, "SF", text[cut:end]))
            index += 1
            continue
        last = index
        while last + 1 < len(words) and wanted[last + 1]:
            last += 1
        region_start, region_end = start, words[last][1]
        region = _morpheme_pieces(text[region_start:region_end], region_start)
        pieces.extend(_glue_nouns(_fill_gaps(region, text, region_start, region_end), text))
        index = last + 1
    return pieces


def _fill_gaps(pieces: list[_Piece], text: str, start: int, end: int) -> list[_Piece]:
    """Characters Kiwi left out (rare symbols) become pieces of their own."""
    filled: list[_Piece] = []
    position = start
    for piece in [*pieces, _Piece(end, end, "", "")]:
        for match in _WORD.finditer(text, position, piece.start):
            filled.append(_Piece(match.start(), match.end(), "SW", match.group()))
        if piece.end > piece.start:
            filled.append(piece)
        position = max(position, piece.end)
    return filled


class KiwiTokenizer:
    """spaCy tokenizer for Korean: Kiwi morphemes, glued nouns joined (see the module doc).

    ``tag_`` is Kiwi's part of speech (NNP also for names Kiwi split into syllables), ``lemma_``
    the last morpheme of a noun (주차장 for 지하주차장) and the text of anything else; ``doc.text``
    is the input. Words far from any trigger are single tokens tagged X.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        lemmas: list[str] = []
        position = 0
        for piece in _korean_pieces(text):
            if piece.start > position:
                gap = text[position : piece.start]
                if words and gap[0] == " ":
                    spaces[-1] = True
                    gap = gap[1:]
                if gap:
                    words.append(gap)
                    spaces.append(False)
                    tags.append("_SP")
                    lemmas.append(gap)
            words.append(text[piece.start : piece.end])
            spaces.append(False)
            tags.append(piece.tag)
            # Nouns are matched by their last morpheme (주차장 in 지하주차장); the rest by text,
            # so that 집어 (집다) is not 집.
            lemmas.append(piece.head if piece.tag in _NOUN_TAGS else words[-1])
            position = piece.end
        if position < len(text):
            gap = text[position:]
            if words and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
                tags.append("_SP")
                lemmas.append(gap)
        return Doc(self.vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas)

    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> KiwiTokenizer:
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        return None

    def from_disk(self, path: Any, **kwargs: Any) -> KiwiTokenizer:
        return self


@spacy.registry.tokenizers("bodam.kiwi_tokenizer.v1")
def create_kiwi_tokenizer() -> Callable[[Language], KiwiTokenizer]:
    def create(nlp: Language) -> KiwiTokenizer:
        return KiwiTokenizer(nlp.vocab)

    return create


# --------------------------------------------------------------------------- patterns

Pattern = list[dict[str, Any]]
_HEAD = "PLACE_HEAD"  # internal (English): a place noun, a place only after in / at / on


@dataclass(frozen=True)
class _Rule:
    """Matcher patterns for one label; edge tokens for which ``strip`` is true are dropped."""

    label: str
    patterns: Sequence[Pattern]
    strip: Callable[[Token], bool]


def _plural(word: str) -> str:
    if word in _PLURAL_EXCEPTIONS_EN or word.endswith("s"):
        return word
    if word.endswith(("ch", "sh", "x")):
        return word + "es"
    return word + "s"


def _korean_ruler_patterns() -> list[dict[str, Any]]:
    """Phrase patterns, matched on ``lemma_``: a noun by its last morpheme, so 범퍼 finds 앞범퍼
    and 주차장 finds 지하주차장 (one hash lookup per token, where token predicates cost a call)."""
    items = [*ITEMS_KO, *_ITEMS_KO_LATIN]
    return [
        *({"label": RELATIONSHIP, "pattern": word} for word in _korean_relationship_words()),
        *({"label": ITEM, "pattern": item} for item in items),
        {"label": ITEM, "pattern": [{"TEXT": {"IN": _ITEM_PREFIXES_KO}},
                                    {"LEMMA": {"IN": items}, "TAG": {"IN": ["NNG", "NNP", "SL"]}}]},
        *({"label": PLACE, "pattern": head} for head in PLACE_HEADS_KO),
        *({"label": _CITY, "pattern": city} for city in CITIES_KO),
    ]  # fmt: skip


def _english_ruler_patterns() -> list[dict[str, Any]]:
    patterns: list[dict[str, Any]] = []
    for word in RELATIONSHIP_WORDS_EN:
        patterns.append({"label": RELATIONSHIP, "pattern": word})
    for item in ITEMS_EN:
        for form in {item, _plural(item)}:
            patterns.append({"label": ITEM, "pattern": form})
    for head in PLACE_HEADS_EN:
        patterns.append({"label": _HEAD, "pattern": head})
    for city in CITIES_EN:
        patterns.append({"label": _CITY, "pattern": city})
    title = {"IS_TITLE": True, "LOWER": {"NOT_IN": sorted(_NOT_NAMES_EN)}}
    for suffixes in (_STREET_SUFFIXES_EN, _NAMED_PLACE_HEADS_EN):
        patterns.append(
            {"label": PLACE, "pattern": [{**title, "OP": "{1,3}"}, {"LOWER": {"IN": suffixes}}]}
        )
    return patterns


def _name_token_en() -> dict[str, Any]:
    return {
        "IS_TITLE": True,
        "LENGTH": {">=": 2},
        "LOWER": {"NOT_IN": sorted(_NOT_NAMES_EN)},
        "ENT_TYPE": {"NOT_IN": [PLACE, _CITY, ITEM, RELATIONSHIP]},
    }


def _is_name_part_en(token: Token) -> bool:
    return token.is_title and len(token) >= 2 and token.lower_ not in _NOT_NAMES_EN


def _english_person_rule() -> _Rule:
    name = _name_token_en()
    more = {**name, "OP": "{0,2}"}
    titles = ["mr", "mrs", "ms", "miss", "dr", "mr.", "mrs.", "ms.", "dr."]
    return _Rule(
        PERSON,
        [
            [name, name, more],
            [{"ENT_TYPE": RELATIONSHIP}, {"ORTH": ",", "OP": "?"}, name, more],
            [{"LOWER": {"IN": ["name", "named", "called"]}},
             {"LOWER": {"IN": ["is", "'s", ":", "was"]}, "OP": "?"}, name, more],
            [{"LOWER": {"IN": titles}}, {"ORTH": ".", "OP": "?"}, name, more],
        ],
        lambda token: not _is_name_part_en(token),
    )  # fmt: skip


def _english_rules() -> dict[str, _Rule]:
    preposition = {"LOWER": {"IN": list(_PREPOSITIONS_EN)}}
    determiner = {"LOWER": {"IN": list(_DETERMINERS_EN)}, "OP": "?"}
    modifiers = {"LOWER": {"IN": sorted(_PLACE_MODIFIERS_EN)}, "OP": "{0,3}"}
    proper = {"IS_TITLE": True, "LOWER": {"NOT_IN": sorted(_NOT_NAMES_EN)}, "OP": "{1,2}"}
    head = {"ENT_TYPE": _HEAD, "OP": "+"}
    connector = {"LOWER": {"IN": ["on", "in", "at", "off", "near", "by", "of"]}}
    named = {"ENT_TYPE": {"IN": [PLACE, _CITY]}, "OP": "+"}
    places: list[Pattern] = []
    for start in (
        [preposition, determiner, modifiers, head],
        [preposition, determiner, proper, modifiers, head],
    ):
        places.append(start)
        places.append([*start, connector, determiner, named])
        # the junction of Oxford Street and Regent Street
        places.append([*start, connector, determiner, named, {"LOWER": "and"}, named])
    # a named place typed in lower case: "at lotte world", "the car park at coex mall"
    lower_named = [
        {"IS_ALPHA": True, "LOWER": {"NOT_IN": sorted(_NAMED_PLACE_STOP_EN)}},
        {"LOWER": {"IN": sorted(_NAMED_PLACE_ENDS_EN)}},
    ]
    places.append([{"LOWER": {"IN": ["at", "in", "near", "outside"]}}, *lower_named])
    for start in ([preposition, determiner, modifiers, head],):
        places.append([*start, {"LOWER": {"IN": ["at", "in", "near", "of"]}}, *lower_named])
    places.append([{"LOWER": {"IN": ["the", "on", "onto", "off"]}},
                   {"TEXT": {"REGEX": r"^[MAB]\d{1,4}$"}}])  # fmt: skip
    city_prepositions = ["in", "at", "near", "outside", "around"]
    places.append([{"LOWER": {"IN": city_prepositions}}, {"ENT_TYPE": _CITY, "OP": "+"}])
    determiners = [*_DETERMINERS_EN, "new", "old", "gold", "smart", "wedding"]
    ambiguous = [word for item in _AMBIGUOUS_ITEMS_EN for word in (item, _plural(item))]

    def leading_words(token: Token) -> bool:
        return token.lower_ in _PREPOSITIONS_EN or token.lower_ in _ARTICLES_EN

    return {
        "en_place": _Rule(PLACE, places, leading_words),
        "en_item": _Rule(
            ITEM,
            [[{"LOWER": {"IN": determiners}}, {"LOWER": {"IN": ambiguous}}]],
            lambda token: token.lower_ in determiners,
        ),
        "en_person": _english_person_rule(),
    }


# --------------------------------------------------------------------------- Korean context


@dataclass(frozen=True)
class _Tokens:
    """Plain lists of what the Korean rules read: spaCy builds a new Token object on every
    ``doc[i]``, which costs more than the rules themselves."""

    text: list[str]
    tag: list[str]
    lemma: list[str]
    ent: list[str]
    starts_word: list[bool]
    start: list[int]
    end: list[int]

    @classmethod
    def of(cls, doc: Doc) -> _Tokens:
        tokens = list(doc)
        text = [token.text for token in tokens]
        tag = [token.tag_ for token in tokens]
        starts_word = [True] * len(tokens)
        for i in range(1, len(tokens)):
            starts_word[i] = bool(tokens[i - 1].whitespace_) or tag[i - 1] in ("SF", "SP", "SS")
        return cls(
            text,
            tag,
            [token.lemma_ for token in tokens],
            [token.ent_type_ for token in tokens],
            starts_word,
            [token.idx for token in tokens],
            [token.idx + len(token) for token in tokens],
        )


_SURNAME_INITIALS = frozenset(_SURNAMES) | {surname[0] for surname in _COMPOUND_SURNAMES}
_NOT_SIDE_MODIFIERS = {"왼쪽", "오른쪽", "안", "밖", "쪽", "사이"}
_FLOOR = re.compile(r"(?:지하)?\d+층")
_KO_PLACE_END = re.compile(f"(?:{_alternation(PLACE_HEADS_KO)})$")


def _is_ko_name(tokens: _Tokens, i: int) -> bool:
    text = tokens.text[i]
    return (
        text[:1] in _SURNAME_INITIALS
        and tokens.tag[i] in ("NNP", "NNG")
        and not tokens.ent[i]
        and text not in _NOT_NAMES_KO
        and tokens.starts_word[i]
        and _KO_NAME_SHAPE.fullmatch(text) is not None
    )


def _is_ko_place_modifier(tokens: _Tokens, i: int, *, sides: bool = True) -> bool:
    text = tokens.text[i]
    if not sides and text in _NOT_SIDE_MODIFIERS:
        return False
    return (
        tokens.ent[i] in (PLACE, _CITY)
        or text in _PLACE_MODIFIERS_KO
        or text in _POSITIONS_KO
        or (tokens.tag[i] == "NNP" and _HANGUL_WORD.fullmatch(text) is not None)
        or _FLOOR.fullmatch(text) is not None
        # a branch: 성수점, 강남역점
        or (len(text) >= 2 and text.endswith("점") and tokens.tag[i] in ("NNG", "NNP"))
    )


def _korean_places(tokens: _Tokens) -> Iterable[tuple[int, int]]:
    """Token ranges of places: place nouns with up to two modifiers before them (회사
    지하주차장, 집 앞 골목) and a position after (시청역 앞). Place nouns are the ruler's,
    proper nouns ending like a place (시청역, 인천공항), ambiguous heads in a proper compound
    (한강다리) or after a modifier (한강 다리), and cities before 에서."""
    count = len(tokens.text)
    for i in range(count):
        text, tag, lemma, ent = tokens.text[i], tokens.tag[i], tokens.lemma[i], tokens.ent[i]
        if ent == _CITY:
            if i + 1 < count and tokens.text[i + 1] in ("에서", "에", "에서의"):
                yield i, i + 1
        elif (
            ent == PLACE
            and tag in ("NNG", "NNP")
            and text not in _NOT_PLACES_KO
            and _KO_PLACE_END.search(text) is not None
        ) or (
            tag == "NNP"
            and (
                _PROPER_PLACE_SUFFIX_KO.search(text) is not None
                or (lemma in _AMBIGUOUS_HEADS_KO and text != lemma)
            )
        ):
            yield _extended_place(tokens, i, i + 1)
        elif (
            tag == "NNG"
            and lemma in _AMBIGUOUS_HEADS_KO
            and i > 0
            and _is_ko_place_modifier(tokens, i - 1, sides=False)
        ):
            yield _extended_place(tokens, i, i + 1, at_least=1)


def _extended_place(tokens: _Tokens, start: int, end: int, at_least: int = 0) -> tuple[int, int]:
    low = start
    while low > 0 and start - low < 3 and _is_ko_place_modifier(tokens, low - 1):
        low -= 1
    low = min(low, start - at_least)
    if end < len(tokens.text) and tokens.text[end] in _POSITIONS_KO:
        end += 1
    return low, end


def _korean_names(tokens: _Tokens) -> Iterable[int]:
    """Tokens that are names with a cue: 씨 / 님 after, a relationship or 이름은 before, a
    relationship after (strong cues); a copula or 으로 바꿔 after (weak cues, enough only for a
    name that Kiwi itself took for a proper noun)."""
    count = len(tokens.text)
    text = tokens.text
    for i in range(count):
        if not _is_ko_name(tokens, i):
            continue
        following = text[i + 1] if i + 1 < count else ""
        after = text[i + 2] if i + 2 < count else ""
        previous = _before_particle(tokens, i)
        strong = (
            following in _NAME_TITLES_KO
            or (previous is not None and tokens.ent[previous] == RELATIONSHIP)
            or (previous is not None and text[previous] in _NAME_LABELS_KO)
            or _relationship_after(tokens, i)
        )
        weak = (
            (i + 1 < count and tokens.tag[i + 1] == "VCP")
            or following in _COPULA_CUES_KO
            or (following in ("으로", "로") and after.startswith(_CHANGE_VERBS_KO))
        )
        proper = tokens.tag[i] == "NNP" or text[i].startswith(_COMPOUND_SURNAMES)
        if len(text[i]) == 2 and not proper:
            continue
        if strong or (weak and proper):
            yield i


def _before_particle(tokens: _Tokens, i: int) -> int | None:
    """The token before ``i``, looking past one particle or a colon (아내는 박지은, 성함: ...)."""
    j = i - 1
    if j >= 0 and (tokens.tag[j] in ("JX", "JKS") or tokens.text[j] == ":"):
        j -= 1
    return j if j >= 0 else None


def _relationship_after(tokens: _Tokens, i: int) -> bool:
    j = i + 1
    if j < len(tokens.text) and tokens.text[j] in ("(", ",", "/"):
        j += 1
    return j < len(tokens.text) and tokens.ent[j] == RELATIONSHIP


# --------------------------------------------------------------------------- pipelines


@dataclass(frozen=True)
class _Pipeline:
    language: str
    nlp: Language
    matcher: Matcher
    rules: dict[str, _Rule]


_PIPELINES: dict[str, _Pipeline] = {}
_BUILD_LOCK = threading.Lock()


def _build(language: str) -> _Pipeline:
    if language == "ko":
        nlp = spacy.blank(
            "ko", config={"nlp": {"tokenizer": {"@tokenizers": "bodam.kiwi_tokenizer.v1"}}}
        )
        # Latin-script names in a Korean message ("Grace Lee가 제 딸이에요").
        ruler_patterns, rules = _korean_ruler_patterns(), {"en_person": _english_person_rule()}
    else:
        nlp = spacy.blank("en")
        ruler_patterns, rules = _english_ruler_patterns(), _english_rules()
    attr = "LEMMA" if language == "ko" else "LOWER"
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": attr, "validate": True})
    ruler.add_patterns(ruler_patterns)  # type: ignore[attr-defined]
    nlp.add_pipe("sentencizer")
    matcher = Matcher(nlp.vocab, validate=True)
    for key, rule in rules.items():
        matcher.add(key, list(rule.patterns))
    return _Pipeline(language, nlp, matcher, rules)


# spaCy keeps every new word of every message in the vocabulary, which would grow without end
# in a long-running server: past this many strings the pipeline is built afresh (under a
# second; calls already running keep the old one).
MAX_VOCAB_STRINGS = 500_000


def _pipeline(language: str) -> _Pipeline:
    key = "en" if language == "en" else "ko"
    pipeline = _PIPELINES.get(key)
    if pipeline is None or len(pipeline.nlp.vocab.strings) > MAX_VOCAB_STRINGS:
        with _BUILD_LOCK:
            pipeline = _PIPELINES.get(key)
            if pipeline is None or len(pipeline.nlp.vocab.strings) > MAX_VOCAB_STRINGS:
                pipeline = _build(key)
                _PIPELINES[key] = pipeline
    return pipeline


def warm_up() -> None:
    """Build both pipelines and load Kiwi now rather than on the first message."""
    find_spans("회사 주차장에서 박지은 씨 차와 부딪혔어요", "ko")
    find_spans("My wife Emily Carter hit a bollard at the car park.", "en")


# --------------------------------------------------------------------------- finding spans


def _strip(span: Span, strip: Callable[[Token], bool]) -> Span | None:
    start, end = span.start, span.end
    while start < end and strip(span.doc[start]):
        start += 1
    while end > start and strip(span.doc[end - 1]):
        end -= 1
    return span.doc[start:end] if start < end else None


def _found(label: str, span: Span, value: str | None = None) -> SpanFound:
    text = span.text
    return SpanFound(label, span.start_char, span.end_char, text, value or text)


def _rule_spans(pipeline: _Pipeline, doc: Doc, text: str) -> Iterable[SpanFound]:
    korean = pipeline.language == "ko"
    # In Korean the matcher only looks for Latin-script names.
    matches = pipeline.matcher(doc) if not korean or _LATIN.search(text) else []
    for match_id, start, end in matches:
        rule = pipeline.rules[doc.vocab.strings[match_id]]
        span = _strip(doc[start:end], rule.strip)
        if span is not None:
            yield _found(rule.label, span)
    if korean:
        tokens = _Tokens.of(doc)
        for start, end in _korean_places(tokens):
            yield _from_tokens(PLACE, text, tokens, start, end)
        for i in _korean_names(tokens):
            yield _from_tokens(PERSON, text, tokens, i, i + 1)


def _from_tokens(label: str, text: str, tokens: _Tokens, start: int, end: int) -> SpanFound:
    start_char, end_char = tokens.start[start], tokens.end[end - 1]
    found = text[start_char:end_char]
    return SpanFound(label, start_char, end_char, found, found)


def _address_spans(text: str, language: str) -> Iterable[SpanFound]:
    if language == "en":
        for match in _EN_ADDRESS.finditer(text):
            yield _trimmed(ADDRESS, text, match.start(), match.end())
        return
    for match in _KO_ADDRESS.finditer(text):
        if not (match.group("region") or match.group("city") or match.group("district")):
            continue
        yield _trimmed(ADDRESS, text, match.start(), match.end())
    for match in _EN_ADDRESS.finditer(text):  # an English address inside a Korean message
        yield _trimmed(ADDRESS, text, match.start(), match.end())


def _trimmed(label: str, text: str, start: int, end: int) -> SpanFound:
    while end > start and text[end - 1] in " ,.":
        end -= 1
    value = " ".join(text[start:end].split())
    return SpanFound(label, start, end, text[start:end], value)


_RELATIONSHIP_KEYS = {**_korean_relationship_words(), **RELATIONSHIP_WORDS_EN}
# The ruler matches Korean nouns on their last morpheme; the word itself must still end in
# the vocabulary word, or 휴대전화 would make every 전화 an item.
_KO_VOCABULARY_ENDS = {
    ITEM: re.compile(f"(?:{_alternation((*ITEMS_KO, *_ITEMS_KO_LATIN))})$"),
    PLACE: re.compile(f"(?:{_alternation(PLACE_HEADS_KO)})$"),
    RELATIONSHIP: re.compile(f"(?:{_alternation(_korean_relationship_words())})$"),
}


def _relationship_key(text: str) -> str:
    return _RELATIONSHIP_KEYS.get(text) or _RELATIONSHIP_KEYS.get(text.lower()) or "other"


def _rank(span: SpanFound) -> tuple[int, int, int]:
    return (span.start - span.end, _LABEL_RANK[span.label], span.start)


@lru_cache(maxsize=_CACHE_SIZE)
def _find_spans(text: str, language: str) -> tuple[SpanFound, ...]:
    pipeline = _pipeline(language)
    doc = pipeline.nlp(text)
    candidates: list[SpanFound] = []
    korean = language != "en"
    for entity in doc.ents:
        if entity.label_ not in _LABEL_RANK:  # internal labels: cities, English place nouns
            continue
        if korean and (
            entity.label_ == PLACE  # see _korean_places
            or not _KO_VOCABULARY_ENDS[entity.label_].search(entity.text)
        ):
            continue
        value = _relationship_key(entity.text) if entity.label_ == RELATIONSHIP else None
        candidates.append(_found(entity.label_, entity, value))
    candidates.extend(_rule_spans(pipeline, doc, text))
    candidates.extend(_address_spans(text, "ko" if korean else "en"))
    return tuple(select_non_overlapping(candidates, _rank))


def find_spans(text: str, language: str) -> list[SpanFound]:
    """Every PLACE, PERSON, RELATIONSHIP, ITEM and ADDRESS in ``text``.

    ``language`` is "en" for English; anything else is read as Korean. Non-overlapping (the
    longest mention wins), sorted by start.
    """
    if not text or not text.strip():
        return []
    return list(_find_spans(text, language))


_KO_REJECTED_AFTER = re.compile(r"\s*(?:은|는|이|가)?\s*(?:말고|아니고|아니라|아니에요|아닌|대신)")
_EN_REJECTED_BEFORE = re.compile(r"(?:\bnot|\bnot at|\bnot in|\binstead of)\s+(?:the\s+)?$", re.I)


def _rejected(span: SpanFound, text: str) -> bool:
    """A place the customer is correcting: "시청역 말고 ...", "not at the station but ..."."""
    if _KO_REJECTED_AFTER.match(text, span.end):
        return True
    return _EN_REJECTED_BEFORE.search(text, 0, span.start) is not None


def find_place(text: str, language: str) -> str | None:
    """The first place that is not being corrected away; None if there is none."""
    places = [span for span in find_spans(text, language) if span.label == PLACE]
    kept = [span for span in places if not _rejected(span, text)]
    chosen = kept or places
    return chosen[0].value if chosen else None


def find_address(text: str, language: str) -> str | None:
    for span in find_spans(text, language):
        if span.label == ADDRESS:
            return span.value
    return None


def find_items(text: str, language: str) -> list[str]:
    """Damaged or lost things, in order of mention, each once."""
    values = [span.value for span in find_spans(text, language) if span.label == ITEM]
    return list(dict.fromkeys(values))


# What may stand between a relationship and the name it describes.
_RELATION_THEN_NAME = re.compile(
    r"\s*(?:(?:은|는|이|가|의)\s*)?(?:(?:이름|성함)\s*(?:은|는|이|가)?\s*)?[:,]?\s*"
    r"|\s*,?\s*(?:(?:'s|whose)\s+name\s+(?:is|was)\s+|(?:is\s+)?(?:called|named)\s+)?",
    re.IGNORECASE,
)
_NAME_THEN_RELATION = re.compile(
    r"\s*[(,/-]?\s*(?:(?:is|was)\s+)?(?:(?:my|our|his|her|their|the)\s+)?"
    r"|\s*(?:이|가|은|는|님은|씨는|씨가)?\s*(?:제|저의|우리|저희)\s*",
    re.IGNORECASE,
)


def find_people(text: str, language: str) -> list[Person]:
    """Every named person, with the relationship said right before or after the name
    ("아내 박지은", "남편 이름은 정우성", "박지은(아내)", "Emily Carter is my wife")."""
    spans = find_spans(text, language)
    relations = [span for span in spans if span.label == RELATIONSHIP]
    people: list[Person] = []
    for span in spans:
        if span.label != PERSON:
            continue
        best: tuple[int, str] | None = None
        for relation in relations:
            if relation.end <= span.start:
                joined = _RELATION_THEN_NAME.fullmatch(text, relation.end, span.start)
                gap = span.start - relation.end
            elif relation.start >= span.end:
                joined = _NAME_THEN_RELATION.fullmatch(text, span.end, relation.start)
                gap = relation.start - span.end
            else:
                continue
            if joined and (best is None or gap < best[0]):
                best = (gap, relation.value)
        people.append(Person(span.value, best[1] if best else None))
    return people


def find_person(text: str, language: str) -> Person | None:
    """The first named person (with a relationship if one is said next to the name); else the
    first relationship on its own (Person(None, "spouse")); else None."""
    people = find_people(text, language)
    if people:
        return people[0]
    for span in find_spans(text, language):
        if span.label == RELATIONSHIP:
            # Kiwi sometimes splits a name it does not know (박 + 정훈): a surname and one
            # to three syllables right after the relationship word are that person's name.
            after = _NAME_AFTER_RELATIONSHIP_KO.match(text, span.end)
            name = after["name"] if after and language != "en" else None
            if name and (name in _NOT_NAMES_KO or name[:2] in _NOT_NAMES_KO or name[:2] == "이름"):
                name = None
            return Person(name, span.value)
    return None


_NAME_AFTER_RELATIONSHIP_KO = re.compile(
    r"\s*(?:인\s*|되는\s*)?(?P<name>(?:"
    + "|".join(sorted({*_SURNAMES, *_COMPOUND_SURNAMES}, key=len, reverse=True))
    + r")[가-힣]{1,2})(?=씨|님|이요|이에요|이고|이랑|으로|로|요|$|[\s,.])"
)


def split_sentences(text: str, language: str) -> list[str]:
    """Sentences of ``text``: Kiwi's splitter for Korean (it knows endings without a full
    stop), spaCy's sentencizer for English."""
    if not text or not text.strip():
        return []
    if language != "en":
        kiwi = _kiwi()
        with _KIWI_LOCK:
            sentences = list(kiwi.split_into_sents(text))
        return [sentence.text.strip() for sentence in sentences if sentence.text.strip()]
    doc = _pipeline("en").nlp(text)
    return [sentence.text.strip() for sentence in doc.sents if sentence.text.strip()]
