"""Agent console accounts: named agents with argon2 password hashes and server-side sessions.

A session id is 32 random bytes handed to the agent's browser once; the database keeps only
its SHA-256, so a copy of the table signs nobody in. A session ends on sign-out, when its agent
is disabled or gets a new password, after ``idle_timeout`` without a request and
``lifetime`` after sign-in, whichever comes first.

Account changes and sign-ins go to the case store's audit log: actor ``agent:<name>`` for the
agent's own sign-in and sign-out, the operator (``cli:<user>``) for account changes.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from casestore import validation as check
from casestore.clock import kst, utcnow
from casestore.errors import InvalidInput
from casestore.models import Agent, AgentSession, AuditLog
from casestore.store import CaseStore

# Lower case only: "Kim" and "kim" are one account. At most 32 characters, the width of
# audit_log.subject_id.
ACCOUNT_NAME = re.compile(r"[0-9a-z\uac00-\ud7a3._-]{1,32}")
MIN_PASSWORD_CHARS = 10
# Longer input is refused before hashing: argon2 cost grows with the input.
MAX_PASSWORD_CHARS = 256
SESSION_LIFETIME = timedelta(hours=8)
IDLE_TIMEOUT = timedelta(minutes=30)
# Every console request looks its session up; last_seen_at is written at most this often.
TOUCH_INTERVAL = timedelta(minutes=1)
AUDIT_SUBJECT_TYPE = "agent"


@dataclass(frozen=True)
class AgentAccount:
    name: str
    created_at: datetime
    disabled: bool
    open_sessions: int


def account_name(value: object) -> str:
    """The canonical (lower-case) account name, or InvalidInput."""
    if not isinstance(value, str) or not ACCOUNT_NAME.fullmatch(value.strip().lower()):
        raise InvalidInput(
            "agent name must be 1-32 letters (Hangul or Latin), digits, '.', '_' or '-'"
        )
    return value.strip().lower()


def new_password(value: object, *, refused: frozenset[str] = frozenset()) -> str:
    """A password good enough for an account, or InvalidInput (never echoing it)."""
    if not isinstance(value, str):
        raise InvalidInput("password must be a string")
    if len(value) < MIN_PASSWORD_CHARS:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_CHARS} characters")
    if len(value) > MAX_PASSWORD_CHARS:
        raise InvalidInput(f"password must be at most {MAX_PASSWORD_CHARS} characters")
    if value in refused:
        raise InvalidInput("that password is not allowed (it is published)")
    return value


def session_digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class AgentAccounts:
    """Accounts and sessions over a CaseStore's database; safe to share across threads."""

    def __init__(
        self,
        store: CaseStore,
        *,
        hasher: PasswordHasher | None = None,
        lifetime: timedelta = SESSION_LIFETIME,
        idle_timeout: timedelta = IDLE_TIMEOUT,
    ) -> None:
        self._store = store
        self._hasher = hasher or PasswordHasher()
        self.lifetime = lifetime
        self.idle_timeout = idle_timeout

    @cached_property
    def _stand_in_hash(self) -> str:
        # Unknown names are checked against this, so they cost what a wrong password costs.
        return self._hasher.hash(secrets.token_urlsafe(16))

    # ------------------------------------------------------------------------- accounts

    def add(
        self,
        name: str,
        password: str,
        *,
        actor: str,
        replace: bool = False,
        refused_passwords: frozenset[str] = frozenset(),
        now: datetime | None = None,
    ) -> AgentAccount:
        """Create the account; with ``replace`` an existing one gets the new password, is
        enabled again and its sessions end."""
        name = account_name(name)
        password_hash = self._hasher.hash(new_password(password, refused=refused_passwords))
        actor = check.actor(actor)
        now = now or utcnow()
        with self._store._transaction() as s:
            agent = s.get(Agent, name)
            if agent is not None and not replace:
                raise InvalidInput(f"agent {name} already exists")
            if agent is None:
                agent = Agent(
                    name=name, password_hash=password_hash, created_at=now, disabled=False
                )
                s.add(agent)
                action = "add_agent"
            else:
                agent.password_hash = password_hash
                agent.disabled = False
                _end_sessions(s, name, now)
                action = "reset_agent_password"
            _audit(s, actor, action, name, now)
            s.flush()
            return self._account(s, agent, now)

    def disable(self, name: str, *, actor: str, now: datetime | None = None) -> AgentAccount:
        """Refuse the account's sign-ins from now on and end its sessions."""
        name = account_name(name)
        actor = check.actor(actor)
        now = now or utcnow()
        with self._store._transaction() as s:
            agent = s.get(Agent, name)
            if agent is None:
                raise InvalidInput(f"no agent {name}")
            agent.disabled = True
            _end_sessions(s, name, now)
            _audit(s, actor, "disable_agent", name, now)
            s.flush()
            return self._account(s, agent, now)

    def get(self, name: str) -> AgentAccount | None:
        try:
            name = account_name(name)
        except InvalidInput:
            return None
        now = utcnow()
        with self._store._transaction() as s:
            agent = s.get(Agent, name)
            return None if agent is None else self._account(s, agent, now)

    def all(self) -> list[AgentAccount]:
        now = utcnow()
        with self._store._transaction() as s:
            agents = s.scalars(select(Agent).order_by(Agent.name))
            return [self._account(s, agent, now) for agent in agents]

    def enabled_count(self) -> int:
        with self._store._transaction() as s:
            return (
                s.scalar(select(func.count()).select_from(Agent).where(Agent.disabled.is_(False)))
                or 0
            )

    def password_matches(self, name: object, password: object) -> bool:
        """Whether ``password`` is the enabled account's password. Unknown names, disabled
        accounts and wrong passwords take the same time."""
        try:
            name = account_name(name)
        except InvalidInput:
            name = None
        with self._store._transaction() as s:
            agent = None if name is None else s.get(Agent, name)
            stored_hash = None if agent is None else agent.password_hash
            usable = agent is not None and not agent.disabled
        # Hashing runs outside the transaction: SQLite would hold its write lock meanwhile.
        matched = self._verify(stored_hash or self._stand_in_hash, password)
        return matched and usable

    # ------------------------------------------------------------------------- sessions

    def sign_in(self, name: object, password: object, *, now: datetime | None = None) -> str | None:
        """A new session id for the right name and password, else None (whatever was wrong)."""
        if not self.password_matches(name, password):
            return None
        name = account_name(name)
        now = now or utcnow()
        session_id = secrets.token_urlsafe(32)
        with self._store._transaction() as s:
            agent = s.get(Agent, name)
            if agent is None or agent.disabled:  # disabled or removed while we hashed
                return None
            if isinstance(password, str) and self._hasher.check_needs_rehash(agent.password_hash):
                agent.password_hash = self._hasher.hash(password)
            s.add(
                AgentSession(
                    id_hash=session_digest(session_id),
                    agent_name=name,
                    created_at=now,
                    last_seen_at=now,
                    ended_at=None,
                )
            )
            _audit(s, f"agent:{name}", "sign_in", name, now)
        return session_id

    def session_agent(self, session_id: object, *, now: datetime | None = None) -> str | None:
        """The agent whose open session this is, or None. Keeps the session alive."""
        if not isinstance(session_id, str) or not 0 < len(session_id) <= 128:
            return None
        now = now or utcnow()
        with self._store._transaction() as s:
            row = s.execute(
                select(AgentSession, Agent.disabled)
                .join(Agent, Agent.name == AgentSession.agent_name)
                .where(AgentSession.id_hash == session_digest(session_id))
            ).one_or_none()
            if row is None:
                return None
            session, disabled = row
            if session.ended_at is not None:
                return None
            if disabled or not self._alive(session.created_at, session.last_seen_at, now):
                session.ended_at = now
                return None
            if now - session.last_seen_at >= TOUCH_INTERVAL:
                session.last_seen_at = now
            return session.agent_name

    def sign_out(self, session_id: object, *, now: datetime | None = None) -> bool:
        """End the session; False when it was not open."""
        if not isinstance(session_id, str) or not 0 < len(session_id) <= 128:
            return False
        now = now or utcnow()
        with self._store._transaction() as s:
            session = s.get(AgentSession, session_digest(session_id))
            if session is None or session.ended_at is not None:
                return False
            session.ended_at = now
            _audit(s, f"agent:{session.agent_name}", "sign_out", session.agent_name, now)
            return True

    def _alive(self, created_at: datetime, last_seen_at: datetime, now: datetime) -> bool:
        return now - created_at < self.lifetime and now - last_seen_at < self.idle_timeout

    def _account(self, s: Session, agent: Agent, now: datetime) -> AgentAccount:
        sessions = s.execute(
            select(AgentSession.created_at, AgentSession.last_seen_at).where(
                AgentSession.agent_name == agent.name, AgentSession.ended_at.is_(None)
            )
        )
        return AgentAccount(
            name=agent.name,
            created_at=kst(agent.created_at),
            disabled=agent.disabled,
            open_sessions=sum(1 for created, seen in sessions if self._alive(created, seen, now)),
        )

    def _verify(self, password_hash: str, password: object) -> bool:
        if not isinstance(password, str) or not 0 < len(password) <= MAX_PASSWORD_CHARS:
            return False
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def _end_sessions(s: Session, name: str, now: datetime) -> None:
    s.execute(
        update(AgentSession)
        .where(AgentSession.agent_name == name, AgentSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def _audit(s: Session, actor: str, action: str, name: str, now: datetime) -> None:
    s.add(
        AuditLog(
            at=now,
            actor=actor,
            action=action,
            subject_type=AUDIT_SUBJECT_TYPE,
            subject_id=name,
            purpose="agent console account",
        )
    )
