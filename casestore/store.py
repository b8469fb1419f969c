"""The case store API used by the rasa-sdk actions and the agent console.

Callers pass and receive plain values; sessions and ORM objects never leave this module.
Every read of personal data takes an ``actor`` and writes audit rows in the same transaction:
one per record disclosed, or one naming the looked-up key when nothing was disclosed.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from casestore import identity, ids
from casestore import validation as check
from casestore.clock import business_date, kst, start_of_business_day, today_kst, utcnow
from casestore.config import database_url
from casestore.db import make_engine, upgrade
from casestore.errors import (
    CaseStoreError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    StorageError,
)
from casestore.masking import mask_phone, mask_phones_in_text
from casestore.models import (
    AuditLog,
    ChangeRequest,
    Claim,
    ClaimStatusHistory,
    Complaint,
    Customer,
    HandoffRequest,
    Policy,
)
from casestore.views import (
    AuditEntry,
    ChangeView,
    ClaimView,
    ComplaintView,
    CustomerView,
    HandoffView,
    PolicyView,
    StatusChange,
)
from casestore.vocabulary import (
    CHANGE_TYPES,
    INCIDENT_TYPES,
    LANGUAGES,
    POLICY_STATUSES,
    PRODUCTS,
)
from casestore.workflow import (
    CLAIM_STATUSES,
    CLAIM_TRANSITIONS,
    COMPLAINT_DEADLINE,
    COMPLAINT_STATUSES,
    COMPLAINT_TRANSITIONS,
)

PHONE_CHARS = frozenset("0123456789+-() ")

T = TypeVar("T")


class CaseStore:
    def __init__(self, url: str | None = None) -> None:
        """Connect to ``url`` (default: config.database_url()). Does not migrate."""
        self.url = url or database_url()
        self._engine: Engine = make_engine(self.url)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    @classmethod
    def open(
        cls, url: str | None = None, *, migrate: bool = True, seed: bool = False
    ) -> "CaseStore":
        url = url or database_url()
        if migrate:
            upgrade(url)
        store = cls(url)
        if seed:
            from casestore.seed import load_demo_data

            load_demo_data(store)
        return store

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> "CaseStore":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except CaseStoreError:
            raise
        except SQLAlchemyError as exc:
            # The engine hides bound parameters, so the chained error carries no personal data.
            raise StorageError(f"case store database error ({type(exc).__name__})") from exc

    # ----------------------------------------------------------------- customers and policies

    def add_customer(
        self,
        *,
        id: str,
        name: str,
        birth_date: date,
        phone: str | None = None,
        language: str = "ko",
    ) -> CustomerView:
        customer = Customer(
            id=check.customer_id(id, "id"),
            name=check.text("name", name, max_len=check.MAX_SHORT),
            birth_date=check.a_date("birth_date", birth_date),
            phone=_check_phone(phone),
            language=check.one_of("language", language, LANGUAGES),
        )
        with self._transaction() as s:
            if s.get(Customer, customer.id) is not None:
                raise InvalidInput(f"customer {customer.id} already exists")
            s.add(customer)
            return _customer_view(customer)

    def add_policy(
        self,
        *,
        number: str,
        customer_id: str,
        product: str,
        status: str,
        start_date: date,
        end_date: date,
        sum_insured: int | None = None,
        beneficiary: str | None = None,
    ) -> PolicyView:
        policy = Policy(
            number=check.policy_number(number, "number"),
            customer_id=check.customer_id(customer_id),
            product=check.one_of("product", product, PRODUCTS),
            status=check.one_of("status", status, POLICY_STATUSES),
            start_date=check.a_date("start_date", start_date),
            end_date=check.a_date("end_date", end_date),
            sum_insured=check.optional_amount("sum_insured", sum_insured),
            beneficiary=check.optional_text("beneficiary", beneficiary, max_len=check.MAX_SHORT),
        )
        check.product_matches_number(policy.product, policy.number)
        if policy.end_date < policy.start_date:
            raise InvalidInput("end_date is before start_date")
        with self._transaction() as s:
            if s.get(Customer, policy.customer_id) is None:
                raise NotFound(f"customer {policy.customer_id} does not exist")
            if s.get(Policy, policy.number) is not None:
                raise InvalidInput(f"policy {policy.number} already exists")
            s.add(policy)
            return _policy_view(policy)

    def verify_identity(
        self, policy_number: str, birth_date: date, *, actor: str, purpose: str | None = None
    ) -> CustomerView | None:
        """The policyholder if the birth date matches; None for a wrong date or unknown policy."""
        number = check.policy_number(policy_number)
        birth_date = check.a_date("birth_date", birth_date)
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            customer, _ = identity.holder(s, "policy", number)
            matched = customer is not None and customer.birth_date == birth_date
            action = "verify_identity" if matched else "verify_identity_failed"
            _audit(s, actor, action, "policy", number, purpose)
            return _customer_view(customer) if matched and customer is not None else None

    def verify_case_identity(
        self, case_id: str, birth_date: date, *, actor: str, purpose: str | None = None
    ) -> tuple[CustomerView, str] | None:
        """The holder and the policy a claim or complaint belongs to, if the birth date matches.

        None for a wrong date and for an unknown id alike, so nothing tells whether the case
        exists. A complaint filed without a policy is checked against its customer, and the
        customer's first policy stands for the verified one.
        """
        kind = identity.subject_type_of(case_id)
        case_id = check.claim_id(case_id) if kind == "claim" else check.complaint_id(case_id)
        birth_date = check.a_date("birth_date", birth_date)
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            customer, policy_number = identity.holder(s, kind, case_id)
            matched = (
                customer is not None
                and policy_number is not None
                and customer.birth_date == birth_date
            )
            action = "verify_identity" if matched else "verify_identity_failed"
            _audit(s, actor, action, kind, case_id, purpose)
            if not matched or customer is None or policy_number is None:
                return None
            return _customer_view(customer), policy_number

    # ------------------------------------------------------------ verification the server trusts

    def check_identity(
        self,
        *,
        conversation: str,
        subject_id: str,
        birth_date: date,
        actor: str,
        now: datetime | None = None,
    ) -> identity.IdentityCheck:
        """Checks a policy number, claim id or complaint id with a birth date for one
        conversation; a match records the verification that later reads are allowed by."""
        kind = identity.subject_type_of(subject_id)
        validators = {
            "policy": check.policy_number,
            "claim": check.claim_id,
            "complaint": check.complaint_id,
        }
        subject_id = validators[kind](subject_id)
        birth_date = check.a_date("birth_date", birth_date)
        conversation = check.text("conversation", conversation, max_len=check.MAX_SHORT)
        actor, _ = _audit_args(actor, None)
        with self._transaction() as s:
            result = identity.check(
                s,
                conversation=conversation,
                subject_id=subject_id,
                birth_date=birth_date,
                now=now or utcnow(),
            )
            action = {
                "verified": "verify_identity",
                "failed": "verify_identity_failed",
                "locked": "verify_identity_locked",
            }[result.status]
            _audit(s, actor, action, kind, subject_id, conversation)
            return result

    def active_verification(
        self, conversation: str, *, now: datetime | None = None
    ) -> identity.ActiveVerification | None:
        """The conversation's verification, if it has one used within the idle timeout."""
        with self._transaction() as s:
            return identity.active(s, conversation, now or utcnow())

    def end_verification(self, conversation: str, *, now: datetime | None = None) -> None:
        with self._transaction() as s:
            identity.end(s, conversation, now or utcnow())

    def identity_locks(self, *, actor: str) -> list[identity.LockView]:
        actor, _ = _audit_args(actor, None)
        with self._transaction() as s:
            _audit(s, actor, "list_identity_locks", "policy", None, None)
            return identity.locks(s)

    def identity_failure_bursts(
        self, *, actor: str, since: datetime, minimum: int = identity.CONVERSATION_FAILURE_LIMIT
    ) -> list[identity.FailureBurst]:
        actor, _ = _audit_args(actor, None)
        with self._transaction() as s:
            _audit(s, actor, "list_identity_failures", "policy", None, None)
            return identity.bursts(s, since, minimum)

    def unlock_identity(
        self, subject_id: str, *, actor: str, purpose: str | None = None
    ) -> bool:
        """Lifts the lock on a policy or case id (the hotline, after checking the caller)."""
        actor, purpose = _audit_args(actor, purpose)
        subject_id = check.text("subject_id", subject_id, max_len=32)
        with self._transaction() as s:
            unlocked = identity.unlock(s, subject_id, actor, utcnow())
            _audit(
                s, actor, "unlock_identity", identity.subject_type_of(subject_id), subject_id,
                purpose,
            )
            return unlocked

    def get_policy(
        self, number: str, *, actor: str, purpose: str | None = None
    ) -> PolicyView | None:
        number = check.policy_number(number, "number")
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            policy = s.get(Policy, number)
            _audit(s, actor, "get_policy", "policy", number, purpose)
            return None if policy is None else _policy_view(policy)

    def policies_for_customer(
        self, customer_id: str, *, actor: str, purpose: str | None = None
    ) -> list[PolicyView]:
        customer_id = check.customer_id(customer_id)
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            policies = s.scalars(
                select(Policy)
                .where(Policy.customer_id == customer_id)
                .order_by(Policy.start_date, Policy.number)
            ).all()
            _audit_each(
                s,
                actor,
                "policies_for_customer",
                "policy",
                [p.number for p in policies],
                purpose,
                empty=("customer", customer_id),
            )
            return [_policy_view(p) for p in policies]

    def check_claim_eligibility(self, policy_number: str, incident_date: date) -> str:
        """ "ok", "not_found", "inactive" (status not active) or "outside_period"."""
        number = check.policy_number(policy_number)
        incident_date = check.a_date("incident_date", incident_date)
        with self._transaction() as s:
            policy = s.get(Policy, number)
            if policy is None:
                return "not_found"
            if policy.status != "active":
                return "inactive"
            if not policy.start_date <= incident_date <= policy.end_date:
                return "outside_period"
            return "ok"

    # ----------------------------------------------------------------------------- claims

    def create_claim(
        self,
        *,
        policy_number: str,
        incident_type: str,
        incident_date: date,
        incident_place: str | None,
        description: str | None,
        injuries: bool | None,
        contact_consent: bool | None,
        channel: str,
        idempotency_key: str | None,
        now: datetime | None = None,
    ) -> ClaimView:
        """Register a first notice of loss in status "received".

        A repeated ``idempotency_key`` returns the claim created first (``created=False``),
        whatever the other arguments are.
        """
        number = check.policy_number(policy_number)
        incident_type = check.one_of("incident_type", incident_type, INCIDENT_TYPES)
        incident_date = check.a_date("incident_date", incident_date)
        place = check.optional_text("incident_place", incident_place, max_len=check.MAX_SHORT)
        description = check.optional_text("description", description)
        injuries = check.optional_bool("injuries", injuries)
        contact_consent = check.optional_bool("contact_consent", contact_consent)
        channel = check.channel(channel)
        key = check.idempotency_key(idempotency_key)
        now = _now(now)

        def insert(s: Session) -> ClaimView:
            if s.get(Policy, number) is None:
                raise NotFound(f"policy {number} does not exist")
            claim = Claim(
                id=ids.allocate(s, "CLM", business_date(now).year),
                policy_number=number,
                incident_type=incident_type,
                incident_date=incident_date,
                incident_place=place,
                description=description,
                injuries=injuries,
                contact_consent=contact_consent,
                status="received",
                channel=channel,
                idempotency_key=key,
                created_at=now,
            )
            s.add(claim)
            s.add(ClaimStatusHistory(claim_id=claim.id, status="received", changed_at=now))
            s.flush()
            return _claim_views(s, [claim], created=True)[0]

        return self._create_once(Claim, key, insert, lambda s, c: _claim_views(s, [c])[0])

    def get_claim(
        self, claim_id: str, *, actor: str, purpose: str | None = None
    ) -> ClaimView | None:
        claim_id = check.claim_id(claim_id)
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            claim = s.get(Claim, claim_id)
            _audit(s, actor, "get_claim", "claim", claim_id, purpose)
            return None if claim is None else _claim_views(s, [claim])[0]

    def claims_for_policy(
        self, number: str, *, actor: str, purpose: str | None = None
    ) -> list[ClaimView]:
        number = check.policy_number(number, "number")
        return self._claims_where(
            Claim.policy_number == number, actor, purpose, "claims_for_policy", ("policy", number)
        )

    def claims_for_customer(
        self, customer_id: str, *, actor: str, purpose: str | None = None
    ) -> list[ClaimView]:
        customer_id = check.customer_id(customer_id)
        owned = select(Policy.number).where(Policy.customer_id == customer_id)
        return self._claims_where(
            Claim.policy_number.in_(owned),
            actor,
            purpose,
            "claims_for_customer",
            ("customer", customer_id),
        )

    def _claims_where(
        self,
        condition: Any,
        actor: str,
        purpose: str | None,
        action: str,
        empty: tuple[str, str],
    ) -> list[ClaimView]:
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            claims = s.scalars(
                select(Claim).where(condition).order_by(Claim.created_at, Claim.id)
            ).all()
            _audit_each(s, actor, action, "claim", [c.id for c in claims], purpose, empty=empty)
            return _claim_views(s, claims)

    def update_claim_status(
        self,
        claim_id: str,
        status: str,
        note: str | None = None,
        *,
        assessed_amount: int | None = None,
        paid_amount: int | None = None,
        now: datetime | None = None,
    ) -> ClaimView:
        """Move a claim along its workflow; raises InvalidTransition for a disallowed step."""
        claim_id = check.claim_id(claim_id)
        status = check.one_of("status", status, CLAIM_STATUSES)
        note = check.optional_text("note", note)
        assessed_amount = check.optional_amount("assessed_amount", assessed_amount)
        paid_amount = check.optional_amount("paid_amount", paid_amount)
        now = _now(now)
        with self._transaction() as s:
            claim = s.scalars(
                select(Claim).where(Claim.id == claim_id).with_for_update()
            ).one_or_none()
            if claim is None:
                raise NotFound(f"claim {claim_id} does not exist")
            if status not in CLAIM_TRANSITIONS[claim.status]:
                raise InvalidTransition(
                    f"claim {claim_id} cannot go from {claim.status} to {status}"
                )
            claim.status = status
            if assessed_amount is not None:
                claim.assessed_amount = assessed_amount
            if paid_amount is not None:
                claim.paid_amount = paid_amount
            s.add(ClaimStatusHistory(claim_id=claim_id, status=status, changed_at=now, note=note))
            s.flush()
            return _claim_views(s, [claim])[0]

    # ------------------------------------------------------------------------- complaints

    def file_complaint(
        self,
        *,
        customer_id: str | None,
        policy_number: str | None,
        category: str,
        description: str,
        desired_outcome: str | None,
        idempotency_key: str | None,
        now: datetime | None = None,
    ) -> ComplaintView:
        """Open a complaint, acknowledged at once and due 14 days later (status "received")."""
        customer_id = check.optional_customer_id(customer_id)
        number = check.optional_policy_number(policy_number)
        category = check.slug("category", category)
        description = check.text("description", description)
        desired_outcome = check.optional_text("desired_outcome", desired_outcome)
        key = check.idempotency_key(idempotency_key)
        now = _now(now)
        today = business_date(now)

        def insert(s: Session) -> ComplaintView:
            if customer_id is not None and s.get(Customer, customer_id) is None:
                raise NotFound(f"customer {customer_id} does not exist")
            if number is not None:
                policy = s.get(Policy, number)
                if policy is None:
                    raise NotFound(f"policy {number} does not exist")
                if customer_id is not None and policy.customer_id != customer_id:
                    raise InvalidInput(f"policy {number} does not belong to {customer_id}")
            complaint = Complaint(
                id=ids.allocate(s, "CMP", today.year),
                customer_id=customer_id,
                policy_number=number,
                category=category,
                description=description,
                desired_outcome=desired_outcome,
                status="received",
                opened_at=now,
                acknowledged_at=now,
                due_at=now + COMPLAINT_DEADLINE,
                idempotency_key=key,
            )
            s.add(complaint)
            s.flush()
            return _complaint_view(complaint, today, created=True)

        return self._create_once(Complaint, key, insert, lambda _s, c: _complaint_view(c, today))

    def get_complaint(
        self,
        complaint_id: str,
        *,
        actor: str,
        today: date | None = None,
        purpose: str | None = None,
    ) -> ComplaintView | None:
        """``today`` (default: today in Korea) is the date the overdue flag is computed for."""
        complaint_id = check.complaint_id(complaint_id)
        today = _today(today)
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            complaint = s.get(Complaint, complaint_id)
            _audit(s, actor, "get_complaint", "complaint", complaint_id, purpose)
            return None if complaint is None else _complaint_view(complaint, today)

    def complaints_for_customer(
        self,
        customer_id: str,
        *,
        actor: str,
        today: date | None = None,
        purpose: str | None = None,
    ) -> list[ComplaintView]:
        customer_id = check.customer_id(customer_id)
        today = _today(today)
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            complaints = s.scalars(
                select(Complaint)
                .where(Complaint.customer_id == customer_id)
                .order_by(Complaint.opened_at, Complaint.id)
            ).all()
            _audit_each(
                s,
                actor,
                "complaints_for_customer",
                "complaint",
                [c.id for c in complaints],
                purpose,
                empty=("customer", customer_id),
            )
            return [_complaint_view(c, today) for c in complaints]

    def overdue_complaints(
        self, today: date, *, actor: str, purpose: str | None = None
    ) -> list[ComplaintView]:
        """Unresolved complaints whose due date (KST) is before ``today``."""
        today = check.a_date("today", today)
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            complaints = s.scalars(
                select(Complaint)
                .where(
                    Complaint.resolved_at.is_(None),
                    Complaint.status != "resolved",
                    Complaint.due_at < start_of_business_day(today),
                )
                .order_by(Complaint.due_at, Complaint.id)
            ).all()
            _audit_each(
                s,
                actor,
                "overdue_complaints",
                "complaint",
                [c.id for c in complaints],
                purpose,
                empty=("complaint", None),
            )
            return [_complaint_view(c, today) for c in complaints]

    def update_complaint_status(
        self, complaint_id: str, status: str, *, now: datetime | None = None
    ) -> ComplaintView:
        """received -> in_review -> resolved, or -> escalated; "resolved" sets resolved_at."""
        complaint_id = check.complaint_id(complaint_id)
        status = check.one_of("status", status, COMPLAINT_STATUSES)
        now = _now(now)
        with self._transaction() as s:
            complaint = s.scalars(
                select(Complaint).where(Complaint.id == complaint_id).with_for_update()
            ).one_or_none()
            if complaint is None:
                raise NotFound(f"complaint {complaint_id} does not exist")
            if status not in COMPLAINT_TRANSITIONS[complaint.status]:
                raise InvalidTransition(
                    f"complaint {complaint_id} cannot go from {complaint.status} to {status}"
                )
            complaint.status = status
            if status == "resolved":
                complaint.resolved_at = now
            s.flush()
            return _complaint_view(complaint, business_date(now))

    # -------------------------------------------------------------------- change requests

    def create_change_request(
        self,
        *,
        policy_number: str,
        change_type: str,
        new_value: str,
        idempotency_key: str | None,
        now: datetime | None = None,
    ) -> ChangeView:
        number = check.policy_number(policy_number)
        change_type = check.one_of("change_type", change_type, CHANGE_TYPES)
        new_value = check.text("new_value", new_value, max_len=1000)
        key = check.idempotency_key(idempotency_key)
        now = _now(now)

        def insert(s: Session) -> ChangeView:
            if s.get(Policy, number) is None:
                raise NotFound(f"policy {number} does not exist")
            change = ChangeRequest(
                id=ids.allocate(s, "CHG", business_date(now).year),
                policy_number=number,
                change_type=change_type,
                new_value=new_value,
                status="received",
                created_at=now,
                idempotency_key=key,
            )
            s.add(change)
            s.flush()
            return _change_view(change, created=True)

        return self._create_once(ChangeRequest, key, insert, lambda _s, c: _change_view(c))

    def get_change_request(
        self, change_id: str, *, actor: str, purpose: str | None = None
    ) -> ChangeView | None:
        change_id = check.change_id(change_id)
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            change = s.get(ChangeRequest, change_id)
            _audit(s, actor, "get_change_request", "change_request", change_id, purpose)
            return None if change is None else _change_view(change)

    # --------------------------------------------------------------------------- handoffs

    def create_handoff(
        self,
        *,
        sender_id: str,
        channel: str,
        language: str,
        reason: str,
        summary: str,
        customer_id: str | None = None,
        now: datetime | None = None,
    ) -> HandoffView:
        handoff = HandoffRequest(
            sender_id=check.text("sender_id", sender_id, max_len=check.MAX_SHORT),
            channel=check.channel(channel),
            language=check.one_of("language", language, LANGUAGES),
            reason=check.text("reason", reason, max_len=check.MAX_SHORT),
            summary=check.text("summary", summary, max_len=check.MAX_SUMMARY),
            customer_id=check.optional_customer_id(customer_id),
            status="open",
            created_at=_now(now),
        )
        with self._transaction() as s:
            if handoff.customer_id is not None and s.get(Customer, handoff.customer_id) is None:
                raise NotFound(f"customer {handoff.customer_id} does not exist")
            s.add(handoff)
            s.flush()
            return _handoff_view(handoff)

    def open_handoffs(self, *, actor: str, purpose: str | None = None) -> list[HandoffView]:
        actor, purpose = _audit_args(actor, purpose)
        with self._transaction() as s:
            handoffs = s.scalars(
                select(HandoffRequest)
                .where(HandoffRequest.status == "open")
                .order_by(HandoffRequest.created_at, HandoffRequest.id)
            ).all()
            _audit_each(
                s,
                actor,
                "open_handoffs",
                "handoff",
                [str(h.id) for h in handoffs],
                purpose,
                empty=("handoff", None),
            )
            return [_handoff_view(h) for h in handoffs]

    def close_handoff(self, handoff_id: int) -> HandoffView:
        """Close a handoff request; closing one that is already closed changes nothing."""
        if not isinstance(handoff_id, int) or isinstance(handoff_id, bool) or handoff_id < 1:
            raise InvalidInput("handoff_id must be a positive integer")
        with self._transaction() as s:
            handoff = s.scalars(
                select(HandoffRequest).where(HandoffRequest.id == handoff_id).with_for_update()
            ).one_or_none()
            if handoff is None:
                raise NotFound(f"handoff {handoff_id} does not exist")
            handoff.status = "closed"
            s.flush()
            return _handoff_view(handoff)

    # ------------------------------------------------------------------------------ audit

    def audit_entries(self, subject_id: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first; only the rows about ``subject_id`` if given."""
        stmt = select(AuditLog).order_by(AuditLog.id)
        if subject_id is not None:
            if not isinstance(subject_id, str):
                raise InvalidInput("subject_id must be a string")
            stmt = stmt.where(AuditLog.subject_id == subject_id)
        with self._transaction() as s:
            return [_audit_view(row) for row in s.scalars(stmt)]

    # ---------------------------------------------------------------------------- helpers

    def _create_once(
        self,
        model: type[Claim] | type[Complaint] | type[ChangeRequest],
        key: str | None,
        insert: Callable[[Session], T],
        existing_view: Callable[[Session, Any], T],
    ) -> T:
        def find(s: Session) -> T | None:
            row = s.scalars(select(model).where(model.idempotency_key == key)).one_or_none()
            return None if row is None else existing_view(s, row)

        try:
            with self._transaction() as s:
                found = find(s) if key is not None else None
                return found if found is not None else insert(s)
        except StorageError as exc:
            # Two requests with the same key raced past find(); the loser reads the winner's row.
            if key is None or not isinstance(exc.__cause__, IntegrityError):
                raise
            with self._transaction() as s:
                found = find(s)
            if found is None:
                raise
            return found


def _now(now: datetime | None) -> datetime:
    return utcnow() if now is None else check.aware_datetime("now", now)


def _today(today: date | None) -> date:
    return today_kst() if today is None else check.a_date("today", today)


def _check_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    if not isinstance(phone, str) or not 8 <= len(phone) <= 20 or set(phone) - PHONE_CHARS:
        raise InvalidInput("phone must look like 010-1234-5678")
    return phone


def _audit_args(actor: str, purpose: str | None) -> tuple[str, str | None]:
    return check.actor(actor), check.optional_text("purpose", purpose, max_len=check.MAX_SHORT)


def _audit(
    s: Session,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | None,
    purpose: str | None,
) -> None:
    s.add(
        AuditLog(
            at=utcnow(),
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            purpose=purpose,
        )
    )


def _audit_each(
    s: Session,
    actor: str,
    action: str,
    subject_type: str,
    subject_ids: Sequence[str],
    purpose: str | None,
    *,
    empty: tuple[str, str | None],
) -> None:
    if not subject_ids:
        _audit(s, actor, action, empty[0], empty[1], purpose)
    for subject_id in subject_ids:
        _audit(s, actor, action, subject_type, subject_id, purpose)


def _customer_view(c: Customer) -> CustomerView:
    return CustomerView(
        id=c.id,
        name=c.name,
        birth_date=c.birth_date,
        phone_masked=mask_phone(c.phone),
        language=c.language,
    )


def _policy_view(p: Policy) -> PolicyView:
    return PolicyView(
        number=p.number,
        customer_id=p.customer_id,
        product=p.product,
        status=p.status,
        start_date=p.start_date,
        end_date=p.end_date,
        sum_insured=p.sum_insured,
        beneficiary=p.beneficiary,
    )


def _claim_views(s: Session, claims: Sequence[Claim], *, created: bool = False) -> list[ClaimView]:
    history: dict[str, list[StatusChange]] = {c.id: [] for c in claims}
    if claims:
        rows = s.scalars(
            select(ClaimStatusHistory)
            .where(ClaimStatusHistory.claim_id.in_(list(history)))
            .order_by(ClaimStatusHistory.changed_at, ClaimStatusHistory.id)
        )
        for row in rows:
            history[row.claim_id].append(StatusChange(row.status, kst(row.changed_at), row.note))
    return [
        ClaimView(
            id=c.id,
            policy_number=c.policy_number,
            incident_type=c.incident_type,
            incident_date=c.incident_date,
            incident_place=c.incident_place,
            description=c.description,
            injuries=c.injuries,
            contact_consent=c.contact_consent,
            status=c.status,
            assessed_amount=c.assessed_amount,
            paid_amount=c.paid_amount,
            channel=c.channel,
            created_at=kst(c.created_at),
            history=history[c.id],
            created=created,
        )
        for c in claims
    ]


def _complaint_view(c: Complaint, today: date, *, created: bool = False) -> ComplaintView:
    due_date = business_date(c.due_at)
    resolved = c.resolved_at is not None or c.status == "resolved"
    return ComplaintView(
        id=c.id,
        customer_id=c.customer_id,
        policy_number=c.policy_number,
        category=c.category,
        description=c.description,
        desired_outcome=c.desired_outcome,
        status=c.status,
        opened_at=kst(c.opened_at),
        acknowledged_at=kst(c.acknowledged_at),
        due_at=kst(c.due_at),
        due_date=due_date,
        resolved_at=kst(c.resolved_at),
        overdue=not resolved and due_date < today,
        created=created,
    )


def _change_view(c: ChangeRequest, *, created: bool = False) -> ChangeView:
    # A new contact detail is usually a phone number: it is stored for processing but shown
    # masked like every other phone number.
    new_value = mask_phones_in_text(c.new_value) if c.change_type == "contact" else c.new_value
    return ChangeView(
        id=c.id,
        policy_number=c.policy_number,
        change_type=c.change_type,
        new_value=new_value,
        status=c.status,
        created_at=kst(c.created_at),
        created=created,
    )


def _handoff_view(h: HandoffRequest) -> HandoffView:
    return HandoffView(
        id=h.id,
        sender_id=h.sender_id,
        channel=h.channel,
        language=h.language,
        reason=h.reason,
        summary=h.summary,
        customer_id=h.customer_id,
        status=h.status,
        created_at=kst(h.created_at),
    )


def _audit_view(a: AuditLog) -> AuditEntry:
    return AuditEntry(
        id=a.id,
        at=kst(a.at),
        actor=a.actor,
        action=a.action,
        subject_type=a.subject_type,
        subject_id=a.subject_id,
        purpose=a.purpose,
    )
