"""All entities of one message: the rule entities of `bot.nlp.entities` plus the spans of
`bot.nlp.spacy_spans` (place, person, relationship, item, address) that do not overlap
them. The rule entity extractor and the test-story annotator both use this one list.
"""

from __future__ import annotations

from datetime import date

from bot.nlp import spacy_spans
from bot.nlp.entities import EntitySpan, extract_entities
from bot.nlp.language import detect_language

# spaCy labels, by the entity name Rasa sees.
SPAN_ENTITIES = {
    spacy_spans.PLACE: "place",
    spacy_spans.PERSON: "person",
    spacy_spans.RELATIONSHIP: "relationship",
    spacy_spans.ITEM: "item",
    spacy_spans.ADDRESS: "address",
}


def extract_message_entities(text: str, today: date) -> list[EntitySpan]:
    """Rule entities first; a span is added only where no rule entity lies."""
    found = extract_entities(text, today)
    taken = [(span.start, span.end) for span in found]
    for span in spacy_spans.find_spans(text, detect_language(text)):
        if any(span.start < end and start < span.end for start, end in taken):
            continue
        found.append(
            EntitySpan(SPAN_ENTITIES[span.label], span.start, span.end, span.text, span.value)
        )
    return sorted(found, key=lambda span: span.start)
