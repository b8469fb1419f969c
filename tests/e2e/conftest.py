"""Starts the real stack (action server + Rasa server with the trained model) once per run."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    rasa_url: str
    tracker_db: Path
    case_db: Path

    def say(self, sender: str, message: str) -> list[dict]:
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def texts(self, sender: str, message: str) -> str:
        return "\n".join(reply.get("text", "") for reply in self.say(sender, message))


def _wait(url: str, processes: list[subprocess.Popen], logs: list[Path]) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        for process, log in zip(processes, logs, strict=True):
            if process.poll() is not None:
                raise RuntimeError(f"service exited:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} did not come up")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    model = os.environ.get("BODAM_TEST_MODEL")
    if not model:
        pytest.fail("BODAM_TEST_MODEL is not set: run these tests through `make test`")
    work = tmp_path_factory.mktemp("stack")
    case_db, tracker_db = work / "cases.db", work / "tracker.db"
    rasa_port, action_port = free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BODAM_DATABASE_URL": f"sqlite:///{case_db}",
        "BODAM_TRACKER_URL": f"sqlite:///{tracker_db}",
        "BODAM_ACTION_URL": f"http://127.0.0.1:{action_port}/webhook",
        "BODAM_TODAY": "2026-11-25",
        "RASA_TELEMETRY_ENABLED": "false",
        "BODAM_WARM_KNOWLEDGE": "1",
    }
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "casestore", "init"], env=env, check=True, cwd=ROOT
    )
    logs = [work / "actions.log", work / "rasa.log"]
    commands = [
        [
            str(ROOT / ".venv/bin/python"),
            "-m",
            "rasa_sdk",
            "--actions",
            "bot.actions",
            "--port",
            str(action_port),
        ],
        [
            str(ROOT / ".venv-rasa/bin/rasa"),
            "run",
            "--model",
            model,
            "--enable-api",
            "--port",
            str(rasa_port),
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.yml",
            "-i",
            "127.0.0.1",
        ],
    ]
    processes = [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
        for command, log in zip(commands, logs, strict=True)
    ]
    try:
        _wait(f"http://127.0.0.1:{action_port}/health", processes, logs)
        _wait(f"http://127.0.0.1:{rasa_port}/status", processes, logs)
        yield Stack(f"http://127.0.0.1:{rasa_port}", tracker_db, case_db)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture()
def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"
