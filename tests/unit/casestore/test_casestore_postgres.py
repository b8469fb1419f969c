"""The key case store behaviour on PostgreSQL (127.0.0.1:5432, user postgres, trust auth).

A database ``bodam_test_<random>`` is created for the run and dropped at the end. The tests
are skipped only when PostgreSQL does not answer.
"""

import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from casestore_helpers import ACTOR, NOW, claim_args, complaint_args, count, rows
from sqlalchemy import create_engine, inspect

from casestore import CaseStore, InvalidTransition
from casestore.db import ALEMBIC_INI, current_revision, downgrade, upgrade
from casestore.models import Base
from casestore.seed import load_demo_data

psycopg2 = pytest.importorskip("psycopg2")
from psycopg2 import sql  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
HEAD = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_current_head()
TABLES = (
    "customers",
    "policies",
    "claims",
    "claim_status_history",
    "complaints",
    "change_requests",
    "handoff_requests",
    "audit_log",
    "id_sequences",
)


def _admin_connection() -> Any:
    try:
        connection = psycopg2.connect(
            host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=3
        )
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL does not answer on 127.0.0.1:5432: {exc}")
    connection.autocommit = True
    return connection


@pytest.fixture(scope="module")
def fresh_database() -> Iterator[Callable[[], str]]:
    """Creates databases on demand; drops every one of them at the end of the module."""
    admin = _admin_connection()
    created: list[str] = []

    def create() -> str:
        name = f"bodam_test_{secrets.token_hex(6)}"
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"

    try:
        yield create
    finally:
        with admin.cursor() as cursor:
            for name in created:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        admin.close()


@pytest.fixture(scope="module")
def pg_url(fresh_database: Callable[[], str]) -> str:
    url = fresh_database()
    upgrade(url)
    return url


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[CaseStore]:
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    engine.dispose()
    with CaseStore.open(pg_url, migrate=True, seed=True) as store:
        yield store


def test_migration_matches_models(pg_url: str) -> None:
    assert current_revision(pg_url) == HEAD
    engine = create_engine(pg_url)
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        engine.dispose()


def test_demo_data_and_idempotent_seed(pg_store: CaseStore, pg_url: str) -> None:
    before = {t: sorted(map(repr, rows(pg_url, f"SELECT * FROM {t}"))) for t in TABLES}
    assert load_demo_data(pg_store) == {
        "customers": 0,
        "policies": 0,
        "claims": 0,
        "complaints": 0,
    }
    after = {t: sorted(map(repr, rows(pg_url, f"SELECT * FROM {t}"))) for t in TABLES}
    assert after == before
    paid = pg_store.get_claim("CLM-2026-000124", actor=ACTOR)
    assert paid is not None
    assert [h.status for h in paid.history][-2:] == ["approved", "paid"]
    complaint = pg_store.get_complaint("CMP-2026-000045", actor=ACTOR, today=date(2026, 11, 27))
    assert complaint is not None
    assert complaint.due_date == date(2026, 11, 26)
    assert complaint.overdue is True


def test_verify_identity(pg_store: CaseStore) -> None:
    customer = pg_store.verify_identity("AU20250001", date(1985, 3, 14), actor=ACTOR)
    assert customer is not None
    assert customer.phone_masked == "010-****-6789"
    assert pg_store.verify_identity("AU20250001", date(1985, 3, 15), actor=ACTOR) is None
    assert pg_store.verify_identity("AU99999999", date(1985, 3, 14), actor=ACTOR) is None
    assert len(pg_store.audit_entries()) == 3


def test_claims_ids_idempotency_and_transitions(pg_store: CaseStore, pg_url: str) -> None:
    first = pg_store.create_claim(**claim_args(idempotency_key="pg-1"))
    again = pg_store.create_claim(**claim_args(idempotency_key="pg-1"))
    second = pg_store.create_claim(**claim_args())
    assert (first.id, first.created) == ("CLM-2026-000141", True)
    assert (again.id, again.created) == ("CLM-2026-000141", False)
    assert second.id == "CLM-2026-000142"
    assert count(pg_url, "claims") == 6
    pg_store.update_claim_status(first.id, "awaiting_documents")
    with pytest.raises(InvalidTransition):
        pg_store.update_claim_status(first.id, "paid")
    claim = pg_store.get_claim(first.id, actor=ACTOR)
    assert claim is not None
    assert [h.status for h in claim.history] == ["received", "awaiting_documents"]
    assert claim.created_at == NOW


