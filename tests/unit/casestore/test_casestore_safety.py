"""Hostile or odd input: stored verbatim, rejected cleanly, never leaking SQL or phone numbers."""

import re
from dataclasses import asdict
from datetime import date

import pytest
from casestore_helpers import ACTOR, claim_args, complaint_args, count, rows

from casestore import CaseStore, CaseStoreError, InvalidInput

INJECTIONS = [
    "'; DROP TABLE claims; --",
    "Robert'); DELETE FROM customers WHERE ('1'='1",
    '" OR 1=1 --',
    "%' OR '%'='",
    "$1; SELECT pg_sleep(10); --",
    "\\'; UPDATE policies SET status='active'; --",
    "<script>alert(1)</script> {{7*7}} ${jndi:ldap://x}",
    "한글 ' 따옴표 \" 와 ; 세미콜론",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_strings_are_stored_verbatim(store: CaseStore, db_url: str, payload: str) -> None:
    claim = store.create_claim(
        **claim_args(incident_place=payload, description=payload, idempotency_key=payload)
    )
    again = store.create_claim(**claim_args(idempotency_key=payload))
    assert again.id == claim.id
    fetched = store.get_claim(claim.id, actor=ACTOR)
    assert fetched is not None
    assert (fetched.incident_place, fetched.description) == (payload, payload)
    assert rows(db_url, "SELECT description FROM claims WHERE id = :id", id=claim.id) == [
        (payload,)
    ]

    complaint = store.file_complaint(
        **complaint_args(description=payload, desired_outcome=payload, idempotency_key=payload)
    )
    assert store.get_complaint(complaint.id, actor=payload) is not None
    change = store.create_change_request(
        policy_number="AU20250001", change_type="address", new_value=payload, idempotency_key=None
    )
    assert change.new_value == payload
    handoff = store.create_handoff(
        sender_id=payload, channel="web", language="ko", reason=payload, summary=payload
    )
    assert (handoff.sender_id, handoff.reason, handoff.summary) == (payload, payload, payload)
    assert store.audit_entries()[-1].actor == payload

    # nothing was dropped, deleted or rewritten
    assert count(db_url, "customers") == 4
    assert count(db_url, "claims") == 5
    assert rows(db_url, "SELECT status FROM policies WHERE number = 'PA20220310'") == [("lapsed",)]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_strings_as_identifiers_are_rejected(store: CaseStore, payload: str) -> None:
    calls = [
        lambda: store.get_claim(payload, actor=ACTOR),
        lambda: store.get_policy(payload, actor=ACTOR),
        lambda: store.get_complaint(payload, actor=ACTOR),
        lambda: store.verify_identity(payload, date(1985, 3, 14), actor=ACTOR),
        lambda: store.claims_for_customer(payload, actor=ACTOR),
        lambda: store.check_claim_eligibility(payload, date(2026, 1, 1)),
        lambda: store.update_claim_status(payload, "denied"),
        lambda: store.create_claim(**claim_args(incident_type=payload)),
        lambda: store.file_complaint(**complaint_args(category=payload)),
    ]
    for call in calls:
        with pytest.raises(InvalidInput) as excinfo:
            call()
        message = str(excinfo.value)
        assert payload not in message  # user input is never echoed (it may be personal data)
        assert "sqlalchemy" not in message.lower()


def test_nul_characters_are_rejected_not_passed_to_the_driver(store: CaseStore) -> None:
    with pytest.raises(InvalidInput, match="NUL"):
        store.create_claim(**claim_args(description="a\x00b"))


def test_error_messages_are_short_and_sql_free(store: CaseStore) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        store.create_claim(**claim_args(incident_type="x" * 10_000))
    assert len(str(excinfo.value)) < 300


def test_every_error_is_a_case_store_error(store: CaseStore) -> None:
    with pytest.raises(CaseStoreError):
        store.get_claim("nope", actor=ACTOR)
    assert issubclass(InvalidInput, ValueError)


def test_no_view_ever_contains_a_raw_phone_number(store: CaseStore) -> None:
    phone = re.compile(r"01[0-9]-?[0-9]{3,4}-?[0-9]{4}")
    views: list[object] = [
        store.verify_identity("AU20250001", date(1985, 3, 14), actor=ACTOR),
        store.verify_identity("HO20240077", date(1972, 11, 2), actor=ACTOR),
        store.verify_identity("TR20261105", date(1990, 7, 21), actor=ACTOR),
        store.verify_identity("PA20220310", date(1998, 1, 30), actor=ACTOR),
        *store.policies_for_customer("C001", actor=ACTOR),
        *store.claims_for_customer("C001", actor=ACTOR),
        store.create_change_request(
            policy_number="AU20250001",
            change_type="contact",
            new_value="01098765432",
            idempotency_key=None,
        ),
    ]
    for view in views:
        assert view is not None
        assert not phone.search(repr(asdict(view))), view  # type: ignore[call-overload]
