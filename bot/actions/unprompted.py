"""A value given when nothing was asked: often the first words of someone with a loss."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.conversation import language_of
from bot.actions.form_filling import story_prefill
from bot.nlp.clock import today
from bot.nlp.loss_report import looks_like_loss_report


class ActionAnswerUnpromptedInform(Action):
    """"윗집에서 물이 새서 천장이 다 젖었어요" out of the blue: offer to report the claim
    (keeping what the story says, so the form does not ask for it again) or a person.
    Anything else given without a question gets "anything else?".
    """

    def name(self) -> str:
        return "action_answer_unprompted_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        text = str(message.get("text") or "")
        entities = {str(e.get("entity")) for e in message.get("entities") or []}
        if not looks_like_loss_report(text, entities):
            dispatcher.utter_message(response="utter_anything_else")
            return []
        dispatcher.utter_message(response="utter_offer_claim_report")
        # What the story says is kept for the form; "불났어요" alone keeps nothing.
        values = story_prefill(text, language_of(tracker), today())
        return [SlotSet("claim_offered", True)] + [
            SlotSet(slot, value) for slot, value in values.items()
        ]
