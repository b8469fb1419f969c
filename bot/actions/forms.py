"""Validation of the form slots: normalise each value or say why it was refused."""

from __future__ import annotations

import re
from abc import abstractmethod
from datetime import date
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot.actions.backend import store
from bot.actions.conversation import actor_of, language_of
from bot.actions.display import change_lines, value_lines
from bot.actions.form_filling import (
    FORM_SLOTS,
    OPTIONAL_SLOTS,
    SIDE_INTENTS,
    UNPLACED_INTENTS,
    YES_NO_SLOTS,
    Plan,
    plan_message,
)
from bot.actions.labels import CHANGE_TYPES, INCIDENT_TYPES, PAYMENT_METHODS, SLOT_NAMES, label
from bot.actions.verification import check_identity, is_locked, is_verified
from bot.nlp import answers, spacy_spans
from bot.nlp.clock import now, today
from bot.nlp.form_values import MAX_TEXT, usable_description
from bot.nlp.input_guard import sanitize
from bot.nlp.normalize import (
    normalize_change_type,
    normalize_incident_type,
    normalize_policy_number,
    parse_date,
)

Slots = dict[str, Any]
# Actions that may run between the customer's message and the form without it being a
# side question: Rasa's own slot extraction, and the form and its validation.
_FORM_TURN_ACTIONS = {"action_listen", "action_extract_slots", "action_detect_language"}
# Actions that hand a story over to the claim form they start (FollowupAction): when the
# form starts after them, the story is the form's first message.
_HANDOVER_ACTIONS = {"action_answer_unprompted_inform", "action_answer_clause_question"}


def is_fresh_answer(events: list[dict[str, Any]], form: str) -> bool:
    """True when the form runs on the customer's latest message, not on its return
    after a side question was answered (that message was not meant for the form)."""
    allowed = _FORM_TURN_ACTIONS | {form, f"validate_{form}"}
    handed_over = False
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "user":
            return not handed_over or not _was_active(events[:index], form)
        if event.get("event") == "action" and event.get("name") not in allowed:
            if event.get("name") not in _HANDOVER_ACTIONS:
                return False
            handed_over = True
    return False


def _was_active(events: list[dict[str, Any]], form: str) -> bool:
    """Whether ``form`` was running when these events ended."""
    for event in reversed(events):
        if event.get("event") == "active_loop":
            return event.get("name") == form
    return False


def _date_or_reason(value: Any, day: date) -> tuple[date | None, str | None]:
    result = parse_date(sanitize(str(value or "")), day)
    if result.value is None:
        return (
            None,
            "utter_impossible_date" if result.error == "impossible" else "utter_invalid_date",
        )
    return result.value, None


