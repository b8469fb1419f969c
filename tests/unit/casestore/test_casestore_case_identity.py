"""Identity checked with a claim or complaint id instead of a policy number.

Each test runs on SQLite and on PostgreSQL (the ``case_store`` fixture of conftest.py).
"""

from datetime import date

import pytest
from casestore_helpers import ACTOR

from casestore import CaseStore, CustomerView

JUNHO = CustomerView(
    id="C002",
    name="이준호",
    birth_date=date(1972, 11, 2),
    phone_masked="010-****-4321",
    language="ko",
)


def audit_rows(case_store: CaseStore) -> list[tuple[str, str, str | None, str]]:
    return [(e.action, e.subject_type, e.subject_id, e.actor) for e in case_store.audit_entries()]


@pytest.mark.parametrize(
    ("case_id", "kind"),
    [("CLM-2026-000131", "claim"), ("CMP-2026-000045", "complaint")],
)
def test_right_birth_date_gives_the_customer_and_the_policy(
    case_store: CaseStore, case_id: str, kind: str
) -> None:
    found = case_store.verify_case_identity(case_id, date(1972, 11, 2), actor=ACTOR)
    assert found == (JUNHO, "HO20240077")
    assert audit_rows(case_store) == [("verify_identity", kind, case_id, ACTOR)]


@pytest.mark.parametrize(
    ("case_id", "unknown_id", "kind"),
    [
        ("CLM-2026-000131", "CLM-2026-999999", "claim"),
        ("CMP-2026-000045", "CMP-2026-999999", "complaint"),
    ],
)
def test_wrong_birth_date_and_unknown_id_look_the_same(
    case_store: CaseStore, case_id: str, unknown_id: str, kind: str
) -> None:
    # Minji's birth date is right for her own policy, not for Junho's case.
    wrong_date = case_store.verify_case_identity(case_id, date(1985, 3, 14), actor=ACTOR)
    unknown = case_store.verify_case_identity(unknown_id, date(1972, 11, 2), actor=ACTOR)
    assert wrong_date is None
    assert unknown is None
    assert audit_rows(case_store) == [
        ("verify_identity_failed", kind, case_id, ACTOR),
        ("verify_identity_failed", kind, unknown_id, ACTOR),
    ]


def test_a_claim_checks_the_holder_of_its_own_policy(case_store: CaseStore) -> None:
    found = case_store.verify_case_identity("CLM-2026-000123", date(1985, 3, 14), actor=ACTOR)
    assert found is not None
    customer, policy = found
    assert (customer.id, policy) == ("C001", "AU20250001")
    # Minji's other policy does not stand in for the one the claim is on.
    found = case_store.verify_case_identity("CLM-2026-000124", date(1985, 3, 14), actor=ACTOR)
    assert found is not None
    assert found[1] == "HE20230042"
