"""Small helpers every action uses to read the tracker."""

from __future__ import annotations

from rasa_sdk import Tracker


def language_of(tracker: Tracker) -> str:
    return "en" if tracker.get_slot("language") == "en" else "ko"


def actor_of(tracker: Tracker) -> str:
    """Who reads personal data, for the audit log."""
    return f"bot:{tracker.sender_id}"


def channel_of(tracker: Tracker) -> str:
    return (tracker.get_latest_input_channel() or "unknown")[:40]


def response_text(domain: dict, response: str, language: str) -> str:
    """A response's text in `language`, for use inside another response."""
    for variation in domain.get("responses", {}).get(response, []):
        conditions = variation.get("condition") or []
        is_english = any(c.get("name") == "language" and c.get("value") == "en" for c in conditions)
        if is_english == (language == "en"):
            return variation.get("text", "")
    return ""
