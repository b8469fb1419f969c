"""Agent sign-in: a signed session cookie for people, a bearer token for API clients.

Agents sign in with their name and the shared agent password; the name becomes the
audit actor ``agent:<name>`` on every case store read. API clients send
``Authorization: Bearer <BODAM_AGENT_TOKEN>`` and may name the agent in ``X-Agent-Name``
(default ``api``).
"""

from __future__ import annotations

import hmac
import re
import threading
import time
from collections import deque
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection

from console.settings import SESSION_HOURS, Settings

COOKIE_NAME = "bodam_agent"
_SALT = "bodam-console-session"
AGENT_NAME = re.compile(r"[0-9A-Za-z\uac00-\ud7a3._-]{1,40}")
TOKEN_AGENT = "api"

# At most this many failed sign-ins per client address within the window.
MAX_FAILURES = 10
FAILURE_WINDOW_SECONDS = 300


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


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret, salt=_SALT)


def session_cookie(settings: Settings, name: str) -> str:
    return _serializer(settings).dumps({"agent": name})


def password_ok(settings: Settings, password: object) -> bool:
    if not isinstance(password, str):
        return False
    return hmac.compare_digest(password.encode(), settings.agent_password.encode())


def _from_cookie(settings: Settings, value: str | None) -> Agent | None:
    if not value:
        return None
    try:
        data = _serializer(settings).loads(value, max_age=SESSION_HOURS * 3600)
    except BadSignature:
        return None
    name = valid_agent_name(data.get("agent")) if isinstance(data, dict) else None
    return Agent(name, "session") if name else None


def _from_bearer(settings: Settings, connection: HTTPConnection) -> Agent | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token or settings.agent_token is None:
        return None
    if not hmac.compare_digest(token.strip().encode(), settings.agent_token.encode()):
        return None
    name = valid_agent_name(connection.headers.get("x-agent-name")) or TOKEN_AGENT
    return Agent(name, "token")


def current_agent(settings: Settings, connection: HTTPConnection) -> Agent | None:
    return _from_bearer(settings, connection) or _from_cookie(
        settings, connection.cookies.get(COOKIE_NAME)
    )


class LoginThrottle:
    """Counts failed sign-ins per client address over a sliding window."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= self.limit

    def failed(self, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:  # bounded memory under a flood of addresses
                self._failures = {k: v for k, v in self._failures.items() if v}

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
