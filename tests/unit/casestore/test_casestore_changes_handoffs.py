from datetime import UTC, datetime

import pytest
from casestore_helpers import ACTOR, NOW, count, rows

from casestore import CaseStore, ChangeView, HandoffView, InvalidInput, NotFound


def change(store: CaseStore, **overrides: object) -> ChangeView:
    args: dict[str, object] = {
        "policy_number": "HE20230042",
        "change_type": "beneficiary",
        "new_value": "배우자 이서준",
        "idempotency_key": None,
        "now": NOW,
    }
    args.update(overrides)
    return store.create_change_request(**args)  # type: ignore[arg-type]


def test_create_change_request(store: CaseStore) -> None:
    created = change(store)
    assert created == ChangeView(
        id="CHG-2026-000001",
        policy_number="HE20230042",
        change_type="beneficiary",
        new_value="배우자 이서준",
        status="received",
        created_at=NOW,
        created=True,
    )
    assert change(store).id == "CHG-2026-000002"
    fetched = store.get_change_request("CHG-2026-000001", actor=ACTOR)
    assert fetched is not None
    assert fetched.created is False
    assert store.get_change_request("CHG-2026-000099", actor=ACTOR) is None


def test_change_request_idempotency(store: CaseStore, db_url: str) -> None:
    first = change(store, idempotency_key="sess-3:change")
    second = change(store, idempotency_key="sess-3:change", new_value="other")
    assert (first.created, second.created) == (True, False)
    assert second.id == first.id
    assert second.new_value == "배우자 이서준"
    assert count(db_url, "change_requests") == 1


def test_contact_changes_are_shown_masked(store: CaseStore, db_url: str) -> None:
    created = change(store, change_type="contact", new_value="새 번호 010-9876-5432")
    assert created.new_value == "새 번호 010-****-5432"
    # stored as given, since the back office has to apply it
    assert rows(db_url, "SELECT new_value FROM change_requests") == [("새 번호 010-9876-5432",)]


@pytest.mark.parametrize(
    "overrides",
    [
        {"change_type": "name"},
        {"change_type": None},
        {"policy_number": "HE-20230042"},
        {"new_value": ""},
        {"new_value": "x" * 1001},
    ],
)
def test_change_request_validates(store: CaseStore, overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        change(store, **overrides)


def test_change_request_for_unknown_policy(store: CaseStore) -> None:
    with pytest.raises(NotFound):
        change(store, policy_number="HE99999999")


def handoff(store: CaseStore, **overrides: object) -> HandoffView:
    args: dict[str, object] = {
        "sender_id": "kakao-8f3a",
        "channel": "kakao",
        "language": "ko",
        "reason": "request_human",
        "summary": "사고 접수 도중 상담원 연결 요청",
        "customer_id": None,
    }
    args.update(overrides)
    return store.create_handoff(**args)  # type: ignore[arg-type]


def test_handoff_lifecycle(store: CaseStore) -> None:
    first = handoff(store, customer_id="C001")
    second = handoff(store, sender_id="web-1", channel="web", language="en", summary="hi")
    assert first.status == "open"
    assert first.customer_id == "C001"
    assert isinstance(first.id, int)
    assert first.created_at.tzinfo is not None
    assert [h.id for h in store.open_handoffs(actor=ACTOR)] == [first.id, second.id]
    closed = store.close_handoff(first.id)
    assert closed.status == "closed"
    assert store.close_handoff(first.id) == closed
    assert [h.id for h in store.open_handoffs(actor=ACTOR)] == [second.id]


def test_handoff_with_explicit_time(store: CaseStore) -> None:
    at = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert (
        store.create_handoff(
            sender_id="s", channel="web", language="ko", reason="r", summary="s", now=at
        ).created_at
        == at
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"language": "jp"},
        {"channel": ""},
        {"summary": ""},
        {"reason": "x" * 201},
        {"sender_id": None},
        {"customer_id": "C 1"},
    ],
)
def test_handoff_validates(store: CaseStore, overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        handoff(store, **overrides)


def test_handoff_references_are_checked(store: CaseStore) -> None:
    with pytest.raises(NotFound):
        handoff(store, customer_id="C999")
    with pytest.raises(NotFound):
        store.close_handoff(999)
    for bad in (0, -1, "1", True):
        with pytest.raises(InvalidInput):
            store.close_handoff(bad)  # type: ignore[arg-type]
