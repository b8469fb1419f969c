"""Agent console accounts and sessions (casestore.agents) on SQLite and on PostgreSQL."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from casestore import CaseStore, InvalidInput
from casestore.agents import IDLE_TIMEOUT, SESSION_LIFETIME, AgentAccounts

NOW = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
OPERATOR = "cli:test"
PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(case_store: CaseStore) -> AgentAccounts:
    """On SQLite and on PostgreSQL (the ``case_store`` fixture of conftest.py)."""
    return AgentAccounts(case_store)


def stored(accounts: AgentAccounts, query: str) -> list[tuple]:
    engine = create_engine(accounts._store.url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def test_password_is_stored_as_an_argon2id_hash(accounts: AgentAccounts) -> None:
    added = accounts.add("Kim", PASSWORD, actor=OPERATOR, now=NOW)
    assert (added.name, added.disabled, added.open_sessions) == ("kim", False, 0)
    [(password_hash,)] = stored(accounts, "SELECT password_hash FROM agents")
    assert password_hash.startswith("$argon2id$") and PASSWORD not in password_hash
    assert accounts.password_matches("KIM", PASSWORD)
    assert not accounts.password_matches("kim", PASSWORD + "!")


def test_names_and_passwords_are_checked(accounts: AgentAccounts) -> None:
    for name in ("", "a" * 33, "<b>", "kim lee"):
        with pytest.raises(InvalidInput):
            accounts.add(name, PASSWORD, actor=OPERATOR)
    for password in ("short", "x" * 257, None):
        with pytest.raises(InvalidInput) as excinfo:
            accounts.add("kim", password, actor=OPERATOR)  # type: ignore[arg-type]
        assert "short" not in str(excinfo.value)
    with pytest.raises(InvalidInput):
        accounts.add(
            "kim", "bodam-demo", actor=OPERATOR, refused_passwords=frozenset({"bodam-demo"})
        )
    accounts.add("kim", PASSWORD, actor=OPERATOR)
    with pytest.raises(InvalidInput, match="already exists"):
        accounts.add("kim", "another password", actor=OPERATOR)
    assert accounts.password_matches("kim", PASSWORD)


def test_session_is_opaque_and_stored_hashed(accounts: AgentAccounts) -> None:
    accounts.add("kim", PASSWORD, actor=OPERATOR)
    session_id = accounts.sign_in("kim", PASSWORD)
    assert session_id is not None and "kim" not in session_id and len(session_id) >= 43
    [(id_hash, agent_name)] = stored(accounts, "SELECT id_hash, agent_name FROM agent_sessions")
    assert id_hash == hashlib.sha256(session_id.encode()).hexdigest()
    assert agent_name == "kim"
    assert accounts.session_agent(session_id) == "kim"
    assert accounts.session_agent(id_hash) is None  # the stored value is no key
    assert accounts.get("kim").open_sessions == 1  # type: ignore[union-attr]


def test_wrong_unknown_and_disabled_sign_ins_all_get_none(accounts: AgentAccounts) -> None:
    accounts.add("kim", PASSWORD, actor=OPERATOR)
    accounts.add("park", PASSWORD, actor=OPERATOR)
    accounts.disable("park", actor=OPERATOR)
    assert accounts.sign_in("kim", "wrong password") is None
    assert accounts.sign_in("nobody", PASSWORD) is None
    assert accounts.sign_in("park", PASSWORD) is None
    assert accounts.sign_in("<script>", PASSWORD) is None
    assert accounts.sign_in("kim", None) is None
    assert accounts.sign_in("kim", "x" * 10_000) is None
    assert stored(accounts, "SELECT count(*) FROM agent_sessions") == [(0,)]


def test_sign_out_ends_the_session_for_good(accounts: AgentAccounts) -> None:
    accounts.add("kim", PASSWORD, actor=OPERATOR)
    session_id = accounts.sign_in("kim", PASSWORD)
    other = accounts.sign_in("kim", PASSWORD)
    assert accounts.sign_out(session_id) is True
    assert accounts.session_agent(session_id) is None
    assert accounts.sign_out(session_id) is False
    assert accounts.session_agent(other) == "kim"  # only that session ended


def test_idle_timeout_and_absolute_lifetime(accounts: AgentAccounts) -> None:
    accounts.add("kim", PASSWORD, actor=OPERATOR, now=NOW)
    idle = accounts.sign_in("kim", PASSWORD, now=NOW)
    assert accounts.session_agent(idle, now=NOW + IDLE_TIMEOUT - timedelta(seconds=1)) == "kim"
    later = NOW + IDLE_TIMEOUT - timedelta(seconds=1) + IDLE_TIMEOUT
    assert accounts.session_agent(idle, now=later) is None
    assert accounts.session_agent(idle, now=NOW) is None  # an expired session stays ended

    busy = accounts.sign_in("kim", PASSWORD, now=NOW)
    moment = NOW
    while moment < NOW + SESSION_LIFETIME - timedelta(minutes=10):
        moment += timedelta(minutes=10)
        assert accounts.session_agent(busy, now=moment) == "kim"
    assert accounts.session_agent(busy, now=NOW + SESSION_LIFETIME) is None


def test_disable_and_reset_end_the_sessions(accounts: AgentAccounts) -> None:
    accounts.add("kim", PASSWORD, actor=OPERATOR)
    before_reset = accounts.sign_in("kim", PASSWORD)
    reset = accounts.add("kim", "a new long password", actor=OPERATOR, replace=True)
    assert reset.open_sessions == 0
    assert accounts.session_agent(before_reset) is None
    assert accounts.sign_in("kim", PASSWORD) is None
    before_disable = accounts.sign_in("kim", "a new long password")
    assert accounts.session_agent(before_disable) == "kim"
    assert accounts.disable("kim", actor=OPERATOR).disabled is True
    assert accounts.session_agent(before_disable) is None
    assert accounts.enabled_count() == 0
    with pytest.raises(InvalidInput):
        accounts.disable("nobody", actor=OPERATOR)


def test_account_changes_and_sign_ins_are_audited(accounts: AgentAccounts) -> None:
    accounts.add("kim", PASSWORD, actor=OPERATOR)
    session_id = accounts.sign_in("kim", PASSWORD)
    accounts.sign_in("kim", "wrong password")
    accounts.sign_out(session_id)
    accounts.disable("kim", actor=OPERATOR)
    entries = [(e.actor, e.action, e.subject_id) for e in accounts._store.audit_entries()]
    assert entries == [
        (OPERATOR, "add_agent", "kim"),
        ("agent:kim", "sign_in", "kim"),
        ("agent:kim", "sign_out", "kim"),
        (OPERATOR, "disable_agent", "kim"),
    ]


def test_list_of_accounts(accounts: AgentAccounts) -> None:
    accounts.add("park", PASSWORD, actor=OPERATOR, now=NOW)
    accounts.add("김상담", PASSWORD, actor=OPERATOR, now=NOW)
    accounts.sign_in("park", PASSWORD)
    listed = accounts.all()
    assert [(a.name, a.open_sessions) for a in listed] == [("park", 1), ("김상담", 0)]
    assert listed[0].created_at.utcoffset() == timedelta(hours=9)
    assert accounts.enabled_count() == 2
