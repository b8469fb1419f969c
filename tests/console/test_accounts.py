"""Agent accounts in the console: one answer for every failed sign-in, throttling per account
and per address, server-side sessions, and demo mode only with BODAM_DEMO=1."""

from __future__ import annotations

import base64
import logging
from dataclasses import replace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from casestore import CaseStore
from casestore.agents import AgentAccounts
from console.app import create_app
from console.auth import MAX_FAILURES_PER_ACCOUNT
from console.clauses import ClauseSearch
from console.settings import DEMO_AGENT, DEMO_PASSWORD
from tests.console.conftest import PASSWORD, add_agent, console_settings
from tests.console.standins import FakeKnowledgeBase, ParseStandIn


def sign_in(client: TestClient, name: str, password: str):
    return client.post("/api/login", json={"name": name, "password": password})


def from_address(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, client=(address, 50000))


def answer(response) -> tuple[int, bytes, tuple[tuple[str, str], ...]]:
    headers = tuple(sorted((k, v) for k, v in response.headers.items() if k != "date"))
    return response.status_code, response.content, headers


def test_unknown_agent_and_wrong_password_get_one_answer(
    client: TestClient, case_store: CaseStore
) -> None:
    add_agent(case_store, "park")
    AgentAccounts(case_store).disable("park", actor="test-suite")
    wrong_password = sign_in(client, "kim", "not the password")
    answers = {
        answer(response)
        for response in (
            wrong_password,
            sign_in(client, "nobody", "not the password"),
            sign_in(client, "nobody", PASSWORD),
            sign_in(client, "park", PASSWORD),  # disabled
        )
    }
    assert len(answers) == 1
    assert wrong_password.status_code == 401 and wrong_password.json()["error"] == "login_failed"
    assert "set-cookie" not in wrong_password.headers

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    locations = {
        client.post("/console/login", content=body, headers=form, follow_redirects=False).headers[
            "location"
        ]
        for body in ("name=kim&password=nope", "name=nobody&password=nope")
    }
    assert locations == {"/console/login?error=login_failed"}


def test_guessing_one_account_from_many_addresses_is_throttled(
    app: FastAPI, client: TestClient, case_store: CaseStore
) -> None:
    add_agent(case_store, "park")
    for i in range(MAX_FAILURES_PER_ACCOUNT):
        refused = sign_in(from_address(app, f"10.0.0.{i}"), "kim", f"guess {i}")
        assert refused.status_code == 401
    fresh = from_address(app, "10.0.1.1")
    blocked = sign_in(fresh, "kim", PASSWORD)
    assert blocked.status_code == 429 and blocked.json()["error"] == "too_many_attempts"
    assert sign_in(fresh, "KIM", PASSWORD).status_code == 429  # names are case-insensitive
    # The address itself is not blocked: another agent signs in from it.
    assert sign_in(fresh, "park", PASSWORD).status_code == 200


def test_an_unknown_account_is_throttled_the_same_way(app: FastAPI, client: TestClient) -> None:
    answers = {}
    for name in ("kim", "nobody"):
        for i in range(MAX_FAILURES_PER_ACCOUNT):
            sign_in(from_address(app, f"10.1.{len(answers)}.{i}"), name, f"guess {i}")
        answers[name] = answer(sign_in(from_address(app, "10.2.0.1"), name, PASSWORD))
    assert answers["kim"] == answers["nobody"]
    assert answers["kim"][0] == 429


def test_a_successful_sign_in_does_not_clear_the_address(app: FastAPI, client: TestClient) -> None:
    attacker = from_address(app, "10.3.0.1")
    for i in range(9):
        sign_in(attacker, f"victim{i}", "guess")
    assert sign_in(attacker, "kim", PASSWORD).status_code == 200
    assert sign_in(attacker, "victim9", "guess").status_code == 401
    assert sign_in(attacker, "victim10", "guess").status_code == 429


def test_the_cookie_holds_only_an_opaque_session_id(agent: TestClient) -> None:
    cookie = agent.cookies.get("bodam_agent")
    session_id = cookie.rsplit(".", 1)[0]
    assert "kim" not in cookie
    assert b"kim" not in base64.urlsafe_b64decode(session_id + "=" * (-len(session_id) % 4))
    assert agent.get("/api/me").json() == {"agent": "kim", "actor": "agent:kim"}


def test_disabling_an_agent_ends_their_session(agent: TestClient, case_store: CaseStore) -> None:
    assert agent.get("/api/me").status_code == 200
    AgentAccounts(case_store).disable("kim", actor="test-suite")
    assert agent.get("/api/me").status_code == 401
    assert sign_in(agent, "kim", PASSWORD).status_code == 401


def test_demo_password_works_only_in_demo_mode(
    case_store: CaseStore,
    parse_stand_in: ParseStandIn,
    knowledge: FakeKnowledgeBase,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = console_settings(case_store.url, parse_stand_in.url)
    clauses = ClauseSearch(loader=lambda: knowledge)
    with (
        caplog.at_level(logging.WARNING),
        TestClient(create_app(settings, clauses=clauses)) as client,
    ):
        assert sign_in(client, DEMO_AGENT, DEMO_PASSWORD).status_code == 401
    assert "DEMO MODE" not in caplog.text
    assert AgentAccounts(case_store).get(DEMO_AGENT) is None  # no demo agent made

    with (
        caplog.at_level(logging.WARNING),
        TestClient(create_app(replace(settings, demo=True), clauses=clauses)) as demo,
    ):
        signed = sign_in(demo, DEMO_AGENT, DEMO_PASSWORD)
        assert signed.status_code == 200 and signed.json()["actor"] == "agent:demo"
        demo_cookie = demo.cookies.get("bodam_agent")
    assert "DEMO MODE" in caplog.text and "데모 모드" in caplog.text

    # Started again without BODAM_DEMO: the demo agent is disabled and its cookie refused.
    with TestClient(create_app(settings, clauses=clauses)) as client:
        refused = sign_in(client, DEMO_AGENT, DEMO_PASSWORD)
        assert refused.status_code == 401 and refused.json()["error"] == "login_failed"
        client.cookies.set("bodam_agent", demo_cookie)
        assert client.get("/api/me").status_code == 401
        # Nor does an account whose password happens to be the demo password sign in.
        AgentAccounts(case_store).add("lee", DEMO_PASSWORD, actor="test-suite")
        assert answer(sign_in(client, "lee", DEMO_PASSWORD)) == answer(refused)
        assert sign_in(client, "kim", PASSWORD).status_code == 200


def test_without_accounts_the_log_says_how_to_add_one(
    tmp_path, parse_stand_in: ParseStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    CaseStore.open(url, migrate=True).close()
    app = create_app(
        console_settings(url, parse_stand_in.url), clauses=ClauseSearch(loader=FakeKnowledgeBase)
    )
    with caplog.at_level(logging.WARNING), TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert sign_in(client, "kim", PASSWORD).status_code == 401
    assert "python -m console add-agent NAME" in caplog.text
