"""A value given when nothing was asked: often the first words of someone with a loss."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.conversation import language_of
from bot.actions.form_filling import story_prefill
from bot.nlp.clock import today
from bot.nlp.loss_report import looks_like_loss_report


class ActionAnswerUnpromptedInform(Action):
    """"윗집에서 물이 새서 천장이 다 젖었어요" out of the blue: the claim report starts with
    what the story says; a bare "불났어요" is offered the report or a person.
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
        # A story with details, or a named loss with the policy to report it on
        # ("접촉사고 처리 부탁드려요 증권번호 AU20250001"), starts the report.
        story = bool(story_prefill(text, language_of(tracker), today())) or (
            "incident_type" in entities and bool(entities & {"policy_number", "birth_date"})
        )
        if not story and not looks_like_loss_report(text, entities):
            dispatcher.utter_message(response="utter_anything_else")
            return []
        if story:
            # The claim report starts at once and reads this message itself.
            dispatcher.utter_message(response="utter_starting_claim_report")
            return [FollowupAction("report_claim_form")]
        # "불났어요" alone: offer the report or a person.
        dispatcher.utter_message(response="utter_offer_claim_report")
        return [SlotSet("claim_offered", True)]
