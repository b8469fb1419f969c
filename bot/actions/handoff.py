"""Hand-off to a human agent, with a summary so the caller need not repeat themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.backend import store
from bot.actions.conversation import channel_of, language_of, response_text
from bot.actions.verified_access import live_verification
from bot.nlp.clock import now
from bot.nlp.pii import mask_pii
from bot.nlp.service_hours import availability

SUMMARY_MESSAGES = 8
SUMMARY_SLOTS = [
    "policy_number",
    "claim_id",
    "complaint_id",
    "incident_type",
    "incident_date",
    "change_type",
    "complaint_category",
]


def conversation_summary(
    events: list[dict[str, Any]], slots: dict[str, Any], verified: bool
) -> str:
    """Recent customer messages with their intents, plus the known case details; PII masked.

    `verified` comes from the case store's record, never from the slots: the agent who
    reads "verified" trusts it."""
    lines = []
    user_events = [event for event in events if event.get("event") == "user"]
    for event in user_events[-SUMMARY_MESSAGES:]:
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or "-"
        text = (event.get("text") or "").strip()[:200]
        lines.append(f"[{intent}] {text}")
    known = [f"{name}={slots[name]}" for name in SUMMARY_SLOTS if slots.get(name)]
    identity = "verified" if verified else "not verified"
    lines.append(f"identity: {identity}; " + (", ".join(known) or "no case details"))
    return mask_pii("\n".join(lines))


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or "request_human"
        access = live_verification(tracker)
        handoff = store().create_handoff(
            sender_id=tracker.sender_id,
            channel=channel_of(tracker),
            language=language_of(tracker),
            reason=intent,
            summary=conversation_summary(tracker.events, tracker.slots, access is not None),
            customer_id=access.customer_id if access else None,
        )
        dispatcher.utter_message(response="utter_handoff_created", handoff_id=handoff.id)
        events: list[EventType] = [SlotSet("handoff_requested", True)]
        if tracker.active_loop.get("name"):
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events


class ActionCancelForm(Action):
    def name(self) -> str:
        return "action_cancel_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_cancelled")
        form = tracker.active_loop.get("name")
        required = domain.get("forms", {}).get(form, {}).get("required_slots", []) if form else []
        # Identity slots stay: cancelling a claim should not undo a verification.
        keep = {"policy_number", "birth_date"}
        return [ActiveLoop(None), SlotSet("requested_slot", None)] + [
            SlotSet(name, None) for name in required if name not in keep
        ]


class ActionContactInfo(Action):
    """Contact details, and whether a person can answer right now (Seoul time)."""

    def name(self) -> str:
        return "action_contact_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not tracker.get_slot("handoff_requested"):
            dispatcher.utter_message(response="utter_contact_info")
        tell_availability(dispatcher, tracker, domain)
        return []


def tell_availability(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> None:
    """Whether a person answers now, and when the request left for one is picked up."""
    language = language_of(tracker)
    found = availability(now())
    if found.open_now:
        dispatcher.utter_message(
            response="utter_agents_available_now", closes=found.closes.strftime("%H:%M")
        )
    else:
        dispatcher.utter_message(
            response="utter_agents_closed_now",
            opens=format_opening(found.opens, language),
            hours=found.hours,
            handoff_note=response_text(
                domain,
                "utter_handoff_waiting_note"
                if tracker.get_slot("handoff_requested")
                else "utter_handoff_offer_note",
                language,
            ),
        )


def format_opening(opens: datetime, language: str) -> str:
    days_ko = "월화수목금토일"
    if language == "en":
        return f"{opens:%A} {opens.day} {opens:%B}, {opens:%H:%M}"
    return f"{opens.month}월 {opens.day}일({days_ko[opens.weekday()]}) {opens:%H:%M}"
