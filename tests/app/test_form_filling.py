"""Form filling from whole messages: values given unasked, corrections, summaries, identity.

Tracker fixtures with exact events (in the style of RasaHQ's financial-demo). Today is
pinned to 2026-11-25, a Wednesday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.forms import (
    ValidateChangePolicyForm,
    ValidateClaimStatusForm,
    ValidateComplaintForm,
    ValidateComplaintStatusForm,
    ValidateReportClaimForm,
)
from bot.actions.summaries import (
    ActionAskChangeConfirmed,
    ActionAskClaimConfirmed,
    ActionAskComplaintConfirmed,
)
from bot.nlp.clock import now
from tests.app.conftest import make_tracker

VALIDATORS = {
    "report_claim_form": ValidateReportClaimForm,
    "claim_status_form": ValidateClaimStatusForm,
    "complaint_status_form": ValidateComplaintStatusForm,
    "complaint_form": ValidateComplaintForm,
    "change_policy_form": ValidateChangePolicyForm,
}
MINJI = {
    "policy_number": "AU20250001",
    "birth_date": "1985-03-14",
    "verified_customer_id": "C001",
    "verified_policy": "AU20250001",
}
CLAIM = {
    **MINJI,
    "incident_type": "collision",
    "incident_date": "2026-11-25",
    "incident_time": "morning",
    "incident_place": "시청역",
    "incident_description": "출근길에 시청역 앞에서 택시가 제 차 옆을 긁고 지나갔어요",
    "injuries": "no",
    "contact_consent": "yes",
}
AT_CLAIM_SUMMARY = {**CLAIM, "requested_slot": "claim_confirmed"}
COMPLAINT = {
    "complaint_category": "claim_delay",
    "complaint_description": "보험금 청구한 지 한 달이 넘었는데 지급이 너무 늦어요",
    "complaint_desired_outcome": "이번 주 안에 지급해 주세요",
}
CHANGE = {**MINJI, "change_type": "address", "change_new_value": "서울시 마포구 월드컵로 12길 34"}
STORY = "어제 저녁 7시쯤 시청역 앞에서 택시랑 부딪혔어요. 뒤 범퍼가 다 찌그러졌어요"


async def run_form(
    form: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    slots: dict[str, Any],
    text: str,
    intent: str = "inform",
    **tracker_args: Any,
) -> list[EventType]:
    tracker = make_tracker(slots=slots, text=text, intent=intent, active_loop=form, **tracker_args)
    return await VALIDATORS[form]().run(dispatcher, tracker, domain)


def slot_sets(events: list[EventType]) -> set[tuple[str, Any]]:
    """The slot values an action sets, in any order."""
    assert all(event["event"] == "slot" for event in events), events
    return {(event["name"], event["value"]) for event in events}


def final(events: list[EventType]) -> dict[str, Any]:
    """Each slot's value after the events (the last one wins)."""
    return {event["name"]: event["value"] for event in events}


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [message["response"] for message in dispatcher.messages]


def render(domain: dict[str, Any], message: dict[str, Any], language: str) -> str:
    """The response text a customer reads, with the values the action passed."""
    for variation in domain["responses"][message["response"]]:
        conditions = variation.get("condition") or []
        english = any(c.get("name") == "language" and c.get("value") == "en" for c in conditions)
        if english == (language == "en"):
            arguments = {
                key: value
                for key, value in message.items()
                if key not in ("response", "template", "text") and value is not None
            }
            return variation["text"].format(**arguments)
    raise AssertionError(f"no {language} variation of {message['response']}")


# -------------------------------------------------------------- values given unasked


async def test_a_story_answering_the_policy_number_question_keeps_its_values(
    case_store, dispatcher, domain
):
    events = await run_form(
        "report_claim_form", dispatcher, domain, {"requested_slot": "policy_number"}, STORY
    )
    assert slot_sets(events) == {
        ("incident_type", "collision"),
        ("incident_date", "2026-11-24"),
        ("incident_time", "19:00"),
        ("incident_place", "시청역 앞"),
        ("incident_description", STORY),
    }


