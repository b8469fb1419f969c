"""What callers get back: frozen dataclasses of plain values, never ORM objects.

Datetimes are timezone-aware and expressed in Korean time (UTC+09:00), so ``.date()`` and
``strftime`` give the date a Korean customer expects; phone numbers only appear masked.
"""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class CustomerView:
    id: str
    name: str
    birth_date: date
    phone_masked: str | None
    language: str


@dataclass(frozen=True)
class PolicyView:
    number: str
    customer_id: str
    product: str
    status: str
    start_date: date
    end_date: date
    sum_insured: int | None
    beneficiary: str | None


@dataclass(frozen=True)
class StatusChange:
    status: str
    changed_at: datetime
    note: str | None


@dataclass(frozen=True)
class ClaimView:
    id: str
    policy_number: str
    incident_type: str
    incident_date: date
    incident_place: str | None
    description: str | None
    injuries: bool | None
    contact_consent: bool | None
    status: str
    assessed_amount: int | None
    paid_amount: int | None
    channel: str | None
    created_at: datetime
    history: list[StatusChange] = field(default_factory=list)
    # True only on the view returned by the create_claim call that inserted the row.
    created: bool = False


@dataclass(frozen=True)
class ComplaintView:
    id: str
    customer_id: str | None
    policy_number: str | None
    category: str
    description: str | None
    desired_outcome: str | None
    status: str
    opened_at: datetime
    acknowledged_at: datetime | None
    due_at: datetime
    # The deadline as a Korean calendar date (opened date + 14 days).
    due_date: date
    resolved_at: datetime | None
    # Unresolved and the due date lies before the reference date.
    overdue: bool
    created: bool = False


@dataclass(frozen=True)
class ChangeView:
    id: str
    policy_number: str
    change_type: str
    new_value: str
    status: str
    created_at: datetime
    created: bool = False


@dataclass(frozen=True)
class HandoffView:
    id: int
    sender_id: str
    channel: str
    language: str
    reason: str
    summary: str
    customer_id: str | None
    status: str
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str | None
    purpose: str | None
