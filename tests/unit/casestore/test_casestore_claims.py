from datetime import UTC, date, datetime, timedelta

import pytest
from casestore_helpers import ACTOR, NOW, claim_args, count, rows

from casestore import CaseStore, ClaimView, InvalidInput, InvalidTransition, NotFound

PATH = ["awaiting_documents", "under_investigation", "loss_assessment", "approved", "paid"]


def test_create_claim(store: CaseStore) -> None:
    claim = store.create_claim(**claim_args(idempotency_key="sess-1:claim"))
    assert isinstance(claim, ClaimView)
    assert claim.id == "CLM-2026-000141"
    assert claim.created is True
    assert claim.status == "received"
    assert claim.policy_number == "AU20250001"
    assert claim.incident_place == "서울 강남구 테헤란로"
    assert claim.injuries is False
    assert claim.contact_consent is True
    assert claim.channel == "web"
    assert claim.created_at == NOW
    assert claim.assessed_amount is None
    assert [(h.status, h.changed_at) for h in claim.history] == [("received", NOW)]
    assert store.get_claim(claim.id, actor=ACTOR) == ClaimView(
        **{**claim.__dict__, "created": False}
    )


def test_same_idempotency_key_gives_one_claim(store: CaseStore, db_url: str) -> None:
    first = store.create_claim(**claim_args(idempotency_key="sess-7:claim"))
    second = store.create_claim(
        **claim_args(idempotency_key="sess-7:claim", description="different text")
    )
    assert first.created is True
    assert second.created is False
    assert second.id == first.id
    assert second.description == first.description
    assert count(db_url, "claims") == 5
    assert rows(db_url, "SELECT count(*) FROM claims WHERE idempotency_key = 'sess-7:claim'") == [
        (1,)
    ]
    assert store.create_claim(**claim_args(idempotency_key="sess-8:claim")).id == (
        "CLM-2026-000142"
    )


def test_claims_without_key_are_all_created(store: CaseStore) -> None:
    ids = [store.create_claim(**claim_args()).id for _ in range(3)]
    assert ids == ["CLM-2026-000141", "CLM-2026-000142", "CLM-2026-000143"]


def test_ids_never_collide_with_demo_ids(store: CaseStore) -> None:
    demo = {"CLM-2026-000123", "CLM-2026-000124", "CLM-2026-000131", "CLM-2026-000140"}
    new = [store.create_claim(**claim_args()).id for _ in range(20)]
    assert not demo & set(new)
    assert new == sorted(new)
    assert len(set(new)) == 20


def test_claim_year_follows_the_korean_calendar(store: CaseStore) -> None:
    # 20:00 UTC on 31 December is already 1 January in Korea.
    late = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    claim = store.create_claim(**claim_args(incident_date=date(2026, 12, 31), now=late))
    assert claim.id == "CLM-2027-000001"
    assert store.create_claim(**claim_args(now=NOW)).id == "CLM-2026-000141"


def test_create_claim_for_unknown_policy(store: CaseStore, db_url: str) -> None:
    with pytest.raises(NotFound):
        store.create_claim(**claim_args(policy_number="AU99999999"))
    # the failed attempt did not use up a number
    assert store.create_claim(**claim_args()).id == "CLM-2026-000141"


def test_optional_fields_may_be_empty(store: CaseStore) -> None:
    claim = store.create_claim(
        **claim_args(incident_place=None, description=None, injuries=None, contact_consent=None)
    )
    assert (claim.incident_place, claim.description, claim.injuries) == (None, None, None)
    assert store.create_claim(**claim_args(channel="web-chat.v2")).channel == "web-chat.v2"


