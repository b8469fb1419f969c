"""Every form value a message holds, whichever question was asked.

Customers answer "증권번호 알려주세요" with the story of their accident, give a name and a
birth date in one breath, or a case id instead of a policy number. `find_form_values`
reads one message for all of them at once; the form decides which it still needs.
Values are canonical (ISO dates, "HH:MM" or a part of the day, spec vocabulary keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.nlp import spacy_spans
from bot.nlp.answers import INJURY_WORDS, complaint_category, parse_yes_no
from bot.nlp.dates import past_weekday
from bot.nlp.entities import extract_entities
from bot.nlp.input_guard import sanitize
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
MIN_COMPLAINT_STORY_WORDS = {"ko": 6, "en": 9}


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


def _tells_what_happened(text: str, language: str, entities: set[str], details: bool) -> bool:
    """A story of a loss, not just "차 사고 났어요 접수 좀요": details, or many words."""
    if not looks_like_loss_report(text, entities | ({"incident_type"} if details else set())):
        return False
    words = len(text.split())
    short, long = (6, 10) if language == "en" else (4, 8)
    has_details = details or bool(entities & {"incident_date"})
    return words >= long or (has_details and words >= short)


def injuries_said(text: str) -> str | None:
    """ "yes" / "no" when the message talks about people being hurt, else None."""
    if not INJURY_WORDS.search(text):
        return None
    return parse_yes_no(text)


def is_complaint_story(text: str, language: str) -> bool:
    words = len(text.split())
    return words >= MIN_COMPLAINT_STORY_WORDS["en" if language == "en" else "ko"]


def shifted(iso_day: str | None, days: int) -> str | None:
    if not iso_day:
        return None
    return (date.fromisoformat(iso_day) + timedelta(days=days)).isoformat()
