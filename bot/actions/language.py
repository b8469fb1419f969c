"""Keeps the `language` slot in step with each user message."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.nlp.language import detect_language


class ActionDetectLanguage(Action):
    """Run by Rasa after every user message (custom slot mapping of `language`)."""

    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/"):
            return []  # button payloads carry no language
        previous = tracker.get_slot("language")
        detected = detect_language(text, previous)
        return [] if detected == previous else [SlotSet("language", detected)]
