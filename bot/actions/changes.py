"""Policy change requests, after verification."""

from __future__ import annotations

import hashlib

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.backend import store
from bot.actions.conversation import language_of, response_text
from bot.actions.display import display_value
from bot.actions.labels import CHANGE_TYPES, label
from bot.actions.verified_access import forget_verification, verified_access
from bot.nlp.clock import now
from bot.nlp.pii import mask_pii

CHANGE_SLOTS = ["change_type", "change_new_value", "change_confirmed"]


class ActionSubmitChange(Action):
    def name(self) -> str:
        return "action_submit_change"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        access = verified_access(tracker, dispatcher)
        if access is None:
            return [SlotSet(name, None) for name in CHANGE_SLOTS] + forget_verification(tracker)
        slot = tracker.get_slot
        kind = slot("change_type")
        language = language_of(tracker)
        key_parts = [tracker.sender_id, access.policy_number, kind, slot("change_new_value")]
        change = store().create_change_request(
            policy_number=access.policy_number,
            change_type=kind,
            new_value=slot("change_new_value"),
            idempotency_key=hashlib.sha256("\x1f".join(map(str, key_parts)).encode()).hexdigest(),
            now=now(),
        )
        dispatcher.utter_message(
            response="utter_change_created",
            change_id=change.id,
            change_type=f"{label(CHANGE_TYPES, kind, language_of(tracker))}: "
            + mask_pii(
                display_value("change_new_value", slot("change_new_value"), language, tracker.slots)
            ),
            next_step=response_text(domain, f"utter_change_next_step_{kind}", language_of(tracker)),
        )
        return [SlotSet(name, None) for name in CHANGE_SLOTS]
