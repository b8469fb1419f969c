"""The last question of every form that creates a case: the summary, and "shall I file it?".

Rasa asks for a form's `<x>_confirmed` slot with `action_ask_<x>_confirmed`, so each
summary is shown again after every correction, with the values as they are now.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.conversation import language_of
from bot.actions.display import display_value, format_when, quote
from bot.actions.labels import CHANGE_TYPES, label


class AskToConfirm(Action, ABC):
    """Shows the summary, or after a bare "no" asks what should change."""

    summary_response: ClassVar[str]

    @abstractmethod
    def name(self) -> str:
        """Abstract, so the action server does not register this base class."""

    @abstractmethod
    def values(self, tracker: Tracker, language: str) -> dict[str, str]:
        """The summary response's variables."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("awaiting_fix"):
            dispatcher.utter_message(response="utter_ask_what_to_fix")
            return []
        language = language_of(tracker)
        dispatcher.utter_message(response=self.summary_response, **self.values(tracker, language))
        return []


class ActionAskClaimConfirmed(AskToConfirm):
    summary_response = "utter_claim_summary"

    def name(self) -> str:
        return "action_ask_claim_confirmed"

    def values(self, tracker: Tracker, language: str) -> dict[str, str]:
        slots = tracker.slots

        def shown(slot: str) -> str:
            return display_value(slot, slots.get(slot), language, slots)

        return {
            "policy_number": shown("policy_number"),
            "incident_type": shown("incident_type"),
            "incident_when": format_when(
                slots.get("incident_date"), slots.get("incident_time"), language
            ),
            "incident_place": shown("incident_place"),
            "incident_description": quote(slots.get("incident_description")),
            "injuries": shown("injuries"),
            "contact_consent": shown("contact_consent"),
        }


class ActionAskComplaintConfirmed(AskToConfirm):
    summary_response = "utter_complaint_summary"

    def name(self) -> str:
        return "action_ask_complaint_confirmed"

    def values(self, tracker: Tracker, language: str) -> dict[str, str]:
        slots = tracker.slots
        return {
            slot: display_value(slot, slots.get(slot), language, slots)
            for slot in (
                "complaint_category",
                "complaint_description",
                "complaint_desired_outcome",
            )
        }


class ActionAskChangeConfirmed(AskToConfirm):
    summary_response = "utter_change_summary"

    def name(self) -> str:
        return "action_ask_change_confirmed"

    def values(self, tracker: Tracker, language: str) -> dict[str, str]:
        slots = tracker.slots
        return {
            "policy_number": str(slots.get("policy_number") or "-"),
            "change_type": display_value("change_type", slots.get("change_type"), language, slots),
            "change_new_value": display_value(
                "change_new_value", slots.get("change_new_value"), language, slots
            ),
        }


class ActionAskChangeNewValue(Action):
    """Asks for the new value in words ("주소"), with what that kind of value looks like."""

    def name(self) -> str:
        return "action_ask_change_new_value"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        kind = tracker.get_slot("change_type")
        dispatcher.utter_message(
            response=f"utter_ask_change_new_value_{kind}"
            if kind in CHANGE_TYPES
            else "utter_ask_change_type",
            change_type=label(CHANGE_TYPES, kind, language_of(tracker)),
        )
        return []
