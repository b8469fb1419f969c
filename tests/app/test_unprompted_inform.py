"""A value or a story given when nothing was asked."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from bot.actions.unprompted import ActionAnswerUnpromptedInform
from tests.app.conftest import make_tracker

WATER = [{"entity": "incident_type", "value": "water_damage"}]
CAR = [{"entity": "product", "value": "auto"}]


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("윗집에서 물이 새서 거실 천장이 다 젖었어요", WATER),
        ("I was waiting at a red light and a van drove into the back of my car", CAR),
    ],
)
async def test_a_described_loss_is_offered_a_claim_report_and_kept(
    dispatcher, domain, text, entities
):
    tracker = make_tracker(text=text, entities=entities)
    events = await ActionAnswerUnpromptedInform().run(dispatcher, tracker, domain)
    assert events == [SlotSet("incident_description", text)]
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_claim_report"]


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


async def test_the_kept_description_is_cleaned_and_bounded(dispatcher, domain):
    text = "불이 나서 " + "부엌이 다 탔어요 " * 300 + "\x00"
    tracker = make_tracker(text=text, entities=[{"entity": "incident_type", "value": "fire"}])
    [event] = await ActionAnswerUnpromptedInform().run(dispatcher, tracker, domain)
    assert len(event["value"]) <= 1000 and "\x00" not in event["value"]


async def test_a_story_too_short_for_the_form_is_offered_but_not_kept(dispatcher, domain):
    tracker = make_tracker(text="불났어요", entities=[{"entity": "incident_type", "value": "fire"}])
    assert await ActionAnswerUnpromptedInform().run(dispatcher, tracker, domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_claim_report"]


def test_offer_is_bilingual_with_buttons(domain):
    variations = domain["responses"]["utter_offer_claim_report"]
    assert len(variations) == 2
    for variation in variations:
        assert [b["payload"] for b in variation["buttons"]] == ["/report_claim", "/request_human"]
