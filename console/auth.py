"""Agent sign-in: named accounts with server-side sessions for people, a bearer token for
API clients.

Agents sign in with their account name and password (accounts live in the case store; add
one with ``python -m console add-agent NAME``); the name becomes the audit actor
``agent:<name>`` on every case store read. The session cookie carries only a random session
id, signed with ``BODAM_CONSOLE_SECRET``; every request looks the session up in the case
store, and signing out ends it there, so a copy of the cookie is refused afterwards.

API clients send ``Authorization: Bearer <BODAM_AGENT_TOKEN>`` and may name the agent in
``X-Agent-Name`` (default ``api``).

Failed sign-ins are counted per client address and per account name, known or not: guessing
one agent's password from many addresses is throttled too, and an unknown name gets exactly
the answer a wrong password gets.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, Signer
from starlette.requests import HTTPConnection

from casestore import CaseStoreError
from casestore.agents import AgentAccounts
from console.cases import Cases
from console.errors import ApiError
from console.settings import (
    DEMO_AGENT,
    DEMO_PASSWORD,
    SESSION_HOURS,
    SESSION_IDLE_MINUTES,
    Settings,
)

log = logging.getLogger(__name__)

COOKIE_NAME = "bodam_agent"
_SALT = "bodam-console-session"
AGENT_NAME = re.compile(r"[0-9A-Za-z\uac00-\ud7a3._-]{1,40}")
TOKEN_AGENT = "api"
STARTUP_ACTOR = "console:startup"

MAX_FAILURES_PER_ADDRESS = 10
ADDRESS_WINDOW_SECONDS = 300
# Lower than per address: these come from anywhere. A flood locks the agent out for the
# window, which is the price of not letting anyone guess on.
MAX_FAILURES_PER_ACCOUNT = 5
ACCOUNT_WINDOW_SECONDS = 900

DEMO_BANNER = (
    "\n"
    f"!!! DEMO MODE (BODAM_DEMO=1): agent '{DEMO_AGENT}' signs in with the published "
    f"password '{DEMO_PASSWORD}'. Never use demo mode with real customer data.\n"
    f"!!! 데모 모드 (BODAM_DEMO=1): 상담원 '{DEMO_AGENT}' 계정이 공개된 비밀번호 "
    f"'{DEMO_PASSWORD}'로 로그인됩니다. 실제 고객 데이터에는 절대 사용하지 마세요."
)
NO_AGENTS = (
    "No agent accounts yet: nobody can sign in to the console. "
    "Add one with: python -m console add-agent NAME\n"
    "상담원 계정이 없어 콘솔에 로그인할 수 없습니다. "
    "계정 추가: python -m console add-agent 이름"
)


@dataclass(frozen=True)
class Agent:
    name: str
    via: str  # "session" or "token"

    @property
    def actor(self) -> str:
        return f"agent:{self.name}"


def valid_agent_name(name: object) -> str | None:
    if not isinstance(name, str):
        return None
    name = name.strip()
    return name if AGENT_NAME.fullmatch(name) else None


def cookie_signer(secret: str) -> Signer:
    return Signer(secret, salt=_SALT, digest_method=hashlib.sha256)


class LoginThrottle:
    """Counts failed sign-ins per key (an address, an account name) over a sliding window."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def failed(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # bounded memory under a flood of keys
                self._failures = {k: v for k, v in self._failures.items() if v}

    def forget(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class ConsoleAuth:
    """Sign-in, sessions and sign-out for one web server; safe across threads."""

    def __init__(self, settings: Settings, cases: Cases) -> None:
        self.settings = settings
        self._cases = cases
        self._signer = cookie_signer(settings.secret)
        self._accounts: AgentAccounts | None = None
        self._lock = threading.Lock()
        self.per_address = LoginThrottle(MAX_FAILURES_PER_ADDRESS, ADDRESS_WINDOW_SECONDS)
        self.per_account = LoginThrottle(MAX_FAILURES_PER_ACCOUNT, ACCOUNT_WINDOW_SECONDS)

    def accounts(self) -> AgentAccounts:
        with self._lock:
            if self._accounts is None:
                self._accounts = AgentAccounts(
                    self._cases.store(),
                    lifetime=timedelta(hours=SESSION_HOURS),
                    idle_timeout=timedelta(minutes=SESSION_IDLE_MINUTES),
                )
            return self._accounts

    def close(self) -> None:
        with self._lock:
            self._accounts = None

    def prepare(self) -> None:
        """At start: the demo agent exists in demo mode only; say so when nobody can sign in."""
        try:
            accounts = self.accounts()
            if self.settings.demo:
                if not accounts.password_matches(DEMO_AGENT, DEMO_PASSWORD):
                    accounts.add(DEMO_AGENT, DEMO_PASSWORD, actor=STARTUP_ACTOR, replace=True)
                log.warning(DEMO_BANNER)
            else:
                demo = accounts.get(DEMO_AGENT)
                if demo is not None and not demo.disabled:
                    accounts.disable(DEMO_AGENT, actor=STARTUP_ACTOR)
                    log.warning(
                        "BODAM_DEMO is not 1: the demo agent is disabled. "
                        "/ 데모 모드가 아니므로 demo 계정을 사용 중지했습니다."
                    )
            if accounts.enabled_count() == 0:
                log.warning(NO_AGENTS)
        except CaseStoreError as exc:
            log.error(
                "agent accounts are unavailable (%s); is the case store migrated? "
                "/ 상담원 계정을 읽을 수 없습니다",
                type(exc).__name__,
            )

    # ------------------------------------------------------------------------- sign-in

    def sign_in(self, name: object, password: object, client: str) -> tuple[str, str]:
        """(agent name, cookie value) for the right name and password; else ApiError.

        Blocking (argon2 and the database): call it from a worker thread.
        """
        agent_name = valid_agent_name(name)
        if agent_name is None:
            raise ApiError("invalid_agent_name")
        account_key = agent_name.lower()
        if self.per_address.blocked(client) or self.per_account.blocked(account_key):
            raise ApiError("too_many_attempts")
        session_id = None
        if self.settings.demo or password != DEMO_PASSWORD:
            session_id = self.accounts().sign_in(agent_name, password)
        if session_id is None:
            self.per_address.failed(client)
            self.per_account.failed(account_key)
            raise ApiError("login_failed")
        self.per_account.forget(account_key)
        return account_key, self._signer.sign(session_id).decode()

    def sign_out(self, connection: HTTPConnection) -> None:
        session_id = self._session_id(connection)
        if session_id is not None:
            self.accounts().sign_out(session_id)

    def current_agent(self, connection: HTTPConnection) -> Agent | None:
        return self._from_bearer(connection) or self._from_session(connection)

    def _session_id(self, connection: HTTPConnection) -> str | None:
        value = connection.cookies.get(COOKIE_NAME)
        if not value or len(value) > 256:
            return None
        try:
            return self._signer.unsign(value).decode()
        except (BadSignature, UnicodeDecodeError):
            return None

    def _from_session(self, connection: HTTPConnection) -> Agent | None:
        session_id = self._session_id(connection)
        if session_id is None:
            return None
        name = self.accounts().session_agent(session_id)
        return Agent(name, "session") if name else None

    def _from_bearer(self, connection: HTTPConnection) -> Agent | None:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token or self.settings.agent_token is None:
            return None
        if not hmac.compare_digest(token.strip().encode(), self.settings.agent_token.encode()):
            return None
        name = valid_agent_name(connection.headers.get("x-agent-name")) or TOKEN_AGENT
        return Agent(name, "token")
