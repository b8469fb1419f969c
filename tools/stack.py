"""How bodam's processes are started: one place for `make run`, the tests and the benchmarks.

`python -m tools.stack run --model M` is what `make run` starts: the action server, Rasa
and the web server, bound to `BODAM_BIND` (default 127.0.0.1), each refusing callers
without the secrets in `var/secrets.env` (tools/secrets_env.py). `LocalStack` starts the
same processes on free ports with a fresh case store and fresh secrets for tests and
benchmarks.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tools.secrets_env import SECRETS

ROOT = Path(__file__).resolve().parents[1]
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
PINNED_TODAY = "2026-11-25"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_secrets() -> dict[str, str]:
    return {name: make() for name, make in SECRETS.items()}


@dataclass
class Ports:
    rasa: int
    actions: int
    web: int


def commands(
    model: Path | str, ports: Ports, bind: str, chat_origins: list[str], rasa_token: str
) -> dict[str, list[str]]:
    """The command line of each process, by name (also the name of its log file)."""
    return {
        "actions": [str(APP_PYTHON), "-m", "bot.action_server", "--port", str(ports.actions)],
        "rasa": [
            str(RASA_PYTHON), "-m", "bot.serve", "run", "--model", str(model),
            "--enable-api", "--auth-token", rasa_token,
            "--port", str(ports.rasa), "-i", bind,
            "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
            "--cors", *chat_origins,
        ],
        "web": [
            str(APP_PYTHON), "-m", "console", "--host", bind, "--port", str(ports.web),
        ],
    }  # fmt: skip


def chat_origins(web_port: int) -> list[str]:
    """Pages that may talk to Rasa from a browser: `BODAM_CHAT_ORIGINS` (comma-separated),
    else the chat page this stack serves."""
    given = os.environ.get("BODAM_CHAT_ORIGINS", "")
    chosen = [origin.strip() for origin in given.split(",") if origin.strip()]
    return chosen or [f"http://localhost:{web_port}", f"http://127.0.0.1:{web_port}"]


def stack_env(ports: Ports, bind: str) -> dict[str, str]:
    """What every process needs to find the others (secrets come from the environment)."""
    host = "127.0.0.1" if bind in ("0.0.0.0", "::") else bind
    return {
        "BODAM_CHAT_ORIGINS": ",".join(chat_origins(ports.web)),
        "PYTHONPATH": str(ROOT),
        "BODAM_BIND": bind,
        "BODAM_ACTION_URL": f"http://{host}:{ports.actions}/webhook",
        "BODAM_RASA_URL": f"http://{host}:{ports.rasa}",
        "BODAM_WARM_KNOWLEDGE": "always",
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }


def health_urls(ports: Ports, host: str = "127.0.0.1") -> dict[str, str]:
    return {
        "actions": f"http://{host}:{ports.actions}/health",
        "rasa": f"http://{host}:{ports.rasa}/",
        "web": f"http://{host}:{ports.web}/healthz",
    }


def launch(chosen: dict[str, list[str]], env: dict[str, str], logs: Path) -> dict:
    """Starts each command with its output in `logs/<name>.log`."""
    logs.mkdir(parents=True, exist_ok=True)
    return {
        name: subprocess.Popen(command, env=env, cwd=ROOT, stdout=(logs / f"{name}.log").open("w"),
                               stderr=subprocess.STDOUT)  # fmt: skip
        for name, command in chosen.items()
    }


def wait_until_healthy(
    processes: dict[str, subprocess.Popen], urls: list[str], logs: Path, timeout: float = 300
) -> float:
    """Seconds until every URL answers 200; RuntimeError with the log's tail when a process
    exits first or the time runs out."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        for name, process in processes.items():
            if process.poll() is not None:
                tail = (logs / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{tail}")
        try:
            if all(httpx.get(url, timeout=2).status_code == 200 for url in urls):
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the stack did not come up in {timeout:.0f} s")


def terminate(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def forgive_identity_failures(case_db: Path) -> int:
    """Lifts every lock and forgives every failed identity check in a test stack's case
    store, as the hotline would between customers; returns how many subjects."""
    from datetime import timedelta

    from casestore import CaseStore
    from casestore.clock import utcnow

    with CaseStore(f"sqlite:///{case_db}") as store:
        since = utcnow() - timedelta(days=1)
        failed = store.identity_failure_bursts(actor="test:hotline", since=since, minimum=1)
        for burst in failed:
            store.unlock_identity(burst.subject_id, actor="test:hotline")
        return len(failed)


@dataclass
class LocalStack:
    """The real processes on free loopback ports, with their own databases and secrets."""

    model: Path | str
    work: Path
    web: bool = False
    today: str | None = PINNED_TODAY
    extra_env: dict[str, str] = field(default_factory=dict)
    ports: Ports = field(default_factory=lambda: Ports(free_port(), free_port(), free_port()))
    secrets: dict[str, str] = field(default_factory=fresh_secrets)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.actions}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.web}"

    @property
    def case_db(self) -> Path:
        return self.work / "cases.db"

    @property
    def tracker_db(self) -> Path:
        return self.work / "tracker.db"

    @property
    def rasa_token(self) -> str:
        return self.secrets["BODAM_RASA_TOKEN"]

    def log(self, name: str) -> Path:
        return self.work / f"{name}.log"

    def say(self, sender: str, message: str) -> list[dict]:
        """One turn on the REST channel, as a customer sends it: the bot's messages."""
        reply = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        reply.raise_for_status()
        return reply.json()

    def texts(self, sender: str, message: str) -> str:
        return "\n".join(part.get("text", "") for part in self.say(sender, message))

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            **self.secrets,
            **stack_env(self.ports, "127.0.0.1"),
            "BODAM_DATABASE_URL": f"sqlite:///{self.case_db}",
            "BODAM_TRACKER_URL": f"sqlite:///{self.tracker_db}",
            "BODAM_MODEL_LEDGER": str(self.work / "trusted-models.json"),
            "BODAM_DEMO": "1",
        }
        if self.today:
            env["BODAM_TODAY"] = self.today
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        env = self.env()
        self.work.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(APP_PYTHON), "-m", "casestore", "init"], env=env, cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        subprocess.run([str(RASA_PYTHON), "-m", "tools.trusted_models", "add", str(self.model)],
                       env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        chosen = commands(self.model, self.ports, "127.0.0.1", chat_origins(self.ports.web),
                          self.rasa_token)  # fmt: skip
        if not self.web:
            chosen.pop("web")
        self.processes = launch(chosen, env, self.work)

    def wait_ready(self, timeout: float = 300) -> float:
        urls = [url for name, url in health_urls(self.ports).items() if name in self.processes]
        return wait_until_healthy(self.processes, urls, self.work, timeout)

    def pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.processes.items()}

    def stop(self) -> None:
        terminate(self.processes)

    def __enter__(self) -> LocalStack:
        self.start()
        self.wait_ready()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


