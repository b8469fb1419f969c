"""Fixtures for the web server tests: a real SQLite case store, a stand-in for Rasa's
``/model/parse``, a fake clause index, and Playwright driving Debian's Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from casestore import CaseStore
from casestore.agents import AgentAccounts
from console.app import create_app
from console.clauses import ClauseSearch
from console.settings import Settings
from tests.console.standins import FakeKnowledgeBase, LiveServer, ParseStandIn

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TODAY = "2026-11-25"
AGENT = "kim"
PASSWORD = "test-agent-password"
TOKEN = "test-agent-token-0123456789"
SECRET = "test-secret-for-signing-cookies"
RASA_PUBLIC_URL = "http://127.0.0.1:5005"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_TIMEOUT_MS = 15_000

HANDOFF_SUMMARY = (
    "[claim_status] 보험금 언제 나와요? 연락처는 010-2345-6789 입니다\n"
    "[request_human] 상담원 연결해 주세요 <script>window.__xss = 1</script>\n"
    "identity: verified; policy_number=AU20250001, claim_id=CLM-2026-000123"
)


def add_console_records(store: CaseStore) -> dict[str, object]:
    """A hand-off request and a complaint that is overdue on TODAY, beside the demo data."""
    handoff = store.create_handoff(
        sender_id="web-7f3a",
        channel="socketio",
        language="ko",
        reason="request_human",
        summary=HANDOFF_SUMMARY,
        customer_id="C001",
        now=datetime(2026, 11, 25, 1, 30, tzinfo=UTC),
    )
    complaint = store.file_complaint(
        customer_id="C003",
        policy_number="TR20261105",
        category="billing",
        description="I was charged twice for my travel policy. Call me on 010-5555-0192.",
        desired_outcome="refund the second payment",
        idempotency_key="console-test-overdue",
        now=datetime(2026, 10, 20, 2, 0, tzinfo=UTC),
    )
    return {"handoff": handoff, "complaint": complaint}


def add_agent(store: CaseStore, name: str = AGENT, password: str = PASSWORD) -> None:
    AgentAccounts(store).add(name, password, actor="test-suite")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BODAM_TODAY", TODAY)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """Migrated and seeded once per run; each test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("template") / "cases.db"
    store = CaseStore.open(f"sqlite:///{path}", migrate=True, seed=True)
    records = add_console_records(store)
    add_agent(store)
    store.close()
    return path, records


@pytest.fixture()
def case_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template_db: tuple[Path, dict[str, object]]
) -> Iterator[CaseStore]:
    template, records = template_db
    for file in template.parent.glob(template.name + "*"):
        shutil.copy(file, tmp_path / file.name)
    url = f"sqlite:///{tmp_path / template.name}"
    monkeypatch.setenv("BODAM_DATABASE_URL", url)
    store = CaseStore(url)
    store.console_records = records  # type: ignore[attr-defined]
    yield store
    store.close()


@pytest.fixture(scope="session")
def parse_stand_in() -> Iterator[ParseStandIn]:
    with ParseStandIn() as stand_in:
        yield stand_in


def console_settings(database_url: str, rasa_url: str) -> Settings:
    return Settings(
        rasa_url=rasa_url,
        rasa_public_url=RASA_PUBLIC_URL,
        agent_token=TOKEN,
        secret=SECRET,
        database_url=database_url,
        parse_timeout=2.0,
    )


@pytest.fixture()
def knowledge() -> FakeKnowledgeBase:
    return FakeKnowledgeBase()


@pytest.fixture()
def app(
    case_store: CaseStore, parse_stand_in: ParseStandIn, knowledge: FakeKnowledgeBase
) -> FastAPI:
    settings = console_settings(case_store.url, parse_stand_in.url)
    return create_app(settings, clauses=ClauseSearch(loader=lambda: knowledge))


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture()
def agent(client: TestClient) -> TestClient:
    """The client signed in as agent "kim"."""
    response = client.post("/api/login", json={"name": AGENT, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client


# ---------------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is not installed at /usr/bin/chromium: run `make chromium` "
            "(apt-get update && apt-get install -y chromium)"
        )
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=30_000
        )
        yield launched
        launched.close()


def new_page(browser: object, *, width: int = 1366, height: int = 900, **options: object):
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": height}, locale="ko-KR", **options
    )
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture(scope="module")
def live_console(
    tmp_path_factory: pytest.TempPathFactory, parse_stand_in: ParseStandIn
) -> Iterator[str]:
    """The web server on a free port with a seeded case store, stand-in Rasa and clauses."""
    url = f"sqlite:///{tmp_path_factory.mktemp('console') / 'cases.db'}"
    store = CaseStore.open(url, migrate=True, seed=True)
    add_console_records(store)
    add_agent(store)
    store.close()
    knowledge = FakeKnowledgeBase()
    app = create_app(
        console_settings(url, parse_stand_in.url), clauses=ClauseSearch(loader=lambda: knowledge)
    )
    with LiveServer(app) as server:
        yield server.url
