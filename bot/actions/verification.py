"""Identity checks before case data is shown: attempts, lock-out and session state.

The reply for a wrong birth date and for an unknown policy number or case id is the
same, so nobody can learn whether someone else's policy or case exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from casestore import CaseStore

MAX_FAILURES = 3
LOCK_MINUTES = 15


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
    case_store: CaseStore, slots: dict[str, Any], now: datetime, actor: str
) -> Outcome | None:
    """Checks policy number (or case id) + birth date once both are known.

    None when there is nothing to check yet. A failure reads the same for an unknown
    policy or case and for a wrong birth date, and clears what was given.
    """
    policy, birth = slots.get("policy_number"), slots.get("birth_date")
    case_id = None if policy else case_id_for_check(slots)
    if not (policy or case_id) or not birth or is_verified(slots) or is_locked(slots, now):
        return None
    born = datetime.fromisoformat(birth).date()
    if policy:
        customer = case_store.verify_identity(policy, born, actor=actor)
    else:
        found = case_store.verify_case_identity(case_id, born, actor=actor)
        customer, policy = found if found else (None, None)
    if customer is not None:
        return Outcome(
            slots={
                "policy_number": policy,
                "verified_customer_id": customer.id,
                "verified_policy": policy,
                "verification_failures": 0,
                "verification_locked_until": None,
            },
            response="utter_verified",
        )
    failures = int(slots.get("verification_failures") or 0)
    # An expired lock starts a fresh count.
    if locked_until(slots.get("verification_locked_until")):
        failures = 0
    failures += 1
    cleared = {
        "policy_number": None,
        "birth_date": None,
        "claim_id": None,
        "complaint_id": None,
        "verification_failures": failures,
    }
    if failures >= MAX_FAILURES:
        until = now + timedelta(minutes=LOCK_MINUTES)
        return Outcome(slots={**cleared, "verification_locked_until": until.isoformat()})
    return Outcome(
        slots={**cleared, "verification_locked_until": None},
        response="utter_verification_failed",
        response_args={"remaining": MAX_FAILURES - failures},
    )
