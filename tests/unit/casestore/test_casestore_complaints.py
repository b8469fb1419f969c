from datetime import UTC, date, datetime, timedelta

import pytest
from casestore_helpers import ACTOR, NOW, complaint_args, count

from casestore import CaseStore, ComplaintView, InvalidInput, InvalidTransition, NotFound


def test_file_complaint(store: CaseStore) -> None:
    complaint = store.file_complaint(**complaint_args(idempotency_key="sess-1:complaint"))
    assert isinstance(complaint, ComplaintView)
    assert complaint.id == "CMP-2026-000046"
    assert complaint.created is True
    assert complaint.status == "received"
    assert complaint.opened_at == NOW
    assert complaint.acknowledged_at == NOW
    assert complaint.due_at == NOW + timedelta(days=14)
    assert complaint.due_date == date(2026, 12, 9)
    assert complaint.resolved_at is None
    assert complaint.overdue is False
    assert complaint.desired_outcome == "빠른 지급"


def test_deadline_is_fourteen_korean_days(store: CaseStore) -> None:
    # 23:00 KST on 30 November (14:00 UTC): due on 14 December in Korea.
    late = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    complaint = store.file_complaint(**complaint_args(now=late))
    assert complaint.due_date == date(2026, 12, 14)


def test_same_idempotency_key_gives_one_complaint(store: CaseStore, db_url: str) -> None:
    first = store.file_complaint(**complaint_args(idempotency_key="k-1"))
    second = store.file_complaint(**complaint_args(idempotency_key="k-1", category="service"))
    assert (first.created, second.created) == (True, False)
    assert second.id == first.id
    assert second.category == "claim_delay"
    assert count(db_url, "complaints") == 2


def test_complaint_without_customer_or_policy(store: CaseStore) -> None:
    complaint = store.file_complaint(**complaint_args(customer_id=None, policy_number=None))
    assert (complaint.customer_id, complaint.policy_number) == (None, None)


def test_complaint_references_are_checked(store: CaseStore) -> None:
    with pytest.raises(NotFound):
        store.file_complaint(**complaint_args(customer_id="C999"))
    with pytest.raises(NotFound):
        store.file_complaint(**complaint_args(policy_number="AU99999999"))
    with pytest.raises(InvalidInput, match="does not belong"):
        store.file_complaint(**complaint_args(customer_id="C002"))


@pytest.mark.parametrize(
    "overrides",
    [
        {"category": "Claim Delay"},
        {"category": ""},
        {"description": ""},
        {"description": None},
        {"policy_number": "AU1"},
        {"customer_id": "C 001"},
        {"now": datetime(2026, 11, 25)},
    ],
)
def test_file_complaint_validates(store: CaseStore, overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        store.file_complaint(**complaint_args(**overrides))


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (date(2026, 11, 25), False),
        (date(2026, 11, 26), False),  # due today is not yet overdue
        (date(2026, 11, 27), True),
    ],
)
def test_overdue_flag_of_the_demo_complaint(store: CaseStore, today: date, overdue: bool) -> None:
    complaint = store.get_complaint("CMP-2026-000045", actor=ACTOR, today=today)
    assert complaint is not None
    assert complaint.overdue is overdue
    listed = store.overdue_complaints(today, actor=ACTOR)
    assert [c.id for c in listed] == (["CMP-2026-000045"] if overdue else [])
    assert all(c.overdue for c in listed)


def test_overdue_defaults_to_today_in_korea(store: CaseStore) -> None:
    old = store.file_complaint(**complaint_args(now=NOW - timedelta(days=30)))
    fresh = store.file_complaint(**complaint_args())
    assert store.get_complaint(old.id, actor=ACTOR).overdue is True  # type: ignore[union-attr]
    assert store.get_complaint(fresh.id, actor=ACTOR).overdue is False  # type: ignore[union-attr]


def test_resolved_complaints_are_never_overdue(store: CaseStore) -> None:
    store.update_complaint_status("CMP-2026-000045", "resolved", now=NOW)
    complaint = store.get_complaint("CMP-2026-000045", actor=ACTOR, today=date(2027, 1, 1))
    assert complaint is not None
    assert complaint.status == "resolved"
    assert complaint.resolved_at == NOW
    assert complaint.overdue is False
    assert store.overdue_complaints(date(2027, 1, 1), actor=ACTOR) == []


def test_overdue_complaints_are_ordered_by_deadline(store: CaseStore) -> None:
    newer = store.file_complaint(**complaint_args(now=NOW - timedelta(days=20)))
    older = store.file_complaint(**complaint_args(now=NOW - timedelta(days=40)))
    listed = store.overdue_complaints(date(2026, 12, 1), actor=ACTOR)
    assert [c.id for c in listed] == [older.id, newer.id, "CMP-2026-000045"]


def test_complaints_for_customer(store: CaseStore) -> None:
    mine = store.file_complaint(**complaint_args())
    assert [c.id for c in store.complaints_for_customer("C001", actor=ACTOR)] == [mine.id]
    assert [c.id for c in store.complaints_for_customer("C002", actor=ACTOR)] == ["CMP-2026-000045"]
    assert store.complaints_for_customer("C003", actor=ACTOR) == []


def test_get_unknown_complaint(store: CaseStore) -> None:
    assert store.get_complaint("CMP-2026-000999", actor=ACTOR) is None
    with pytest.raises(InvalidInput):
        store.get_complaint("CMP-2026-45", actor=ACTOR)


def test_complaint_transitions(store: CaseStore) -> None:
    new = store.file_complaint(**complaint_args())
    with pytest.raises(InvalidTransition):
        store.update_complaint_status(new.id, "resolved")
    assert store.update_complaint_status(new.id, "in_review").status == "in_review"
    assert store.update_complaint_status(new.id, "escalated").status == "escalated"
    assert store.update_complaint_status(new.id, "resolved").status == "resolved"
    with pytest.raises(InvalidTransition):
        store.update_complaint_status(new.id, "in_review")
    with pytest.raises(NotFound):
        store.update_complaint_status("CMP-2026-000999", "in_review")
    with pytest.raises(InvalidInput):
        store.update_complaint_status(new.id, "closed")


def test_times_are_shown_in_korean_time(store: CaseStore) -> None:
    # 23:30 KST on 25 November is still the 25th in Korea but 14:30 UTC.
    evening = datetime(2026, 11, 25, 14, 30, tzinfo=UTC)
    complaint = store.file_complaint(**complaint_args(now=evening))
    fetched = store.get_complaint(complaint.id, actor=ACTOR)
    assert fetched is not None
    for view in (complaint, fetched):
        assert view.opened_at == evening
        assert view.opened_at.utcoffset() == timedelta(hours=9)
        assert view.due_at.strftime("%Y-%m-%d") == "2026-12-09" == view.due_date.isoformat()
    # 08:00 KST is the previous day in UTC; the Korean date is what counts.
    morning = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)
    assert store.file_complaint(**complaint_args(now=morning)).due_date == date(2026, 12, 10)
