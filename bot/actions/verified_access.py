"""Gate for actions that show or change case data."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.verification import LOCK_MINUTES, is_locked, is_verified
from bot.nlp.clock import now


def verified_customer(tracker: Tracker, dispatcher: CollectingDispatcher) -> str | None:
    """The verified customer id, or None after telling the user why nothing is shown."""
    if is_locked(tracker.slots, now()):
        dispatcher.utter_message(response="utter_verification_locked", minutes=LOCK_MINUTES)
        return None
    if not is_verified(tracker.slots):
        dispatcher.utter_message(response="utter_verification_required")
        return None
    return tracker.get_slot("verified_customer_id")
