"""The ledger of trained models, and Rasa run through bot.serve refusing any other model.

A tiny model (two intents, two rules, bodam's own classifier) is trained once per run in
a temporary directory; the server tests start ``python -m bot.serve run`` on it.
"""

from __future__ import annotations

import gzip
import http.server
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

from tools import trusted_models
from tools.trusted_models import UntrustedModel

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token"

CONFIG = """
recipe: default.v1
assistant_id: bodam-trusted-models-test
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: bot.components.jamo_ngram_featurizer.JamoNgramFeaturizer
  - name: bot.components.linear_intent_classifier.LinearIntentClassifier
policies:
  - name: RulePolicy
"""
DOMAIN = """
version: "3.1"
intents: [greet, goodbye]
responses:
  utter_greet:
  - text: "hello from the trusted model"
  utter_goodbye:
  - text: "goodbye from the trusted model"
"""
NLU = """
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
    - 안녕하세요
    - good morning
- intent: goodbye
  examples: |
    - bye
    - goodbye
    - 안녕히 가세요
    - see you later
"""
RULES = """
version: "3.1"
rules:
- rule: greet
  steps:
  - intent: greet
  - action: utter_greet
- rule: goodbye
  steps:
  - intent: goodbye
  - action: utter_goodbye
"""


def _env(ledger_dir: Path) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != trusted_models.KEY_ENV}
    env.update(
        PYTHONPATH=str(ROOT),
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        BODAM_MODEL_LEDGER=str(ledger_dir / "trusted-models.json"),
        BODAM_MODEL_KEY_FILE=str(ledger_dir / "model.key"),
    )
    return env


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly trained archive (a few seconds), recorded in no ledger."""
    project = tmp_path_factory.mktemp("tiny-project")
    (project / "data").mkdir()
    for name, text in {
        "config.yml": CONFIG,
        "domain.yml": DOMAIN,
        "data/nlu.yml": NLU,
        "data/rules.yml": RULES,
    }.items():
        (project / name).write_text(textwrap.dedent(text), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "--config", "config.yml", "--domain",
         "domain.yml", "--data", "data", "--out", "models", "--fixed-model-name", "tiny"],
        cwd=project, env=_env(project), check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return project / "models" / "tiny.tar.gz"


def _regzipped(archive: Path, target: Path) -> Path:
    """The same model, compressed again: loads fine, but is not the archive recorded."""
    target.write_bytes(gzip.compress(gzip.decompress(archive.read_bytes()), mtime=0))
    return target


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "var"
    for key, value in _env(directory).items():
        if key.startswith("BODAM_MODEL"):
            monkeypatch.setenv(key, value)
    monkeypatch.delenv(trusted_models.KEY_ENV, raising=False)
    return directory


# --- The ledger ------------------------------------------------------------------------


def test_a_recorded_archive_passes_and_the_key_file_is_private(
    ledger: Path, tiny_model: Path
) -> None:
    entry = trusted_models.add(tiny_model)
    assert trusted_models.check(tiny_model) == entry
    assert entry["sha256"] == trusted_models.sha256_of(tiny_model)
    assert stat.S_IMODE((ledger / "model.key").stat().st_mode) == 0o600
    saved = json.loads((ledger / "trusted-models.json").read_text())
    assert [e["sha256"] for e in saved["models"]] == [entry["sha256"]]
    trusted_models.add(tiny_model)  # recording again keeps one entry
    assert len(trusted_models.read_ledger()) == 1


def test_an_archive_not_recorded_is_refused(ledger: Path, tiny_model: Path) -> None:
    trusted_models.add(tiny_model)
    appended = ledger / "appended.tar.gz"
    appended.write_bytes(tiny_model.read_bytes() + b"\0")
    for untrusted in (appended, _regzipped(tiny_model, ledger / "regzipped.tar.gz")):
        with pytest.raises(UntrustedModel, match="is not in .*trusted-models.json"):
            trusted_models.check(untrusted)


def test_nothing_is_trusted_without_a_ledger_or_a_key(ledger: Path, tiny_model: Path) -> None:
    with pytest.raises(UntrustedModel, match="is not in"):
        trusted_models.check(tiny_model)
    trusted_models.add(tiny_model)
    (ledger / "model.key").unlink()
    with pytest.raises(UntrustedModel, match="no model key"):
        trusted_models.check(tiny_model)


def test_an_entry_written_without_the_key_is_refused(ledger: Path, tiny_model: Path) -> None:
    trusted_models.add(tiny_model)
    path = ledger / "trusted-models.json"
    document = json.loads(path.read_text())
    forged = trusted_models._mac(b"an attacker's guess at the key", document["models"][0]["sha256"])
    document["models"][0]["hmac"] = forged
    path.write_text(json.dumps(document))
    with pytest.raises(UntrustedModel, match="wrong HMAC"):
        trusted_models.check(tiny_model)


def test_changing_the_key_invalidates_the_ledger(
    ledger: Path, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(trusted_models.KEY_ENV, "the first key, long enough")
    trusted_models.add(tiny_model)
    assert not (ledger / "model.key").exists()  # the environment's key is used, no file
    trusted_models.check(tiny_model)
    monkeypatch.setenv(trusted_models.KEY_ENV, "another key, also long enough")
    with pytest.raises(UntrustedModel, match="wrong HMAC"):
        trusted_models.check(tiny_model)
    monkeypatch.setenv(trusted_models.KEY_ENV, "short")
    with pytest.raises(UntrustedModel, match="shorter than"):
        trusted_models.check(tiny_model)


def test_a_key_file_others_can_read_is_refused(ledger: Path, tiny_model: Path) -> None:
    trusted_models.add(tiny_model)
    (ledger / "model.key").chmod(0o644)
    with pytest.raises(UntrustedModel, match="chmod 600"):
        trusted_models.check(tiny_model)


def test_the_command_line_exits_non_zero_with_the_reason(
    ledger: Path, tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert trusted_models.main(["check", str(tiny_model)]) == 1
    assert "is not in" in capsys.readouterr().err
    assert trusted_models.main(["add", str(tiny_model)]) == 0
    assert trusted_models.main(["check", str(tiny_model)]) == 0
    assert trusted_models.main(["check", str(ledger / "missing.tar.gz")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert trusted_models.main(["list"]) == 0
    assert tiny_model.name in capsys.readouterr().out


def test_the_verified_copy_is_the_bytes_that_were_checked(
    ledger: Path, tiny_model: Path, tmp_path: Path
) -> None:
    trusted_models.add(tiny_model)
    copy = trusted_models.verified_copy(tiny_model, tmp_path)
    assert copy.read_bytes() == tiny_model.read_bytes()
    with pytest.raises(UntrustedModel):
        trusted_models.verified_copy(_regzipped(tiny_model, tmp_path / "x.tar.gz"), tmp_path)
    assert not (tmp_path / "model.tar.gz").exists()


# --- The guard inside Rasa, in this process --------------------------------------------


@pytest.fixture
def guarded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """bot.serve's guard, undone afterwards so other tests load models as usual."""
    import rasa.core.run
    import rasa.server
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    from bot import serve

    for name in ("from_model_archive", "metadata_from_archive"):
        monkeypatch.setattr(LocalModelStorage, name, LocalModelStorage.__dict__[name])
    monkeypatch.setattr(rasa.server, "_load_agent", rasa.server._load_agent)
    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", rasa.core.run.load_agent_on_start)
    serve.install_guard()
    serve.install_guard()  # idempotent
    yield


