"""``python -m console``: the real entry point starts, serves both pages and guards the API;
``python -m console add-agent`` and friends manage the accounts it signs agents in with."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.console.conftest import ROOT
from tests.console.standins import free_port

START_TIMEOUT_SECONDS = 30
AGENT_PASSWORD = "entry-point-password"


def console_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BODAM_DATABASE_URL": f"sqlite:///{tmp_path / 'cases.db'}",
        "BODAM_CLAUSE_SEARCH": "off",
        **extra,
    }
    env.pop("BODAM_DEMO", None)
    env.update(extra)
    return env


def cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@contextmanager
def running_console(env: dict[str, str], log: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "console", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if requests.get(f"{base}/healthz", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "the web server did not start"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_in(session: requests.Session, base: str, name: str, password: str) -> requests.Response:
    return session.post(f"{base}/api/login", json={"name": name, "password": password}, timeout=10)


def test_python_m_console_serves_pages_and_guards_the_api(tmp_path: Path) -> None:
    dead_rasa = free_port()
    env = console_env(tmp_path, BODAM_RASA_URL=f"http://127.0.0.1:{dead_rasa}")
    added = cli(env, "add-agent", "lee", "--password-stdin", stdin=AGENT_PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "agent 'lee' added" in added.stdout
    log = tmp_path / "web.log"
    with running_console(env, log) as base:
        chat = requests.get(f"{base}/", timeout=5)
        assert chat.ok and f'content="http://127.0.0.1:{dead_rasa}"' in chat.text
        login = requests.get(f"{base}/console", timeout=5)
        assert login.ok and 'id="login-form"' in login.text
        assert requests.get(f"{base}/api/handoffs", timeout=5).status_code == 401
        session = requests.Session()
        assert sign_in(session, base, "lee", AGENT_PASSWORD).ok
        assert session.get(f"{base}/api/me", timeout=5).json()["actor"] == "agent:lee"
        # Rasa is not running: the console still answers, and says so.
        result = session.post(f"{base}/api/assist", json={"text": "안녕하세요"}, timeout=10)
        assert result.ok
        assert result.json()["nlu"]["status"] == "unavailable"
        assert result.json()["clauses"]["status"] == "unavailable"
        # Not in demo mode: the published demo password signs nobody in.
        assert sign_in(requests.Session(), base, "demo", "bodam-demo").status_code == 401
    text = log.read_text()
    assert "127.0.0.1" in text  # the startup line says where it listens
    assert "DEMO MODE" not in text and "add-agent NAME" not in text


def test_add_list_reset_and_disable_agents_from_the_command_line(tmp_path: Path) -> None:
    env = console_env(tmp_path)
    assert "no agent accounts" in cli(env, "list-agents").stdout
    assert cli(env, "add-agent", "park", "--password-stdin", stdin="short\n").returncode == 1
    refused = cli(env, "add-agent", "park", "--password-stdin", stdin="bodam-demo\n")
    assert refused.returncode == 1 and "demo password" in refused.stderr
    assert "데모" in refused.stderr  # errors in Korean and English
    assert cli(env, "add-agent", "demo", "--password-stdin", stdin="x" * 12).returncode == 1
    assert cli(env, "add-agent", "Park", "--password-stdin", stdin=AGENT_PASSWORD).returncode == 0
    again = cli(env, "add-agent", "park", "--password-stdin", stdin=AGENT_PASSWORD)
    assert again.returncode == 1 and "--reset" in again.stderr

    log = tmp_path / "web.log"
    with running_console(env, log) as base:
        session = requests.Session()
        assert sign_in(session, base, "park", AGENT_PASSWORD).ok
        listed = cli(env, "list-agents").stdout
        assert "park" in listed and "active" in listed and "sessions 1" in listed
        reset = cli(env, "add-agent", "park", "--reset", "--password-stdin", stdin="new-password-2")
        assert reset.returncode == 0, reset.stderr
        assert session.get(f"{base}/api/me", timeout=5).status_code == 401  # session ended
        assert sign_in(session, base, "park", AGENT_PASSWORD).status_code == 401
        assert sign_in(session, base, "park", "new-password-2").ok
        disabled = cli(env, "disable-agent", "park")
        assert disabled.returncode == 0 and "disabled" in disabled.stdout
        assert session.get(f"{base}/api/me", timeout=5).status_code == 401
        assert sign_in(session, base, "park", "new-password-2").status_code == 401
    assert "disabled" in cli(env, "list-agents").stdout
    assert cli(env, "disable-agent", "nobody").returncode == 1


def test_demo_mode_only_with_bodam_demo(tmp_path: Path) -> None:
    log = tmp_path / "web.log"
    with running_console(console_env(tmp_path, BODAM_DEMO="1"), log) as base:
        assert sign_in(requests.Session(), base, "demo", "bodam-demo").ok
    assert "DEMO MODE" in log.read_text()

    with running_console(console_env(tmp_path), log) as base:
        refused = sign_in(requests.Session(), base, "demo", "bodam-demo")
        assert refused.status_code == 401 and refused.json()["error"] == "login_failed"
    text = log.read_text()
    assert "DEMO MODE" not in text
    assert "python -m console add-agent NAME" in text  # nobody else can sign in
