"""ORM models. Internal to the package: callers only ever see the dataclasses in views.py."""

from datetime import date, datetime, timezone
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (same on SQLite and PostgreSQL), returns aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        date: Date(),
        str: String(200),
    }


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str]
    birth_date: Mapped[date]
    phone: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))


class Policy(Base):
    __tablename__ = "policies"

    number: Mapped[str] = mapped_column(String(10), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    product: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date]
    end_date: Mapped[date]
    sum_insured: Mapped[int | None] = mapped_column(BigInteger)
    beneficiary: Mapped[str | None]


class Claim(Base):
    __tablename__ = "claims"

    id: Mapped[str] = mapped_column(String(15), primary_key=True)
    policy_number: Mapped[str] = mapped_column(ForeignKey("policies.number"), index=True)
    incident_type: Mapped[str] = mapped_column(String(32))
    incident_date: Mapped[date]
    incident_place: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    injuries: Mapped[bool | None] = mapped_column(Boolean)
    contact_consent: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(32))
    assessed_amount: Mapped[int | None] = mapped_column(BigInteger)
    paid_amount: Mapped[int | None] = mapped_column(BigInteger)
    channel: Mapped[str | None] = mapped_column(String(40))
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime]


class ClaimStatusHistory(Base):
    __tablename__ = "claim_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[str] = mapped_column(String(15), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"), index=True)
    policy_number: Mapped[str | None] = mapped_column(ForeignKey("policies.number"))
    category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    desired_outcome: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    due_at: Mapped[datetime] = mapped_column(index=True)
    resolved_at: Mapped[datetime | None]
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)


class ChangeRequest(Base):
    __tablename__ = "change_requests"

    id: Mapped[str] = mapped_column(String(15), primary_key=True)
    policy_number: Mapped[str] = mapped_column(ForeignKey("policies.number"), index=True)
    change_type: Mapped[str] = mapped_column(String(32))
    new_value: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)


class HandoffRequest(Base):
    __tablename__ = "handoff_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str]
    summary: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str]
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(32), index=True)
    purpose: Mapped[str | None]


class IdSequence(Base):
    """Last number handed out per id prefix and year (CLM/2026 -> 141)."""

    __tablename__ = "id_sequences"

    prefix: Mapped[str] = mapped_column(String(3), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Verification(Base):
    """An identity check a conversation passed: the only thing that releases case data."""

    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation: Mapped[str] = mapped_column(String(200), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    policy_number: Mapped[str] = mapped_column(String(20))
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(32))
    verified_at: Mapped[datetime]
    last_used_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class VerificationFailure(Base):
    """A failed identity check: the policy number or case id as given, and the policy a
    case id belongs to (failures by case id count against that policy too)."""

    __tablename__ = "verification_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(32), index=True)
    policy_number: Mapped[str | None] = mapped_column(String(20), index=True)
    conversation: Mapped[str] = mapped_column(String(200), index=True)
    failed_at: Mapped[datetime] = mapped_column(index=True)


class VerificationLock(Base):
    """A subject locked after too many failures, until an agent unlocks it."""

    __tablename__ = "verification_locks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(32), index=True)
    locked_at: Mapped[datetime]
    failures: Mapped[int] = mapped_column(Integer)
    unlocked_at: Mapped[datetime | None]
    unlocked_by: Mapped[str | None]


class Agent(Base):
    """A named agent console account; the password only as an argon2 hash."""

    __tablename__ = "agents"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime]
    disabled: Mapped[bool] = mapped_column(Boolean)


class AgentSession(Base):
    """A console sign-in; the cookie holds a random id, this table only its SHA-256."""

    __tablename__ = "agent_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_name: Mapped[str] = mapped_column(ForeignKey("agents.name"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