BANNER = """
bodam is running (listening on {bind} only; BODAM_BIND changes it):
  Web chat           http://{host}:{web}/
  Agent console      http://{host}:{web}/console{demo}
  Rasa REST     POST http://{host}:{rasa}/webhooks/rest/webhook
                     -d '{{"sender":"me","message":"안녕하세요"}}'
  Rasa HTTP API      http://{host}:{rasa}/status?token=$BODAM_RASA_TOKEN
  Action server      http://{host}:{actions}/health  (Rasa only: Bearer $BODAM_ACTION_TOKEN)
Secrets: {secrets_file} (mode 600). Logs: var/log/. Ctrl-C stops everything.
"""


def run(model: str) -> int:
    """`make run`: the three processes in the foreground until Ctrl-C or one exits."""
    bind = os.environ.get("BODAM_BIND", "").strip() or "127.0.0.1"
    ports = Ports(
        rasa=int(os.environ.get("RASA_PORT", 5005)),
        actions=int(os.environ.get("ACTION_PORT", 5055)),
        web=int(os.environ.get("WEB_PORT", 8080)),
    )
    missing = [name for name in SECRETS if not os.environ.get(name, "").strip()]
    if missing:
        print(f"missing secrets: {', '.join(missing)} (run through `make run`)", file=sys.stderr)
        return 2
    host = "localhost" if bind in ("127.0.0.1", "0.0.0.0", "::") else bind
    env = {**os.environ, **stack_env(ports, bind)}
    chosen = commands(model, ports, bind, chat_origins(ports.web), env["BODAM_RASA_TOKEN"])
    logs = ROOT / "var" / "log"
    processes = launch(chosen, env, logs)
    asked_to_stop = []

    def stop(*_args: object) -> None:
        asked_to_stop.append(True)
        for process in processes.values():
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    print("Starting bodam (logs in var/log/) ...")
    try:
        local = "127.0.0.1" if bind in ("0.0.0.0", "::") else bind
        wait_until_healthy(processes, list(health_urls(ports, local).values()), logs)
        demo = "  (demo agent: demo / bodam-demo)" if os.environ.get("BODAM_DEMO") == "1" else ""
        print(BANNER.format(bind=bind, host=host, web=ports.web, rasa=ports.rasa,
                            actions=ports.actions, demo=demo,
                            secrets_file=ROOT / "var" / "secrets.env"))  # fmt: skip
        while all(process.poll() is None for process in processes.values()):
            time.sleep(1)
        return 0 if asked_to_stop else 1  # a process that exits on its own is a failure
    except RuntimeError as error:
        print(f"{error}\nsee var/log/", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        terminate(processes)
        print("bodam stopped.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("run", help="start bodam in the foreground (make run)")
    serve.add_argument("--model", required=True)
    args = parser.parse_args(argv)
    return run(args.model) if args.command == "run" else 2


if __name__ == "__main__":
    sys.exit(main())
