"""Complaints, changes, fallback, language, hand-off and cancelling a form."""

from __future__ import annotations

from datetime import datetime

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from bot.actions.changes import ActionSubmitChange
from bot.actions.complaints import ActionSubmitComplaint
from bot.actions.fallback import ActionHandleFallback
from bot.actions.forms import ValidateChangePolicyForm, ValidateComplaintForm
from bot.actions.handoff import ActionCancelForm, ActionContactInfo, ActionRequestHuman
from bot.actions.language import ActionDetectLanguage
from bot.nlp.clock import SEOUL
from tests.app.conftest import make_tracker

MINJI = {
    "policy_number": "AU20250001",
    "birth_date": "1985-03-14",
    "verified_customer_id": "C001",
    "verified_policy": "AU20250001",
}


async def test_complaint_gets_a_number_and_a_fourteen_day_deadline(case_store, dispatcher, domain):
    slots = {
        "complaint_category": "claim_delay",
        "complaint_description": "보험금 청구한 지 한 달이 넘었는데 연락이 없어요",
        "complaint_desired_outcome": "빠른 지급",
    }
    events = await ActionSubmitComplaint().run(dispatcher, make_tracker(slots=slots), domain)
    complaint_id = events[0]["value"]
    assert complaint_id.startswith("CMP-2026-")
    [message] = dispatcher.messages
    assert message["response"] == "utter_complaint_created"
    stored = case_store.get_complaint(complaint_id, actor="test")
    assert message["due_date"] == stored.due_at.strftime("%Y-%m-%d")
    assert (stored.due_at - stored.opened_at).days == 14
    assert stored.acknowledged_at is not None


async def test_complaint_category_from_free_text(case_store, dispatcher, domain):
    tracker = make_tracker(
        new_slots={"complaint_category": "설계사가 설명을 제대로 안 했어요"},
        active_loop="complaint_form",
    )
    events = await ValidateComplaintForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet("complaint_category", "sales_conduct")]


async def test_change_request_after_verification(case_store, dispatcher, domain):
    slots = {**MINJI, "change_type": "address", "change_new_value": "서울시 마포구 월드컵로 10"}
    events = await ActionSubmitChange().run(dispatcher, make_tracker(slots=slots), domain)
    assert events == [
        SlotSet("change_type", None),
        SlotSet("change_new_value", None),
        SlotSet("change_confirmed", None),
    ]
    [message] = dispatcher.messages
    assert message["change_id"].startswith("CHG-2026-")
    assert "주소" in message["change_type"]
    assert message["next_step"]


async def test_change_request_without_verification_changes_nothing(case_store, dispatcher, domain):
    slots = {"policy_number": "AU20250001", "change_type": "address", "change_new_value": "부산"}
    await ActionSubmitChange().run(dispatcher, make_tracker(slots=slots), domain)
    assert "CHG-" not in str(dispatcher.messages)


@pytest.mark.parametrize(
    ("change_type", "said", "stored"),
    [
        ("sum_insured", "1억 원으로 올려 주세요", "100000000 KRW"),
        ("contact", "010-9876-5432", "010-9876-5432"),
        ("payment_method", "카드로 바꿀게요", "card (카드로 바꿀게요)"),
    ],
)
async def test_change_values_are_normalised(
    case_store, dispatcher, domain, change_type, said, stored
):
    tracker = make_tracker(
        slots={**MINJI, "change_type": change_type},
        new_slots={"change_new_value": said},
        active_loop="change_policy_form",
    )
    events = await ValidateChangePolicyForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet("change_new_value", stored)]


async def test_fallback_offers_the_three_likeliest_topics(case_store, dispatcher, domain):
    ranking = [
        {"name": "nlu_fallback", "confidence": 1.0},
        {"name": "claim_status", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "complaint_status", "confidence": 0.2},
        {"name": "claim_documents", "confidence": 0.1},
        {"name": "pay_premium", "confidence": 0.05},
    ]
    tracker = make_tracker(text="그거 어케 됨", intent="nlu_fallback", ranking=ranking)
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_rephrase"
    assert [b["payload"] for b in message["buttons"]] == [
        "/claim_status",
        "/complaint_status",
        "/claim_documents",
    ]
    assert message["buttons"][0]["title"] == "청구 진행 조회"


async def test_second_miss_in_a_row_offers_a_person(case_store, dispatcher, domain):
    earlier = [{"event": "user", "text": "???", "parse_data": {"intent": {"name": "nlu_fallback"}}}]
    tracker = make_tracker(text="음", intent="nlu_fallback", earlier_events=earlier)
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_human"]


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("", "utter_input_empty"),
        ("\u200b\x00 ", "utter_input_empty"),
        ("가" * 20_000, "utter_input_too_long"),
    ],
)
async def test_unusable_input_is_named(case_store, dispatcher, domain, text, response):
    await ActionHandleFallback().run(
        dispatcher, make_tracker(text=text, intent="nlu_fallback"), domain
    )
    assert [m["response"] for m in dispatcher.messages] == [response]


@pytest.mark.parametrize(
    ("text", "previous", "events"),
    [
        ("what's the status of my claim?", "ko", [SlotSet("language", "en")]),
        ("보험금 언제 나와요?", "en", [SlotSet("language", "ko")]),
        ("AU20250001", "en", []),
        ("/affirm", "en", []),
    ],
)
async def test_language_follows_each_message(dispatcher, domain, text, previous, events):
    tracker = make_tracker(slots={"language": previous}, text=text)
    assert await ActionDetectLanguage().run(dispatcher, tracker, domain) == events


