"""Complaint actions: filing with a deadline, and status after verification."""

from __future__ import annotations

import hashlib

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.backend import store
from bot.actions.conversation import actor_of, language_of, response_text
from bot.actions.handoff import tell_availability
from bot.actions.labels import COMPLAINT_CATEGORIES, COMPLAINT_STATUSES, label
from bot.actions.verification import is_verified
from bot.actions.verified_access import forget_verification, live_verification, verified_access
from bot.nlp.clock import now, today

COMPLAINT_SLOTS = [
    "complaint_category",
    "complaint_description",
    "complaint_desired_outcome",
    "complaint_confirmed",
]


class ActionSubmitComplaint(Action):
    def name(self) -> str:
        return "action_submit_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slot = tracker.get_slot
        access = live_verification(tracker)
        key_parts = [tracker.sender_id] + [str(slot(name)) for name in COMPLAINT_SLOTS[:3]]
        complaint = store().file_complaint(
            customer_id=access.customer_id if access else None,
            policy_number=access.policy_number if access else None,
            category=slot("complaint_category"),
            description=slot("complaint_description"),
            desired_outcome=slot("complaint_desired_outcome"),
            idempotency_key=hashlib.sha256("\x1f".join(key_parts).encode()).hexdigest(),
            now=now(),
        )
        dispatcher.utter_message(
            response="utter_complaint_created",
            complaint_id=complaint.id,
            due_date=complaint.due_date.isoformat(),
        )
        return [
            SlotSet("complaint_id", complaint.id),
            SlotSet("submitted_complaint_id", complaint.id),
        ] + [SlotSet(name, None) for name in COMPLAINT_SLOTS]


class ActionShowComplaintStatus(Action):
    def name(self) -> str:
        return "action_show_complaint_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        wanted = tracker.get_slot("complaint_id")
        filed = tracker.get_slot("submitted_complaint_id")
        if not wanted and not filed and tracker.get_slot("handoff_requested"):
            tell_availability(dispatcher, tracker, domain)
            return []
        if filed and wanted in (None, filed) and not is_verified(tracker.slots):
            # Filed in this conversation: the customer may see its own deadline.
            found = store().get_complaint(filed, actor=actor_of(tracker), today=today())
            complaints = [found] if found is not None else []
        else:
            access = verified_access(tracker, dispatcher)
            if access is None:
                return forget_verification(tracker)
            complaints = store().complaints_for_customer(
                access.customer_id, actor=actor_of(tracker), today=today()
            )
        if wanted:
            complaints = [c for c in complaints if c.id == wanted]
        if not complaints:
            dispatcher.utter_message(response="utter_no_complaints")
            return []
        for complaint in complaints[-3:]:
            note_response = (
                "utter_complaint_overdue_note"
                if complaint.overdue
                else "utter_complaint_on_time_note"
            )
            dispatcher.utter_message(
                response="utter_complaint_status",
                complaint_id=complaint.id,
                category=label(COMPLAINT_CATEGORIES, complaint.category, language),
                status=label(COMPLAINT_STATUSES, complaint.status, language),
                opened=complaint.opened_at.strftime("%Y-%m-%d"),
                due_date=complaint.due_date.isoformat(),
                overdue_note=response_text(domain, note_response, language),
            )
        return []
