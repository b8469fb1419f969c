"""Identity checks the server trusts: verification records, failure counts and locks.

Case data is released only against a `Verification` row for the conversation asking, never
against values the conversation itself carries. Failures are counted per subject (the
policy number or case id as given, and the policy a case belongs to) across every
conversation and channel, so new sender ids, `/restart` and restarts do not reset them.

- A conversation that fails `CONVERSATION_FAILURE_LIMIT` times within
  `CONVERSATION_COOLDOWN` waits out the cool-down.
- A subject that fails `SUBJECT_FAILURE_LIMIT` times within `SUBJECT_FAILURE_WINDOW` is
  locked for everyone until an agent unlocks it.
- Unknown subjects are counted and locked the same way as real ones, so neither the reply
  nor the lock tells whether a policy or case exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from casestore.models import (
    Claim,
    Complaint,
    Customer,
    Policy,
    Verification,
    VerificationFailure,
    VerificationLock,
)

IDLE_TIMEOUT = timedelta(minutes=10)
CONVERSATION_FAILURE_LIMIT = 3
CONVERSATION_COOLDOWN = timedelta(minutes=15)
SUBJECT_FAILURE_LIMIT = 5
SUBJECT_FAILURE_WINDOW = timedelta(hours=24)

SubjectType = Literal["policy", "claim", "complaint"]


def subject_type_of(subject_id: str) -> SubjectType:
    if subject_id.startswith("CLM-"):
        return "claim"
    if subject_id.startswith("CMP-"):
        return "complaint"
    return "policy"


def holder(s: Session, subject_type: str, subject_id: str) -> tuple[Customer | None, str | None]:
    """The customer behind a policy, claim or complaint, and the policy that stands for it.

    A complaint filed without a policy stands for its customer's first policy.
    """
    if subject_type == "policy":
        policy = s.get(Policy, subject_id)
        return (s.get(Customer, policy.customer_id), policy.number) if policy else (None, None)
    if subject_type == "claim":
        claim = s.get(Claim, subject_id)
        policy = s.get(Policy, claim.policy_number) if claim else None
        return (s.get(Customer, policy.customer_id), policy.number) if policy else (None, None)
    complaint = s.get(Complaint, subject_id)
    if complaint is None or not complaint.customer_id:
        return None, None
    policy_number = complaint.policy_number or s.execute(
        select(Policy.number)
        .where(Policy.customer_id == complaint.customer_id)
        .order_by(Policy.number)
    ).scalars().first()
    return s.get(Customer, complaint.customer_id), policy_number


@dataclass(frozen=True)
class IdentityCheck:
    """What one check decided. `status` is "verified", "failed" or "locked".

    `retry_after` is set when the conversation must wait out its cool-down; a locked
    subject has none (only the hotline can unlock it).
    """

    status: str
    customer_id: str | None = None
    policy_number: str | None = None
    remaining: int | None = None
    retry_after: datetime | None = None


@dataclass(frozen=True)
class ActiveVerification:
    conversation: str
    customer_id: str
    policy_number: str
    subject_type: str
    subject_id: str
    verified_at: datetime


@dataclass(frozen=True)
class LockView:
    subject_type: str
    subject_id: str
    locked_at: datetime
    failures: int


@dataclass(frozen=True)
class FailureBurst:
    subject_type: str
    subject_id: str
    failures: int
    conversations: int
    last_failed_at: datetime
    locked: bool


def _is_locked(s: Session, subject_ids: list[str]) -> bool:
    found = s.execute(
        select(VerificationLock.id).where(
            VerificationLock.subject_id.in_(subject_ids), VerificationLock.unlocked_at.is_(None)
        )
    ).first()
    return found is not None


def _conversation_retry_after(s: Session, conversation: str, now: datetime) -> datetime | None:
    recent = s.execute(
        select(VerificationFailure.failed_at)
        .where(
            VerificationFailure.conversation == conversation,
            VerificationFailure.failed_at > now - CONVERSATION_COOLDOWN,
        )
        .order_by(VerificationFailure.failed_at.desc())
    ).scalars().all()
    if len(recent) < CONVERSATION_FAILURE_LIMIT:
        return None
    return recent[0] + CONVERSATION_COOLDOWN


def _failures_since_unlock(s: Session, subject_id: str, now: datetime) -> int:
    last_unlock = s.execute(
        select(func.max(VerificationLock.unlocked_at)).where(
            VerificationLock.subject_id == subject_id
        )
    ).scalar_one()
    since = now - SUBJECT_FAILURE_WINDOW
    if last_unlock is not None and last_unlock > since:
        since = last_unlock  # an unlock forgives the failures before it
    return s.execute(
        select(func.count(VerificationFailure.id)).where(
            or_(
                VerificationFailure.subject_id == subject_id,
                VerificationFailure.policy_number == subject_id,
            ),
            VerificationFailure.failed_at > since,
        )
    ).scalar_one()


def _count_failure(
    s: Session, subjects: list[str], conversation: str, now: datetime
) -> None:
    """Records one failed attempt and locks every subject that reached the limit."""
    given = subjects[0]
    s.add(
        VerificationFailure(
            subject_type=subject_type_of(given),
            subject_id=given,
            policy_number=subjects[1] if len(subjects) > 1 else None,
            conversation=conversation,
            failed_at=now,
        )
    )
    s.flush()
    for subject in subjects:
        failures = _failures_since_unlock(s, subject, now)
        if failures >= SUBJECT_FAILURE_LIMIT and not _is_locked(s, [subject]):
            s.add(
                VerificationLock(
                    subject_type=subject_type_of(subject),
                    subject_id=subject,
                    locked_at=now,
                    failures=failures,
                )
            )


def check(
    s: Session,
    *,
    conversation: str,
    subject_id: str,
    birth_date: date,
    now: datetime,
) -> IdentityCheck:
    """Checks `birth_date` against the holder of `subject_id` for `conversation`."""
    subject_type = subject_type_of(subject_id)
    customer, policy_number = holder(s, subject_type, subject_id)
    subjects = [subject_id]
    if policy_number and policy_number != subject_id:
        subjects.append(policy_number)
    retry_after = _conversation_retry_after(s, conversation, now)
    if retry_after is not None:
        return IdentityCheck("locked", retry_after=retry_after)
    if _is_locked(s, subjects):
        return IdentityCheck("locked")
    if customer is not None and policy_number is not None and customer.birth_date == birth_date:
        end(s, conversation, now)
        s.add(
            Verification(
                conversation=conversation,
                customer_id=customer.id,
                policy_number=policy_number,
                subject_type=subject_type,
                subject_id=subject_id,
                verified_at=now,
                last_used_at=now,
            )
        )
        return IdentityCheck("verified", customer_id=customer.id, policy_number=policy_number)
    _count_failure(s, subjects, conversation, now)
    retry_after = _conversation_retry_after(s, conversation, now)
    if retry_after is not None or _is_locked(s, subjects):
        return IdentityCheck("locked", retry_after=retry_after)
    failed_here = s.execute(
        select(func.count(VerificationFailure.id)).where(
            VerificationFailure.conversation == conversation,
            VerificationFailure.subject_id == subject_id,
            VerificationFailure.failed_at > now - CONVERSATION_COOLDOWN,
        )
    ).scalar_one()
    return IdentityCheck("failed", remaining=max(CONVERSATION_FAILURE_LIMIT - failed_here, 0))


def active(s: Session, conversation: str, now: datetime) -> ActiveVerification | None:
    """The conversation's verification if it was used within `IDLE_TIMEOUT`; touches it."""
    row = s.execute(
        select(Verification)
        .where(Verification.conversation == conversation, Verification.ended_at.is_(None))
        .order_by(Verification.verified_at.desc())
    ).scalars().first()
    if row is None:
        return None
    if now - row.last_used_at > IDLE_TIMEOUT:
        row.ended_at = row.last_used_at + IDLE_TIMEOUT
        return None
    row.last_used_at = now
    return ActiveVerification(
        conversation=row.conversation,
        customer_id=row.customer_id,
        policy_number=row.policy_number,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        verified_at=row.verified_at,
    )


