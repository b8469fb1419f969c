import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from casestore import CaseStore, StorageError
from casestore.db import ALEMBIC_INI, current_revision, downgrade, upgrade
from casestore.models import Base

TABLES = {
    "customers",
    "policies",
    "claims",
    "claim_status_history",
    "complaints",
    "change_requests",
    "handoff_requests",
    "audit_log",
    "id_sequences",
    "agents",
    "agent_sessions",
    "verifications",
    "verification_failures",
    "verification_locks",
}
REPO = Path(__file__).resolve().parents[3]
HEAD = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_current_head()


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_creates_every_table(db_url: str) -> None:
    upgrade(db_url)
    assert tables(db_url) == TABLES | {"alembic_version"}
    assert current_revision(db_url) == HEAD


def test_downgrade_and_upgrade_round_trip(db_url: str) -> None:
    upgrade(db_url)
    downgrade(db_url, "base")
    assert tables(db_url) == {"alembic_version"}
    assert current_revision(db_url) is None
    upgrade(db_url)
    assert tables(db_url) == TABLES | {"alembic_version"}
    with CaseStore.open(db_url, seed=True) as store:
        assert store.get_claim("CLM-2026-000123", actor="t") is not None


def test_upgrade_twice_is_a_no_op(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)
    assert current_revision(db_url) == HEAD


def test_models_match_the_migration(db_url: str) -> None:
    upgrade(db_url)
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_store_does_not_migrate_by_itself(db_url: str) -> None:
    with CaseStore(db_url) as store, pytest.raises(StorageError) as excinfo:
        store.get_claim("CLM-2026-000123", actor="t")
    assert "SELECT" not in str(excinfo.value)


def test_alembic_command_line_with_x_url(db_url: str) -> None:
    alembic = Path(sys.executable).with_name("alembic")
    result = subprocess.run(
        [str(alembic), "-c", str(ALEMBIC_INI), "-x", f"url={db_url}", "upgrade", "head"],
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert current_revision(db_url) == HEAD


def test_sqlite_parent_directory_is_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'cases.db'}"
    upgrade(url)
    assert (tmp_path / "nested" / "dir" / "cases.db").exists()


def test_unreachable_database_is_a_storage_error() -> None:
    with pytest.raises(StorageError) as excinfo:
        upgrade("postgresql://bodam:s3cret@127.0.0.1:1/nowhere")
    assert "s3cret" not in str(excinfo.value)