async def test_a_story_answering_the_policy_number_question_is_shown_back_not_refused(
    case_store, dispatcher, domain
):
    await run_form(
        "report_claim_form", dispatcher, domain, {"requested_slot": "policy_number"}, STORY
    )
    # Not "that is not a policy number", not "I couldn't find it": the values are noted.
    assert responses(dispatcher) == ["utter_noted_values"]
    assert dispatcher.messages[0]["values"] == (
        "- 사고 유형: 교통사고(충돌·접촉)\n"
        "- 사고 날짜: 2026년 11월 24일\n"
        "- 사고 시각: 19:00\n"
        "- 사고 장소: 시청역 앞\n"
        f"- 사고 내용: {STORY}"
    )


EN_STORY = (
    "Last night around 7:30pm a taxi hit my car in the car park on King Street "
    "and dented the rear bumper"
)


async def test_an_english_story_answering_the_policy_number_question(
    case_store, dispatcher, domain
):
    slots = {"requested_slot": "policy_number", "language": "en"}
    events = await run_form("report_claim_form", dispatcher, domain, slots, EN_STORY)
    assert responses(dispatcher) == ["utter_noted_values"]
    assert dispatcher.messages[0]["values"] == (
        "- what happened: collision\n"
        "- date: 24 November 2026\n"
        "- time: 19:30\n"
        "- place: car park on King Street\n"
        f"- description: {EN_STORY[:79]}…"
    )
    assert slot_sets(events) == {
        ("incident_type", "collision"),
        ("incident_date", "2026-11-24"),
        ("incident_time", "19:30"),
        ("incident_place", "car park on King Street"),
        ("incident_description", EN_STORY),
    }


@pytest.mark.parametrize("form", ["claim_status_form", "report_claim_form", "change_policy_form"])
async def test_policy_number_and_birth_date_in_one_message_verify(
    case_store, dispatcher, domain, form
):
    events = await run_form(
        form,
        dispatcher,
        domain,
        {"requested_slot": "policy_number"},
        "증권번호 AU20250001, 생년월일은 85년 3월 14일이에요",
    )
    assert slot_sets(events) == {
        ("policy_number", "AU20250001"),
        ("birth_date", "1985-03-14"),
        ("verified_customer_id", "C001"),
        ("verified_policy", "AU20250001"),
        ("verification_locked_until", None),
    }
    assert responses(dispatcher) == ["utter_verified"]


@pytest.mark.parametrize(
    ("form", "case_slot", "case_id"),
    [
        ("claim_status_form", "claim_id", "CLM-2026-000131"),
        ("complaint_status_form", "complaint_id", "CMP-2026-000045"),
    ],
)
async def test_case_id_then_birth_date_with_a_name_verifies(
    case_store, dispatcher, domain, form, case_slot, case_id
):
    earlier = [{"event": "user", "text": case_id, "parse_data": {"intent": {"name": "inform"}}}]
    events = await run_form(
        form,
        dispatcher,
        domain,
        {case_slot: case_id, "requested_slot": "birth_date"},
        "이준호입니다 72년 11월 2일생",
        earlier_events=earlier,
    )
    assert slot_sets(events) == {
        ("birth_date", "1972-11-02"),
        ("policy_number", "HO20240077"),
        ("verified_customer_id", "C002"),
        ("verified_policy", "HO20240077"),
        ("verification_locked_until", None),
    }
    assert responses(dispatcher) == ["utter_verified"]


async def test_a_claim_id_answers_the_policy_number_question(case_store, dispatcher, domain):
    """The question asks for a policy or a claim number: a claim number is a full answer,
    and the birth date is asked next without naming the policy or the person."""
    events = await run_form(
        "claim_status_form",
        dispatcher,
        domain,
        {"requested_slot": "policy_number"},
        "CLM-2026-000131",
        new_slots={"claim_id": "CLM-2026-000131"},
    )
    # policy_number=None tells Rasa the form used the message (else it rejects the form).
    assert events == [SlotSet("policy_number", None), SlotSet("requested_slot", "birth_date")]
    assert dispatcher.messages == []


