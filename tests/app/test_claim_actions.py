"""First notice of loss: validation reasons, summary, filing once, discarding."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from bot.actions.claims import (
    CLAIM_SLOTS,
    ActionClaimDocuments,
    ActionDiscardClaim,
    ActionShowClaimStatus,
    ActionSubmitClaim,
)
from bot.actions.forms import ValidateReportClaimForm
from bot.actions.summaries import ActionAskClaimConfirmed
from tests.app.conftest import make_tracker

FORM = "report_claim_form"
MINJI = {
    "policy_number": "AU20250001",
    "birth_date": "1985-03-14",
    "verified_customer_id": "C001",
    "verified_policy": "AU20250001",
}
FILLED = {
    **MINJI,
    "incident_type": "collision",
    "incident_date": "2026-11-24",
    "incident_place": "강남역 사거리",
    "incident_description": "신호 대기 중에 뒤차가 추돌했어요",
    "injuries": "no",
    "contact_consent": "yes",
}


async def validate(dispatcher, domain, slots, new_slots):  # noqa: ANN001, ANN201
    tracker = make_tracker(slots=slots, new_slots=new_slots, active_loop=FORM)
    return await ValidateReportClaimForm().run(dispatcher, tracker, domain)


@pytest.mark.parametrize(
    ("said", "response"),
    [
        ("2026-12-24", "utter_future_date"),
        ("2026년 2월 30일", "utter_impossible_date"),
        ("언젠가", "utter_invalid_date"),
    ],
)
async def test_bad_incident_dates_are_refused_with_a_reason(
    case_store, dispatcher, domain, said, response
):
    events = await validate(dispatcher, domain, MINJI, {"incident_date": said})
    assert events == [SlotSet("incident_date", None)]
    assert [m["response"] for m in dispatcher.messages] == [response]


async def test_relative_date_is_resolved_against_today(case_store, dispatcher, domain):
    events = await validate(dispatcher, domain, MINJI, {"incident_date": "어제"})
    assert events == [SlotSet("incident_date", "2026-11-24")]
    assert dispatcher.messages == []


async def test_date_outside_the_policy_period_is_refused(case_store, dispatcher, domain):
    events = await validate(dispatcher, domain, MINJI, {"incident_date": "2025-01-10"})
    assert events == [SlotSet("incident_date", None)]
    [message] = dispatcher.messages
    assert message["response"] == "utter_date_outside_period"
    assert (message["start"], message["end"]) == ("2025-06-01", "2026-12-31")


async def test_lapsed_policy_cannot_take_a_claim(case_store, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        {"policy_number": "PA20220310", "incident_date": "2026-11-20"},
        {"birth_date": "1998-01-30"},
    )
    assert SlotSet("policy_number", None) in events
    assert "utter_policy_not_eligible" in [m["response"] for m in dispatcher.messages]


async def test_free_text_answers_are_normalised(case_store, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        MINJI,
        {"incident_type": "주차장에서 접촉사고가 났어요", "injuries": "다친 사람은 없어요"},
    )
    assert SlotSet("incident_type", "collision") in events
    assert SlotSet("injuries", "no") in events


async def test_summary_shows_labels_in_the_conversation_language(case_store, dispatcher, domain):
    await ActionAskClaimConfirmed().run(
        dispatcher, make_tracker(slots={**FILLED, "language": "en"}), domain
    )
    [message] = dispatcher.messages
    assert message["response"] == "utter_claim_summary"
    assert message["incident_type"] == "collision"
    assert message["injuries"] == "no"


async def test_confirming_twice_files_one_claim(case_store, dispatcher, domain):
    first = await ActionSubmitClaim().run(
        dispatcher, make_tracker(slots=FILLED, intent="affirm"), domain
    )
    claim_id = first[0]["value"]
    assert claim_id.startswith("CLM-2026-")
    assert first[1:] == [
        SlotSet(name, None)
        for name in [
            "incident_type",
            "incident_date",
            "incident_time",
            "incident_place",
            "incident_description",
            "injuries",
            "contact_consent",
            "claim_confirmed",
        ]
    ]
    assert [event["name"] for event in first[1:]] == CLAIM_SLOTS
    assert dispatcher.messages[0]["response"] == "utter_claim_created"
    assert "사고 현장 사진" in dispatcher.messages[0]["documents"]

    after = {**MINJI, "submitted_claim_id": claim_id}
    again = await ActionSubmitClaim().run(
        dispatcher, make_tracker(slots=after, intent="affirm"), domain
    )
    assert again == []
    assert dispatcher.messages[1] == {
        **dispatcher.messages[1],
        "response": "utter_claim_already_created",
        "claim_id": claim_id,
    }
    claims = case_store.claims_for_policy("AU20250001", actor="test")
    assert [c.id for c in claims].count(claim_id) == 1
    assert len(claims) == 2  # the demo claim and the new one


async def test_same_answers_in_a_fresh_submit_return_the_same_claim(case_store, dispatcher, domain):
    tracker = make_tracker(slots=FILLED, intent="affirm")
    first = await ActionSubmitClaim().run(dispatcher, tracker, domain)
    second = await ActionSubmitClaim().run(dispatcher, tracker, domain)
    assert first[0] == second[0]
    assert dispatcher.messages[1]["response"] == "utter_claim_already_created"


async def test_discard_clears_the_claim_answers(case_store, dispatcher, domain):
    events = await ActionDiscardClaim().run(dispatcher, make_tracker(slots=FILLED), domain)
    assert SlotSet("incident_description", None) in events
    assert [m["response"] for m in dispatcher.messages] == ["utter_claim_not_submitted"]


async def test_documents_for_a_named_incident_type(case_store, dispatcher, domain):
    tracker = make_tracker(
        text="도난 청구 서류 뭐 필요해요?",
        intent="claim_documents",
        entities=[{"entity": "incident_type", "value": "theft"}],
    )
    await ActionClaimDocuments().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_claim_documents"
    assert "경찰 도난 신고 접수증" in message["documents"]


async def test_documents_without_a_type_offer_the_general_list(case_store, dispatcher, domain):
    await ActionClaimDocuments().run(dispatcher, make_tracker(intent="claim_documents"), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_claim_documents_general"]


JUNHO = {
    "policy_number": "HO20240077",
    "birth_date": "1972-11-02",
    "verified_customer_id": "C002",
    "verified_policy": "HO20240077",
}
MINJI_HEALTH = {
    "policy_number": "HE20230042",
    "birth_date": "1985-03-14",
    "verified_customer_id": "C001",
    "verified_policy": "HE20230042",
}


async def test_status_remembers_the_claim_it_showed(case_store, dispatcher, domain):
    tracker = make_tracker(slots=JUNHO, text="청구 진행 상황 알려주세요", intent="claim_status")
    events = await ActionShowClaimStatus().run(dispatcher, tracker, domain)
    assert events == [SlotSet("shown_claim_id", "CLM-2026-000131")]
    assert [m["response"] for m in dispatcher.messages] == ["utter_claim_status"]


@pytest.mark.parametrize(
    ("text", "language", "status", "rule"),
    [
        ("그럼 돈은 언제 들어와요?", "ko", "지급 완료", "서류가 모두 접수된 날부터"),
        ("so when do I get the money?", "en", "paid", "within 3 business days"),
    ],
)
async def test_payment_question_after_a_status_gets_the_timing_never_an_amount(
    case_store, dispatcher, domain, text, language, status, rule
):
    slots = {**MINJI_HEALTH, "shown_claim_id": "CLM-2026-000124", "language": language}
    tracker = make_tracker(slots=slots, text=text, intent="claim_status")
    assert await ActionShowClaimStatus().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_claim_payment_timing"
    assert (message["claim_id"], message["status"]) == ("CLM-2026-000124", status)
    assert rule in message["payment_rule"]
    shown = " ".join(str(value) for value in message.values() if isinstance(value, str))
    for amount in ("1240000", "1,240,000", "124만"):
        assert amount not in shown


async def test_payment_question_without_a_shown_claim_shows_the_status(
    case_store, dispatcher, domain
):
    tracker = make_tracker(slots=JUNHO, text="그럼 돈은 언제 들어와요?", intent="claim_status")
    events = await ActionShowClaimStatus().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_claim_status"]
    assert events == [SlotSet("shown_claim_id", "CLM-2026-000131")]


@pytest.mark.parametrize(
    ("slots", "claim_id", "response", "incident_type"),
    [
        (JUNHO, "CLM-2026-000131", "utter_claim_documents_awaited", "누수·침수"),
        (MINJI, "CLM-2026-000123", "utter_claim_documents_for_claim", "교통사고(충돌·접촉)"),
    ],
)
async def test_documents_for_the_claim_just_shown(
    case_store, dispatcher, domain, slots, claim_id, response, incident_type
):
    tracker = make_tracker(
        slots={**slots, "shown_claim_id": claim_id},
        text="서류는 뭐 보내면 돼요?",
        intent="claim_documents",
    )
    assert await ActionClaimDocuments().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert message["response"] == response
    assert (message["claim_id"], message["incident_type"]) == (claim_id, incident_type)
    assert message["documents"]


async def test_documents_for_a_shown_claim_need_the_verification(case_store, dispatcher, domain):
    tracker = make_tracker(
        slots={"shown_claim_id": "CLM-2026-000131"},
        text="서류는 뭐 보내면 돼요?",
        intent="claim_documents",
    )
    await ActionClaimDocuments().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_claim_documents_general"]
    assert "CLM-2026-000131" not in str(dispatcher.messages)
