"""Verification the server trusts: records, idle expiry, failure counts and locks.

Each test runs on SQLite and on PostgreSQL (the ``case_store`` fixture of conftest.py).
"""

from datetime import date, timedelta

from casestore_helpers import ACTOR

from casestore import CaseStore
from casestore.clock import utcnow

MINJI_BORN = date(1985, 3, 14)  # holder of AU20250001 and CLM-2026-000123
WRONG = date(1985, 3, 15)


def test_a_match_is_recorded_for_that_conversation_only(case_store: CaseStore) -> None:
    result = case_store.check_identity(
        conversation="web:a", subject_id="AU20250001", birth_date=MINJI_BORN, actor=ACTOR
    )
    assert (result.status, result.customer_id, result.policy_number) == (
        "verified", "C001", "AU20250001",
    )
    active = case_store.active_verification("web:a")
    assert active is not None and active.customer_id == "C001"
    assert case_store.active_verification("rest:web:a") is None
    assert case_store.active_verification("web:b") is None


def test_a_verification_expires_after_ten_idle_minutes(case_store: CaseStore) -> None:
    start = utcnow()
    case_store.check_identity(
        conversation="web:a", subject_id="AU20250001", birth_date=MINJI_BORN, actor=ACTOR,
        now=start,
    )
    # Each use restarts the idle clock ...
    assert case_store.active_verification("web:a", now=start + timedelta(minutes=9)) is not None
    assert case_store.active_verification("web:a", now=start + timedelta(minutes=18)) is not None
    # ... and ten minutes without one end it for good.
    assert case_store.active_verification("web:a", now=start + timedelta(minutes=29)) is None
    assert case_store.active_verification("web:a", now=start + timedelta(minutes=30)) is None


def test_ending_a_verification(case_store: CaseStore) -> None:
    case_store.check_identity(
        conversation="web:a", subject_id="AU20250001", birth_date=MINJI_BORN, actor=ACTOR
    )
    case_store.end_verification("web:a")
    assert case_store.active_verification("web:a") is None


def test_wrong_and_unknown_read_the_same(case_store: CaseStore) -> None:
    wrong = case_store.check_identity(
        conversation="web:a", subject_id="AU20250001", birth_date=WRONG, actor=ACTOR
    )
    unknown = case_store.check_identity(
        conversation="web:b", subject_id="AU99999999", birth_date=MINJI_BORN, actor=ACTOR
    )
    assert wrong == unknown
    assert wrong.status == "failed" and wrong.remaining == 2
    assert case_store.active_verification("web:a") is None


def test_three_failures_cool_a_conversation_down_even_after_a_restart(
    case_store: CaseStore,
) -> None:
    start = utcnow()
    for minute in range(3):
        case_store.check_identity(
            conversation="web:a", subject_id="AU20250001", birth_date=WRONG, actor=ACTOR,
            now=start + timedelta(minutes=minute),
        )
    # The same sender id (a /restart keeps it) is refused even with the right date.
    later = start + timedelta(minutes=5)
    refused = case_store.check_identity(
        conversation="web:a", subject_id="AU20250001", birth_date=MINJI_BORN, actor=ACTOR,
        now=later,
    )
    assert refused.status == "locked"
    assert refused.retry_after == start + timedelta(minutes=2 + 15)
    assert case_store.active_verification("web:a", now=later) is None
    after_cooldown = case_store.check_identity(
        conversation="web:a", subject_id="AU20250001", birth_date=MINJI_BORN, actor=ACTOR,
        now=start + timedelta(minutes=18),
    )
    assert after_cooldown.status == "verified"


def test_five_failures_lock_the_policy_for_every_conversation(case_store: CaseStore) -> None:
    for n in range(5):
        case_store.check_identity(
            conversation=f"rest:attacker-{n}", subject_id="AU20250001", birth_date=WRONG,
            actor=ACTOR,
        )
    right = case_store.check_identity(
        conversation="kakao:real-customer", subject_id="AU20250001", birth_date=MINJI_BORN,
        actor=ACTOR,
    )
    assert right.status == "locked" and right.retry_after is None
    assert case_store.active_verification("kakao:real-customer") is None
    [lock] = case_store.identity_locks(actor=ACTOR)
    assert (lock.subject_type, lock.subject_id, lock.failures) == ("policy", "AU20250001", 5)


