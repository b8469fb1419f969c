"""Identity checks before case data is shown, as the conversation sees them.

The case store decides and remembers (casestore.identity): the verification that releases
data, failures per policy or case across all conversations, and locks. The slots here only
steer the dialogue.

The reply for a wrong birth date and for an unknown policy number or case id is the
same, so nobody can learn whether someone else's policy or case exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from casestore import CaseStore, identity
from casestore.clock import utcnow

# How long a conversation waits after too many failures (casestore.identity decides).
LOCK_MINUTES = int(identity.CONVERSATION_COOLDOWN.total_seconds() // 60)


@dataclass(frozen=True)
class Outcome:
    """What one identity check decided, as slot values and a message to send."""

    slots: dict[str, Any]
    response: str | None = None
    response_args: dict[str, Any] | None = None


def locked_until(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def is_locked(slots: dict[str, Any], now: datetime) -> bool:
    until = locked_until(slots.get("verification_locked_until"))
    return until is not None and now < until


def is_verified(slots: dict[str, Any]) -> bool:
    return bool(
        slots.get("verified_customer_id")
        and slots.get("policy_number")
        and slots.get("verified_policy") == slots.get("policy_number")
    )


def case_id_for_check(slots: dict[str, Any]) -> str | None:
    """A claim or complaint id that can stand in for the policy number."""
    return slots.get("claim_id") or slots.get("complaint_id")


def check_identity(
    case_store: CaseStore, conversation: str, slots: dict[str, Any], now: datetime, actor: str
) -> Outcome | None:
    """Checks policy number (or case id) + birth date once both are known.

    None when there is nothing to check yet. A failure reads the same for an unknown
    policy or case and for a wrong birth date, and clears what was given.
    """
    policy, birth = slots.get("policy_number"), slots.get("birth_date")
    subject = policy or case_id_for_check(slots)
    if not subject or not birth or is_verified(slots) or is_locked(slots, now):
        return None
    checked_at = utcnow()
    result = case_store.check_identity(
        conversation=conversation,
        subject_id=subject,
        birth_date=datetime.fromisoformat(birth).date(),
        actor=actor,
        now=checked_at,
    )
    if result.status == "verified":
        return Outcome(
            slots={
                "policy_number": result.policy_number,
                "verified_customer_id": result.customer_id,
                "verified_policy": result.policy_number,
                "verification_locked_until": None,
            },
            response="utter_verified",
        )
    cleared = {"policy_number": None, "birth_date": None, "claim_id": None, "complaint_id": None}
    if result.status == "locked" and result.retry_after is not None:
        # On the conversation's clock, which tests and demos may pin to another day.
        until = now + (result.retry_after - checked_at)
        return Outcome(slots={**cleared, "verification_locked_until": until.isoformat()})
    if result.status == "locked":
        return Outcome(slots=cleared, response="utter_identity_locked")
    return Outcome(
        slots={**cleared, "verification_locked_until": None},
        response="utter_verification_failed",
        response_args={"remaining": result.remaining},
    )
