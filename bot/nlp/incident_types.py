"""Words for what happened, mapped to the incident types of spec/entities.yml.

When a message names several, the most specific wins (see ``terms.most_specific``):

- a flight delay or baggage claim is named by its object (캐리어 도난 -> baggage);
- theft, fire and explicit collision words come next;
- water: a leak or burst pipe is water_damage even in a storm (태풍 때 배관이 터져 누수);
  a typhoon, flood or earthquake outranks plain submersion (태풍으로 침수 ->
  natural_disaster), and submersion alone (침수, flooded) is water_damage;
- injuries outrank illnesses' settings (다쳐서 입원 -> injury), and bare 병원 / 입원 /
  hospital only hint at illness;
- a bare 사고가 났어요 hints at a collision; 분실 / lost hints at "other".
"""

from __future__ import annotations

from bot.nlp.products import find_products
from bot.nlp.terms import Forms, TermMatch, Vocabulary

INCIDENT_TYPES = (
    "collision", "theft", "fire", "water_damage", "natural_disaster",
    "injury", "illness", "baggage", "flight_delay", "other",
)  # fmt: skip

_BODY_PARTS = "(?:arm|leg|wrist|ankle|hand|foot|finger|toe|rib|nose|collarbone|hip|back)"

INCIDENT_VOCABULARY = Vocabulary(
    (
        Forms(
            "flight_delay",
            4,
            korean=(
                "(?:항공기|비행기|항공편|비행편)[^.?!\n]{0,12}?(?:지연|연착|결항)",
                "출발 지연", "결항",
            ),
            english=(
                r"flights?[^.?!\n]{0,20}?(?:delay|cancel)\w*",
                r"(?:delayed|cancell?ed|canceled) flights?",
                "missed (?:my )?connecting flight", "missed connection",
            ),
        ),
        Forms("flight_delay", 3, korean=("연착",)),
        Forms(
            "baggage",
            4,
            korean=("수하물", "캐리어", "여행 가방", "(?<![조다])짐(?![작승바])"),
            english=("luggage", "baggage", "suitcases?", r"checked[- ]in bags?", "checked bags?"),
        ),
        Forms("baggage", 2, korean=("가방",)),
        Forms(
            "water_damage",
            4,
            korean=(
                "누수", "물이 새", "물이 샜", "물 새", "물이 떨어", "배관", "수도관", "동파",
                "파이프", "보일러 터", "물바다",
            ),
            english=(
                "leak(?:s|ed|ing|age)?", "burst pipes?", "pipes? burst", "burst",
                "pipes? froze", "frozen pipes?", r"(?:water )?drip(?:s|ped|ping)",
                r"water (?:coming|pouring|running) (?:through|in)",
            ),
        ),
        Forms("water_damage", 3, english=("water damage",)),
        Forms(
            "water_damage",
            2,
            korean=("침수", "물에 잠", "물난리"),
            english=("flood(?:ed|ing|s)?",),
        ),
        Forms(
            "natural_disaster",
            3,
            korean=(
                "태풍", "지진", "홍수", "폭우", "호우", "폭설", "산사태", "해일", "쓰나미",
                "낙뢰", "벼락", "우박", "강풍", "자연 재해", "풍수해", "장마", "화산",
            ),
            english=(
                "typhoons?", "hurricanes?", "storms?", "earthquakes?", "quake", "tornado(?:es)?",
                "hail(?:storm)?", "landslides?", "mudslides?", "tsunami", "lightning",
                "natural disasters?", "flash floods?", "heavy rain", "snowstorm", "blizzard",
                r"volcan\w*",
            ),
        ),
        Forms(
            "theft",
            3,
            korean=(
                "도난", "도둑", "훔쳐", "훔쳤", "털렸", "털어", "소매치기", "절도", "강도",
                "날치기", "빈집 털이",
            ),
            english=(
                "stolen", "stole", "steal(?:ing|s)?", "theft", "thief", "thieves", "robbed",
                "robbery", "burglary", "burgled", "burglar(?:ized|s)?", "break in",
                "broke in(?:to)?", "broken into", r"pickpocket\w*", "forced open", "mugged",
                r"(?:got|was|been|were) (?:nicked|pinched|swiped|snatched|nabbed)",
                "snatched",
            ),
        ),
        Forms(
            "fire",
            3,
            korean=(
                "화재", "불이 났", "불이 나", "불이 붙", "불 났", "불나서", "불타", "불에 타",
                "방화", "전소", "그을",
            ),
            english=("fires?", "caught fire", "burn(?:ed|t)? down", "blaze", "arson",
                     "smoke damage"),
        ),
        Forms("fire", 2, korean=("누전",), english=("burnt", "burned")),
        Forms(
            "collision",
            3,
            korean=(
                "접촉 사고", "추돌", "충돌", "교통 사고", "자동차 사고", "차 사고", "뺑소니",
                "들이 받", "박았", "박혔", "받혔", "긁혔", "긁고", "찌그러",
            ),
            english=(
                "car crash", r"crash(?:ed|es)?", "collision", "collided", "rear ended",
                "fender benders?", "car accident", "traffic accident", "road accident",
                "hit (?:my|our|the|a|his|her)(?: parked)? (?:car|vehicle)",
                "hit by a (?:car|vehicle|truck|bus|taxi)", "ran into",
                r"(?:drove|driven|backed|reversed|crashed|smashed|went) into",
                r"(?:dent|dented|scratched|scraped|bumped) (?:my|our|the|a|his|her) "
                r"(?:car|door|bumper)",
            ),
        ),
        Forms("collision", 2, korean=("부딪",), english=("bumped into",)),
        Forms("collision", 1, korean=("사고(?=(?:가|를)? (?:났|나|당))",)),
        Forms(
            "injury",
            2,
            korean=(
                "다쳤", "다쳐", "다친", "다치", "부상", "골절", "부러(?!워|운|움)", "삐었",
                "삐끗", "염좌", "넘어져", "넘어졌", "넘어지", "미끄러", "찢어", "화상을? 입",
                "타박상", "인대", "깁스", "굴러",
            ),
            english=(
                "injured", "injury", "injuries", "hurt", "broke (?:my|his|her|their|our) "
                + _BODY_PARTS, "broken " + _BODY_PARTS, "fractured?", "fractures",
                "sprain(?:ed|s)?", "ligament", "fell", "slipped", "tripped", "concussion",
                "bruised?", "whiplash",
            ),
        ),
        Forms(
            "illness",
            2,
            korean=(
                "질병", "아파(?!트)", "아팠", "아픈", "아프(?!리카)", "병에 걸", "감기", "독감",
                "폐렴", "장염", "식중독", "코로나", "배탈", "진단(?!서)", "질환", "열이 나",
                "고열", "용종",
            ),
            english=(
                "sick", "ill", "illness", "disease", "flu", "fever", "food poisoning",
                "diagnosed", "infection", "covid", "pneumonia",
            ),
        ),
        Forms(
            "illness",
            1,
            korean=("병원", "입원", "수술", "통원", "치료", "진료"),
            english=(r"hospital(?:i[sz]ed)?", "surgery", "treatment", "doctor"),
        ),
        Forms("other", 1, korean=("분실", "잃어버", "없어졌", "기타"), english=("lost", "missing")),
    )
)  # fmt: skip


def find_incident_types(text: str) -> list[TermMatch]:
    """Incident words, except those inside a product name (화재 in 주택화재보험, fire in fire
    insurance), which say what the policy covers rather than what happened."""
    in_product = bytearray(len(text))
    for product in find_products(text):
        in_product[product.start : product.end] = b"\x01" * (product.end - product.start)
    return [
        match
        for match in INCIDENT_VOCABULARY.find(text)
        if in_product.find(0, match.start, match.end) != -1
    ]