def test_an_unknown_policy_locks_the_same_way(case_store: CaseStore) -> None:
    results = [
        case_store.check_identity(
            conversation=f"rest:attacker-{n}", subject_id="AU99999999", birth_date=WRONG,
            actor=ACTOR,
        ).status
        for n in range(6)
    ]
    assert results == ["failed"] * 4 + ["locked", "locked"]


def test_failures_by_case_id_count_against_its_policy(case_store: CaseStore) -> None:
    for n in range(5):
        case_store.check_identity(
            conversation=f"telegram:{n}", subject_id="CLM-2026-000123", birth_date=WRONG,
            actor=ACTOR,
        )
    by_policy = case_store.check_identity(
        conversation="web:real", subject_id="AU20250001", birth_date=MINJI_BORN, actor=ACTOR
    )
    assert by_policy.status == "locked"


def test_the_hotline_unlocks_and_old_failures_stop_counting(case_store: CaseStore) -> None:
    for n in range(5):
        case_store.check_identity(
            conversation=f"rest:{n}", subject_id="AU20250001", birth_date=WRONG, actor=ACTOR
        )
    assert case_store.unlock_identity("AU20250001", actor="agent:hong") is True
    assert case_store.unlock_identity("AU20250001", actor="agent:hong") is False
    assert case_store.identity_locks(actor=ACTOR) == []
    one_more = case_store.check_identity(
        conversation="rest:again", subject_id="AU20250001", birth_date=WRONG, actor=ACTOR
    )
    assert one_more.status == "failed"
    right = case_store.check_identity(
        conversation="web:real", subject_id="AU20250001", birth_date=MINJI_BORN, actor=ACTOR
    )
    assert right.status == "verified"
    actions = [(e.action, e.actor, e.subject_id) for e in case_store.audit_entries()]
    assert ("unlock_identity", "agent:hong", "AU20250001") in actions
    assert ("verify_identity_locked", ACTOR, "AU20250001") not in actions[-1:]


def test_forgiving_failures_before_a_lock(case_store: CaseStore) -> None:
    for n in range(4):
        case_store.check_identity(
            conversation=f"rest:{n}", subject_id="AU20250001", birth_date=WRONG, actor=ACTOR
        )
    assert case_store.unlock_identity("AU20250001", actor="agent:hong") is False
    fifth = case_store.check_identity(
        conversation="rest:5", subject_id="AU20250001", birth_date=WRONG, actor=ACTOR
    )
    assert fifth.status == "failed"
    assert case_store.identity_locks(actor=ACTOR) == []


def test_a_burst_of_failures_is_listed(case_store: CaseStore) -> None:
    start = utcnow()
    for n in range(4):
        case_store.check_identity(
            conversation=f"rest:{n}", subject_id="HO20240077", birth_date=WRONG, actor=ACTOR,
            now=start,
        )
    case_store.check_identity(
        conversation="rest:x", subject_id="AU20250001", birth_date=WRONG, actor=ACTOR, now=start
    )
    bursts = case_store.identity_failure_bursts(
        actor=ACTOR, since=start - timedelta(hours=1)
    )
    assert [(b.subject_id, b.failures, b.conversations, b.locked) for b in bursts] == [
        ("HO20240077", 4, 4, False)
    ]


def test_every_check_is_audited_with_its_conversation(case_store: CaseStore) -> None:
    case_store.check_identity(
        conversation="web:a", subject_id="AU20250001", birth_date=WRONG, actor=ACTOR
    )
    case_store.check_identity(
        conversation="web:a", subject_id="AU20250001", birth_date=MINJI_BORN, actor=ACTOR
    )
    entries = [(e.action, e.subject_id, e.purpose) for e in case_store.audit_entries()]
    assert entries[-2:] == [
        ("verify_identity_failed", "AU20250001", "web:a"),
        ("verify_identity", "AU20250001", "web:a"),
    ]