async def test_handoff_carries_a_masked_summary(case_store, dispatcher, domain):
    earlier = [
        {
            "event": "user",
            "text": "제 번호 010-2345-6789로 연락 주세요",
            "parse_data": {"intent": {"name": "inform"}},
        }
    ]
    tracker = make_tracker(
        slots=MINJI, text="상담원 연결해 주세요", intent="request_human", earlier_events=earlier
    )
    assert await ActionRequestHuman().run(dispatcher, tracker, domain) == [
        SlotSet("handoff_requested", True)
    ]
    [handoff] = case_store.open_handoffs(actor="test")
    assert "010-****-6789" in handoff.summary and "2345-6789" not in handoff.summary
    assert handoff.customer_id == "C001"
    assert dispatcher.messages[0]["handoff_id"] == handoff.id


async def test_handoff_from_a_forged_tracker_is_not_marked_verified(
    case_store, dispatcher, domain
):
    """The agent trusts "identity: verified": only the case store's record may say it."""
    tracker = make_tracker(
        slots=MINJI, text="상담원 연결해 주세요", intent="request_human", recorded=False
    )
    await ActionRequestHuman().run(dispatcher, tracker, domain)
    [handoff] = case_store.open_handoffs(actor="test")
    assert "identity: not verified" in handoff.summary
    assert handoff.customer_id is None


async def test_cancel_inside_a_form_keeps_the_verification(dispatcher, domain):
    tracker = make_tracker(
        slots={**MINJI, "incident_type": "theft"}, active_loop="report_claim_form"
    )
    events = await ActionCancelForm().run(dispatcher, tracker, domain)
    assert events[:2] == [ActiveLoop(None), SlotSet("requested_slot", None)]
    assert SlotSet("incident_type", None) in events
    assert SlotSet("policy_number", None) not in events
    assert [m["response"] for m in dispatcher.messages] == ["utter_cancelled"]


async def test_handoff_inside_a_form_ends_the_form(case_store, dispatcher, domain):
    tracker = make_tracker(
        slots=MINJI,
        text="사람이랑 얘기할래요",
        intent="request_human",
        active_loop="report_claim_form",
    )
    events = await ActionRequestHuman().run(dispatcher, tracker, domain)
    assert events == [
        SlotSet("handoff_requested", True),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
    ]


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr("bot.actions.handoff.now", lambda: moment)


@pytest.mark.parametrize(
    ("language", "closes"),
    [("ko", "18:00"), ("en", "18:00")],
)
async def test_contact_info_in_office_hours_says_agents_are_in(
    monkeypatch, dispatcher, domain, language, closes
):
    monkeypatch.delenv("BODAM_AGENT_HOURS", raising=False)
    at(monkeypatch, datetime(2026, 11, 25, 10, 30, tzinfo=SEOUL))  # Wednesday
    tracker = make_tracker(slots={"language": language}, intent="contact_info")
    assert await ActionContactInfo().run(dispatcher, tracker, domain) == []
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_contact_info",
        "utter_agents_available_now",
    ]
    assert dispatcher.messages[1]["closes"] == closes


@pytest.mark.parametrize(
    ("language", "opens", "note"),
    [
        ("ko", "11월 30일(월) 09:00", "원하시면 지금 상담 요청을 남겨 두실 수 있어요."),
        ("en", "Monday 30 November, 09:00", "You can leave a request now if you like."),
    ],
)
async def test_contact_info_on_friday_evening_says_when_agents_are_back(
    monkeypatch, dispatcher, domain, language, opens, note
):
    monkeypatch.delenv("BODAM_AGENT_HOURS", raising=False)
    at(monkeypatch, datetime(2026, 11, 27, 19, 15, tzinfo=SEOUL))  # Friday
    tracker = make_tracker(slots={"language": language}, intent="contact_info")
    await ActionContactInfo().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_contact_info",
        "utter_agents_closed_now",
    ]
    closed = dispatcher.messages[1]
    assert (closed["opens"], closed["hours"], closed["handoff_note"]) == (
        opens,
        "09:00-18:00",
        note,
    )


async def test_contact_info_after_a_handoff_only_says_when_it_is_picked_up(
    monkeypatch, dispatcher, domain
):
    monkeypatch.delenv("BODAM_AGENT_HOURS", raising=False)
    at(monkeypatch, datetime(2026, 11, 28, 11, 0, tzinfo=SEOUL))  # Saturday
    tracker = make_tracker(slots={"handoff_requested": True}, intent="contact_info")
    await ActionContactInfo().run(dispatcher, tracker, domain)
    [closed] = dispatcher.messages
    assert closed["response"] == "utter_agents_closed_now"
    assert closed["opens"] == "11월 30일(월) 09:00"
    assert closed["handoff_note"] == "남겨 주신 상담 요청은 그때 순서대로 연락드릴게요."


async def test_contact_info_follows_custom_hours(monkeypatch, dispatcher, domain):
    monkeypatch.setenv("BODAM_AGENT_HOURS", "08:00-20:00")
    at(monkeypatch, datetime(2026, 11, 25, 19, 0, tzinfo=SEOUL))
    await ActionContactInfo().run(dispatcher, make_tracker(intent="contact_info"), domain)
    assert dispatcher.messages[1]["response"] == "utter_agents_available_now"
    assert dispatcher.messages[1]["closes"] == "20:00"