def end(s: Session, conversation: str, now: datetime) -> None:
    s.execute(
        update(Verification)
        .where(Verification.conversation == conversation, Verification.ended_at.is_(None))
        .values(ended_at=now)
    )


def locks(s: Session) -> list[LockView]:
    rows = s.execute(
        select(VerificationLock)
        .where(VerificationLock.unlocked_at.is_(None))
        .order_by(VerificationLock.locked_at.desc())
    ).scalars()
    return [LockView(r.subject_type, r.subject_id, r.locked_at, r.failures) for r in rows]


def unlock(s: Session, subject_id: str, actor: str, now: datetime) -> bool:
    """Lifts the lock on `subject_id` and forgives its failures so far (also when it was
    not locked yet); True if a lock was lifted."""
    result = s.execute(
        update(VerificationLock)
        .where(VerificationLock.subject_id == subject_id, VerificationLock.unlocked_at.is_(None))
        .values(unlocked_at=now, unlocked_by=actor)
    )
    if result.rowcount:
        return True
    # A lock that ends as it starts: the failures before it no longer count.
    s.add(
        VerificationLock(
            subject_type=subject_type_of(subject_id),
            subject_id=subject_id,
            locked_at=now,
            failures=_failures_since_unlock(s, subject_id, now),
            unlocked_at=now,
            unlocked_by=actor,
        )
    )
    return False


def bursts(s: Session, since: datetime, minimum: int) -> list[FailureBurst]:
    """Subjects with at least `minimum` failures since `since`, most failures first."""
    rows = s.execute(
        select(
            VerificationFailure.subject_type,
            VerificationFailure.subject_id,
            func.count(VerificationFailure.id),
            func.count(func.distinct(VerificationFailure.conversation)),
            func.max(VerificationFailure.failed_at),
        )
        .where(VerificationFailure.failed_at >= since)
        .group_by(VerificationFailure.subject_type, VerificationFailure.subject_id)
        .having(func.count(VerificationFailure.id) >= minimum)
        .order_by(func.count(VerificationFailure.id).desc())
    ).all()
    locked = {lock.subject_id for lock in locks(s)}
    return [
        FailureBurst(kind, subject, failures, conversations, last, subject in locked)
        for kind, subject, failures, conversations, last in rows
    ]
