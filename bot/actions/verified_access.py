"""Gate for actions that show or change case data.

Only the case store's verification record for this conversation opens it; the slots that
say "verified" steer the dialogue but are never trusted on their own.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.backend import store
from bot.actions.verification import LOCK_MINUTES, is_locked, is_verified
from bot.nlp.clock import now
from casestore.identity import ActiveVerification


def verified_access(
    tracker: Tracker, dispatcher: CollectingDispatcher
) -> ActiveVerification | None:
    """The conversation's live verification, or None after telling the user why nothing
    is shown."""
    if is_locked(tracker.slots, now()):
        dispatcher.utter_message(response="utter_verification_locked", minutes=LOCK_MINUTES)
        return None
    record = live_verification(tracker)
    if record is None:
        dispatcher.utter_message(response="utter_verification_required")
    return record


def live_verification(tracker: Tracker) -> ActiveVerification | None:
    """The store's record for this conversation, if it vouches for the verified policy."""
    if not is_verified(tracker.slots):
        return None
    record = store().active_verification(tracker.sender_id)
    if record is None or record.policy_number != tracker.get_slot("verified_policy"):
        return None
    return record


def forget_verification(tracker: Tracker) -> list[EventType]:
    """Clears what made the dialogue believe it was verified, so identity is asked again
    (after the record expired, or when the slots never had one)."""
    if not tracker.get_slot("verified_customer_id"):
        return []
    names = ("birth_date", "verified_customer_id", "verified_policy")
    return [SlotSet(name, None) for name in names]
