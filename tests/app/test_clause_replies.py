"""What a clause answer says: paragraph-level citation, the deciding sentence, the choice
between two clauses, and the article with its paragraph marked."""

from __future__ import annotations

import json

from bot.actions.backend import knowledge_base
from bot.actions.clause_replies import (
    HIGHLIGHT,
    answer_reply,
    choice_reply,
    highlighted_wording,
)


def test_answer_cites_the_paragraph_and_quotes_its_sentence():
    kb = knowledge_base()
    hit = kb.explain("auto-003", "갱신하면 새 보험기간은 언제부터 시작돼요?", "ko")
    reply = answer_reply(hit, "ko")
    assert reply.response == "utter_clause_answer"
    assert reply.arguments["answer"] == kb.clause("auto-003").plain_ko
    assert reply.arguments["citation"] == "개인용 자동차보험 제3조(보험기간과 보상하는 지역) ②"
    assert "갱신계약" in reply.arguments["quote"]
    wording = kb.clause("auto-003").text_ko
    assert all(part in wording for part in reply.arguments["quote"].split(" … "))

    english = answer_reply(kb.explain("auto-003", "Am I covered in North Korea?", "en"), "en")
    assert english.arguments["citation"] == (
        "Personal auto insurance, Article 3(4) (Period of cover and territory)"
    )
    assert "North Korean" in english.arguments["quote"]


def test_a_clause_without_a_plain_explanation_is_quoted_as_written():
    kb = knowledge_base()
    hit = kb.explain("auto-003", "갱신하면 보험기간은?", "ko")
    unexplained = type("Unexplained", (), {
        "quote": hit.quote, "paragraph_citation": hit.paragraph_citation,
        "get": lambda self, name, language: "" if name == "plain" else hit.get(name, language),
    })()
    reply = answer_reply(unexplained, "ko")
    assert reply.response == "utter_clause_answer_unexplained"
    assert reply.arguments["quote"] == hit.quote.paragraph_text


def test_two_disagreeing_clauses_are_offered_as_buttons():
    kb = knowledge_base()
    first = kb.explain("auto-006", "자전거 탄 사람을 다치게 했어요", "ko")
    second = kb.explain("auto-010", "자전거 탄 사람을 다치게 했어요", "ko")
    reply = choice_reply(first, second, "ko")
    assert reply.response == "utter_clause_choose"
    assert reply.arguments["first"].startswith(f"{first.title_ko}: ")
    assert reply.arguments["second"].startswith(f"{second.title_ko}: ")
    assert reply.arguments["first_citation"] == first.paragraph_citation("ko")
    assert reply.arguments["second_citation"].startswith("개인용 자동차보험 제10조")
    assert [b["title"] for b in reply.buttons] == [first.title_ko, second.title_ko]
    assert all(b["payload"].startswith("/ask_coverage{") for b in reply.buttons)
    payloads = [json.loads(b["payload"].removeprefix("/ask_coverage")) for b in reply.buttons]
    assert payloads == [{"clause_id": "auto-006"}, {"clause_id": "auto-010"}]


def test_the_wording_marks_the_deciding_paragraph_only():
    text = knowledge_base().clause("auto-003").text_ko
    marked = highlighted_wording(text, 2, "ko").splitlines()
    assert [line.startswith(HIGHLIGHT) for line in marked] == [False, True, False, False]
    assert marked[1].startswith(f"{HIGHLIGHT} ②")
    assert HIGHLIGHT not in highlighted_wording(text, None, "ko")
