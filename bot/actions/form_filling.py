"""Which form slots one customer message fills or corrects (plain Python, no Rasa).

Every message inside a form is read for every value the form still needs, not only the
one it asked for; a value for a slot that already has one replaces it when the customer
corrects ("아니고", "말고", "not", "하루 전이었네요"), answers the question that was asked,
or speaks at the summary. Yes, no and thanks are never stored as free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.digressions import DIGRESSIONS, FORM_EXITS
from bot.nlp.answers import change_value, complaint_category, parse_yes_no
from bot.nlp.corrections import read_correction, swapped_words
from bot.nlp.form_values import FormValues, Person, find_form_values, shifted
from bot.nlp.input_guard import MAX_MESSAGE_CHARS, sanitize
from bot.nlp.questions import is_question

IDENTITY_SLOTS = ("policy_number", "birth_date")
FORM_SLOTS: dict[str, tuple[str, ...]] = {
    "report_claim_form": (
        *IDENTITY_SLOTS, "incident_type", "incident_date", "incident_time", "incident_place",
        "incident_description", "injuries", "contact_consent", "claim_confirmed",
    ),
    "claim_status_form": (*IDENTITY_SLOTS, "claim_id"),
    "complaint_status_form": (*IDENTITY_SLOTS, "complaint_id"),
    "complaint_form": (
        "complaint_category", "complaint_description", "complaint_desired_outcome",
        "complaint_confirmed",
    ),
    "change_policy_form": (*IDENTITY_SLOTS, "change_type", "change_new_value", "change_confirmed"),
}  # fmt: skip
# Kept when said, never asked for.
OPTIONAL_SLOTS: dict[str, frozenset[str]] = {
    "report_claim_form": frozenset({"incident_time"}),
    "claim_status_form": frozenset({"claim_id"}),
    "complaint_status_form": frozenset({"complaint_id"}),
}
CONFIRM_SLOTS = {
    "report_claim_form": "claim_confirmed",
    "complaint_form": "complaint_confirmed",
    "change_policy_form": "change_confirmed",
}
YES_NO_SLOTS = frozenset({"injuries", "contact_consent", *CONFIRM_SLOTS.values()})
FREE_TEXT_SLOTS = frozenset(
    {
        "incident_place", "incident_description", "complaint_description",
        "complaint_desired_outcome", "complaint_category", "change_new_value",
    }
)  # fmt: skip
# Slots whose value is the customer's own words: a later message never replaces them
# unless they are asked for again.
STORY_SLOTS = frozenset({"incident_description", "complaint_description"})
# Side questions and exits have rules of their own inside a form: the form leaves their
# message alone, Rasa rejects the form for it, and the rule answers. Thanks, greetings
# and messages the NLU could not place are still read for values ("고마워요. 증권번호는
# AU20250001이에요"); only when they hold none does their rule answer them.
# Cancel and hand-off are read for values too: "다친 사람 없고 연락 주셔도 돼요" is an
# answer, not a request for a person. And a statement given where the form asked for
# words of the customer's own ("지금까지 낸 돈 전부 돌려받고 싶어요") is that answer, even
# when it sounds like a premium question.
UNPLACED_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "thank", "greet", *FORM_EXITS})
SIDE_INTENTS = frozenset(DIGRESSIONS) - UNPLACED_INTENTS
# Intents whose words are never a form value.
SOCIAL_INTENTS = frozenset(
    {
        "affirm", "deny", "thank", "greet", "goodbye", "bot_challenge", "help", "cancel",
        "request_human", "out_of_scope", "nlu_fallback",
    }
)  # fmt: skip
# Values found directly in a message, by the form slot they fill.
_DIRECT = (
    "policy_number", "birth_date", "claim_id", "complaint_id", "incident_type",
    "incident_date", "incident_time", "incident_place", "incident_description", "injuries",
    "contact_consent", "complaint_category", "complaint_description", "change_type",
)  # fmt: skip
_INCIDENT_SLOTS = frozenset(
    {"incident_type", "incident_date", "incident_time", "incident_place", "incident_description"}
)
# "상담원 연결해 주세요" is a request for a person; a longer statement is an answer.
_EXIT_AS_ANSWER_WORDS = 5
CANCEL_WORDS = re.compile(
    r"취소|그만|중단|멈춰|안\s*할|하지\s*말|안\s*하|보류|나중에|됐어요|관둘|"
    r"cancel|stop|never\s*mind|forget|drop|scrap|quit|leave it|hold off|not now|later",
    re.IGNORECASE,
)
# A value that looks like an answer typed into the wrong box is this short.
_SHORT_ANSWER = 40


@dataclass
class Plan:
    """What one message does to a form."""

    filled: dict[str, Any] = field(default_factory=dict)  # empty slot -> value
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # slot -> (old, new)
    wants_fix: bool = False  # "no" at the summary, without saying what is wrong
    # Values the message holds for this form, changed or not ("CLM-..." said again).
    recognised: set[str] = field(default_factory=set)

    @property
    def updates(self) -> dict[str, Any]:
        return {**self.filled, **{slot: new for slot, (_old, new) in self.changed.items()}}

    def volunteered(self, requested: str | None) -> list[str]:
        """Values the customer gave without being asked: they are shown back."""
        return [slot for slot in self.filled if slot != requested and slot not in YES_NO_SLOTS]


def beneficiary_value(person: Person | None) -> str | None:
    """ "박지은 (spouse)": a beneficiary is a named person, with the relationship when said."""
    if person is None or not person.name:
        return None
    return f"{person.name} ({person.relationship})" if person.relationship else person.name


def _change_value(
    kind: str | None, found: FormValues, text: str, asked: bool, today: date
) -> str | None:
    if kind == "address":
        return found.get("address")
    if kind == "beneficiary":
        return beneficiary_value(found.person)
    if kind == "sum_insured" and found.get("amount") is None:
        return None
    if kind == "contact" and found.get("phone") is None:
        return None
    if kind == "period" and found.get("incident_date") is None and found.get("birth_date") is None:
        return None
    if kind == "payment_method":
        if not asked and found.get("change_type") is None:
            return None
        # The validator keeps the customer's words (the bank) beside the method.
        return text if change_value(kind, text, today) else None
    return change_value(kind, text, today) if kind else None


def plan_message(
    form: str,
    needed: list[str],
    slots: dict[str, Any],
    requested: str | None,
    text: str,
    intent: str,
    language: str,
    today: date,
) -> Plan:
    """The slot updates one message makes in ``form``; ``needed``: its required slots now."""
    plan = Plan()
    text = sanitize(text)
    if not text or len(text) > MAX_MESSAGE_CHARS:
        return plan  # the input guard has already said the message is too long
    if intent == "cancel" and not CANCEL_WORDS.search(text):
        intent = "inform"  # cancelling loses what was given: only on cancelling words
    statement = requested in FREE_TEXT_SLOTS and not is_question(text)
    if intent in SIDE_INTENTS and requested is None:
        intent = "inform"  # the message that started the form ("실비 청구 여기서 되나요?")
    if intent in SIDE_INTENTS and not statement:
        return plan
    if statement and (
        intent in SIDE_INTENTS
        or intent in ("nlu_fallback", "out_of_scope")
        or (intent in FORM_EXITS and len(text.split()) >= _EXIT_AS_ANSWER_WORDS)
    ):
        # A statement where the form asked for the customer's own words ("지금까지 낸 돈
        # 전부 돌려받고 싶어요", "담당자 바꿔주시고 이번 주 안에 처리해 주세요") is that answer.
        intent = "inform"
    correction = read_correction(text)
    search_text = correction.new_text if correction.is_correction else text
    found = find_form_values(search_text, language, today)
    allowed = set(FORM_SLOTS.get(form, ())) & (
        set(needed) | OPTIONAL_SLOTS.get(form, frozenset()) | {requested or ""}
    )
    confirm_slot = CONFIRM_SLOTS.get(form)
    at_summary = requested is not None and requested == confirm_slot

    candidates = {slot: found.get(slot) for slot in _DIRECT if found.get(slot) is not None}
    if requested == "birth_date" and "birth_date" not in candidates and found.get("incident_date"):
        candidates["birth_date"] = found.get("incident_date")
    if "change_new_value" in allowed:
        kind = found.get("change_type") or slots.get("change_type")
        asked = requested == "change_new_value"
        value = _change_value(kind, found, search_text, asked, today)
        if value is not None:
            candidates["change_new_value"] = value
    if (
        requested is not None
        and "incident_description" not in candidates
        and requested not in _INCIDENT_SLOTS
        and not correction.is_correction
        and correction.slot is None
        and not at_summary
    ):
        # "다친 사람은 없어요, 연락은 오후에만 주세요" answers the question asked; its
        # "오후" is not when the accident happened.
        for slot in _INCIDENT_SLOTS - {"incident_date"}:
            candidates.pop(slot, None)
    if requested in STORY_SLOTS:
        candidates.pop(requested, None)  # the whole answer is taken below
    for slot in list(candidates):
        if slot in STORY_SLOTS and slots.get(slot) is not None:
            del candidates[slot]  # a story is not retold by a correction
    if correction.day_shift is not None:
        # "하루 전이었네요" counts from the date given before, not from today.
        moved = shifted(slots.get("incident_date"), correction.day_shift)
        if moved is not None:
            candidates["incident_date"] = moved

    if correction.is_correction:
        _swap_words(text, slots, candidates, [correction.slot, requested])

    if requested and requested not in candidates and intent not in UNPLACED_INTENTS:
        found_other = bool(set(candidates) & allowed)
        answer = _answer_to_requested(
            requested, text, intent, found_other, correction.is_correction
        )
        if answer is not None:
            candidates[requested] = answer

    for slot, value in candidates.items():
        if slot not in allowed or slot == confirm_slot:
            continue
        plan.recognised.add(slot)
        old = slots.get(slot)
        if old is None:
            plan.filled[slot] = value
        elif old != value and (
            correction.is_correction
            or slot in YES_NO_SLOTS  # said in so many words: "다친 사람은 없어요"
            or slot == requested
            or at_summary
            or correction.slot == slot
        ):
            plan.changed[slot] = (old, value)

    if at_summary and confirm_slot and not plan.updates:
        answer = "yes" if intent == "affirm" else "no" if intent == "deny" else None
        answer = answer or candidates.get(confirm_slot) or parse_yes_no(text)
        if answer == "yes" and not correction.is_correction:
            plan.filled[confirm_slot] = "yes"
        elif answer == "no" or correction.is_correction:
            plan.wants_fix = True
    return plan


# Values in which one word can be said instead of another ("102동", "Suzanne").
_SWAPPABLE = ("incident_place", "change_new_value", "complaint_desired_outcome")


def _swap_words(
    text: str, slots: dict[str, Any], candidates: dict[str, Any], preferred: list[str | None]
) -> None:
    swap = swapped_words(text)
    if swap is None:
        return
    old_word, new_word = swap
    order = [s for s in preferred if s in _SWAPPABLE] + list(_SWAPPABLE)
    for slot in order:
        old = slots.get(slot)
        if isinstance(old, str) and old_word in old:
            found = candidates.get(slot)
            # "욕실 말고 안방 드레스룸": a fuller value found in the message wins; a bare
            # "박정현" does not replace "박정훈 (spouse)", it is swapped into it.
            if not (isinstance(found, str) and new_word in found and len(found) > len(new_word)):
                candidates[slot] = old.replace(old_word, new_word)
            return


def _answer_to_requested(
    requested: str, text: str, intent: str, found_other: bool, correcting: bool
) -> Any:
    """The whole message as the answer to the question asked, where that makes sense."""
    if requested in YES_NO_SLOTS:
        if found_other or correcting:
            return None  # "다친 사람은 없어요" answers another question than this one
        if intent == "affirm":
            return "yes"
        if intent == "deny":
            return "no"
        return parse_yes_no(text)
    if intent in SOCIAL_INTENTS:
        return None
    if requested == "complaint_category":
        return complaint_category(text)
    if requested in STORY_SLOTS:
        return None if correcting else text
    if requested in FREE_TEXT_SLOTS:
        # Not when the message corrects something else ("유형은 누수 말고 자연재해로
        # 해주세요" says nothing about where).
        return None if correcting and found_other else text
    # A structured value (policy number, date, type): hand the words to its validator,
    # which explains the format, only when nothing else in the message was understood
    # and it is short enough to be an attempt at this answer.
    if not found_other and len(text) <= _SHORT_ANSWER:
        return text
    return None


STORY_SLOTS_FOR_CLAIM = (
    "incident_type", "incident_date", "incident_time", "incident_place",
    "incident_description", "injuries",
)  # fmt: skip


def story_prefill(text: str, language: str, today: date) -> dict[str, str]:
    """Claim values told in a story before any form started (future dates dropped).

    Empty when the message does not tell what happened, so a question alone
    ("자차 보험료 오르나요?") fills nothing.
    """
    found = find_form_values(text, language, today)
    if found.get("incident_description") is None:
        return {}
    values = {slot: found.get(slot) for slot in STORY_SLOTS_FOR_CLAIM if found.get(slot)}
    if values.get("incident_date") and values["incident_date"] > today.isoformat():
        del values["incident_date"]
    return {slot: str(value) for slot, value in values.items()}
