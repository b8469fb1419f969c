"""Scripted customer conversations for `make bench` (stdlib only).

Each turn carries the kind of work it makes the action server do:
- ``case``: reads or writes the case store (identity check, eligibility, filing a claim);
- ``retrieval``: searches the clause index (ask_coverage with a product);
- ``plain``: everything else (NLU, dialogue, templated answers).
``expect`` is a text the reply must contain when the conversation goes as scripted.
"""

from __future__ import annotations

from dataclasses import dataclass

CASE, RETRIEVAL, PLAIN = "case", "retrieval", "plain"
TURN_KINDS = (CASE, RETRIEVAL, PLAIN)


@dataclass(frozen=True)
class Turn:
    text: str
    kind: str = PLAIN
    expect: str | None = None


SCRIPTS: dict[str, tuple[Turn, ...]] = {
    "claim_ko": (
        Turn("안녕하세요"),
        Turn("보상 접수하려고 연락드렸어요"),
        Turn("증권번호 AU20250001 입니다"),
        Turn("생년월일은 850314예요", CASE),
        Turn("접촉 사고입니다"),
        Turn("어제 저녁 7시쯤이었어요", CASE),
        Turn("잠실역 사거리 앞이에요"),
        Turn("정차해 있는데 뒤에 오던 SUV가 제 차 트렁크 쪽을 들이받았어요"),
        Turn("아뇨 다친 사람은 없어요"),
        Turn("네 연락 동의할게요"),
        Turn("네 이대로 진행해 주세요", CASE, "CLM-"),
        Turn("감사합니다"),
    ),
    "claim_en": (
        # The form takes the incident type from "car accident" and skips that question.
        Turn("hi there"),
        Turn("I need to report a car accident"),
        Turn("my policy number is AU20250001"),
        Turn("I was born on 1985-03-14", CASE),
        Turn("it happened yesterday", CASE),
        Turn("at the crossroads in front of Jamsil station"),
        Turn("someone rear-ended me at a red light"),
        Turn("nope, I'm fine"),
        Turn("yes, that's okay with me"),
        Turn("yes, all of that is correct", CASE, "CLM-"),
        Turn("thanks a lot"),
    ),
    "status_ko": (
        Turn("CLM-2026-000123 청구 건 진행 상황 알려주세요"),
        Turn("AU20250001"),
        Turn("1985년 3월 14일", CASE, "CLM-2026-000123"),
        Turn("감사합니다"),
    ),
    "status_en": (
        Turn("what's the status of claim CLM-2026-000123?"),
        Turn("AU20250001"),
        Turn("1985-03-14", CASE, "CLM-2026-000123"),
        Turn("thank you"),
    ),
    "coverage_ko": (
        Turn("자동차보험인데 태풍 때문에 주차해 둔 차가 물에 잠기면 보상되나요?", RETRIEVAL,
             "근거"),
        Turn("여행자보험으로 해외에서 휴대폰을 도난당하면 보상받을 수 있나요?", RETRIEVAL),
        Turn("주택화재보험은 윗집 누수로 천장이 젖은 것도 보상해 주나요?", RETRIEVAL),
        Turn("고마워요"),
    ),
    "coverage_en": (
        Turn("is my luggage covered if it gets stolen on my trip abroad?", RETRIEVAL, "Source"),
        Turn("does my car insurance pay if a typhoon floods my parked car?", RETRIEVAL),
        Turn("does home insurance cover a burst pipe that floods the kitchen?", RETRIEVAL),
        Turn("thanks"),
    ),
}
SCRIPT_ORDER = tuple(SCRIPTS)
