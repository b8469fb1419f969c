"""The console's building blocks without a server: replies, intent ranking, clause hits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from console.assist import suggest
from console.clauses import UNAVAILABLE, ClauseSearch, hit_view
from console.nlu import top_intents
from console.replies import NOT_FOR_AGENTS, ResponseBook
from tests.console.standins import HITS

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
INTENTS = sorted(yaml.safe_load((ROOT / "spec" / "intents.yml").read_text())["intents"])
BOOK = ResponseBook()


def test_intent_responses_come_from_the_rules_and_forms() -> None:
    mapping = BOOK.intent_responses
    assert mapping["greet"] == "utter_greet"
    assert mapping["contact_info"] == "utter_contact_info"
    assert mapping["claim_status"] == "utter_ask_policy_number"  # the form's first question
    assert mapping["file_complaint"] == "utter_ask_complaint_category"
    assert mapping["claim_documents"] == "utter_claim_documents_general"
    assert not set(mapping.values()) & NOT_FOR_AGENTS
    assert all(name in BOOK.responses for name in mapping.values())


@pytest.mark.parametrize("intent", INTENTS)
def test_every_intent_has_a_suggestion_in_both_languages(intent: str) -> None:
    korean = suggest(BOOK, intent, "ko", [], [])
    english = suggest(BOOK, intent, "en", [], [])
    assert korean is not None and english is not None, intent
    assert HANGUL.search(korean["text"])
    assert not HANGUL.search(english["text"])
    assert "{" not in korean["text"] and "{" not in english["text"]


def test_render_fills_fields_and_refuses_missing_ones() -> None:
    assert BOOK.render("utter_claim_status", "ko") is None
    text = BOOK.render(
        "utter_claim_status",
        "en",
        claim_id="CLM-2026-000123",
        incident_type="collision",
        incident_date="2026-10-28",
        status="under investigation",
        updated="2026-10-31",
        next_step="wait",
    )
    assert text is not None and "CLM-2026-000123" in text and text.startswith("Here's")
    assert BOOK.render("utter_no_such_response", "ko") is None


def test_top_intents_sorts_cuts_and_flags_fallback() -> None:
    parsed = {
        "intent": {"name": "nlu_fallback", "confidence": 0.45},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.45},
            {"name": "help", "confidence": 0.1},
            {"name": "greet", "confidence": 0.3},
            {"name": "thank", "confidence": 0.2},
            {"name": "deny", "confidence": 0.05},
            {"name": None, "confidence": 0.9},
            "garbage",
        ],
    }
    intents, low = top_intents(parsed)
    assert [i["name"] for i in intents] == ["greet", "thank", "help"]
    assert low is True
    assert top_intents({}) == ([], False)
    single, _ = top_intents({"intent": {"name": "greet", "confidence": 0.99}})
    assert single == [{"name": "greet", "confidence": 0.99}]


def test_hit_view_reads_objects_and_dicts() -> None:
    from_object = hit_view(HITS[0], "en")
    assert from_object["title"] == "Own vehicle damage - flooding"
    assert from_object["citation"] == "Car insurance wording, Article 21"
    from_dict = hit_view({"clause_id": "x", "title_ko": "제목", "plain_ko": "설명"}, "en")
    assert from_dict["title"] == "제목"  # the other language rather than nothing
    assert from_dict["citation"] is None and from_dict["score"] is None

    class BrokenCitation:
        clause_id = "y"

        def citation(self, language: str) -> str:
            raise KeyError(language)

    assert hit_view(BrokenCitation(), "ko")["citation"] is None


def test_clause_search_that_cannot_load_is_unavailable() -> None:
    def missing() -> object:
        raise ModuleNotFoundError("knowledge")

    search = ClauseSearch(loader=missing)
    assert search.wait(5) == UNAVAILABLE
    with pytest.raises(RuntimeError):
        search.search("침수", "ko")
    assert ClauseSearch(enabled=False).wait(5) == UNAVAILABLE
