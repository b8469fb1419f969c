"""Validation of the form slots: normalise each value or say why it was refused."""

from __future__ import annotations

from abc import abstractmethod
from datetime import date
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot.actions import answers
from bot.actions.backend import store
from bot.actions.conversation import actor_of
from bot.actions.labels import CHANGE_TYPES, INCIDENT_TYPES, label
from bot.actions.verification import check_identity, is_locked, is_verified
from bot.nlp.clock import now, today
from bot.nlp.input_guard import sanitize
from bot.nlp.normalize import (
    normalize_change_type,
    normalize_incident_type,
    normalize_policy_number,
    parse_date,
)

Slots = dict[str, Any]
MAX_TEXT = 1000
MIN_DESCRIPTION = 5


def usable_description(value: Any) -> str | None:
    """An incident description as the case keeps it, or None when too short to be one."""
    description = sanitize(str(value or ""))
    return description[:MAX_TEXT] if len(description) >= MIN_DESCRIPTION else None


def _date_or_reason(value: Any, day: date) -> tuple[date | None, str | None]:
    result = parse_date(sanitize(str(value or "")), day)
    if result.value is None:
        return (
            None,
            "utter_impossible_date" if result.error == "impossible" else "utter_invalid_date",
        )
    return result.value, None


class BodamFormValidation(FormValidationAction):
    """Shared validation: the identity check and its lock-out for forms that need it."""

    verifies_identity: ClassVar[bool] = False

    @abstractmethod
    def name(self) -> str:
        """Abstract, so the action server does not register this base class."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if self.verifies_identity and is_locked(tracker.slots, now()):
            return []  # ends the form; the action after it explains the lock
        return domain_slots

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        if not self.verifies_identity:
            return events
        outcome = check_identity(store(), tracker.slots, now(), actor_of(tracker))
        if outcome is not None:
            if outcome.response:
                dispatcher.utter_message(response=outcome.response, **(outcome.response_args or {}))
            tracker.slots.update(outcome.slots)
            events += [SlotSet(key, value) for key, value in outcome.slots.items()]
            events += await self.after_verification(dispatcher, tracker)
        return events

    async def after_verification(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        """Checks that need a verified policy and a value given before verification."""
        return []

    def validate_policy_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        number = normalize_policy_number(str(value or ""))
        if number is None:
            dispatcher.utter_message(response="utter_invalid_policy_number")
            return {"policy_number": None}
        if tracker.get_slot("verified_policy") not in (None, number):
            # Another policy: the earlier verification does not carry over to it.
            return {
                "policy_number": number,
                "birth_date": None,
                "verified_customer_id": None,
                "verified_policy": None,
            }
        return {"policy_number": number}

    def validate_birth_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        day = today()
        birth, reason = _date_or_reason(value, day)
        if birth is not None and not (date(1900, 1, 1) <= birth <= day):
            birth, reason = None, "utter_invalid_birth_date"
        if birth is None:
            dispatcher.utter_message(
                response=reason or "utter_invalid_birth_date", value=sanitize(str(value or ""))[:40]
            )
            return {"birth_date": None}
        return {"birth_date": birth.isoformat()}


class ValidateClaimStatusForm(BodamFormValidation):
    verifies_identity = True

    def name(self) -> str:
        return "validate_claim_status_form"


class ValidateComplaintStatusForm(BodamFormValidation):
    verifies_identity = True

    def name(self) -> str:
        return "validate_complaint_status_form"


class ValidateReportClaimForm(BodamFormValidation):
    verifies_identity = True

    def name(self) -> str:
        return "validate_report_claim_form"

    async def after_verification(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        incident = tracker.get_slot("incident_date")
        if not is_verified(tracker.slots) or not incident:
            return []
        slots = self._eligibility(date.fromisoformat(incident), dispatcher, tracker)
        tracker.slots.update(slots)
        return [SlotSet(key, value) for key, value in slots.items()]

    def _eligibility(
        self, incident: date, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Slots:
        policy = tracker.get_slot("policy_number")
        verdict = store().check_claim_eligibility(policy, incident)
        if verdict == "outside_period":
            found = store().get_policy(policy, actor=actor_of(tracker))
            dispatcher.utter_message(
                response="utter_date_outside_period",
                start=found.start_date.isoformat() if found else "-",
                end=found.end_date.isoformat() if found else "-",
            )
            return {"incident_date": None}
        if verdict != "ok":
            dispatcher.utter_message(response="utter_policy_not_eligible")
            return {
                "policy_number": None,
                "birth_date": None,
                "verified_customer_id": None,
                "verified_policy": None,
            }
        return {"incident_date": incident.isoformat()}

    def validate_incident_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        text = sanitize(str(value or ""))
        kind = text if text in INCIDENT_TYPES else normalize_incident_type(text)
        if kind is None:
            dispatcher.utter_message(response="utter_invalid_incident_type")
            return {"incident_type": None}
        return {"incident_type": kind}

    def validate_incident_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        day = today()
        incident, reason = _date_or_reason(value, day)
        shown = sanitize(str(value or ""))[:40]
        if incident is None:
            dispatcher.utter_message(response=reason, value=shown)
            return {"incident_date": None}
        if incident > day:
            dispatcher.utter_message(response="utter_future_date", value=incident.isoformat())
            return {"incident_date": None}
        if is_verified(tracker.slots):
            return self._eligibility(incident, dispatcher, tracker)
        return {"incident_date": incident.isoformat()}

    def validate_incident_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        place = sanitize(str(value or ""))
        if len(place) < 2:
            dispatcher.utter_message(response="utter_description_too_short")
            return {"incident_place": None}
        return {"incident_place": place[:200]}

    def validate_incident_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        description = usable_description(value)
        if description is None:
            dispatcher.utter_message(response="utter_description_too_short")
        return {"incident_description": description}

    def validate_injuries(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        answer = answers.parse_yes_no(value)
        if answer is None:
            dispatcher.utter_message(response="utter_ask_injuries")
        return {"injuries": answer}

    def validate_contact_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        return {"contact_consent": answers.parse_yes_no(value)}


class ValidateComplaintForm(BodamFormValidation):
    def name(self) -> str:
        return "validate_complaint_form"

    def validate_complaint_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        return {"complaint_category": answers.complaint_category(str(value or ""))}

    def validate_complaint_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        description = sanitize(str(value or ""))
        if len(description) < 5:
            dispatcher.utter_message(response="utter_description_too_short")
            return {"complaint_description": None}
        return {"complaint_description": description[:MAX_TEXT]}

    def validate_complaint_desired_outcome(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        outcome = sanitize(str(value or ""))
        if len(outcome) < 2:
            dispatcher.utter_message(response="utter_description_too_short")
            return {"complaint_desired_outcome": None}
        return {"complaint_desired_outcome": outcome[:MAX_TEXT]}


class ValidateChangePolicyForm(BodamFormValidation):
    verifies_identity = True

    def name(self) -> str:
        return "validate_change_policy_form"

    def validate_change_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        text = sanitize(str(value or ""))
        kind = text if text in CHANGE_TYPES else normalize_change_type(text)
        if kind is None:
            dispatcher.utter_message(response="utter_ask_change_type")
        # A new type makes an earlier new value meaningless.
        if kind != tracker.get_slot("change_type"):
            return {"change_type": kind, "change_new_value": None}
        return {"change_type": kind}

    def validate_change_new_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        kind = tracker.get_slot("change_type")
        new_value = answers.change_value(kind, str(value or ""), today()) if kind else None
        if new_value is None:
            language = "en" if tracker.get_slot("language") == "en" else "ko"
            dispatcher.utter_message(
                response="utter_invalid_change_value",
                change_type=label(CHANGE_TYPES, kind, language),
            )
        return {"change_new_value": new_value}
