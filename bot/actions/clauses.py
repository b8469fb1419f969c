"""Clause questions answered from retrieved policy wording, never from invention."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.backend import knowledge_base
from bot.actions.clause_replies import answer_reply, choice_reply, highlighted_wording
from bot.actions.conversation import language_of
from bot.actions.form_filling import story_prefill
from bot.nlp.clock import today
from bot.nlp.followups import asks_to_claim_here
from bot.nlp.normalize import normalize_policy_number
from knowledge.confidence import ASK_PRODUCT, CHOOSE, NOT_FOUND
from knowledge.knowledge_base import Hit
from knowledge.quotes import paragraph_marker

PRODUCT_BY_PREFIX = {"AU": "auto", "HO": "home", "TR": "travel", "HE": "health", "PA": "accident"}


def customer_product(tracker: Tracker) -> str | None:
    """The product the customer is asking about: named now, named before, or their own policy."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "product":
            return entity.get("value")
    if tracker.get_slot("product"):
        return tracker.get_slot("product")
    policy = normalize_policy_number(tracker.get_slot("verified_policy") or "")
    return PRODUCT_BY_PREFIX.get(policy[:2]) if policy else None


def latest_entity(tracker: Tracker, name: str) -> Any:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == name:
            return entity.get("value")
    return None


class ActionAnswerClauseQuestion(Action):
    """ask_coverage / ask_exclusion, and the product or clause choice that may follow them."""

    def name(self) -> str:
        return "action_answer_clause_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        question = tracker.latest_message.get("text") or ""
        if intent == "inform" or question.startswith("/"):
            question = tracker.get_slot("pending_question") or ""
        if not question.strip():
            dispatcher.utter_message(response="utter_no_recent_clause")
            return []
        kb = knowledge_base()
        chosen = latest_entity(tracker, "clause_id")
        hit = kb.explain(chosen, question, language) if chosen else None
        if hit is not None:
            return answer(hit, question, language, tracker, dispatcher)
        product = customer_product(tracker)
        decision, _hits = kb.answer(question, product=product, language=language)
        if decision.kind == ASK_PRODUCT:
            dispatcher.utter_message(response="utter_clause_ask_product")
            return [SlotSet("pending_question", question)]
        if decision.kind == NOT_FOUND:
            dispatcher.utter_message(response="utter_clause_not_found")
            return [SlotSet("pending_question", None)]
        if decision.kind == CHOOSE:
            reply = choice_reply(*decision.hits, language)
            dispatcher.utter_message(response=reply.response, buttons=reply.buttons,
                                     **reply.arguments)
            return [SlotSet("pending_question", question)]
        return answer(decision.hits[0], question, language, tracker, dispatcher)


def answer(
    hit: Hit, question: str, language: str, tracker: Tracker, dispatcher: CollectingDispatcher
) -> list[EventType]:
    reply = answer_reply(hit, language)
    dispatcher.utter_message(response=reply.response, **reply.arguments)
    paragraph = hit.quote.paragraph if hit.quote else None
    events: list[EventType] = [
        SlotSet("last_clause_id", hit.clause_id),
        SlotSet("last_clause_paragraph", paragraph),
        SlotSet("product", hit.product),
        SlotSet("pending_question", None),
    ]
    return events + offer_claim_after_story(question, tracker, dispatcher)


def offer_claim_after_story(
    question: str, tracker: Tracker, dispatcher: CollectingDispatcher
) -> list[EventType]:
    """An incident told with the question ("윗집 누수로 천장이 젖었는데 보상돼요?"): offer
    to report it, keeping what it says. Not inside a form, which carries on by itself."""
    if tracker.active_loop.get("name"):
        return []
    if asks_to_claim_here(question) and any(
        entity.get("entity") == "incident_type"
        for entity in tracker.latest_message.get("entities", [])
    ):
        # "장염으로 입원했었는데 실비 청구 여기서 되나요?": yes, and the report starts now.
        dispatcher.utter_message(response="utter_starting_claim_report")
        return [FollowupAction("report_claim_form")]
    values = story_prefill(question, language_of(tracker), today())
    if not values:
        return []
    dispatcher.utter_message(response="utter_offer_claim_report_after_answer")
    return [SlotSet("claim_offered", True)] + [
        SlotSet(slot, value) for slot, value in values.items()
    ]


class ClauseFollowUp(Action, ABC):
    """Base for follow-ups about the clause answered last."""

    response = ""

    @abstractmethod
    def name(self) -> str:
        """Abstract, so the action server does not register this base class."""

    def arguments(self, clause: Any, language: str) -> dict[str, str]:
        """The response's variables for `clause` in `language`."""
        return {}

    def reply(self, clause: Any, language: str, tracker: Tracker) -> tuple[str, dict[str, str]]:
        """The response and its variables (``response`` with ``arguments`` unless overridden)."""
        return self.response, self.arguments(clause, language)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        clause_id = tracker.get_slot("last_clause_id")
        clause = knowledge_base().clause(clause_id) if clause_id else None
        if clause is None:
            dispatcher.utter_message(response="utter_no_recent_clause")
            return []
        response, arguments = self.reply(clause, language_of(tracker), tracker)
        dispatcher.utter_message(response=response, **arguments)
        return []


class ActionExplainSimpler(ClauseFollowUp):
    response = "utter_clause_simpler"

    def name(self) -> str:
        return "action_explain_simpler"

    def arguments(self, clause: Any, language: str) -> dict[str, str]:
        return {
            "plain": clause.get("plain", language),
            "example": clause.get("example", language),
            "action": clause.get("action", language),
        }


class ActionShowClauseText(ClauseFollowUp):
    """The article's wording, with the paragraph that decided the last answer marked."""

    def name(self) -> str:
        return "action_show_clause_text"

    def reply(self, clause: Any, language: str, tracker: Tracker) -> tuple[str, dict[str, str]]:
        paragraph = tracker.get_slot("last_clause_paragraph")
        paragraph = int(paragraph) if isinstance(paragraph, int | float) else None
        # "wording", not "text": Rasa lets a variable named like a message field replace it
        arguments = {
            "citation": clause.citation(language),
            "wording": highlighted_wording(clause.get("text", language), paragraph, language),
            "marker": paragraph_marker(paragraph or 1, language),
        }
        return ("utter_clause_text_highlighted" if paragraph else "utter_clause_text"), arguments


class ActionShowRelatedClauses(ClauseFollowUp):
    response = "utter_related_clauses"

    def name(self) -> str:
        return "action_show_related_clauses"

    def arguments(self, clause: Any, language: str) -> dict[str, str]:
        kb = knowledge_base()
        related = [kb.clause(clause_id) for clause_id in clause.related]
        lines = [
            f"- {item.citation(language)}: {item.get('plain', language).split('. ')[0]}"
            for item in related
            if item is not None
        ]
        return {"related": "\n".join(lines) or "-"}