def test_the_birth_date_question_names_no_policy_and_no_person(domain):
    asks = [name for name in domain["responses"] if name.startswith("utter_ask_")]
    birth_date_asks = [name for name in asks if name.endswith("birth_date")]
    assert birth_date_asks == ["utter_ask_birth_date"]
    for variation in domain["responses"]["utter_ask_birth_date"]:
        assert "{" not in variation["text"]
        assert "HO20240077" not in variation["text"] and "이준호" not in variation["text"]


async def test_wrong_birth_date_with_a_claim_id_reads_like_an_unknown_claim_id(case_store, domain):
    outcomes = []
    for claim_id in ("CLM-2026-000131", "CLM-2026-999999"):
        dispatcher = CollectingDispatcher()
        events = await run_form(
            "claim_status_form",
            dispatcher,
            domain,
            {"claim_id": claim_id, "requested_slot": "birth_date"},
            "85년 3월 14일생이에요",
            sender_id=f"web:{claim_id}",
        )
        outcomes.append((events, dispatcher.messages))
    (wrong_date, wrong_date_messages), (unknown, unknown_messages) = outcomes
    assert wrong_date == unknown
    assert wrong_date_messages == unknown_messages
    assert final(wrong_date) == {
        "birth_date": None,
        "policy_number": None,
        "claim_id": None,
        "complaint_id": None,
        "verification_locked_until": None,
    }
    assert [(m["response"], m["remaining"]) for m in wrong_date_messages] == [
        ("utter_verification_failed", 2)
    ]


async def test_third_failure_with_a_claim_id_locks(case_store, dispatcher, domain):
    for wrong in (date(1999, 9, 9), date(1999, 9, 10)):
        case_store.check_identity(
            conversation="test-user", subject_id="CLM-2026-000131", birth_date=wrong, actor="t"
        )
    events = await run_form(
        "claim_status_form",
        dispatcher,
        domain,
        {"claim_id": "CLM-2026-000131", "requested_slot": "birth_date"},
        "1999년 9월 9일",
    )
    state = final(events)
    locked_for = datetime.fromisoformat(state["verification_locked_until"]) - now()
    assert timedelta(minutes=14) < locked_for <= timedelta(minutes=15)
    assert state["claim_id"] is None and state["birth_date"] is None
    assert state["requested_slot"] is None  # the form ends; the next action explains
    assert dispatcher.messages == []


# --------------------------------------------------------------------------- corrections


async def test_a_day_earlier_moves_the_date(case_store, dispatcher, domain):
    events = await run_form(
        "report_claim_form", dispatcher, domain, AT_CLAIM_SUMMARY, "아 잠깐, 하루 전이었네요"
    )
    assert events == [SlotSet("incident_date", "2026-11-24")]
    assert responses(dispatcher) == ["utter_values_changed"]
    assert dispatcher.messages[0]["changes"] == "- 사고 날짜: 2026년 11월 25일 → 2026년 11월 24일"


async def test_a_day_earlier_counts_from_the_date_given_not_from_today(
    case_store, dispatcher, domain
):
    slots = {**AT_CLAIM_SUMMARY, "incident_date": "2026-11-20"}
    events = await run_form(
        "report_claim_form", dispatcher, domain, slots, "아 잠깐, 하루 전이었네요"
    )
    assert events == [SlotSet("incident_date", "2026-11-19")]
    assert dispatcher.messages[0]["changes"] == "- 사고 날짜: 2026년 11월 20일 → 2026년 11월 19일"


