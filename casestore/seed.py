"""Loading of the demo records (casestore/demo_data.yml, a copy of spec/demo_data.yml)."""

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from sqlalchemy.orm import Session

from casestore import ids
from casestore import validation as check
from casestore.clock import KST
from casestore.errors import InvalidInput
from casestore.models import Claim, ClaimStatusHistory, Complaint, Customer, Policy
from casestore.vocabulary import INCIDENT_TYPES, LANGUAGES, POLICY_STATUSES, PRODUCTS
from casestore.workflow import (
    CLAIM_STATUSES,
    COMPLAINT_DEADLINE,
    COMPLAINT_STATUSES,
    claim_path_to,
)

if TYPE_CHECKING:
    from casestore.store import CaseStore

DEMO_DATA = Path(__file__).resolve().parent / "demo_data.yml"
DEMO_NOTE = "demo data"


def _office_hours(day: date) -> datetime:
    # 09:00 in Korea, which is midnight UTC: the date reads the same in both zones.
    return datetime.combine(day, time(9), KST)


def load_demo_data(store: "CaseStore", path: Path | None = None) -> dict[str, int]:
    """Insert the demo records that are missing; existing rows are left untouched.

    Returns how many rows of each kind were inserted (all zero on a second run).
    """
    data = yaml.safe_load((path or DEMO_DATA).read_text(encoding="utf-8"))
    inserted = {"customers": 0, "policies": 0, "claims": 0, "complaints": 0}
    with store._transaction() as s:
        for record in data.get("customers", []):
            inserted["customers"] += _customer(s, record)
        s.flush()
        for record in data.get("policies", []):
            inserted["policies"] += _policy(s, record)
        s.flush()
        for record in data.get("claims", []):
            inserted["claims"] += _claim(s, record)
        for record in data.get("complaints", []):
            inserted["complaints"] += _complaint(s, record)
    return inserted


def _customer(s: Session, r: dict[str, Any]) -> int:
    customer_id = check.customer_id(r["id"])
    if s.get(Customer, customer_id) is not None:
        return 0
    s.add(
        Customer(
            id=customer_id,
            name=check.text("name", r["name"]),
            birth_date=check.a_date("birth_date", r["birth_date"]),
            phone=r.get("phone"),
            language=check.one_of("language", r["language"], LANGUAGES),
        )
    )
    return 1


def _policy(s: Session, r: dict[str, Any]) -> int:
    number = check.policy_number(r["number"])
    if s.get(Policy, number) is not None:
        return 0
    product = check.one_of("product", r["product"], PRODUCTS)
    check.product_matches_number(product, number)
    s.add(
        Policy(
            number=number,
            customer_id=check.customer_id(r["customer"]),
            product=product,
            status=check.one_of("status", r["status"], POLICY_STATUSES),
            start_date=check.a_date("start", r["start"]),
            end_date=check.a_date("end", r["end"]),
            sum_insured=check.optional_amount("sum_insured", r.get("sum_insured")),
            beneficiary=r.get("beneficiary"),
        )
    )
    return 1


def _claim(s: Session, r: dict[str, Any]) -> int:
    claim_id = check.claim_id(r["id"])
    ids.reserve_up_to(s, claim_id)
    if s.get(Claim, claim_id) is not None:
        return 0
    status = check.one_of("status", r["status"], CLAIM_STATUSES)
    incident_date = check.a_date("incident_date", r["incident_date"])
    received_at = _office_hours(incident_date + timedelta(days=1))
    s.add(
        Claim(
            id=claim_id,
            policy_number=check.policy_number(r["policy"]),
            incident_type=check.one_of("incident_type", r["incident_type"], INCIDENT_TYPES),
            incident_date=incident_date,
            status=status,
            assessed_amount=check.optional_amount("assessed_amount", r.get("assessed_amount")),
            paid_amount=check.optional_amount("paid_amount", r.get("paid_amount")),
            created_at=received_at,
        )
    )
    s.flush()
    for day, step in enumerate(claim_path_to(status)):
        s.add(
            ClaimStatusHistory(
                claim_id=claim_id,
                status=step,
                changed_at=received_at + timedelta(days=day),
                note=DEMO_NOTE,
            )
        )
    return 1


def _complaint(s: Session, r: dict[str, Any]) -> int:
    complaint_id = check.complaint_id(r["id"])
    ids.reserve_up_to(s, complaint_id)
    if s.get(Complaint, complaint_id) is not None:
        return 0
    status = check.one_of("status", r["status"], COMPLAINT_STATUSES)
    if status == "resolved":
        raise InvalidInput("demo complaints must be unresolved (no resolution date is given)")
    opened_at = _office_hours(check.a_date("opened", r["opened"]))
    s.add(
        Complaint(
            id=complaint_id,
            customer_id=check.optional_customer_id(r.get("customer")),
            policy_number=check.optional_policy_number(r.get("policy")),
            category=check.slug("category", r["category"]),
            status=status,
            opened_at=opened_at,
            acknowledged_at=opened_at,
            due_at=opened_at + COMPLAINT_DEADLINE,
        )
    )
    return 1
