"""Every form value a message holds, whichever question was asked.

Customers answer "증권번호 알려주세요" with the story of their accident, give a name and a
birth date in one breath, or a case id instead of a policy number. `find_form_values`
reads one message for all of them at once; the form decides which it still needs.
Values are canonical (ISO dates, "HH:MM" or a part of the day, spec vocabulary keys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.nlp import spacy_spans
from bot.nlp.answers import (
    CONSENT_WORDS,
    INJURY_WORDS,
    NEGATIVE,
    NO_CONSENT,
    complaint_category,
)
from bot.nlp.dates import past_weekday
from bot.nlp.entities import extract_entities
from bot.nlp.input_guard import MAX_MESSAGE_CHARS, sanitize
from bot.nlp.loss_report import looks_like_loss_report
from bot.nlp.times import find_time

# Entities whose first mention in a message is a form value as it is.
_ENTITY_VALUES = (
    "policy_number", "claim_id", "complaint_id", "birth_date", "incident_date", "incident_type",
    "change_type", "product", "amount", "phone",
)  # fmt: skip
MAX_TEXT = 1000
MIN_DESCRIPTION = 5
# A complaint story: long enough to say what happened, not just "민원 넣고 싶어요".
MIN_COMPLAINT_STORY_WORDS = {"ko": 5, "en": 8}


@dataclass(frozen=True)
class Person:
    name: str
    relationship: str | None


@dataclass
class FormValues:
    """What one message says; None / empty where it says nothing."""

    values: dict[str, str] = field(default_factory=dict)
    person: Person | None = None

    def get(self, slot: str) -> str | None:
        return self.values.get(slot)


def usable_description(value: object) -> str | None:
    """An incident description as the case keeps it, or None when too short to be one."""
    description = sanitize(str(value or ""))
    return description[:MAX_TEXT] if len(description) >= MIN_DESCRIPTION else None


def find_form_values(text: str, language: str, today: date) -> FormValues:
    """Ids, dates, times, places, incident and change types, people and stories in ``text``."""
    text = sanitize(text)
    found: dict[str, str] = {}
    if len(text) > MAX_MESSAGE_CHARS:
        return FormValues(found)  # refused as too long before it reaches a form
    entities = extract_entities(text, today)
    names = {span.entity for span in entities}
    for span in entities:
        if span.entity in _ENTITY_VALUES:
            found.setdefault(span.entity, span.value)
    if "incident_date" not in found and "birth_date" not in found:
        weekday = past_weekday(text, today)
        if weekday is not None:
            found["incident_date"] = weekday.isoformat()
    time = find_time(text)
    if time is not None:
        found["incident_time"] = time.value
    place = spacy_spans.find_place(text, language)
    if place:
        found["incident_place"] = place
    address = spacy_spans.find_address(text, language)
    if address:
        found["address"] = address
    person = spacy_spans.find_person(text, language)
    items = spacy_spans.find_items(text, language)
    if items:
        found["items"] = ", ".join(dict.fromkeys(items))
    injuries = injuries_said(text)
    if injuries:
        found["injuries"] = injuries
    consent = consent_said(text)
    if consent:
        found["contact_consent"] = consent
    if _tells_what_happened(text, language, names, bool(place or items or time)):
        description = usable_description(text)
        if description:
            found["incident_description"] = description
    if is_complaint_story(text, language):
        found["complaint_description"] = text[:MAX_TEXT]
    category = complaint_category(text)
    if category != "other":
        found["complaint_category"] = category
    return FormValues(
        found, Person(person.name, person.relationship) if person and person.name else None
    )


# Ids, birth dates and requests are not part of a story ("접촉사고 처리 부탁드려요
# 증권번호 AU20250001, 생년월일 1985-03-14" tells nothing about what happened).
_NOT_STORY_WORDS = re.compile(
    r"[A-Z]{2}\d{8}|(?:CLM|CMP|CHG)-\d{4}-\d{6}|\d{6}|\d{4}[-./]\d{1,2}[-./]\d{1,2}|"
    r"증권\s*번호\S*|생년월일\S*|생일\S*|접수\S*|처리\s*부탁\S*|청구\s*하\S*|"
    r"\b(?:policy|dob|born|claim|please|need to|want to)\b",
    re.IGNORECASE,
)


def _tells_what_happened(text: str, language: str, entities: set[str], details: bool) -> bool:
    """A story of a loss, not just "차 사고 났어요 접수 좀요": details, or many words."""
    # Ids and birth dates said alongside do not make it less of a story.
    story_entities = entities & {"incident_type", "incident_date", "product"}
    if not looks_like_loss_report(text, story_entities | ({"incident_type"} if details else set())):
        return False
    words = len(_NOT_STORY_WORDS.sub(" ", text).split())
    short, long = (6, 10) if language == "en" else (4, 8)
    has_details = details or "incident_date" in entities
    return words >= long or (has_details and words >= short)


def injuries_said(text: str) -> str | None:
    """ "yes" / "no" when the message talks about people being hurt, else None.

    Only the words around the injury words count: "아무도 안 다쳤고 연락 주세요" is a no
    to injuries whatever the rest says; "목이 아프다고 해서 병원 가봤어요" is a yes.
    """
    match = INJURY_WORDS.search(text)
    if match is None:
        return None
    window = text[max(0, match.start() - 15) : match.end() + 15]
    return "no" if NEGATIVE.search(window) else "yes"


def consent_said(text: str) -> str | None:
    """ "yes" / "no" when the message says whether the handler may call, else None."""
    if NO_CONSENT.search(text):
        return "no"
    return "yes" if CONSENT_WORDS.search(text) else None


_COMPLAINT_REQUEST = re.compile(
    r"민원\s*\S*|불만\s*\S*|(?:i\s+)?(?:want|would like|wanna|need)\s+to\s+"
    r"(?:make|lodge|file|raise|submit)?\s*(?:a\s+)?(?:formal\s+)?complain\w*|complain\w*",
    re.IGNORECASE,
)


def is_complaint_story(text: str, language: str) -> bool:
    """What happened, not just "직원 응대 때문에 민원 넣을라고요": the request words do not
    count towards the length."""
    words = len(_COMPLAINT_REQUEST.sub(" ", text).split())
    return words >= MIN_COMPLAINT_STORY_WORDS["en" if language == "en" else "ko"]


def shifted(iso_day: str | None, days: int) -> str | None:
    if not iso_day:
        return None
    return (date.fromisoformat(iso_day) + timedelta(days=days)).isoformat()