async def test_the_summary_after_a_correction_shows_the_new_value(case_store, dispatcher, domain):
    events = await run_form(
        "report_claim_form", dispatcher, domain, AT_CLAIM_SUMMARY, "아 잠깐, 하루 전이었네요"
    )
    tracker = make_tracker(slots={**AT_CLAIM_SUMMARY, **final(events)})
    assert await ActionAskClaimConfirmed().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_values_changed", "utter_claim_summary"]
    assert dispatcher.messages[1]["incident_when"] == "2026년 11월 24일 오전"


@pytest.mark.parametrize("requested", ["claim_confirmed", "injuries"])
async def test_place_is_corrected(case_store, dispatcher, domain, requested):
    slots = {**CLAIM, "requested_slot": requested}
    if requested == "injuries":
        slots.update(injuries=None, contact_consent=None)
    events = await run_form(
        "report_claim_form", dispatcher, domain, slots, "장소는 시청역 말고 을지로입구역이에요"
    )
    assert events == [SlotSet("incident_place", "을지로입구역")]
    assert responses(dispatcher) == ["utter_values_changed"]
    assert dispatcher.messages[0]["changes"] == "- 사고 장소: 시청역 → 을지로입구역"


async def test_date_and_time_are_corrected_together(case_store, dispatcher, domain):
    events = await run_form(
        "report_claim_form",
        dispatcher,
        domain,
        AT_CLAIM_SUMMARY,
        "아 오늘 아침 아니고 어제 저녁이었어요",
    )
    assert slot_sets(events) == {("incident_date", "2026-11-24"), ("incident_time", "evening")}
    assert responses(dispatcher) == ["utter_values_changed"]
    assert dispatcher.messages[0]["changes"] == (
        "- 사고 날짜: 2026년 11월 25일 → 2026년 11월 24일\n- 사고 시각: 오전 → 저녁"
    )


async def test_english_weekday_correction(case_store, dispatcher, domain):
    slots = {**AT_CLAIM_SUMMARY, "incident_date": "2026-11-23", "language": "en"}  # a Monday
    events = await run_form(
        "report_claim_form", dispatcher, domain, slots, "sorry, it was Tuesday not Monday"
    )
    assert events == [SlotSet("incident_date", "2026-11-24")]
    assert responses(dispatcher) == ["utter_values_changed"]
    assert dispatcher.messages[0]["changes"] == "- date: 23 November 2026 → 24 November 2026"


# ------------------------------------------------------------------------------ summary


@pytest.mark.parametrize(
    ("form", "slots", "confirm_slot"),
    [
        ("report_claim_form", CLAIM, "claim_confirmed"),
        ("complaint_form", COMPLAINT, "complaint_confirmed"),
        ("change_policy_form", CHANGE, "change_confirmed"),
    ],
)
@pytest.mark.parametrize(("text", "language"), [("ㅇㅋ", "ko"), ("yes, go ahead", "en")])
async def test_affirm_at_the_summary_confirms(
    case_store, dispatcher, domain, form, slots, confirm_slot, text, language
):
    slots = {**slots, "requested_slot": confirm_slot, "language": language}
    events = await run_form(form, dispatcher, domain, slots, text, intent="affirm")
    assert events == [SlotSet(confirm_slot, "yes")]
    assert dispatcher.messages == []


@pytest.mark.parametrize(("text", "language"), [("아니요", "ko"), ("no", "en")])
async def test_bare_deny_at_the_summary_waits_for_a_fix(
    case_store, dispatcher, domain, text, language
):
    slots = {**AT_CLAIM_SUMMARY, "language": language}
    events = await run_form("report_claim_form", dispatcher, domain, slots, text, intent="deny")
    assert slot_sets(events) == {("awaiting_fix", True)}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("ask", "slots"),
    [
        (ActionAskClaimConfirmed, CLAIM),
        (ActionAskComplaintConfirmed, COMPLAINT),
        (ActionAskChangeConfirmed, CHANGE),
    ],
)
async def test_while_a_fix_is_awaited_the_ask_action_asks_what_to_fix(
    case_store, dispatcher, domain, ask, slots
):
    tracker = make_tracker(slots={**slots, "awaiting_fix": True})
    assert await ask().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_ask_what_to_fix"]


