"""Fixtures: a real SQLite file per test, migrated with Alembic and seeded with demo data;
``case_store`` runs a test on SQLite and again on a fresh PostgreSQL database created for
the module when 127.0.0.1:5432 answers (skipped otherwise)."""

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from casestore import CaseStore
from casestore.db import upgrade
from casestore.models import Base


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


def _admin_connection():  # noqa: ANN202
    psycopg2 = pytest.importorskip("psycopg2")
    try:
        connection = psycopg2.connect(
            host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=3
        )
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL does not answer on 127.0.0.1:5432: {exc}")
    connection.autocommit = True
    return connection


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A fresh, migrated database for this module; dropped at the end."""
    from psycopg2 import sql

    admin = _admin_connection()
    name = f"bodam_test_{secrets.token_hex(6)}"
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def case_store(request: pytest.FixtureRequest) -> Iterator[CaseStore]:
    """The seeded demo data, with an empty audit log, on each database."""
    if request.param == "sqlite":
        yield request.getfixturevalue("store")
        return
    url = request.getfixturevalue("pg_url")
    engine = create_engine(url)
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()
    with CaseStore.open(url, migrate=True, seed=True) as opened:
        yield opened
