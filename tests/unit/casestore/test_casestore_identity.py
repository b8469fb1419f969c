from datetime import date, datetime

import pytest
from casestore_helpers import ACTOR

from casestore import CaseStore, CustomerView, InvalidInput, NotFound, PolicyView


def test_verify_identity_returns_the_policyholder(store: CaseStore) -> None:
    customer = store.verify_identity("AU20250001", date(1985, 3, 14), actor=ACTOR)
    assert customer == CustomerView(
        id="C001",
        name="김민지",
        birth_date=date(1985, 3, 14),
        phone_masked="010-****-6789",
        language="ko",
    )


def test_verify_identity_accepts_lower_case_and_spaces(store: CaseStore) -> None:
    customer = store.verify_identity(" tr20261105 ", date(1990, 7, 21), actor=ACTOR)
    assert customer is not None
    assert customer.id == "C003"
    assert customer.phone_masked == "010-****-0192"


def test_wrong_birth_date_and_unknown_policy_look_the_same(store: CaseStore) -> None:
    wrong_date = store.verify_identity("AU20250001", date(1985, 3, 15), actor=ACTOR)
    unknown = store.verify_identity("AU99999999", date(1985, 3, 14), actor=ACTOR)
    assert wrong_date is None
    assert unknown is None
    actions = [(e.action, e.subject_id) for e in store.audit_entries()]
    assert actions == [
        ("verify_identity_failed", "AU20250001"),
        ("verify_identity_failed", "AU99999999"),
    ]


def test_verify_identity_of_another_customers_birth_date_fails(store: CaseStore) -> None:
    assert store.verify_identity("AU20250001", date(1972, 11, 2), actor=ACTOR) is None


@pytest.mark.parametrize(
    ("number", "birth_date"),
    [
        ("XX20250001", date(1985, 3, 14)),
        ("AU2025000", date(1985, 3, 14)),
        ("AU20250001", "1985-03-14"),
        ("AU20250001", datetime(1985, 3, 14)),
        (None, date(1985, 3, 14)),
    ],
)
def test_verify_identity_rejects_malformed_input(
    store: CaseStore, number: object, birth_date: object
) -> None:
    with pytest.raises(InvalidInput):
        store.verify_identity(number, birth_date, actor=ACTOR)  # type: ignore[arg-type]


def test_get_policy(store: CaseStore) -> None:
    assert store.get_policy("HO20240077", actor=ACTOR) == PolicyView(
        number="HO20240077",
        customer_id="C002",
        product="home",
        status="active",
        start_date=date(2024, 9, 15),
        end_date=date(2027, 9, 14),
        sum_insured=300_000_000,
        beneficiary="이준호",
    )
    assert store.get_policy("HO99999999", actor=ACTOR) is None


def test_policies_for_customer(store: CaseStore) -> None:
    numbers = [p.number for p in store.policies_for_customer("C001", actor=ACTOR)]
    assert numbers == ["HE20230042", "AU20250001"]
    assert store.policies_for_customer("C999", actor=ACTOR) == []


@pytest.mark.parametrize(
    ("number", "incident_date", "expected"),
    [
        ("AU20250001", date(2026, 11, 24), "ok"),
        ("AU20250001", date(2025, 6, 1), "ok"),
        ("AU20250001", date(2026, 12, 31), "ok"),
        ("AU20250001", date(2025, 5, 31), "outside_period"),
        ("AU20250001", date(2027, 1, 1), "outside_period"),
        ("TR20261105", date(2026, 10, 31), "outside_period"),
        ("PA20220310", date(2026, 11, 1), "inactive"),
        ("AU00000000", date(2026, 11, 1), "not_found"),
    ],
)
def test_check_claim_eligibility(
    store: CaseStore, number: str, incident_date: date, expected: str
) -> None:
    assert store.check_claim_eligibility(number, incident_date) == expected


def test_eligibility_of_cancelled_policy(store: CaseStore) -> None:
    store.add_policy(
        number="AU20240099",
        customer_id="C003",
        product="auto",
        status="cancelled",
        start_date=date(2024, 1, 1),
        end_date=date(2027, 1, 1),
    )
    assert store.check_claim_eligibility("AU20240099", date(2026, 1, 1)) == "inactive"


def test_eligibility_validates_input(store: CaseStore) -> None:
    with pytest.raises(InvalidInput):
        store.check_claim_eligibility("AU2025", date(2026, 1, 1))
    with pytest.raises(InvalidInput):
        store.check_claim_eligibility("AU20250001", "2026-01-01")  # type: ignore[arg-type]


def test_add_customer_and_policy(store: CaseStore) -> None:
    customer = store.add_customer(
        id="C005", name="최유진", birth_date=date(2000, 5, 5), phone="010-1111-2222"
    )
    assert customer.phone_masked == "010-****-2222"
    store.add_policy(
        number="HE20260001",
        customer_id="C005",
        product="health",
        status="active",
        start_date=date(2026, 1, 1),
        end_date=date(2036, 1, 1),
        sum_insured=10_000_000,
    )
    assert store.verify_identity("HE20260001", date(2000, 5, 5), actor=ACTOR) == customer


@pytest.mark.parametrize(
    "overrides",
    [
        {"product": "pet"},
        {"product": "home"},  # HE prefix is health
        {"status": "suspended"},
        {"number": "HE2026"},
        {"end_date": date(2025, 1, 1)},
        {"sum_insured": -1},
        {"number": "HE20230042"},  # already exists
    ],
)
def test_add_policy_validates(store: CaseStore, overrides: dict[str, object]) -> None:
    args: dict[str, object] = {
        "number": "HE20260001",
        "customer_id": "C001",
        "product": "health",
        "status": "active",
        "start_date": date(2026, 1, 1),
        "end_date": date(2036, 1, 1),
    }
    args.update(overrides)
    with pytest.raises(InvalidInput):
        store.add_policy(**args)  # type: ignore[arg-type]


def test_add_policy_for_unknown_customer(store: CaseStore) -> None:
    with pytest.raises(NotFound):
        store.add_policy(
            number="HE20260001",
            customer_id="C999",
            product="health",
            status="active",
            start_date=date(2026, 1, 1),
            end_date=date(2036, 1, 1),
        )


def test_add_customer_validates(store: CaseStore) -> None:
    with pytest.raises(InvalidInput):
        store.add_customer(id="C001", name="중복", birth_date=date(2000, 1, 1))
    with pytest.raises(InvalidInput):
        store.add_customer(id="C006", name="x", birth_date=date(2000, 1, 1), phone="call me")
    with pytest.raises(InvalidInput):
        store.add_customer(id="C006", name="x", birth_date=date(2000, 1, 1), language="jp")
