"""Rasa SQL tracker store that keeps personal data out of the database.

Environment:

- ``BODAM_TRACKER_KEY`` (required): the key that encrypts slot values at rest. A Fernet key
  (URL-safe base64 of 32 bytes; make one with ``python -c "from cryptography.fernet import
  Fernet; print(Fernet.generate_key().decode())"``). Any other string is accepted too and
  turned into a Fernet key with SHA-256, so a long random passphrase works; a short one is
  only as strong as it is long. ``make run`` generates one into ``var/secrets.env``. The
  store refuses to start without it, and with a key other than the one it was first
  started with (a check value in the table ``bodam_tracker_key``), so a changed key fails
  loudly instead of turning stored conversations into garbage.
- ``BODAM_TRACKER_URL`` (endpoints.yml ``url``): any SQLAlchemy URL, ``sqlite:///file.db``
  or ``postgresql://user@host:5432/db``.

What is written to the ``events`` table:

- Slot values are read back on the next turn (forms ask over several turns), so they are
  encrypted, not masked: ``policy_number``, ``birth_date`` and ``verified_policy`` always,
  and any other slot whose value holds personal data (a new phone number being filed, for
  one). The stored value is ``bodam-enc:v1:<Fernet token of the JSON value>``; ``retrieve``
  decrypts it, and a value that does not decrypt raises ``TrackerKeyError``.
- Everything else (user and bot texts, entities, metadata) is only for the record and is
  masked irreversibly: phone, card numbers and e-mails as in bot/nlp/pii.py, registration
  numbers in full (their first half is a birth date), policy numbers (AU********), and
  birth dates: dates the entity extractor reads as a birth date, dates equal to a birth
  date given in the conversation, and the spans of ``birth_date``/``policy_number``
  entities. Digits are replaced by ``*`` in these spans, so entity offsets stay valid.
  Texts longer than the bot ever reads (``_LONG_TEXT``) have every digit hidden instead,
  which is cheaper than reading them.

An event broker, if one is configured, is sent Rasa's events unchanged; this project
configures none.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.logging_masking import install_log_masking
from bot.nlp.clock import today
from bot.nlp.entities import extract_entities
from bot.nlp.pii import normalise, pii_replacements, replace_spans

install_log_masking()

KEY_VARIABLE = "BODAM_TRACKER_KEY"
ENCRYPTED_SLOTS = frozenset({"policy_number", "birth_date", "verified_policy"})
HIDDEN_ENTITIES = frozenset({"policy_number", "birth_date"})
ENCRYPTED_PREFIX = "bodam-enc:v1:"
# The bot refuses messages longer than this (bot/nlp/input_guard.py) without reading them.
_LONG_TEXT = 2000
_KEY_CHECK_PLAINTEXT = b"bodam tracker key check v1"
_MAY_HIDE = re.compile(r"[0-9@]")
_EMAIL_LIKE = re.compile(r"(?<![^\s@])[^\s@]+@[^\s@]+")  # starts at a word: linear

_KEY_CHECK = sa.Table(
    "bodam_tracker_key",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("token", sa.Text, nullable=False),
)


class TrackerKeyError(RuntimeError):
    """BODAM_TRACKER_KEY is missing, or is not the key the stored conversations were written with.

    Deliberately not an ImportError or AttributeError: Rasa swallows those when it builds a
    custom tracker store and silently falls back to an in-memory one.
    """


def tracker_fernet(environ: Mapping[str, str] | None = None) -> Fernet:
    """The cipher for slot values, from ``BODAM_TRACKER_KEY`` (module doc)."""
    raw = (os.environ if environ is None else environ).get(KEY_VARIABLE, "").strip()
    if not raw:
        raise TrackerKeyError(
            f"{KEY_VARIABLE} is not set: the tracker store encrypts policy numbers and birth "
            "dates with it. Run `make run`, which generates one into var/secrets.env, or set "
            f"{KEY_VARIABLE} to a Fernet key (see bot/tracker_store.py)."
        )
    try:
        return Fernet(raw.encode())
    except ValueError:  # not a Fernet key: derive one from the string
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(raw.encode()).digest()))


@dataclass(frozen=True)
class _Context:
    """What the masking of one tracker's events needs to know."""

    birth_dates: frozenset[str]  # ISO dates given as the birth date in this conversation
    today: date


def _starred(text: str) -> str:
    return "".join("*" if char.isnumeric() else char for char in text)


def _hide_text(text: str, context: _Context, spans: Iterable[tuple[int, int]] = ()) -> str:
    """``text`` with personal data, policy numbers and birth dates hidden (module doc)."""
    replacements = [(start, end, _starred(text[start:end])) for start, end in spans]
    if len(text) > _LONG_TEXT:
        return _EMAIL_LIKE.sub("***@***", _starred(replace_spans(text, replacements)))
    norm = normalise(text)
    if not _MAY_HIDE.search(norm.text):
        return replace_spans(text, replacements) if replacements else text
    replacements += pii_replacements(text, keep_birth_date=False)
    for entity in extract_entities(norm.text, context.today):
        if entity.entity in HIDDEN_ENTITIES or (
            entity.entity == "incident_date" and entity.value in context.birth_dates
        ):
            start, end = norm.original_span(entity.start, entity.end)
            replacements.append((start, end, _starred(text[start:end])))
    return replace_spans(text, replacements)