async def test_the_fix_after_a_deny_changes_the_value_and_ends_the_wait(
    case_store, dispatcher, domain
):
    slots = {**AT_CLAIM_SUMMARY, "awaiting_fix": True}
    events = await run_form(
        "report_claim_form", dispatcher, domain, slots, "장소는 을지로입구역이에요"
    )
    assert slot_sets(events) == {("incident_place", "을지로입구역"), ("awaiting_fix", False)}
    assert responses(dispatcher) == ["utter_values_changed"]
    tracker = make_tracker(slots={**slots, **final(events)})
    await ActionAskClaimConfirmed().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[-1] == "utter_claim_summary"
    assert dispatcher.messages[-1]["incident_place"] == "을지로입구역"


# ----------------------------------------------------------------- change request values


@pytest.mark.parametrize(
    ("text", "language", "slot_label"),
    [("네 맞아요", "ko", "새 내용"), ("yes that's right", "en", "new details")],
)
async def test_yes_is_never_stored_as_an_address(
    case_store, dispatcher, domain, text, language, slot_label
):
    slots = {
        **MINJI,
        "change_type": "address",
        "requested_slot": "change_new_value",
        "language": language,
    }
    events = await run_form("change_policy_form", dispatcher, domain, slots, text, intent="affirm")
    assert events == [SlotSet("change_new_value", None)]
    assert responses(dispatcher) == ["utter_value_not_found"]
    assert dispatcher.messages[0]["slot"] == slot_label


async def test_an_address_is_stored_without_the_words_around_it(case_store, dispatcher, domain):
    slots = {**MINJI, "change_type": "address", "requested_slot": "change_new_value"}
    events = await run_form(
        "change_policy_form", dispatcher, domain, slots, "서울시 마포구 월드컵로 12길 34, 301호예요"
    )
    assert events == [SlotSet("change_new_value", "서울시 마포구 월드컵로 12길 34, 301호")]
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "language", "stored"),
    [
        ("아내 박지은으로 바꿔 주세요", "ko", "박지은 (spouse)"),
        ("please make it my daughter Grace Lee", "en", "Grace Lee (child)"),
    ],
)
async def test_a_beneficiary_is_a_named_person_with_the_relationship(
    case_store, dispatcher, domain, text, language, stored
):
    slots = {
        **MINJI,
        "change_type": "beneficiary",
        "requested_slot": "change_new_value",
        "language": language,
    }
    events = await run_form("change_policy_form", dispatcher, domain, slots, text)
    assert events == [SlotSet("change_new_value", stored)]
    assert dispatcher.messages == []


async def test_a_relationship_without_a_name_is_no_beneficiary(case_store, dispatcher, domain):
    slots = {**MINJI, "change_type": "beneficiary", "requested_slot": "change_new_value"}
    events = await run_form("change_policy_form", dispatcher, domain, slots, "아내로 해 주세요")
    assert final(events) == {"change_new_value": None}
    assert "박지은" not in str(dispatcher.messages)


# -------------------------------------------------------------------------- digressions


async def test_no_extraction_after_a_digression(case_store, dispatcher, domain):
    slots = {"requested_slot": "policy_number"}
    tracker = make_tracker(
        slots=slots,
        text="고마워요. 증권번호는 AU20250001이에요",
        intent="thank",
        active_loop="report_claim_form",
    )
    tracker.events.append({"event": "action", "name": "utter_thank"})
    assert await ValidateReportClaimForm().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages == []


async def test_the_same_message_without_a_digression_is_read(case_store, dispatcher, domain):
    events = await run_form(
        "report_claim_form",
        dispatcher,
        domain,
        {"requested_slot": "policy_number"},
        "고마워요. 증권번호는 AU20250001이에요",
        intent="thank",
    )
    assert events == [SlotSet("policy_number", "AU20250001")]


