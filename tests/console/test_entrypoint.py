"""``python -m console``: the real entry point starts, serves both pages and guards the API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.console.conftest import ROOT
from tests.console.standins import free_port

START_TIMEOUT_SECONDS = 30


def test_python_m_console_serves_pages_and_guards_the_api(tmp_path: Path) -> None:
    port, dead_rasa = free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BODAM_RASA_URL": f"http://127.0.0.1:{dead_rasa}",
        "BODAM_DATABASE_URL": f"sqlite:///{tmp_path / 'cases.db'}",
        "BODAM_AGENT_PASSWORD": "entry-point-password",
        "BODAM_CLAUSE_SEARCH": "off",
    }
    log = tmp_path / "web.log"
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
        chat = requests.get(f"{base}/", timeout=5)
        assert chat.ok and f'content="http://127.0.0.1:{dead_rasa}"' in chat.text
        login = requests.get(f"{base}/console", timeout=5)
        assert login.ok and 'id="login-form"' in login.text
        assert requests.get(f"{base}/api/handoffs", timeout=5).status_code == 401
        session = requests.Session()
        signed = session.post(
            f"{base}/api/login",
            json={"name": "lee", "password": "entry-point-password"},
            timeout=5,
        )
        assert signed.ok
        assert session.get(f"{base}/api/me", timeout=5).json()["actor"] == "agent:lee"
        # Rasa is not running: the console still answers, and says so.
        result = session.post(f"{base}/api/assist", json={"text": "안녕하세요"}, timeout=10)
        assert result.ok
        assert result.json()["nlu"]["status"] == "unavailable"
        assert result.json()["clauses"]["status"] == "unavailable"
        assert "127.0.0.1" in log.read_text()  # the startup line says where it listens
    finally:
        process.terminate()
        process.wait(timeout=10)
