"""Configuration of the web server, read once from the environment.

| variable | default | meaning |
|---|---|---|
| ``BODAM_RASA_URL`` | ``http://localhost:5005`` | Rasa: HTTP API (``/model/parse``), socket.io |
| ``BODAM_RASA_PUBLIC_URL`` | ``BODAM_RASA_URL`` | Rasa as the customer's browser reaches it |
| ``BODAM_RASA_TOKEN`` | unset | ``?token=`` for a Rasa server started with ``--auth-token`` |
| ``BODAM_DEMO`` | ``0`` | ``1``: demo mode, agent ``demo`` signs in with ``bodam-demo`` |
| ``BODAM_AGENT_TOKEN`` | unset | bearer token for API clients; unset disables bearer access |
| ``BODAM_CONSOLE_SECRET`` | random per start | key that signs session cookies |
| ``BODAM_COOKIE_SECURE`` | ``0`` | ``1`` marks the session cookie Secure (behind HTTPS) |
| ``BODAM_CLAUSE_SEARCH`` | ``on`` | ``off`` skips loading the clause index (and its model) |
| ``BODAM_DATABASE_URL`` | see casestore.config | the case store |
| ``BODAM_TODAY`` | unset | pins "today" (overdue complaints, relative dates) |

Agents sign in with named accounts kept in the case store (``python -m console add-agent``).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
WEB_DIR = PACKAGE_DIR / "web"
STATIC_DIR = WEB_DIR / "static"
NODE_MODULES = WEB_DIR / "node_modules"
SOCKET_IO_JS = NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js"
SWAGGER_DIR = NODE_MODULES / "swagger-ui-dist"
DOMAIN_DIR = REPO_ROOT / "bot" / "domain"
RULES_DIR = REPO_ROOT / "bot" / "data" / "rules"

DEFAULT_RASA_URL = "http://localhost:5005"
# Demo mode only: published in the README, so refused whenever BODAM_DEMO is not 1.
DEMO_AGENT = "demo"
DEMO_PASSWORD = "bodam-demo"
# The assistant refuses longer messages (bot/nlp/input_guard.py); the console does the same.
MAX_TEXT_CHARS = 2000
SESSION_HOURS = 8
SESSION_IDLE_MINUTES = 30


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


@dataclass(frozen=True)
class Settings:
    rasa_url: str = DEFAULT_RASA_URL
    rasa_public_url: str = DEFAULT_RASA_URL
    rasa_token: str | None = None
    demo: bool = False
    agent_token: str | None = None
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    cookie_secure: bool = False
    database_url: str | None = None
    clause_search: bool = True
    parse_timeout: float = 2.5
    clause_timeout: float = 2.5

    @classmethod
    def from_env(cls) -> Settings:
        rasa_url = (_env("BODAM_RASA_URL") or DEFAULT_RASA_URL).rstrip("/")
        return cls(
            rasa_url=rasa_url,
            rasa_public_url=(_env("BODAM_RASA_PUBLIC_URL") or rasa_url).rstrip("/"),
            rasa_token=_env("BODAM_RASA_TOKEN"),
            demo=_env("BODAM_DEMO") in {"1", "true", "yes"},
            agent_token=_env("BODAM_AGENT_TOKEN"),
            secret=_env("BODAM_CONSOLE_SECRET") or secrets.token_urlsafe(32),
            cookie_secure=_env("BODAM_COOKIE_SECURE") in {"1", "true", "yes"},
            database_url=_env("BODAM_DATABASE_URL"),
            clause_search=(_env("BODAM_CLAUSE_SEARCH") or "on").lower()
            not in {"0", "off", "false", "no"},
        )
