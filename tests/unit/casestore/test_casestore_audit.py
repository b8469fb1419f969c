from collections.abc import Callable
from datetime import date

import pytest
from casestore_helpers import complaint_args

from casestore import AuditEntry, CaseStore, InvalidInput

READS: dict[str, tuple[Callable[..., object], list[tuple[str, str | None]]]] = {
    "verify_identity": (
        lambda s, **kw: s.verify_identity("AU20250001", date(1985, 3, 14), **kw),
        [("policy", "AU20250001")],
    ),
    "get_policy": (lambda s, **kw: s.get_policy("HE20230042", **kw), [("policy", "HE20230042")]),
    "policies_for_customer": (
        lambda s, **kw: s.policies_for_customer("C001", **kw),
        [("policy", "HE20230042"), ("policy", "AU20250001")],
    ),
    "get_claim": (
        lambda s, **kw: s.get_claim("CLM-2026-000123", **kw),
        [("claim", "CLM-2026-000123")],
    ),
    "claims_for_policy": (
        lambda s, **kw: s.claims_for_policy("AU20250001", **kw),
        [("claim", "CLM-2026-000123")],
    ),
    "claims_for_customer": (
        lambda s, **kw: s.claims_for_customer("C001", **kw),
        [("claim", "CLM-2026-000124"), ("claim", "CLM-2026-000123")],
    ),
    "get_complaint": (
        lambda s, **kw: s.get_complaint("CMP-2026-000045", **kw),
        [("complaint", "CMP-2026-000045")],
    ),
    "complaints_for_customer": (
        lambda s, **kw: s.complaints_for_customer("C002", **kw),
        [("complaint", "CMP-2026-000045")],
    ),
    "overdue_complaints": (
        lambda s, **kw: s.overdue_complaints(date(2026, 12, 31), **kw),
        [("complaint", "CMP-2026-000045")],
    ),
    "open_handoffs": (lambda s, **kw: s.open_handoffs(**kw), [("handoff", None)]),
    "get_change_request": (
        lambda s, **kw: s.get_change_request("CHG-2026-000001", **kw),
        [("change_request", "CHG-2026-000001")],
    ),
}


@pytest.mark.parametrize("action", list(READS))
def test_every_read_is_audited(store: CaseStore, action: str) -> None:
    read, subjects = READS[action]
    read(store, actor="agent:kim", purpose="customer call")
    entries = store.audit_entries()
    assert [(e.subject_type, e.subject_id) for e in entries] == subjects
    for entry in entries:
        assert isinstance(entry, AuditEntry)
        assert entry.actor == "agent:kim"
        assert entry.action == action
        assert entry.purpose == "customer call"
        assert entry.at.tzinfo is not None


@pytest.mark.parametrize("action", list(READS))
def test_reads_require_an_actor(store: CaseStore, action: str) -> None:
    read, _ = READS[action]
    for actor in ("", "   ", None, 42):
        with pytest.raises(InvalidInput):
            read(store, actor=actor)
    assert store.audit_entries() == []


def test_lookups_that_find_nothing_are_audited(store: CaseStore) -> None:
    assert store.get_claim("CLM-2026-999999", actor="bot") is None
    assert store.claims_for_customer("C004", actor="bot") == []
    assert store.overdue_complaints(date(2026, 11, 1), actor="bot") == []
    assert [(e.subject_type, e.subject_id) for e in store.audit_entries()] == [
        ("claim", "CLM-2026-999999"),
        ("customer", "C004"),
        ("complaint", None),
    ]


def test_open_handoffs_audits_each_disclosed_request(store: CaseStore) -> None:
    first = store.create_handoff(
        sender_id="s1", channel="web", language="ko", reason="r", summary="요약"
    )
    store.open_handoffs(actor="console:lee")
    assert [(e.subject_type, e.subject_id) for e in store.audit_entries()] == [
        ("handoff", str(first.id))
    ]


def test_writes_and_eligibility_are_not_reads(store: CaseStore) -> None:
    store.check_claim_eligibility("AU20250001", date(2026, 11, 1))
    store.file_complaint(**complaint_args())
    store.update_claim_status("CLM-2026-000140", "awaiting_documents")
    assert store.audit_entries() == []


def test_audit_entries_filtered_by_subject(store: CaseStore) -> None:
    store.get_claim("CLM-2026-000123", actor="a")
    store.get_claim("CLM-2026-000124", actor="b")
    store.claims_for_policy("AU20250001", actor="c")
    assert [(e.actor, e.action) for e in store.audit_entries("CLM-2026-000123")] == [
        ("a", "get_claim"),
        ("c", "claims_for_policy"),
    ]
    ids = [e.id for e in store.audit_entries()]
    assert ids == sorted(ids)
    assert len(ids) == 3
    assert store.audit_entries("nothing") == []


def test_audit_does_not_contain_birth_dates(store: CaseStore) -> None:
    store.verify_identity("AU20250001", date(1985, 3, 14), actor="bot")
    store.verify_identity("AU20250001", date(1999, 9, 9), actor="bot")
    text = repr(store.audit_entries())
    assert "1985" not in text
    assert "1999" not in text
    assert [e.action for e in store.audit_entries()] == [
        "verify_identity",
        "verify_identity_failed",
    ]
