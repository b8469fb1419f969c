"""Identity checks in the status forms: exact events and messages."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rasa_sdk.events import SlotSet

from bot.actions.claims import ActionShowClaimStatus
from bot.actions.complaints import ActionShowComplaintStatus
from bot.actions.forms import ValidateClaimStatusForm, ValidateComplaintStatusForm
from bot.nlp.clock import now
from tests.app.conftest import make_tracker

FORM = "claim_status_form"


def slot_sets(events):  # noqa: ANN001, ANN201
    assert all(event["event"] == "slot" for event in events), events
    return {(event["name"], event["value"]) for event in events}


async def validate(dispatcher, domain, slots=None, new_slots=None):  # noqa: ANN001, ANN201
    tracker = make_tracker(slots=slots, new_slots=new_slots, active_loop=FORM)
    return await ValidateClaimStatusForm().run(dispatcher, tracker, domain)


async def test_right_birth_date_verifies_the_policy_holder(case_store, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        slots={"policy_number": "AU20250001"},
        new_slots={"birth_date": "1985년 3월 14일"},
    )
    assert slot_sets(events) == {
        ("birth_date", "1985-03-14"),
        ("policy_number", "AU20250001"),
        ("verified_customer_id", "C001"),
        ("verified_policy", "AU20250001"),
        ("verification_locked_until", None),
    }
    assert [m["response"] for m in dispatcher.messages] == ["utter_verified"]


async def test_policy_number_is_normalised_before_the_check(case_store, dispatcher, domain):
    events = await validate(
        dispatcher, domain, new_slots={"policy_number": "au 2025 0001", "birth_date": "850314"}
    )
    assert SlotSet("policy_number", "AU20250001") in events
    assert SlotSet("verified_customer_id", "C001") in events


async def test_wrong_birth_date_and_unknown_policy_get_the_same_reply(case_store, domain):
    from rasa_sdk.executor import CollectingDispatcher

    replies = []
    for policy, birth in [("AU20250001", "1990-01-01"), ("AU99999999", "1985-03-14")]:
        dispatcher = CollectingDispatcher()
        events = await validate(
            dispatcher, domain, slots={"policy_number": policy}, new_slots={"birth_date": birth}
        )
        assert events[1:] == [
            SlotSet("policy_number", None),
            SlotSet("birth_date", None),
            SlotSet("claim_id", None),
            SlotSet("complaint_id", None),
            SlotSet("verification_locked_until", None),
        ]
        replies.append(dispatcher.messages)
    assert replies[0] == replies[1]
    assert replies[0][0]["response"] == "utter_verification_failed"
    assert replies[0][0]["remaining"] == 2


async def test_third_failure_locks_for_fifteen_minutes_and_ends_the_form(
    case_store, dispatcher, domain
):
    for wrong in (date(1999, 9, 9), date(1999, 9, 10)):
        case_store.check_identity(
            conversation="test-user", subject_id="AU20250001", birth_date=wrong, actor="test"
        )
    events = await validate(
        dispatcher,
        domain,
        slots={"policy_number": "AU20250001"},
        new_slots={"birth_date": "1999-09-09"},
    )
    locked = [e for e in events if e["name"] == "verification_locked_until"][0]["value"]
    minutes_left = datetime.fromisoformat(locked) - now()
    assert timedelta(minutes=14) < minutes_left <= timedelta(minutes=15)
    assert events[-1] == SlotSet("requested_slot", None)
    assert dispatcher.messages == []


async def test_locked_conversation_shows_nothing_even_with_the_right_answer(
    case_store, dispatcher, domain
):
    slots = {
        "policy_number": "AU20250001",
        "verification_locked_until": "2999-01-01T00:00:00+09:00",
    }
    events = await validate(dispatcher, domain, slots=slots, new_slots={"birth_date": "1985-03-14"})
    assert events == [SlotSet("requested_slot", None)]
    shown = make_tracker(slots={**slots, "birth_date": "1985-03-14"})
    assert await ActionShowClaimStatus().run(dispatcher, shown, domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_verification_locked"]
    assert dispatcher.messages[0]["minutes"] == 15


VERIFIED_MINJI = {
    "policy_number": "AU20250001",
    "birth_date": "1985-03-14",
    "verified_customer_id": "C001",
    "verified_policy": "AU20250001",
}


async def test_verified_customer_sees_the_claim_status(case_store, dispatcher, domain):
    tracker = make_tracker(slots={**VERIFIED_MINJI, "claim_id": "CLM-2026-000123"})
    assert await ActionShowClaimStatus().run(dispatcher, tracker, domain) == [
        SlotSet("shown_claim_id", "CLM-2026-000123")
    ]
    [message] = dispatcher.messages
    assert message["response"] == "utter_claim_status"
    assert message["claim_id"] == "CLM-2026-000123"
    assert message["status"] == "사고 조사 중"
    assert message["incident_date"] == "2026-10-28"


async def test_status_is_in_english_for_an_english_conversation(case_store, dispatcher, domain):
    tracker = make_tracker(slots={**VERIFIED_MINJI, "language": "en"})
    await ActionShowClaimStatus().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["status"] == "under investigation"


async def test_another_customers_claim_is_never_shown(case_store, dispatcher, domain):
    tracker = make_tracker(slots={**VERIFIED_MINJI, "claim_id": "CLM-2026-000131"})
    events = await ActionShowClaimStatus().run(dispatcher, tracker, domain)
    assert events == [SlotSet("claim_id", None)]
    assert [m["response"] for m in dispatcher.messages] == ["utter_claim_not_found"]
    assert "CLM-2026-000131" not in str(dispatcher.messages)


async def test_unverified_conversation_gets_no_case_data(case_store, dispatcher, domain):
    tracker = make_tracker(slots={"policy_number": "AU20250001", "birth_date": "1985-03-14"})
    await ActionShowClaimStatus().run(dispatcher, tracker, domain)
    assert "CLM-" not in str(dispatcher.messages)
    # It says why, rather than pretending something was cancelled.
    assert [m["response"] for m in dispatcher.messages] == ["utter_verification_required"]


async def test_every_status_lookup_is_audited(case_store, dispatcher, domain):
    before = len(case_store.audit_entries())
    await ActionShowClaimStatus().run(dispatcher, make_tracker(slots=VERIFIED_MINJI), domain)
    assert len(case_store.audit_entries()) > before


async def test_complaint_status_for_its_owner(case_store, dispatcher, domain):
    slots = {
        "policy_number": "HO20240077",
        "birth_date": "1972-11-02",
        "verified_customer_id": "C002",
        "verified_policy": "HO20240077",
    }
    await ActionShowComplaintStatus().run(dispatcher, make_tracker(slots=slots), domain)
    [message] = dispatcher.messages
    assert message["complaint_id"] == "CMP-2026-000045"
    assert message["due_date"] == "2026-11-26"
    assert message["status"] == "검토 중"


def file_a_complaint(case_store) -> str:  # noqa: ANN001
    complaint = case_store.file_complaint(
        customer_id=None,
        policy_number=None,
        category="staff_conduct",
        description="상담원이 전화를 중간에 끊어 버렸어요",
        desired_outcome="사과와 재발 방지",
        idempotency_key=None,
    )
    return complaint.id


async def test_complaint_filed_in_the_conversation_needs_no_slots(case_store, dispatcher, domain):
    filed = file_a_complaint(case_store)
    tracker = make_tracker(
        slots={"submitted_complaint_id": filed, "complaint_id": filed},
        text="방금 넣은 민원 언제까지 처리돼요?",
        intent="complaint_status",
        active_loop="complaint_status_form",
    )
    events = await ValidateComplaintStatusForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet("requested_slot", None)]
    assert dispatcher.messages == []


async def test_complaint_filed_in_the_conversation_shows_its_deadline_unverified(
    case_store, dispatcher, domain
):
    filed = file_a_complaint(case_store)
    tracker = make_tracker(
        slots={"submitted_complaint_id": filed, "complaint_id": filed},
        text="방금 넣은 민원 언제까지 처리돼요?",
        intent="complaint_status",
    )
    assert await ActionShowComplaintStatus().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_complaint_status"
    assert message["complaint_id"] == filed
    assert message["due_date"] == case_store.get_complaint(filed, actor="test").due_date.isoformat()


async def test_another_complaint_still_needs_verification(case_store, dispatcher, domain):
    filed = file_a_complaint(case_store)
    slots = {"submitted_complaint_id": filed, "complaint_id": "CMP-2026-000045"}
    form = make_tracker(
        slots=slots,
        text="CMP-2026-000045 건은 어떻게 됐어요?",
        intent="complaint_status",
        active_loop="complaint_status_form",
    )
    events = await ValidateComplaintStatusForm().run(dispatcher, form, domain)
    assert events == [SlotSet("requested_slot", "birth_date")]
    assert dispatcher.messages == []
    tracker = make_tracker(slots=slots, intent="complaint_status")
    assert await ActionShowComplaintStatus().run(dispatcher, tracker, domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_verification_required"]
    assert "CMP-2026-000045" not in str(dispatcher.messages)
