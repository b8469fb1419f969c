"""What a clause answer says, as response names and variables: plain Python the actions call.

The confidence rule itself lives in ``knowledge.confidence.decide`` (shared with the agent
console); this module turns its decision into the customer's reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.quotes import paragraph_marker
from knowledge.wording import split_paragraphs

HIGHLIGHT = "▶"
SUMMARY_CHARACTERS = 90


@dataclass(frozen=True)
class Reply:
    response: str
    arguments: dict[str, str] = field(default_factory=dict)
    buttons: list[dict[str, str]] = field(default_factory=list)


def _first_sentence(text: str, limit: int = SUMMARY_CHARACTERS) -> str:
    text = " ".join(text.split())
    for end in (". ", "다. ", "요. "):
        cut = text.find(end)
        if 0 < cut < limit:
            return text[: cut + len(end)].strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def answer_reply(hit: Any, language: str) -> Reply:
    """The plain explanation with the deciding sentence and a paragraph-level citation; for a
    clause without an explanation yet (an ingested wording), the paragraph itself."""
    quote = hit.quote
    citation = hit.paragraph_citation(language)
    plain = hit.get("plain", language)
    if not plain.strip():
        wording = (quote.paragraph_text or quote.sentence) if quote else hit.get("text", language)
        return Reply("utter_clause_answer_unexplained", {"quote": wording, "citation": citation})
    sentence = quote.quoted() if quote and quote.sentence else ""
    if not sentence:
        return Reply("utter_clause_answer", {"answer": plain, "quote": "-", "citation": citation})
    return Reply("utter_clause_answer", {"answer": plain, "quote": sentence, "citation": citation})


def choice_reply(first: Any, second: Any, language: str) -> Reply:
    """Two clauses that answer differently: each in one line, and a button for each."""
    def line(hit: Any) -> str:
        summary = _first_sentence(hit.get("plain", language) or hit.get("text", language))
        return f"{hit.title(language)}: {summary}"

    # ask_coverage, not inform: inside a form the digression rules answer it and the form
    # carries on, as for any coverage question asked there.
    buttons = [
        {"title": hit.title(language),
         "payload": f'/ask_coverage{{"clause_id": "{hit.clause_id}"}}'}
        for hit in (first, second)
    ]
    arguments = {
        "first": line(first),
        "first_citation": first.paragraph_citation(language),
        "second": line(second),
        "second_citation": second.paragraph_citation(language),
    }
    return Reply("utter_clause_choose", arguments, buttons)


def highlighted_wording(text: str, paragraph: int | None, language: str) -> str:
    """The article's wording with the paragraph that decided the answer marked ▶."""
    lines = []
    for item in split_paragraphs(text):
        marker = item.marker or (paragraph_marker(item.number, language) if item.number else "")
        body = f"{marker} {item.text}".strip()
        lines.append(f"{HIGHLIGHT} {body}" if paragraph is not None and item.number == paragraph
                     else body)
    return "\n".join(lines) or text
