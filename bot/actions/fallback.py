"""Low-confidence and unusable input: say what went wrong, offer likely topics, then a human."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.conversation import language_of
from bot.actions.labels import INTENT_TOPICS
from bot.nlp.input_guard import MAX_MESSAGE_CHARS, classify_input

MAX_SUGGESTIONS = 3


def suggested_topics(
    intent_ranking: list[dict[str, Any]], limit: int = MAX_SUGGESTIONS
) -> list[str]:
    """The likeliest intents that make sense as a button, best first."""
    return [
        item["name"]
        for item in intent_ranking
        if item.get("name") in INTENT_TOPICS and item["name"] != "help"
    ][:limit]


def consecutive_misses(events: list[dict[str, Any]]) -> int:
    """How many user messages in a row, ending with the latest, fell back."""
    misses = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") != "nlu_fallback":
            break
        misses += 1
    return misses


class ActionHandleFallback(Action):
    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        problem = classify_input(tracker.latest_message.get("text"))
        if problem == "empty":
            dispatcher.utter_message(response="utter_input_empty")
        elif problem == "too_long":
            dispatcher.utter_message(response="utter_input_too_long", max_chars=MAX_MESSAGE_CHARS)
        elif consecutive_misses(tracker.events) >= 2:
            dispatcher.utter_message(response="utter_offer_human")
        else:
            language = language_of(tracker)
            ranking = tracker.latest_message.get("intent_ranking") or []
            buttons = [
                {"title": INTENT_TOPICS[name][language], "payload": f"/{name}"}
                for name in suggested_topics(ranking)
            ]
            dispatcher.utter_message(response="utter_ask_rephrase", buttons=buttons)
        return []