def test_complaint_deadline_and_overdue(pg_store: CaseStore) -> None:
    complaint = pg_store.file_complaint(**complaint_args(now=NOW - timedelta(days=20)))
    assert complaint.id == "CMP-2026-000046"
    assert complaint.due_at == NOW - timedelta(days=6)
    overdue = pg_store.overdue_complaints(date(2026, 11, 25), actor=ACTOR)
    assert [c.id for c in overdue] == [complaint.id]
    assert [e.subject_id for e in pg_store.audit_entries()] == [complaint.id]


def test_change_request_and_handoff(pg_store: CaseStore) -> None:
    change = pg_store.create_change_request(
        policy_number="HE20230042",
        change_type="sum_insured",
        new_value="70000000",
        idempotency_key="pg-c",
    )
    assert change.id == "CHG-2026-000001"
    handoff = pg_store.create_handoff(
        sender_id="s", channel="web", language="en", reason="r", summary="summary"
    )
    assert [h.id for h in pg_store.open_handoffs(actor=ACTOR)] == [handoff.id]
    pg_store.close_handoff(handoff.id)
    assert pg_store.open_handoffs(actor=ACTOR) == []


def test_injection_strings_are_stored_verbatim(pg_store: CaseStore, pg_url: str) -> None:
    payload = "'); DROP TABLE claims; -- $$ \\x27 한글"
    claim = pg_store.create_claim(**claim_args(description=payload, idempotency_key=payload))
    assert rows(pg_url, "SELECT description FROM claims WHERE id = :id", id=claim.id) == [
        (payload,)
    ]
    assert count(pg_url, "claims") == 5


def test_parallel_claims_get_distinct_ids(pg_store: CaseStore) -> None:
    def create(_: int) -> str:
        return pg_store.create_claim(**claim_args()).id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(48)))
    assert len(set(ids)) == 48
    assert sorted(ids) == [f"CLM-2026-{n:06d}" for n in range(141, 189)]


def test_parallel_first_ids_of_a_new_year(pg_url: str, pg_store: CaseStore) -> None:
    # No id_sequences row exists for 2027 yet: every thread races to create it.
    next_year = datetime(2027, 1, 2, tzinfo=UTC)

    def create(_: int) -> str:
        with CaseStore(pg_url) as own:
            return own.create_claim(**claim_args(now=next_year)).id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(16)))
    assert sorted(ids) == [f"CLM-2027-{n:06d}" for n in range(1, 17)]


def test_parallel_requests_with_one_key_create_one_claim(pg_store: CaseStore, pg_url: str) -> None:
    def create(_: int) -> tuple[str, bool]:
        view = pg_store.create_claim(**claim_args(idempotency_key="pg-double-click"))
        return view.id, view.created

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(create, range(16)))
    assert {claim_id for claim_id, _ in results} == {"CLM-2026-000141"}
    assert sum(created for _, created in results) == 1
    assert count(pg_url, "claims") == 5


def test_parallel_status_updates_allow_one_transition(pg_store: CaseStore) -> None:
    def move(_: int) -> str:
        try:
            return pg_store.update_claim_status("CLM-2026-000140", "awaiting_documents").status
        except InvalidTransition:
            return "refused"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(move, range(6)))
    assert sorted(outcomes) == ["awaiting_documents"] + ["refused"] * 5
    claim = pg_store.get_claim("CLM-2026-000140", actor=ACTOR)
    assert claim is not None
    assert [h.status for h in claim.history] == ["received", "awaiting_documents"]


def test_parallel_upgrades_of_a_fresh_database(fresh_database: Callable[[], str]) -> None:
    url = fresh_database()
    code = "import sys; from casestore.db import upgrade; upgrade(sys.argv[1])"
    procs = [subprocess.Popen([sys.executable, "-c", code, url], cwd=REPO) for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    assert current_revision(url) == HEAD


def test_downgrade_upgrade_round_trip(pg_url: str) -> None:
    downgrade(pg_url, "base")
    engine = create_engine(pg_url)
    try:
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()
    upgrade(pg_url)
    assert current_revision(pg_url) == HEAD
    with CaseStore.open(pg_url, seed=True) as store:
        assert store.get_claim("CLM-2026-000123", actor=ACTOR) is not None


def test_plain_postgresql_url_uses_psycopg2(pg_url: str, pg_store: CaseStore) -> None:
    plain = pg_url.replace("postgresql+psycopg2://", "postgresql://")
    with CaseStore(plain) as store:
        assert store.check_claim_eligibility("AU20250001", date(2026, 11, 1)) == "ok"
