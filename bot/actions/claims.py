"""Claim actions: filing, discarding, status, payment follow-ups and documents."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.backend import store
from bot.actions.claim_documents import documents_text
from bot.actions.conversation import actor_of, channel_of, language_of
from bot.actions.labels import (
    CLAIM_NEXT_STEPS,
    CLAIM_STATUSES,
    INCIDENT_TYPES,
    PAYMENT_RULES,
    label,
    payment_rule_of,
)
from bot.actions.verified_access import forget_verification, live_verification, verified_access
from bot.nlp.clock import now
from bot.nlp.followups import asks_about_payment
from casestore.views import ClaimView

CLAIM_SLOTS = [
    "incident_type",
    "incident_date",
    "incident_time",
    "incident_place",
    "incident_description",
    "injuries",
    "contact_consent",
    "claim_confirmed",
]


def claim_idempotency_key(sender_id: str, slots: dict[str, Any]) -> str:
    """Same conversation + same answers = same claim, however often it is confirmed."""
    parts = [sender_id] + [str(slots.get(name)) for name in ["policy_number", *CLAIM_SLOTS]]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class ActionSubmitClaim(Action):
    def name(self) -> str:
        return "action_submit_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        submitted = tracker.get_slot("submitted_claim_id")
        if submitted and tracker.get_slot("incident_type") is None:
            # Confirmed again after filing: the claim exists, nothing new is created.
            dispatcher.utter_message(response="utter_claim_already_created", claim_id=submitted)
            return []
        access = verified_access(tracker, dispatcher)
        if access is None:
            return forget_verification(tracker)
        slot = tracker.get_slot
        claim = store().create_claim(
            policy_number=access.policy_number,
            incident_type=slot("incident_type"),
            incident_date=date.fromisoformat(slot("incident_date")),
            incident_place=slot("incident_place"),
            description=slot("incident_description"),
            injuries=slot("injuries") == "yes",
            contact_consent=slot("contact_consent") == "yes",
            channel=channel_of(tracker),
            idempotency_key=claim_idempotency_key(tracker.sender_id, tracker.slots),
            now=now(),
        )
        if claim.created:
            dispatcher.utter_message(
                response="utter_claim_created",
                claim_id=claim.id,
                documents=documents_text(claim.incident_type, language_of(tracker)),
            )
        else:
            dispatcher.utter_message(response="utter_claim_already_created", claim_id=claim.id)
        return [SlotSet("submitted_claim_id", claim.id)] + [
            SlotSet(name, None) for name in CLAIM_SLOTS
        ]


class ActionDiscardClaim(Action):
    def name(self) -> str:
        return "action_discard_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_claim_not_submitted")
        return [SlotSet(name, None) for name in CLAIM_SLOTS]


class ActionShowClaimStatus(Action):
    def name(self) -> str:
        return "action_show_claim_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        access = verified_access(tracker, dispatcher)
        if access is None:
            return forget_verification(tracker)
        language = language_of(tracker)
        actor = actor_of(tracker)
        claims = store().claims_for_policy(access.policy_number, actor=actor)
        wanted = tracker.get_slot("claim_id")
        if wanted:
            claims = [claim for claim in claims if claim.id == wanted]
            if not claims:
                # Same words whether the claim is someone else's or does not exist.
                dispatcher.utter_message(response="utter_claim_not_found")
                return [SlotSet("claim_id", None)]
        if not claims:
            dispatcher.utter_message(response="utter_no_claims")
            return []
        shown = tracker.get_slot("shown_claim_id")
        if shown and asks_about_payment(str(tracker.latest_message.get("text") or "")):
            followed = next((claim for claim in claims if claim.id == shown), None)
            if followed is not None:
                tell_payment_timing(followed, dispatcher, actor, language)
                return []
        for claim in claims[-3:]:
            updated = claim.history[-1].changed_at if claim.history else claim.created_at
            dispatcher.utter_message(
                response="utter_claim_status",
                claim_id=claim.id,
                incident_type=label(INCIDENT_TYPES, claim.incident_type, language),
                incident_date=claim.incident_date.isoformat(),
                status=label(CLAIM_STATUSES, claim.status, language),
                updated=updated.strftime("%Y-%m-%d"),
                next_step=label(CLAIM_NEXT_STEPS, claim.status, language),
            )
        # Follow-ups ("그럼 돈은 언제 들어와요?") are about the claim just shown.
        return [SlotSet("shown_claim_id", claims[-1].id)]


def tell_payment_timing(
    claim: ClaimView, dispatcher: CollectingDispatcher, actor: str, language: str
) -> None:
    """When a claim is paid, by its stage and its product's rule; never an amount."""
    policy = store().get_policy(claim.policy_number, actor=actor)
    dispatcher.utter_message(
        response="utter_claim_payment_timing",
        claim_id=claim.id,
        status=label(CLAIM_STATUSES, claim.status, language),
        next_step=label(CLAIM_NEXT_STEPS, claim.status, language),
        payment_rule=label(
            PAYMENT_RULES, payment_rule_of(policy.product if policy else None), language
        ),
    )


class ActionClaimDocuments(Action):
    def name(self) -> str:
        return "action_claim_documents"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        entities = {
            e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities", [])
        }
        shown = tracker.get_slot("shown_claim_id")
        access = live_verification(tracker) if shown and "incident_type" not in entities else None
        if access is not None:
            claim = store().get_claim(shown, actor=actor_of(tracker))
            if claim is not None and claim.policy_number == access.policy_number:
                if asks_about_payment(str(tracker.latest_message.get("text") or "")):
                    # "서류 다 내면 입금까지 며칠 걸려요?": the answer is the payment rule.
                    tell_payment_timing(claim, dispatcher, actor_of(tracker), language)
                    return []
                dispatcher.utter_message(
                    response="utter_claim_documents_awaited"
                    if claim.status == "awaiting_documents"
                    else "utter_claim_documents_for_claim",
                    claim_id=claim.id,
                    incident_type=label(INCIDENT_TYPES, claim.incident_type, language),
                    documents=documents_text(claim.incident_type, language),
                )
                return []
        kind = entities.get("incident_type") or tracker.get_slot("incident_type")
        if kind not in INCIDENT_TYPES:
            dispatcher.utter_message(response="utter_claim_documents_general")
            return []
        dispatcher.utter_message(
            response="utter_claim_documents",
            incident_type=label(INCIDENT_TYPES, kind, language),
            documents=documents_text(kind, language),
        )
        return []