@pytest.mark.parametrize(
    "overrides",
    [
        {"policy_number": "AU-2025-0001"},
        {"policy_number": 20250001},
        {"incident_type": "meteor"},
        {"incident_type": "Collision"},
        {"incident_date": "2026-11-24"},
        {"incident_date": datetime(2026, 11, 24, 10, 0)},
        {"incident_place": ""},
        {"description": "   "},
        {"description": "x" * 4001},
        {"injuries": "yes"},
        {"contact_consent": 1},
        {"channel": "Web Chat"},
        {"idempotency_key": ""},
        {"idempotency_key": "k" * 129},
        {"now": datetime(2026, 11, 25, 10, 0)},
    ],
)
def test_create_claim_validates(store: CaseStore, overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        store.create_claim(**claim_args(**overrides))


def test_get_claim_unknown_and_malformed(store: CaseStore) -> None:
    assert store.get_claim("CLM-2026-999999", actor=ACTOR) is None
    with pytest.raises(InvalidInput, match="CLM-2026-000123"):
        store.get_claim("CLM-26-123", actor=ACTOR)


def test_claims_for_policy_and_customer(store: CaseStore) -> None:
    new = store.create_claim(**claim_args())
    by_policy = store.claims_for_policy("AU20250001", actor=ACTOR)
    assert [c.id for c in by_policy] == ["CLM-2026-000123", new.id]
    by_customer = store.claims_for_customer("C001", actor=ACTOR)
    assert [c.id for c in by_customer] == ["CLM-2026-000124", "CLM-2026-000123", new.id]
    assert all(c.history for c in by_customer)
    assert store.claims_for_customer("C004", actor=ACTOR) == []
    assert store.claims_for_policy("AU00000000", actor=ACTOR) == []


def test_walk_the_whole_path(store: CaseStore) -> None:
    claim = store.create_claim(**claim_args())
    at = NOW
    for status in PATH:
        at += timedelta(days=1)
        amounts = {"assessed_amount": 800_000} if status == "approved" else {}
        if status == "paid":
            amounts = {"paid_amount": 800_000}
        updated = store.update_claim_status(claim.id, status, f"→ {status}", now=at, **amounts)
        assert updated.status == status
    final = store.get_claim(claim.id, actor=ACTOR)
    assert final is not None
    assert [h.status for h in final.history] == ["received", *PATH]
    assert final.history[-1].note == "→ paid"
    assert (final.assessed_amount, final.paid_amount) == (800_000, 800_000)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], "under_investigation"),  # skips awaiting_documents
        ([], "approved"),
        ([], "paid"),
        ([], "disputed"),  # nothing decided yet
        ([], "received"),  # same state
        (["awaiting_documents"], "received"),  # backwards
        (PATH[:4], "denied"),  # approved is no longer open
        (PATH, "denied"),
        (["denied", "disputed"], "under_investigation"),
        (["denied", "disputed"], "disputed"),
    ],
)
def test_disallowed_transitions(store: CaseStore, path: list[str], target: str) -> None:
    claim = store.create_claim(**claim_args())
    for status in path:
        store.update_claim_status(claim.id, status)
    with pytest.raises(InvalidTransition):
        store.update_claim_status(claim.id, target)
    current = store.get_claim(claim.id, actor=ACTOR)
    assert current is not None
    assert len(current.history) == len(path) + 1


@pytest.mark.parametrize("open_path", [[], PATH[:1], PATH[:2], PATH[:3]])
def test_any_open_state_can_be_denied(store: CaseStore, open_path: list[str]) -> None:
    claim = store.create_claim(**claim_args())
    for status in open_path:
        store.update_claim_status(claim.id, status)
    assert store.update_claim_status(claim.id, "denied", "면책 조항 해당").status == "denied"


@pytest.mark.parametrize("decided_path", [["denied"], PATH[:4], PATH])
def test_decisions_can_be_disputed(store: CaseStore, decided_path: list[str]) -> None:
    claim = store.create_claim(**claim_args())
    for status in decided_path:
        store.update_claim_status(claim.id, status)
    assert store.update_claim_status(claim.id, "disputed").status == "disputed"


def test_demo_claims_continue_from_their_state(store: CaseStore) -> None:
    assert store.update_claim_status("CLM-2026-000123", "loss_assessment").status == (
        "loss_assessment"
    )
    assert store.update_claim_status("CLM-2026-000124", "disputed").status == "disputed"
    with pytest.raises(InvalidTransition):
        store.update_claim_status("CLM-2026-000131", "approved")


def test_update_claim_status_validates(store: CaseStore) -> None:
    with pytest.raises(NotFound):
        store.update_claim_status("CLM-2026-999999", "awaiting_documents")
    with pytest.raises(InvalidInput):
        store.update_claim_status("CLM-2026-000140", "lost")
    with pytest.raises(InvalidInput):
        store.update_claim_status("CLM-2026-000140", "awaiting_documents", paid_amount=-5)
