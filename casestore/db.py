"""Engines and schema migrations."""

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import SQLAlchemyError

from casestore.config import database_url
from casestore.errors import StorageError

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> URL:
    parsed = make_url(url)
    # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; the project ships psycopg2.
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed


def make_engine(url: str, *, for_migrations: bool = False) -> Engine:
    # hide_parameters: bound values (names, phone numbers) never appear in errors or logs.
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, hide_parameters=True)

    if (
        parsed.database
        and parsed.database != ":memory:"
        and not parsed.database.startswith("file:")
    ):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        parsed,
        hide_parameters=True,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so that BEGIN below is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        if not for_migrations:
            # Off during migrations: batch operations rebuild tables that others refer to.
            cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Nearly every store transaction writes (audit rows, ids), so take the write lock up
        # front: a deferred transaction that reads first and then writes can fail with
        # SQLITE_BUSY instead of waiting when another process wrote in between.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _alembic_config(url: str | None) -> Config:
    cfg = Config(str(ALEMBIC_INI))
    cfg.attributes["url"] = url or database_url()
    # Leave the host application's logging (Rasa, the console) alone.
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Run ``alembic upgrade head`` against ``url`` (default: config.database_url())."""
    try:
        command.upgrade(_alembic_config(url), revision)
    except SQLAlchemyError as exc:
        raise StorageError(f"could not migrate the case store ({type(exc).__name__})") from exc


def downgrade(url: str | None = None, revision: str = "base") -> None:
    try:
        command.downgrade(_alembic_config(url), revision)
    except SQLAlchemyError as exc:
        raise StorageError(f"could not downgrade the case store ({type(exc).__name__})") from exc


def current_revision(url: str | None = None) -> str | None:
    engine = make_engine(url or database_url(), for_migrations=True)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def masked_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
