"""A value or a story given when nothing was asked."""

from __future__ import annotations

from datetime import date

import pytest
from rasa_sdk.events import FollowupAction, SlotSet

from bot.actions.clauses import offer_claim_after_story
from bot.actions.form_filling import story_prefill
from bot.actions.unprompted import ActionAnswerUnpromptedInform
from tests.app.conftest import make_tracker

WATER = [{"entity": "incident_type", "value": "water_damage"}]
CAR = [{"entity": "product", "value": "auto"}]


def slot_sets(events):  # noqa: ANN001, ANN201
    assert all(event["event"] == "slot" for event in events), events
    return {(event["name"], event["value"]) for event in events}


KO_LEAK = "윗집에서 물이 새서 거실 천장이 다 젖었어요"
EN_CAR = "I was waiting at a red light and a van drove into the back of my car"
KO_CRASH = "어제 저녁 7시쯤 시청역 앞에서 택시랑 부딪혔어요. 뒤 범퍼가 다 찌그러졌어요"


@pytest.mark.parametrize(
    ("text", "entities"),
    [(KO_LEAK, WATER), (EN_CAR, CAR), (KO_CRASH, [])],
)
async def test_a_described_loss_starts_the_claim_report(dispatcher, domain, text, entities):
    """The form itself reads the story (tests/app/test_form_filling.py): this action only
    says what happens and hands over."""
    tracker = make_tracker(text=text, entities=entities)
    events = await ActionAnswerUnpromptedInform().run(dispatcher, tracker, domain)
    assert events == [FollowupAction("report_claim_form")]
    assert [m["response"] for m in dispatcher.messages] == ["utter_starting_claim_report"]


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("HE20230042 이거요", [{"entity": "policy_number", "value": "HE20230042"}]),
        ("my policy is AU20250001", [{"entity": "policy_number", "value": "AU20250001"}]),
        ("2026-11-20", [{"entity": "incident_date", "value": "2026-11-20"}]),
        ("자동차요", [{"entity": "product", "value": "auto"}]),
    ],
)
async def test_a_bare_value_gets_anything_else(dispatcher, domain, text, entities):
    tracker = make_tracker(text=text, entities=entities)
    assert await ActionAnswerUnpromptedInform().run(dispatcher, tracker, domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_anything_else"]


async def test_a_story_too_short_for_the_form_is_offered_but_not_kept(dispatcher, domain):
    tracker = make_tracker(text="불났어요", entities=[{"entity": "incident_type", "value": "fire"}])
    events = await ActionAnswerUnpromptedInform().run(dispatcher, tracker, domain)
    assert events == [SlotSet("claim_offered", True)]
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_claim_report"]


def test_offer_is_bilingual_with_buttons(domain):
    variations = domain["responses"]["utter_offer_claim_report"]
    assert len(variations) == 2
    for variation in variations:
        assert [b["payload"] for b in variation["buttons"]] == ["/report_claim", "/request_human"]


STORY_QUESTION = "윗집 누수로 어제 밤에 거실 천장이 다 젖었는데 보상되나요?"


async def test_a_story_with_a_coverage_question_is_offered_a_claim_report(dispatcher, domain):
    tracker = make_tracker(text=STORY_QUESTION, intent="ask_coverage")
    events = offer_claim_after_story(STORY_QUESTION, tracker, dispatcher)
    assert slot_sets(events) == {
        ("claim_offered", True),
        ("incident_type", "water_damage"),
        ("incident_date", "2026-11-24"),
        ("incident_time", "night"),
        ("incident_place", "거실"),
        ("incident_description", STORY_QUESTION),
    }
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_claim_report_after_answer"]


async def test_a_question_alone_is_not_offered_a_claim_report(dispatcher, domain):
    text = "자차 보험료 오르나요?"
    tracker = make_tracker(text=text, intent="ask_coverage")
    assert offer_claim_after_story(text, tracker, dispatcher) == []
    assert dispatcher.messages == []


async def test_no_offer_inside_a_form(dispatcher, domain):
    tracker = make_tracker(
        text=STORY_QUESTION, intent="ask_coverage", active_loop="report_claim_form"
    )
    assert offer_claim_after_story(STORY_QUESTION, tracker, dispatcher) == []
    assert dispatcher.messages == []


def test_a_future_date_in_a_story_is_not_kept() -> None:
    text = "내일 12월 3일에 윗집에서 물이 새서 거실 천장이 다 젖을 것 같아요"
    assert "incident_date" not in story_prefill(text, "ko", date(2026, 11, 25))


def test_a_long_story_is_kept_cleaned_and_bounded() -> None:
    text = "불이 나서 " + "부엌이 다 탔어요 " * 150 + "\x00"  # within the 2,000-character limit
    description = story_prefill(text, "ko", date(2026, 11, 25))["incident_description"]
    assert len(description) <= 1000 and "\x00" not in description
