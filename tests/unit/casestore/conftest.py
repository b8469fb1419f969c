"""Fixtures: a real SQLite file per test, migrated with Alembic and seeded with demo data."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from casestore import CaseStore


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated and seeded once; each test works on its own copy of the file."""
    path = tmp_path_factory.mktemp("template") / "cases.db"
    with CaseStore.open(f"sqlite:///{path}", migrate=True, seed=True):
        pass
    assert not path.with_name("cases.db-wal").exists()
    return path


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cases.db'}"


@pytest.fixture
def store(db_url: str, seeded_template: Path, tmp_path: Path) -> Iterator[CaseStore]:
    shutil.copyfile(seeded_template, tmp_path / "cases.db")
    with CaseStore(db_url) as opened:
        yield opened
