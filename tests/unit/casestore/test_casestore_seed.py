from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from casestore_helpers import NOW, claim_args, complaint_args, rows

from casestore import CaseStore
from casestore.seed import DEMO_DATA, load_demo_data

ACTOR = "seed-test"
DEMO = yaml.safe_load(DEMO_DATA.read_text(encoding="utf-8"))
TABLES = (
    "customers",
    "policies",
    "claims",
    "claim_status_history",
    "complaints",
    "change_requests",
    "handoff_requests",
    "audit_log",
    "id_sequences",
)


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    return {table: sorted(map(repr, rows(url, f"SELECT * FROM {table}"))) for table in TABLES}


def test_project_copy_matches_the_spec() -> None:
    spec = Path(__file__).resolve().parents[3] / "spec" / "demo_data.yml"
    if not spec.exists():
        pytest.skip("spec/demo_data.yml not present")
    assert DEMO_DATA.read_bytes() == spec.read_bytes()


def test_customers_are_loaded_as_written(store: CaseStore, db_url: str) -> None:
    stored = {
        r[0]: r for r in rows(db_url, "SELECT id, name, birth_date, phone, language FROM customers")
    }
    assert len(stored) == len(DEMO["customers"]) == 4
    for c in DEMO["customers"]:
        assert stored[c["id"]] == (
            c["id"],
            c["name"],
            str(c["birth_date"]),
            c["phone"],
            c["language"],
        )


@pytest.mark.parametrize("record", DEMO["policies"], ids=lambda p: p["number"])
def test_policies_are_loaded_as_written(store: CaseStore, record: dict[str, object]) -> None:
    policy = store.get_policy(str(record["number"]), actor=ACTOR)
    assert policy is not None
    assert (
        policy.customer_id,
        policy.product,
        policy.status,
        policy.start_date,
        policy.end_date,
        policy.sum_insured,
        policy.beneficiary,
    ) == (
        record["customer"],
        record["product"],
        record["status"],
        record["start"],
        record["end"],
        record["sum_insured"],
        record["beneficiary"],
    )


@pytest.mark.parametrize("record", DEMO["claims"], ids=lambda c: c["id"])
def test_claims_are_loaded_as_written(store: CaseStore, record: dict[str, object]) -> None:
    claim = store.get_claim(str(record["id"]), actor=ACTOR)
    assert claim is not None
    assert (
        claim.policy_number,
        claim.incident_type,
        claim.incident_date,
        claim.status,
        claim.assessed_amount,
        claim.paid_amount,
    ) == (
        record["policy"],
        record["incident_type"],
        record["incident_date"],
        record["status"],
        record["assessed_amount"],
        record["paid_amount"],
    )


def test_demo_claim_histories_walk_the_ordered_states(store: CaseStore) -> None:
    expected = {
        "CLM-2026-000123": ["received", "awaiting_documents", "under_investigation"],
        "CLM-2026-000124": [
            "received",
            "awaiting_documents",
            "under_investigation",
            "loss_assessment",
            "approved",
            "paid",
        ],
        "CLM-2026-000131": ["received", "awaiting_documents"],
        "CLM-2026-000140": ["received"],
    }
    for claim_id, statuses in expected.items():
        claim = store.get_claim(claim_id, actor=ACTOR)
        assert claim is not None
        assert [h.status for h in claim.history] == statuses
        times = [h.changed_at for h in claim.history]
        assert times == sorted(times)
        assert times[0] == claim.created_at
        assert all(t.tzinfo is not None for t in times)


def test_demo_complaint(store: CaseStore) -> None:
    complaint = store.get_complaint("CMP-2026-000045", actor=ACTOR, today=date(2026, 11, 25))
    assert complaint is not None
    assert complaint.customer_id == "C002"
    assert complaint.category == "claim_delay"
    assert complaint.status == "in_review"
    assert complaint.opened_at.date() == date(2026, 11, 12)
    assert complaint.acknowledged_at == complaint.opened_at
    assert complaint.due_date == date(2026, 11, 26)
    assert complaint.due_at.date() == date(2026, 11, 26)
    assert complaint.due_at == datetime(2026, 11, 26, tzinfo=UTC)
    assert complaint.resolved_at is None
    assert complaint.overdue is False


def test_sequences_are_set_past_the_demo_ids(store: CaseStore, db_url: str) -> None:
    assert sorted(rows(db_url, "SELECT prefix, year, last FROM id_sequences")) == [
        ("CLM", 2026, 140),
        ("CMP", 2026, 45),
    ]
    claim = store.create_claim(**claim_args())
    complaint = store.file_complaint(**complaint_args())
    assert claim.id == "CLM-2026-000141"
    assert complaint.id == "CMP-2026-000046"


def test_loading_twice_changes_nothing(store: CaseStore, db_url: str) -> None:
    before = snapshot(db_url)
    assert load_demo_data(store) == {"customers": 0, "policies": 0, "claims": 0, "complaints": 0}
    assert snapshot(db_url) == before


def test_loading_again_keeps_later_changes_and_sequences(store: CaseStore, db_url: str) -> None:
    store.create_claim(**claim_args())
    store.update_claim_status("CLM-2026-000140", "awaiting_documents", now=NOW)
    before = snapshot(db_url)
    load_demo_data(store)
    assert snapshot(db_url) == before
    assert store.create_claim(**claim_args()).id == "CLM-2026-000142"


def test_open_with_seed_twice(db_url: str) -> None:
    with CaseStore.open(db_url, seed=True):
        pass
    first = snapshot(db_url)
    with CaseStore.open(db_url, seed=True):
        pass
    assert snapshot(db_url) == first
