"""Suggested replies from the assistant's own bilingual responses (bot/domain/responses_*.yml).

Which response answers an intent is read from the dialogue rules (bot/data/rules/*.yml):
a rule that starts with ``intent: X`` and goes on to ``action: utter_y`` maps X to utter_y;
one that goes on to a form maps X to the form's first question (``utter_ask_<slot>``).
A few intents that actions answer are mapped here by hand.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from console.settings import DOMAIN_DIR, RULES_DIR

LANGUAGES = ("ko", "en")
# Intents answered by custom actions: the closest plain response.
ACTION_INTENTS = {
    "claim_documents": "utter_claim_documents_general",
    # The bot adds whether someone is in right now; the agent on the phone is.
    "contact_info": "utter_contact_info",
    # The bot answers a value given unasked with an action (a claim offer when it is a loss
    # story); beside a live call the agent just asks what else is needed.
    "inform": "utter_anything_else",
}
# Responses that make no sense coming from a person on the phone.
NOT_FOR_AGENTS = {"utter_knowledge_handoff", "utter_handoff_created", "utter_offer_human"}
_FIELD = re.compile(r"\{(\w+)\}")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}


@dataclass(frozen=True)
class Variation:
    text: str
    buttons: tuple[str, ...] = ()


def _language_of(variation: Mapping[str, Any]) -> str:
    for condition in variation.get("condition") or []:
        if (
            isinstance(condition, Mapping)
            and condition.get("type") == "slot"
            and condition.get("name") == "language"
        ):
            return str(condition.get("value"))
    return "ko"  # the unconditioned variation is the Korean default


def load_responses(domain_dir: Path = DOMAIN_DIR) -> dict[str, dict[str, Variation]]:
    book: dict[str, dict[str, Variation]] = {}
    for path in sorted(domain_dir.glob("responses_*.yml")):
        data = _read(path)
        for name, variations in (data.get("responses") or {}).items():
            for variation in variations or []:
                if not isinstance(variation, Mapping) or not isinstance(variation.get("text"), str):
                    continue
                titles = tuple(
                    str(button.get("title", ""))
                    for button in variation.get("buttons") or []
                    if isinstance(button, Mapping)
                )
                book.setdefault(name, {}).setdefault(
                    _language_of(variation), Variation(variation["text"], titles)
                )
    return book


def _load_forms(domain_dir: Path) -> dict[str, list[str]]:
    forms: dict[str, list[str]] = {}
    for path in sorted(domain_dir.glob("*.yml")):
        data = _read(path)
        for name, form in (data.get("forms") or {}).items():
            slots = (form or {}).get("required_slots") or []
            if isinstance(slots, list):
                forms[name] = [str(slot) for slot in slots]
    return forms


def _unconditional(rule: Mapping[str, Any]) -> bool:
    for condition in rule.get("condition") or []:
        if not (isinstance(condition, Mapping) and condition.get("active_loop", 0) is None):
            return False
    return True


def load_intent_responses(
    rules_dir: Path = RULES_DIR, domain_dir: Path = DOMAIN_DIR
) -> dict[str, str]:
    forms = _load_forms(domain_dir)
    mapping: dict[str, str] = {}
    for path in sorted(rules_dir.glob("*.yml")):
        data = _read(path)
        for rule in data.get("rules") or []:
            steps = rule.get("steps") or []
            if len(steps) < 2 or not _unconditional(rule):
                continue
            intent, action = steps[0].get("intent"), steps[1].get("action")
            if not isinstance(intent, str) or not isinstance(action, str) or intent in mapping:
                continue
            if action in forms and forms[action]:
                mapping[intent] = f"utter_ask_{forms[action][0]}"
            elif action.startswith("utter_") and action not in NOT_FOR_AGENTS:
                mapping[intent] = action
    for intent, response in ACTION_INTENTS.items():
        mapping.setdefault(intent, response)
    return mapping


class ResponseBook:
    def __init__(
        self,
        responses: dict[str, dict[str, Variation]] | None = None,
        intent_responses: dict[str, str] | None = None,
    ) -> None:
        self.responses = load_responses() if responses is None else responses
        self.intent_responses = (
            load_intent_responses() if intent_responses is None else intent_responses
        )

    def variation(self, name: str, language: str) -> Variation | None:
        variations = self.responses.get(name) or {}
        return variations.get(language) or variations.get("ko")

    def render(self, name: str, language: str, **values: object) -> str | None:
        """The response text with its {fields} filled; None if it or a field is missing."""
        variation = self.variation(name, language)
        if variation is None:
            return None
        needed = {field for _, field, _, _ in string.Formatter().parse(variation.text) if field}
        if needed - values.keys():
            return None
        return _FIELD.sub(lambda match: str(values[match[1]]), variation.text)

    def for_intent(self, intent: str, language: str) -> tuple[str, str] | None:
        """(response name, text) answering ``intent`` without case data, if there is one."""
        name = self.intent_responses.get(intent)
        if name is None:
            return None
        text = self.render(name, language)
        return None if text is None else (name, text)
