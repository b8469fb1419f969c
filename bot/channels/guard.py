"""What every channel does before a message reaches Rasa: channel-scoped sender ids and
the refusal of empty and over-long messages.

Sender ids carry their channel (``rest:``, ``web:``, ``kakao:``, ``telegram:``), so an id
sent over one channel can never continue a conversation held on another.

An empty message, or one longer than ``MAX_MESSAGE_CHARS`` after ``sanitize``, is answered
by the channel at once with the domain's ``utter_input_empty`` / ``utter_input_too_long``
text. Rasa never sees it: no tokenising or embedding, and the tracker (with any open form)
stays as it was.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Tuple

import regex
import yaml

from bot.nlp.input_guard import EMPTY, MAX_MESSAGE_CHARS, TOO_LONG, classify_input
from bot.nlp.language import _HANGUL, ENGLISH, KOREAN

DOMAIN_DIR = Path(__file__).resolve().parents[1] / "domain"
RESPONSES = {EMPTY: "utter_input_empty", TOO_LONG: "utter_input_too_long"}

# Sender ids key trackers, locks and log lines, so only plain ids are accepted.
SENDER_FORMAT = re.compile(r"[A-Za-z0-9._:@-]{1,128}")
# Longer raw text is too long whatever it holds; sanitizing megabytes would cost more
# than the refusal is meant to.
MAX_RAW_CHARS = 64 * MAX_MESSAGE_CHARS


def valid_sender(raw: Any) -> bool:
    """True for a channel's own user or session id that may become part of a sender id."""
    return isinstance(raw, str) and SENDER_FORMAT.fullmatch(raw) is not None


def channel_sender_id(channel: str, raw: Any) -> str:
    """``kakao`` + ``abc`` -> ``kakao:abc``."""
    return f"{channel}:{raw}"


def strip_channel(channel: str, sender_id: str) -> str:
    """The channel's own id again (``telegram:42`` -> ``42``); other ids are left alone."""
    prefix = f"{channel}:"
    sender_id = str(sender_id)
    return sender_id[len(prefix) :] if sender_id.startswith(prefix) else sender_id


def _variation_language(variation: Dict[str, Any]) -> str | None:
    conditions = variation.get("condition") or []
    if not conditions:
        return KOREAN
    for condition in conditions:
        if condition.get("name") == "language" and condition.get("value") == ENGLISH:
            return ENGLISH
    return None


@lru_cache(maxsize=1)
def refusal_texts(domain_dir: Path = DOMAIN_DIR) -> Dict[Tuple[str, str], str]:
    """(reason, language) -> text, read from the domain's responses (the one source)."""
    found: Dict[Tuple[str, str], str] = {}
    wanted = {name: reason for reason, name in RESPONSES.items()}
    for path in sorted(domain_dir.glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses")
        for name, variations in (responses or {}).items():
            if name not in wanted:
                continue
            for variation in variations:
                language = _variation_language(variation)
                if language and isinstance(variation.get("text"), str):
                    text = variation["text"].replace("{max_chars}", str(MAX_MESSAGE_CHARS))
                    found.setdefault((wanted[name], language), text)
    missing = [
        f"{RESPONSES[reason]} ({language})"
        for reason in RESPONSES
        for language in (KOREAN, ENGLISH)
        if (reason, language) not in found
    ]
    if missing:
        raise RuntimeError(f"responses missing in {domain_dir}: {', '.join(missing)}")
    return found


# What sanitize drops or turns into (collapsible) spaces.
_NOT_COUNTED = regex.compile(r"[\s\p{Cc}\p{Cf}\p{Cs}\u115f\u1160\u3164\uffa0]+")


def _surely_too_long(text: str) -> bool:
    """A cheap lower bound of ``len(sanitize(text))`` over the limit.

    ``sanitize`` looks at every character in Python, a few milliseconds for 20,000 of
    them; this stays in C, and ``classify_input`` still decides every other case.
    """
    if len(text) <= MAX_MESSAGE_CHARS:
        return False
    visible = _NOT_COUNTED.sub("", unicodedata.normalize("NFC", text))
    return len(visible) > MAX_MESSAGE_CHARS


@dataclass(frozen=True)
class Refusal:
    """A message the channel answers itself: why, in which language, and the answer."""

    reason: str
    language: str
    text: str


def refuse(text: Any, default_language: str = KOREAN) -> Refusal | None:
    """The channel's answer to an empty or over-long message; None for a usable one.

    The language is Korean when the text has Hangul, else English. An empty message says
    nothing about its language, so it gets ``default_language``.
    """
    if not isinstance(text, str):
        text = ""
    if len(text) > MAX_RAW_CHARS or _surely_too_long(text):
        reason: str | None = TOO_LONG
    else:
        reason = classify_input(text)
    if reason is None:
        return None
    if reason == EMPTY:
        language = default_language
    else:
        language = KOREAN if _HANGUL.search(text, 0, MAX_RAW_CHARS) else ENGLISH
    return Refusal(reason, language, refusal_texts()[(reason, language)])


# Read the texts when the channels load, so that a missing response stops the start and
# the first refusal does not pay for parsing the domain.
refusal_texts()
