"""The masking tracker store against a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import MaskingSQLTrackerStore

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET_TEXT = "제 번호는 010-2345-6789, 주민번호 850314-2345678, 메일 minji@example.com 이에요"


def _tracker(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered(SECRET_TEXT, {"name": "inform", "confidence": 1.0}))
    tracker.update(BotUttered("확인했습니다 010-2345-6789"))
    tracker.update(SlotSet("contact", "01023456789"))
    return tracker


def _stored_rows(store: MaskingSQLTrackerStore, sender: str) -> list[str]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        )
        return [row[0] for row in rows]


def _assert_masked(store: MaskingSQLTrackerStore) -> None:
    sender = f"user-{uuid.uuid4().hex[:8]}"
    asyncio.run(store.save(_tracker(sender)))
    rows = _stored_rows(store, sender)
    assert len(rows) == 3
    everything = "\n".join(rows)
    for secret in ["2345-6789", "01023456789", "2345678", "minji@"]:
        assert secret not in everything
    user_event = json.loads(rows[0])
    assert "010-****-6789" in user_event["text"]
    assert "850314-*******" in user_event["text"]
    restored = asyncio.run(store.retrieve(sender))
    assert restored is not None
    assert restored.latest_message.text == user_event["text"]


def test_sqlite_file_stores_masked_events(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    _assert_masked(MaskingSQLTrackerStore(domain=Domain.empty(), host=url))
    assert (tmp_path / "tracker.db").stat().st_size > 0


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    name = f"bodam_tracker_{uuid.uuid4().hex[:10]}"
    try:
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgresql_stores_masked_events(postgres_url: str) -> None:
    store = MaskingSQLTrackerStore(domain=Domain.empty(), host=postgres_url)
    try:
        _assert_masked(store)
    finally:
        store.engine.dispose()