def test_rasa_unpacks_only_recorded_archives(
    ledger: Path, tiny_model: Path, tmp_path: Path, guarded: None
) -> None:
    from rasa.core.agent import Agent
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    storage = tmp_path / "storage"
    storage.mkdir()
    with pytest.raises(UntrustedModel):
        LocalModelStorage.from_model_archive(storage, tiny_model)
    with pytest.raises(UntrustedModel):
        LocalModelStorage.metadata_from_archive(tiny_model)
    assert list(storage.iterdir()) == []  # refused before anything was unpacked
    with pytest.raises(UntrustedModel):
        Agent.load(tiny_model)

    trusted_models.add(tiny_model)
    _, metadata = LocalModelStorage.from_model_archive(storage, tiny_model)
    assert metadata.assistant_id == "bodam-trusted-models-test"
    assert Agent.load(tiny_model).is_ready()


# --- The real server: python -m bot.serve run ------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(url: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "null")


class Server:
    def __init__(self, process: subprocess.Popen, port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log

    def url(self, path: str) -> str:
        joiner = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}{path}{joiner}token={TOKEN}"

    def say(self, text: str) -> list[str]:
        _, replies = _request(self.url("/webhooks/rest/webhook"), "POST",
                              {"sender": "trusted-models-test", "message": text})  # fmt: skip
        return [reply["text"] for reply in replies]

    def put_model(self, **body: Any) -> tuple[int, Any]:
        return _request(self.url("/model"), "PUT", body)

    def model_file(self) -> str:
        return _request(self.url("/status"))[1]["model_file"]