def _hide(value: Any, context: _Context) -> Any:
    """A copy of an event (or any part of one) with every string hidden by ``_hide_text``."""
    if isinstance(value, str):
        return _hide_text(value, context)
    if isinstance(value, Mapping):
        hidden = {_hide(key, context): _hide(item, context) for key, item in value.items()}
        if value.get("entity") in HIDDEN_ENTITIES and "value" in value:
            hidden["value"] = _starred(str(value["value"])) if value["value"] else value["value"]
        return hidden
    if isinstance(value, (list, tuple)):
        return [_hide(item, context) for item in value]
    return value


def _entity_spans(text: str, entities: Any) -> list[tuple[int, int]]:
    spans = []
    for entity in entities if isinstance(entities, list) else []:
        if not isinstance(entity, Mapping) or entity.get("entity") not in HIDDEN_ENTITIES:
            continue
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            spans.append((start, end))
    return spans


def _hide_user_event(data: dict[str, Any], context: _Context) -> dict[str, Any]:
    """Also hides the spans the NLU marked as a policy number or birth date in the text."""
    hidden = _hide(data, context)
    parse_data = data.get("parse_data")
    if not isinstance(parse_data, Mapping):
        return hidden
    entities = parse_data.get("entities")
    for original, copy in ((data, hidden), (parse_data, hidden["parse_data"])):
        text = original.get("text")
        spans = _entity_spans(text, entities) if isinstance(text, str) else []
        if spans:
            copy["text"] = _hide_text(text, context, spans)
    return hidden


class MaskingSQLTrackerStore(SQLTrackerStore):
    """`url` (endpoints.yml) takes a full SQLAlchemy URL: sqlite:///file or postgresql://...

    Needs ``BODAM_TRACKER_KEY`` (module doc).
    """

    def __init__(self, domain: Domain | None = None, **kwargs: Any) -> None:
        self._fernet = tracker_fernet()
        super().__init__(domain, **kwargs)
        self._check_key()

    def _check_key(self) -> None:
        """Refuses a key other than the one this database was first used with."""
        # Another process may create the table at the same moment.
        with contextlib.suppress(sa.exc.OperationalError, sa.exc.ProgrammingError):
            _KEY_CHECK.create(self.engine, checkfirst=True)
        token = self._stored_key_check()
        if token is None:
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        _KEY_CHECK.insert().values(
                            id=1, token=self._fernet.encrypt(_KEY_CHECK_PLAINTEXT).decode()
                        )
                    )
                return
            except sa.exc.IntegrityError:  # another process wrote it first
                token = self._stored_key_check()
        try:
            matches = self._fernet.decrypt(token.encode()) == _KEY_CHECK_PLAINTEXT
        except InvalidToken:
            matches = False
        if not matches:
            raise TrackerKeyError(
                f"{KEY_VARIABLE} is not the key the conversations in this tracker store were "
                f"stored with ({self.engine.url!r}). Set the original key (var/secrets.env), or "
                "start with an empty tracker database."
            )

    def _stored_key_check(self) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(_KEY_CHECK.c.token)).scalar()

    def _encrypted(self, value: Any) -> str:
        return ENCRYPTED_PREFIX + self._fernet.encrypt(json.dumps(value).encode()).decode()

    def _decrypted(self, value: str, sender_id: str, slot: Any) -> Any:
        try:
            plain = self._fernet.decrypt(value[len(ENCRYPTED_PREFIX) :].encode())
        except InvalidToken:
            raise TrackerKeyError(
                f"slot {slot!r} of conversation {sender_id!r} cannot be decrypted: "
                f"{KEY_VARIABLE} is not the key it was stored with"
            ) from None
        return json.loads(plain)

    def stored_form(self, data: dict[str, Any], context: _Context) -> dict[str, Any]:
        """What is written for one event (``Event.as_dict()``), see the module doc."""
        kind = data.get("event")
        if kind == "slot":
            value = data.get("value")
            hidden = _hide(data, context)
            must_encrypt = data.get("name") in ENCRYPTED_SLOTS and value is not None
            if (
                must_encrypt
                or _hide(value, context) != value
                or (isinstance(value, str) and value.startswith(ENCRYPTED_PREFIX))
            ):
                hidden["value"] = self._encrypted(value)
            return hidden
        if kind == "user":
            return _hide_user_event(data, context)
        return _hide(data, context)

    def readable_form(self, data: dict[str, Any], sender_id: str) -> dict[str, Any]:
        value = data.get("value")
        if (
            data.get("event") == "slot"
            and isinstance(value, str)
            and value.startswith(ENCRYPTED_PREFIX)
        ):
            return {**data, "value": self._decrypted(value, sender_id, data.get("name"))}
        return data

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        context = _Context(
            birth_dates=frozenset(
                str(event.value)
                for event in tracker.events
                if getattr(event, "type_name", None) == "slot"
                and event.key == "birth_date"
                and event.value
            ),
            today=today(),
        )
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = self.stored_form(event.as_dict(), context)
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        # SQLTrackerStore._retrieve of Rasa 3.6, with slot values decrypted.
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [self.readable_form(json.loads(row.data), sender_id) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None
