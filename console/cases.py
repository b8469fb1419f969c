"""Case summaries for the agent console, read through the audited case store API.

Every read names the signed-in agent as actor (``agent:<name>``), so each lookup lands in
the case store's audit log. Free text from customers (descriptions, places, hand-off
summaries) is passed through the PII masker before it is shown; phone numbers only ever
leave the store masked.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from typing import Any

from bot.actions.labels import (
    CHANGE_TYPES,
    CLAIM_NEXT_STEPS,
    CLAIM_STATUSES,
    COMPLAINT_CATEGORIES,
    COMPLAINT_STATUSES,
    INCIDENT_TYPES,
    INTENT_TOPICS,
)
from bot.nlp.pii import mask_pii
from casestore import (
    CaseStore,
    ChangeView,
    ClaimView,
    ComplaintView,
    CustomerView,
    HandoffView,
    PolicyView,
)
from casestore import validation as ids

Label = dict[str, str]
PURPOSE = "agent console"

PRODUCTS: dict[str, Label] = {
    "auto": {"ko": "자동차보험", "en": "car insurance"},
    "home": {"ko": "주택화재보험", "en": "home insurance"},
    "travel": {"ko": "해외여행보험", "en": "travel insurance"},
    "health": {"ko": "실손의료보험", "en": "health insurance"},
    "accident": {"ko": "상해보험", "en": "accident insurance"},
}
POLICY_STATUSES: dict[str, Label] = {
    "active": {"ko": "유지", "en": "in force"},
    "lapsed": {"ko": "실효", "en": "lapsed"},
    "cancelled": {"ko": "해지", "en": "cancelled"},
}
CHANGE_STATUSES: dict[str, Label] = {
    "received": {"ko": "접수", "en": "received"},
    "in_progress": {"ko": "처리 중", "en": "in progress"},
    "completed": {"ko": "완료", "en": "completed"},
    "rejected": {"ko": "반려", "en": "rejected"},
}
COMPLAINT_EVENTS: dict[str, Label] = {
    "opened": {"ko": "민원 접수", "en": "complaint received"},
    "acknowledged": {"ko": "접수 확인 안내", "en": "acknowledged"},
    "due": {"ko": "답변 기한", "en": "answer due"},
    "resolved": {"ko": "처리 완료", "en": "resolved"},
}


def labelled(table: dict[str, Label], key: str | None) -> Label | None:
    if key is None:
        return None
    return dict(table.get(key) or {"ko": key, "en": key})


def kind_of(identifier: str) -> str | None:
    key = identifier.strip().upper()
    if ids.CLAIM_ID.fullmatch(key):
        return "claim"
    if ids.COMPLAINT_ID.fullmatch(key):
        return "complaint"
    if ids.CHANGE_ID.fullmatch(key):
        return "change"
    if ids.POLICY_NUMBER.fullmatch(key):
        return "policy"
    return None


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _masked(text: str | None) -> str | None:
    return None if text is None else mask_pii(text)


def policy_summary(policy: PolicyView) -> dict[str, Any]:
    return {
        "kind": "policy",
        "id": policy.number,
        "product": policy.product,
        "product_label": labelled(PRODUCTS, policy.product),
        "status": policy.status,
        "status_label": labelled(POLICY_STATUSES, policy.status),
        "customer_id": policy.customer_id,
        "start_date": _iso(policy.start_date),
        "end_date": _iso(policy.end_date),
        "sum_insured": policy.sum_insured,
        "beneficiary": policy.beneficiary,
    }


def claim_summary(claim: ClaimView) -> dict[str, Any]:
    updated = claim.history[-1].changed_at if claim.history else claim.created_at
    return {
        "kind": "claim",
        "id": claim.id,
        "policy_number": claim.policy_number,
        "status": claim.status,
        "status_label": labelled(CLAIM_STATUSES, claim.status),
        "next_step": labelled(CLAIM_NEXT_STEPS, claim.status),
        "incident_type": claim.incident_type,
        "incident_type_label": labelled(INCIDENT_TYPES, claim.incident_type),
        "incident_date": _iso(claim.incident_date),
        "incident_place": _masked(claim.incident_place),
        "description": _masked(claim.description),
        "injuries": claim.injuries,
        "contact_consent": claim.contact_consent,
        "assessed_amount": claim.assessed_amount,
        "paid_amount": claim.paid_amount,
        "channel": claim.channel,
        "created_at": _iso(claim.created_at),
        "updated_at": _iso(updated),
        "history": [
            {
                "status": change.status,
                "label": labelled(CLAIM_STATUSES, change.status),
                "at": _iso(change.changed_at),
                "note": _masked(change.note),
            }
            for change in claim.history
        ],
    }


def complaint_summary(complaint: ComplaintView) -> dict[str, Any]:
    events = [("opened", complaint.opened_at), ("acknowledged", complaint.acknowledged_at)]
    if complaint.resolved_at is not None:
        events.append(("resolved", complaint.resolved_at))
    return {
        "kind": "complaint",
        "id": complaint.id,
        "customer_id": complaint.customer_id,
        "policy_number": complaint.policy_number,
        "category": complaint.category,
        "category_label": labelled(COMPLAINT_CATEGORIES, complaint.category),
        "status": complaint.status,
        "status_label": labelled(COMPLAINT_STATUSES, complaint.status),
        "description": _masked(complaint.description),
        "desired_outcome": _masked(complaint.desired_outcome),
        "opened_at": _iso(complaint.opened_at),
        "due_date": _iso(complaint.due_date),
        "resolved_at": _iso(complaint.resolved_at),
        "overdue": complaint.overdue,
        "history": [
            {
                "status": name,
                "label": labelled(COMPLAINT_EVENTS, name),
                "at": _iso(at),
                "note": None,
            }
            for name, at in events
            if at is not None
        ],
    }


def change_summary(change: ChangeView) -> dict[str, Any]:
    return {
        "kind": "change",
        "id": change.id,
        "policy_number": change.policy_number,
        "change_type": change.change_type,
        "change_type_label": labelled(CHANGE_TYPES, change.change_type),
        "new_value": _masked(change.new_value),
        "status": change.status,
        "status_label": labelled(CHANGE_STATUSES, change.status),
        "created_at": _iso(change.created_at),
    }


def handoff_summary(handoff: HandoffView) -> dict[str, Any]:
    return {
        "id": handoff.id,
        "sender_id": handoff.sender_id,
        "channel": handoff.channel,
        "language": handoff.language,
        "reason": handoff.reason,
        "reason_label": labelled(INTENT_TOPICS, handoff.reason),
        "summary": mask_pii(handoff.summary),
        "customer_id": handoff.customer_id,
        "status": handoff.status,
        "created_at": _iso(handoff.created_at),
    }


def customer_summary(customer: CustomerView) -> dict[str, Any]:
    return {
        "id": customer.id,
        "name": customer.name,
        "phone_masked": customer.phone_masked,
        "language": customer.language,
    }


class Cases:
    """The console's view of the case store; one instance per server, safe across threads."""

    def __init__(self, url: str | None = None, store: CaseStore | None = None) -> None:
        self._url = url
        self._store = store
        self._lock = threading.Lock()

    def store(self) -> CaseStore:
        with self._lock:
            if self._store is None:
                self._store = CaseStore(self._url)
            return self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def lookup(self, identifier: str, actor: str) -> dict[str, Any] | None:
        """The case with its history and related records, or None when it does not exist.

        Raises ValueError for something that is not a case id at all.
        """
        key = identifier.strip().upper()
        kind = kind_of(key)
        store = self.store()
        if kind == "claim":
            claim = store.get_claim(key, actor=actor, purpose=PURPOSE)
            if claim is None:
                return None
            summary = claim_summary(claim)
            policy = store.get_policy(claim.policy_number, actor=actor, purpose=PURPOSE)
            summary["policy"] = None if policy is None else policy_summary(policy)
            return summary
        if kind == "complaint":
            complaint = store.get_complaint(key, actor=actor, purpose=PURPOSE)
            return None if complaint is None else complaint_summary(complaint)
        if kind == "change":
            change = store.get_change_request(key, actor=actor, purpose=PURPOSE)
            return None if change is None else change_summary(change)
        if kind == "policy":
            policy = store.get_policy(key, actor=actor, purpose=PURPOSE)
            if policy is None:
                return None
            summary = policy_summary(policy)
            claims = store.claims_for_policy(key, actor=actor, purpose=PURPOSE)
            summary["claims"] = [claim_summary(claim) for claim in claims]
            return summary
        raise ValueError("not a case id")

    def verify(self, policy_number: str, birth_date: date, actor: str) -> dict[str, Any]:
        """Whether the caller's policy number and birth date match (audited either way).

        The answer is the same for an unknown policy and a wrong birth date.
        """
        customer = self.store().verify_identity(
            policy_number, birth_date, actor=actor, purpose=PURPOSE
        )
        return {
            "policy_number": policy_number,
            "matched": customer is not None,
            "customer": None if customer is None else customer_summary(customer),
        }

    def open_handoffs(self, actor: str) -> list[dict[str, Any]]:
        handoffs = self.store().open_handoffs(actor=actor, purpose=PURPOSE)
        return [handoff_summary(h) for h in handoffs]

    def overdue_complaints(self, today: date, actor: str) -> list[dict[str, Any]]:
        complaints = self.store().overdue_complaints(today, actor=actor, purpose=PURPOSE)
        return [complaint_summary(c) for c in complaints]

    def identity_locks(self, actor: str, now: datetime) -> dict[str, Any]:
        """Policies and case ids locked after failed identity checks, and the last day's
        bursts of failures (attacks show up here before they lock anything)."""
        store = self.store()
        locks = store.identity_locks(actor=actor)
        bursts = store.identity_failure_bursts(actor=actor, since=now - timedelta(hours=24))
        return {
            "locks": [
                {
                    "subject_type": lock.subject_type,
                    "subject_id": lock.subject_id,
                    "locked_at": lock.locked_at.isoformat(),
                    "failures": lock.failures,
                }
                for lock in locks
            ],
            "bursts": [
                {
                    "subject_type": burst.subject_type,
                    "subject_id": burst.subject_id,
                    "failures": burst.failures,
                    "conversations": burst.conversations,
                    "last_failed_at": burst.last_failed_at.isoformat(),
                    "locked": burst.locked,
                }
                for burst in bursts
            ],
        }

    def unlock_identity(self, subject_id: str, actor: str) -> bool:
        """Lifts a lock once the agent has checked the caller on the phone (audited)."""
        return self.store().unlock_identity(subject_id.strip().upper(), actor=actor,
                                            purpose=PURPOSE)  # fmt: skip