def _start(model: Path, cwd: Path, ledger_dir: Path) -> tuple[subprocess.Popen, int, Path]:
    port, log = _free_port(), cwd / f"serve-{time.monotonic_ns()}.log"
    command = [sys.executable, "-m", "bot.serve", "run", "--model", str(model), "--enable-api",
               "--auth-token", TOKEN, "-i", "127.0.0.1", "--port", str(port)]  # fmt: skip
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=_env(ledger_dir), stdout=output, stderr=subprocess.STDOUT
        )
    return process, port, log


@pytest.fixture(scope="module")
def server(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """bot.serve on the tiny model, which its own ledger records."""
    cwd = tmp_path_factory.mktemp("serve")
    ledger_dir = cwd / "var"
    subprocess.run(
        [sys.executable, "-m", "tools.trusted_models", "add", str(tiny_model)],
        cwd=ROOT, env=_env(ledger_dir), check=True, capture_output=True,
    )  # fmt: skip
    process, port, log = _start(tiny_model, cwd, ledger_dir)
    running = Server(process, port, log)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text(errors="replace")[-3000:]
            try:
                if running.model_file() == tiny_model.name:
                    break
            except (OSError, KeyError, TypeError, ValueError):
                pass
            time.sleep(0.5)
        else:
            pytest.fail("bot.serve did not come up:\n" + log.read_text(errors="replace")[-3000:])
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_server_answers_with_the_recorded_model(server: Server) -> None:
    assert server.say("hello") == ["hello from the trusted model"]


@pytest.mark.parametrize("kind", ["regzipped", "one byte appended"])
def test_put_model_with_an_unrecorded_archive_is_refused(
    server: Server, tiny_model: Path, tmp_path: Path, kind: str
) -> None:
    if kind == "regzipped":
        untrusted = _regzipped(tiny_model, tmp_path / "regzipped.tar.gz")
    else:
        untrusted = tmp_path / "appended.tar.gz"
        untrusted.write_bytes(tiny_model.read_bytes() + b"\n")
    status, body = server.put_model(model_file=str(untrusted))
    assert status == 403
    assert body["reason"] == "UntrustedModel" and "is not in" in body["message"]
    assert server.model_file() == tiny_model.name  # the old model keeps serving
    assert server.say("bye") == ["goodbye from the trusted model"]


class _ModelServer(http.server.BaseHTTPRequestHandler):
    archive = b""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("ETag", "untrusted-model")
        self.send_header("filename", "model.tar.gz")
        self.send_header("Content-Length", str(len(self.archive)))
        self.end_headers()
        self.wfile.write(self.archive)

    def log_message(self, *args: Any) -> None:
        pass


def test_put_model_from_a_model_server_url_is_refused(
    server: Server, tiny_model: Path, tmp_path: Path
) -> None:
    _ModelServer.archive = _regzipped(tiny_model, tmp_path / "remote.tar.gz").read_bytes()
    remote = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ModelServer)
    threading.Thread(target=remote.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{remote.server_address[1]}/model.tar.gz"
        status, body = server.put_model(model_server={"url": url, "wait_time_between_pulls": 0})
    finally:
        remote.shutdown()
    assert status == 403, body
    assert "is not in" in body["message"]
    assert server.model_file() == tiny_model.name


def test_put_model_with_another_recorded_archive_loads_it(
    server: Server, tiny_model: Path, tmp_path: Path
) -> None:
    other = _regzipped(tiny_model, tmp_path / "retrained.tar.gz")
    ledger_dir = server.log.parent / "var"
    subprocess.run(
        [sys.executable, "-m", "tools.trusted_models", "add", str(other)],
        cwd=ROOT, env=_env(ledger_dir), check=True, capture_output=True,
    )  # fmt: skip
    try:
        assert server.put_model(model_file=str(other))[0] == 204
        assert server.model_file() == other.name
        assert server.say("hello") == ["hello from the trusted model"]
    finally:
        assert server.put_model(model_file=str(tiny_model))[0] == 204


def test_the_server_will_not_start_on_an_unrecorded_model(tiny_model: Path, tmp_path: Path) -> None:
    ledger_dir = tmp_path / "var"
    copy = tmp_path / "tiny.tar.gz"
    shutil.copy(tiny_model, copy)
    process, _, log = _start(copy, tmp_path, ledger_dir)
    try:
        assert process.wait(timeout=180) == 1
    finally:
        if process.poll() is None:
            process.kill()
    assert "refusing model" in log.read_text(errors="replace")
