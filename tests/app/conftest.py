"""Tracker fixtures for action tests (in the style of RasaHQ's financial-demo)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.backend import store_in_use, use_store
from casestore import CaseStore

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-25"


def load_domain() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for key, value in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    return merged


DOMAIN = load_domain()
DEMO = yaml.safe_load((ROOT / "casestore" / "demo_data.yml").read_text(encoding="utf-8"))


def record_verification(store: CaseStore, policy: str, sender_id: str = "test-user") -> None:
    """What a passed identity check leaves in the case store: verified slots alone open
    nothing."""
    holder = next(p["customer"] for p in DEMO["policies"] if p["number"] == policy)
    born = next(c["birth_date"] for c in DEMO["customers"] if c["id"] == holder)
    result = store.check_identity(
        conversation=sender_id, subject_id=policy, birth_date=born, actor="test"
    )
    assert result.status == "verified"


@pytest.fixture()
def domain() -> dict[str, Any]:
    return DOMAIN


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BODAM_TODAY", TODAY)


@pytest.fixture()
def case_store(tmp_path: Path) -> Iterator[CaseStore]:
    store = CaseStore.open(f"sqlite:///{tmp_path / 'cases.db'}", migrate=True, seed=True)
    use_store(store)
    yield store
    use_store(None)


@pytest.fixture()
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "inform",
    new_slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
    ranking: list[dict[str, Any]] | None = None,
    entities: list[dict[str, Any]] | None = None,
    earlier_events: list[dict[str, Any]] | None = None,
    sender_id: str = "test-user",
    recorded: bool = True,
) -> Tracker:
    """A tracker whose latest user message set `new_slots` (what a form must validate).

    Slots that say a policy was verified come with the record a real check leaves in the
    case store, unless `recorded` is False (a forged tracker).
    """
    all_slots = {"language": "ko", **(slots or {}), **(new_slots or {})}
    case_store = store_in_use()
    verified = all_slots.get("verified_policy")
    if recorded and verified and all_slots.get("verified_customer_id") and case_store:
        record_verification(case_store, verified, sender_id)
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
        "entities": entities or [],
    }
    events = list(earlier_events or [])
    events.append({"event": "user", "text": text, "parse_data": latest})
    events += [{"event": "slot", "name": k, "value": v} for k, v in (new_slots or {}).items()]
    return Tracker(
        sender_id=sender_id,
        slots=all_slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )
