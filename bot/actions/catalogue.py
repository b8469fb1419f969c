"""Glossary terms, product facts, premiums and needs-based recommendations."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.backend import knowledge_base
from bot.actions.clauses import customer_product
from bot.actions.conversation import language_of

RECOMMEND_SLOTS = ["recommend_owns", "recommend_plans", "recommend_worries"]

# What a customer says about their life -> the product that answers it.
NEEDS: list[tuple[str, re.Pattern[str]]] = [
    ("auto", re.compile(r"차|자동차|운전|출퇴근|면허|\bcar\b|\bdrive|\bdriving|\bvehicle", re.I)),
    ("home", re.compile(r"집|아파트|주택|전세|월세|이사|가게|상가|화재|불|도난|누수|"
                        r"\bhome\b|\bhouse|\bflat\b|apartment|\bshop\b|\bfire\b|\bmov(e|ing)\b",
                        re.I)),
    ("travel", re.compile(r"여행|출장|해외|유학|비행기|\btrip\b|\btravel|abroad|overseas|flight",
                          re.I)),
    ("health", re.compile(r"병원|의료|실비|실손|건강|질병|입원|수술|치료|출산|임신|"
                          r"medical|hospital|health|illness|sick|surgery|pregnan|baby", re.I)),
    ("accident", re.compile(r"사고|다치|부상|골절|레저|운동|등산|스키|자전거|가족\s*생계|"
                            r"accident|injur|sport|hiking|ski|cycling|family'?s income", re.I)),
]


def recommended_products(answers: list[str]) -> list[str]:
    """Products in the order the customer's answers call for them."""
    text = " ".join(answers)
    return [product for product, pattern in NEEDS if pattern.search(text)]


def bullet(items: list[Any], language: str) -> str:
    return "\n".join(f"- {item.get(language) or item.get('ko')}" for item in items) or "-"


def premium_range(details: dict[str, Any], language: str) -> str:
    prices = details.get("premium_range") or {}
    won = "원" if language == "ko" else " KRW"

    def money(value: int) -> str:
        return f"{value:,}{won}"

    if "per_trip_min_krw" in prices:
        span = f"{money(prices['per_trip_min_krw'])}~{money(prices['per_trip_max_krw'])}"
        return f"1회 여행에 {span}" if language == "ko" else f"{span} per trip"
    if "monthly_min_krw" in prices:
        span = f"{money(prices['monthly_min_krw'])}~{money(prices['monthly_max_krw'])}"
        return f"월 {span}" if language == "ko" else f"{span} a month"
    return "-"


class ActionExplainTerm(Action):
    def name(self) -> str:
        return "action_explain_term"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        entry = knowledge_base().term(tracker.latest_message.get("text") or "", language)
        if entry is None:
            dispatcher.utter_message(response="utter_term_not_found")
            return []
        example = getattr(entry, f"example_{language}", "") or "-"
        dispatcher.utter_message(
            response="utter_term_definition",
            term=entry.term(language),
            definition=entry.definition(language),
            example=example,
        )
        return []


class ProductAction(Action, ABC):
    """Answers about one product; asks which one when it is not known yet."""

    response = ""

    @abstractmethod
    def name(self) -> str:
        """Abstract, so the action server does not register this base class."""

    @abstractmethod
    def arguments(self, product: Any, language: str) -> dict[str, str]:
        """The response's variables for `product` in `language`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        key = customer_product(tracker)
        product = knowledge_base().product(key) if key else None
        if product is None:
            dispatcher.utter_message(response="utter_ask_product_choice")
            return []
        language = language_of(tracker)
        dispatcher.utter_message(response=self.response, **self.arguments(product, language))
        return [SlotSet("product", key)]


class ActionProductInfo(ProductAction):
    response = "utter_product_info"

    def name(self) -> str:
        return "action_product_info"

    def arguments(self, product: Any, language: str) -> dict[str, str]:
        details = product.details
        return {
            "name": product.name(language),
            "summary": product.summary(language),
            "coverages": bullet(details.get("main_coverages", []), language),
            "riders": bullet(details.get("riders", []), language),
            "eligibility": details.get(f"eligibility_{language}", "-"),
            "suits": details.get(f"suits_{language}", "-"),
        }


class ActionPremiumInfo(ProductAction):
    response = "utter_premium_info"

    def name(self) -> str:
        return "action_premium_info"

    def arguments(self, product: Any, language: str) -> dict[str, str]:
        details = product.details
        return {
            "name": product.name(language),
            "range": premium_range(details, language),
            "factors": bullet(details.get("premium_factors", []), language),
        }


class ActionRecommendProducts(Action):
    def name(self) -> str:
        return "action_recommend_products"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        answers = [str(tracker.get_slot(name) or "") for name in RECOMMEND_SLOTS]
        keys = recommended_products(answers) or ["health", "accident"]
        kb = knowledge_base()
        lines = []
        for key in keys[:3]:
            product = kb.product(key)
            if product is not None:
                reason = product.details.get(f"suits_{language}", product.summary(language))
                lines.append(f"- {product.name(language)}: {reason}")
        dispatcher.utter_message(response="utter_recommendation", items="\n".join(lines))
        return [SlotSet(name, None) for name in RECOMMEND_SLOTS]