class BodamFormValidation(FormValidationAction):
    """Shared by every form: values taken from any message, corrections shown back, and
    the identity check with its lock-out for forms that need it."""

    verifies_identity: ClassVar[bool] = False
    # A claim or complaint id given instead of the policy number (status forms).
    case_id_slot: ClassVar[str | None] = None

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
        if (
            self.case_id_slot
            and tracker.get_slot(self.case_id_slot)
            and not tracker.get_slot("policy_number")
        ):
            # The case names its policy: a birth date is all the check needs.
            return [slot for slot in domain_slots if slot != "policy_number"]
        return domain_slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        form = self.form_name()
        plan = Plan()
        fresh = is_fresh_answer(tracker.events, form)
        if fresh:
            needed = await self.required_slots(
                self.domain_slots(domain), dispatcher, tracker, domain
            )
            message = tracker.latest_message or {}
            plan = plan_message(
                form,
                needed,
                dict(tracker.slots),
                tracker.get_slot("requested_slot"),
                str(message.get("text") or ""),
                str((message.get("intent") or {}).get("name") or ""),
                language_of(tracker),
                today(),
            )
        extraction: list[EventType] = [SlotSet(k, v) for k, v in plan.updates.items()]
        # Slots the form does not ask for; rasa-sdk validates (and returns) only the
        # required ones, so these are returned as they are.
        kept: list[EventType] = [
            SlotSet(k, v) for k, v in plan.updates.items() if k in OPTIONAL_SLOTS.get(form, ())
        ]
        if plan.wants_fix or tracker.get_slot("awaiting_fix"):
            kept.append(SlotSet("awaiting_fix", plan.wants_fix))
        if tracker.get_slot("claim_offered"):
            kept.append(SlotSet("claim_offered", False))
        tracker.add_slots(extraction + kept)
        requested = tracker.get_slot("requested_slot")
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
        answered_elsewhere = intent in SIDE_INTENTS or intent in UNPLACED_INTENTS
        if fresh and requested and not plan.updates and not plan.wants_fix and not (
            answered_elsewhere and not plan.recognised
        ):
            # Nothing new for the question asked. Ask it again (setting it to None tells
            # Rasa the form handled the message), saying so unless the message held
            # another value of this form ("CLM-..." for "policy number or claim id").
            if requested not in YES_NO_SLOTS and not plan.recognised:
                dispatcher.utter_message(
                    response="utter_value_not_found",
                    slot=label(SLOT_NAMES, requested, language_of(tracker)),
                )
            # Not validated: there is no value to check.
            kept.append(SlotSet(requested, None))
        events = await self._extract_validation_events(dispatcher, tracker, domain)
        returned = {event["name"] for event in events if event.get("event") == "slot"}
        events = [event for event in kept if event["name"] not in returned] + events
        self.show_back(plan, dispatcher, tracker)
        return events

    def show_back(self, plan: Plan, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Says which volunteered values were kept and which were changed."""
        language = language_of(tracker)
        slots = tracker.slots
        changed = {
            slot: (old, slots.get(slot))
            for slot, (old, _new) in plan.changed.items()
            if slots.get(slot) is not None and slots.get(slot) != old
        }
        if changed:
            dispatcher.utter_message(
                response="utter_values_changed", changes=change_lines(changed, language, slots)
            )
        shown = [
            slot
            for slot in FORM_SLOTS.get(self.form_name(), ())
            if slot in plan.volunteered(tracker.get_slot("requested_slot"))
            and slot not in ("policy_number", "birth_date", "claim_id", "complaint_id")
            and slots.get(slot) is not None
        ]
        if shown:
            dispatcher.utter_message(
                response="utter_noted_values",
                values=value_lines(shown, {s: slots.get(s) for s in shown}, language, slots),
            )

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        if not self.verifies_identity:
            return events
        outcome = check_identity(
            store(), tracker.sender_id, tracker.slots, now(), actor_of(tracker)
        )
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
    case_id_slot = "claim_id"

    def name(self) -> str:
        return "validate_claim_status_form"


class ValidateComplaintStatusForm(BodamFormValidation):
    verifies_identity = True
    case_id_slot = "complaint_id"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        filed = tracker.get_slot("submitted_complaint_id")
        if filed and tracker.get_slot("complaint_id") in (None, filed):
            # Filed in this conversation: its deadline is shown without a check.
            return []
        if tracker.get_slot("handoff_requested") and not tracker.get_slot("complaint_id"):
            return []  # "그럼 언제 연락 와요?" after a hand-off: about the hand-off
        return await super().required_slots(domain_slots, dispatcher, tracker, domain)

    def name(self) -> str:
        return "validate_complaint_status_form"


class ValidateReportClaimForm(BodamFormValidation):
    verifies_identity = True

    def name(self) -> str:
        return "validate_report_claim_form"

    async def after_verification(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        if not is_verified(tracker.slots):
            return []
        incident = tracker.get_slot("incident_date")
        if not incident:
            # A lapsed policy is said at once, not after the whole story is asked for.
            verdict = store().check_claim_eligibility(tracker.get_slot("policy_number"), today())
            if verdict in ("ok", "outside_period"):
                return []
            slots = self._refused(dispatcher)
        else:
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
            return self._refused(dispatcher)
        return {"incident_date": incident.isoformat()}

    @staticmethod
    def _refused(dispatcher: CollectingDispatcher) -> Slots:
        """The policy gives no cover now: say so; another policy may be given."""
        dispatcher.utter_message(response="utter_policy_not_eligible")
        return {
            "policy_number": None,
            "birth_date": None,
            "verified_customer_id": None,
            "verified_policy": None,
        }

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
        return {"injuries": answers.parse_yes_no(value)}

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
        new_value = change_value_of_kind(kind, str(value or ""), language_of(tracker))
        if new_value is None:
            dispatcher.utter_message(
                response=f"utter_invalid_change_value_{kind}"
                if kind in ("beneficiary", "address")
                else "utter_invalid_change_value",
                change_type=label(CHANGE_TYPES, kind, language_of(tracker)),
            )
        return {"change_new_value": new_value}


def change_value_of_kind(kind: str | None, text: str, language: str) -> str | None:
    """The new value if it is of the kind the change needs: a beneficiary is a named
    person, an address looks like an address; "네 맞아요" is neither."""
    if not kind:
        return None
    text = sanitize(text)
    if kind == "beneficiary":
        if text.endswith(")") and " (" in text:
            return text  # already "name (relationship)"
        person = spacy_spans.find_person(text, language)
        if person is None or not person.name:
            return None
        return f"{person.name} ({person.relationship})" if person.relationship else person.name
    if kind == "address":
        return spacy_spans.find_address(text, language) or loose_address(text)
    if kind == "payment_method":
        if text.split(" (", 1)[0] in PAYMENT_METHODS:
            return text  # already read
        method = answers.change_value(kind, text, today())
        # The customer's words stay beside the method: the bank or card is in them.
        return f"{method} ({text[:80]})" if method else None
    return answers.change_value(kind, text, today())


_ADDRESS_WORD = re.compile(
    r"(?:[가-힣]+(?:시|도|구|군|동|읍|면|로|길|호|층))(?![가-힣])|"
    r"\b(?:street|st|road|rd|avenue|ave|lane|ln|flat|apt|apartment|unit|floor|"
    r"[a-z]+-(?:ro|gil|gu|dong|si))\b",
    re.IGNORECASE,
)


def loose_address(text: str) -> str | None:
    """An address the spaCy patterns missed ("Flat 3, 27 Itaewon-ro 54-gil, Yongsan-gu"):
    a number and at least two address words."""
    text = text.strip()
    if not re.search(r"\d", text) or len(_ADDRESS_WORD.findall(text)) < 2:
        return None
    return text[:200]