# ---------------------------------------------------------------------------- complaints


async def test_a_complaint_story_answers_the_category_question(case_store, dispatcher, domain):
    story = "보험금 청구한 지 한 달이 넘었는데 지급이 너무 늦어지고 연락도 없어요"
    slots = {"requested_slot": "complaint_category"}
    events = await run_form("complaint_form", dispatcher, domain, slots, story)
    assert slot_sets(events) == {
        ("complaint_category", "claim_delay"),
        ("complaint_description", story),
    }
    assert responses(dispatcher) == ["utter_noted_values"]
    assert dispatcher.messages[0]["values"] == f"- 민원 내용: {story}"
    # The description is not asked again: the desired outcome is next.
    state = {**slots, **final(events)}
    required = domain["forms"]["complaint_form"]["required_slots"]
    assert next(slot for slot in required if state.get(slot) is None) == (
        "complaint_desired_outcome"
    )


# ----------------------------------------------------------------- summaries use labels


SUMMARY_CASES = [
    (
        ActionAskClaimConfirmed,
        {**CLAIM, "incident_time": "evening", "incident_date": "2026-11-24"},
        "ko",
        [
            "- 사고 유형: 교통사고(충돌·접촉)",
            "- 사고 일시: 2026년 11월 24일 저녁",
            "- 다친 사람: 아니요",
            "- 담당자 연락 동의: 예",
        ],
        ["collision", "evening", "yes", "no"],
    ),
    (
        ActionAskClaimConfirmed,
        {
            **CLAIM,
            "incident_type": "water_damage",
            "incident_time": "evening",
            "incident_date": "2026-11-24",
        },
        "en",
        [
            "- What happened: water damage",
            "- When: 24 November 2026, evening",
            "- Anyone hurt: no",
            "- OK for a handler to contact you: yes",
        ],
        ["water_damage", "2026-11-24"],
    ),
    (
        ActionAskComplaintConfirmed,
        COMPLAINT,
        "ko",
        ["- 민원 유형: 보험금 지급 지연"],
        ["claim_delay"],
    ),
    (
        ActionAskComplaintConfirmed,
        COMPLAINT,
        "en",
        ["- About: claim delay"],
        ["claim_delay"],
    ),
    (ActionAskChangeConfirmed, CHANGE, "ko", ["- 변경 항목: 주소"], ["address"]),
    (
        ActionAskChangeConfirmed,
        {**MINJI, "change_type": "beneficiary", "change_new_value": "박지은 (spouse)"},
        "ko",
        ["- 변경 항목: 보험수익자", "- 새 내용: 박지은 (배우자)"],
        ["beneficiary", "spouse"],
    ),
    (
        ActionAskChangeConfirmed,
        {**MINJI, "change_type": "sum_insured", "change_new_value": "100000000 KRW"},
        "en",
        ["- Change: sum insured"],
        ["sum_insured"],
    ),
    (
        ActionAskChangeConfirmed,
        {**MINJI, "change_type": "payment_method", "change_new_value": "auto_debit"},
        "ko",
        ["- 변경 항목: 보험료 납입 방법"],
        ["payment_method", "auto_debit"],
    ),
    (
        ActionAskChangeConfirmed,
        {**MINJI, "change_type": "payment_method", "change_new_value": "auto_debit"},
        "en",
        ["- Change: payment method"],
        ["payment_method", "auto_debit"],
    ),
]


@pytest.mark.parametrize(("ask", "slots", "language", "lines", "raw_keys"), SUMMARY_CASES)
async def test_summaries_show_labels_not_keys(
    case_store, dispatcher, domain, ask, slots, language, lines, raw_keys
):
    tracker = make_tracker(slots={**slots, "language": language})
    assert await ask().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    text = render(domain, message, language)
    for line in lines:
        assert line in text.splitlines()
    for key in raw_keys:
        assert key not in text, f"raw key {key!r} in: {text}"
