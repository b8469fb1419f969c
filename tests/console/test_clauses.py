"""Clause answers in the console: the chat's confidence rule (answer / which of two / which
product / not found), paragraph citations with the deciding sentence, and the article view
with the quoted paragraph highlighted (``GET /api/clauses/{clause_id}``)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from casestore import CaseStore
from console.app import create_app
from console.assist import AGENT_LINES, clause_reply, spoken_reference, suggest
from console.clauses import ClauseSearch, hit_view
from console.replies import ResponseBook
from tests.console.conftest import TOKEN, console_settings
from tests.console.standins import GAP_HIT, HITS, FakeKnowledgeBase, ParseStandIn

HANGUL = re.compile(r"[\uac00-\ud7a3]")
BOOK = ResponseBook()
FLOOD = "태풍으로 차가 침수되면 보상되나요?"
WINDOW = "창문 열어 뒀는데 비가 들이쳐서 침수됐어요, 보상되나요?"
CANCEL = "해지하고 싶은데 보상되나요?"


@pytest.fixture()
def search() -> ClauseSearch:
    clauses = ClauseSearch(loader=FakeKnowledgeBase)
    assert clauses.wait(5) == "ready"
    return clauses


def clause_result(search: ClauseSearch, text: str, language: str, **hints) -> dict:
    return {"status": "ok", "message": None, **search.search(text, language, **hints)}


# ------------------------------------------------------------------------------- views


def test_hit_view_has_the_paragraph_citation_quote_and_probability() -> None:
    korean = hit_view(HITS[0], "ko")
    assert korean["paragraph_citation"] == "개인용자동차보험 보통약관 제21조 ②"
    assert korean["citation"] == "개인용자동차보험 보통약관 제21조"
    assert korean["quote"]["label"] == "제21조 ②" and korean["quote"]["paragraph"] == 2
    assert korean["quote"]["sentence"].startswith("태풍, 홍수 등으로")
    assert korean["probability"] == 0.91 and korean["has_plain"] is True
    english = hit_view(HITS[0].in_language("en"), "en")
    assert english["paragraph_citation"] == "Car insurance wording, Article 21(2)"
    assert english["quote"]["label"] == "Article 21(2)"


def test_hit_view_stays_tolerant() -> None:
    bare = hit_view({"clause_id": "x", "title_ko": "제목", "plain_ko": "설명"}, "en")
    assert bare["paragraph_citation"] is None and bare["quote"] is None
    assert bare["probability"] is None and bare["has_plain"] is True

    class BrokenParagraph:
        clause_id = "y"
        quote = object()  # neither a Quote nor a dict

        def citation(self, language: str) -> str:
            return "제3조"

        def paragraph_citation(self, language: str) -> str:
            raise ValueError(language)

    view = hit_view(BrokenParagraph(), "ko")
    assert view["paragraph_citation"] == "제3조"  # the article citation rather than nothing
    assert view["quote"] is None


def test_a_clause_without_a_plain_explanation_says_so() -> None:
    view = hit_view(GAP_HIT, "ko")
    assert view["plain"] is None and view["has_plain"] is False
    assert "plain_ko" in view["gaps"]
    reply = clause_reply(view, "ko")
    assert reply is not None
    assert "쉬운 설명이 준비되어 있지 않아" in reply
    assert "대리운전업자가 운전하는 동안" in reply  # the quoted paragraph itself
    english = clause_reply(hit_view(GAP_HIT.in_language("en"), "en"), "en")
    assert english is not None and "no plain-language summary" in english


def test_paragraphs_are_read_out_as_words() -> None:
    view = hit_view(HITS[0], "ko")
    assert spoken_reference(view, "ko") == "제21조 제2항"
    assert spoken_reference(hit_view(HITS[0].in_language("en"), "en"), "en") == "Article 21(2)"


# ---------------------------------------------------------------------- the decision


def test_a_sure_clause_is_answered_with_its_paragraph_and_sentence(search) -> None:
    korean = clause_result(search, FLOOD, "ko")
    assert korean["decision"] == "answer" and korean["chosen"] == ["auto-own-damage-flood"]
    reply = suggest(BOOK, "ask_coverage", "ko", [], korean)
    assert reply is not None and reply["source"] == "clause"
    text = reply["text"]
    assert "「자기차량손해 - 침수」" in text
    sentence = "태풍, 홍수 등으로 피보험자동차가 물에 잠겨 생긴 손해는 보상합니다."
    assert f"제21조 제2항에는 “{sentence}”라고 되어 있습니다." in text
    assert "(근거: 개인용자동차보험 보통약관 제21조 ②)" in text

    english = clause_result(search, "Is flood damage covered?", "en")
    text = suggest(BOOK, "ask_coverage", "en", [], english)["text"]
    assert "Article 21(2) of the wording says: “Loss from the insured car" in text
    assert "(Source: Car insurance wording, Article 21(2))" in text
    assert not HANGUL.search(text)


def test_two_clauses_that_disagree_make_the_agent_ask_which_fits(search) -> None:
    result = clause_result(search, WINDOW, "ko")
    assert result["decision"] == "choose"
    assert result["chosen"] == ["auto-exclusion-window", "auto-own-damage-flood"]
    text = suggest(BOOK, "ask_coverage", "ko", [], result)["text"]
    assert "「보상하지 않는 손해 - 창문 개방」" in text and "「자기차량손해 - 침수」" in text
    assert "근거:" not in text  # no answer from the first clause
    english = clause_result(search, "I left the window open and the car flooded", "en")
    text = suggest(BOOK, "ask_coverage", "en", [], english)["text"]
    assert "“Not covered - open windows”" in text and "“Own vehicle damage - flooding”" in text


def test_several_products_make_the_agent_ask_which_product(search) -> None:
    result = clause_result(search, CANCEL, "ko")
    assert result["decision"] == "ask_product"
    assert [p["key"] for p in result["products"]] == ["auto", "travel"]
    reply = suggest(BOOK, "ask_coverage", "ko", [], result)
    assert reply["source"] == "console"
    assert "개인용 자동차보험, 해외여행보험 중 어떤 상품" in reply["text"]
    english = clause_result(search, "I want to cancel", "en")
    text = suggest(BOOK, "ask_coverage", "en", [], english)["text"]
    assert "Personal auto insurance or Overseas travel insurance" in text


def test_the_product_named_or_held_decides_like_in_the_chat(search) -> None:
    named = clause_result(search, CANCEL, "ko", product="auto")
    assert named["decision"] == "answer" and named["chosen"] == ["auto-cancel"]
    held = clause_result(search, CANCEL, "ko", policy_number="TR20261105")
    assert held["product"] == "travel" and held["chosen"] == ["travel-cancel"]


def test_nothing_found_is_the_agents_knowledge_line(search) -> None:
    result = clause_result(search, "오늘 날씨 어때요?", "ko")
    assert result["decision"] == "not_found" and result["hits"] == []
    reply = suggest(BOOK, "ask_coverage", "ko", [], result)
    assert reply["text"] == AGENT_LINES["knowledge"]["ko"]
    # A bare list of hits (no decision) still answers from the first one with a title.
    listed = suggest(BOOK, "ask_coverage", "ko", [], [hit_view(HITS[0], "ko")])
    assert listed["source"] == "clause"


def test_article_view_highlights_the_quoted_paragraph(search) -> None:
    article = search.article("auto-own-damage-flood", "ko", 2)
    assert article is not None
    assert [p["marker"] for p in article["paragraphs"]] == ["①", "②", "③"]
    assert [p["highlight"] for p in article["paragraphs"]] == [False, True, False]
    assert article["paragraphs"][1]["text"].startswith("태풍, 홍수 등으로")
    english = search.article("auto-own-damage-flood", "en", 3)
    assert english["paragraphs"][2]["highlight"] and english["paragraphs"][2]["marker"] == "(3)"
    assert not any(p["highlight"] for p in search.article("auto-claim-notice", "ko")["paragraphs"])
    assert search.article("no-such-clause", "ko", 1) is None


# ------------------------------------------------------------------------------- API


def test_assist_gives_the_decision_and_the_paragraph(agent: TestClient) -> None:
    result = agent.post("/api/assist", json={"text": FLOOD}).json()
    clauses = result["clauses"]
    assert clauses["decision"] == "answer" and clauses["chosen"] == ["auto-own-damage-flood"]
    top = clauses["hits"][0]
    assert top["paragraph_citation"] == "개인용자동차보험 보통약관 제21조 ②"
    assert top["quote"]["label"] == "제21조 ②" and top["quote"]["paragraph"] == 2
    assert "제21조 제2항에는 “태풍, 홍수" in result["suggestion"]["text"]

    choose = agent.post("/api/assist", json={"text": WINDOW}).json()
    assert choose["clauses"]["decision"] == "choose"
    assert len(choose["clauses"]["chosen"]) == 2
    assert "「보상하지 않는 손해 - 창문 개방」" in choose["suggestion"]["text"]


def test_the_policy_number_in_the_text_narrows_the_product(
    agent: TestClient, knowledge: FakeKnowledgeBase
) -> None:
    result = agent.post("/api/assist", json={"text": "TR20261105 해지하면 보상되나요?"}).json()
    assert knowledge.products_asked[-1] == "travel"
    assert result["clauses"]["decision"] == "answer"
    assert result["clauses"]["chosen"] == ["travel-cancel"]


def test_article_needs_an_agent(client: TestClient) -> None:
    response = client.get("/api/clauses/auto-own-damage-flood?paragraph=2")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_article_with_the_quoted_paragraph_highlighted(agent: TestClient) -> None:
    response = agent.get("/api/clauses/auto-own-damage-flood", params={"paragraph": 2})
    assert response.status_code == 200
    article = response.json()
    assert article["language"] == "ko" and article["highlighted"] is True
    assert article["citation"] == "개인용자동차보험 보통약관 제21조"
    highlighted = [p for p in article["paragraphs"] if p["highlight"]]
    assert [(p["number"], p["marker"]) for p in highlighted] == [(2, "②")]
    english = agent.get(
        "/api/clauses/auto-own-damage-flood", params={"paragraph": 1, "lang": "en"}
    ).json()
    assert english["language"] == "en"
    assert [p["highlight"] for p in english["paragraphs"]] == [True, False, False]
    assert english["paragraphs"][0]["text"].startswith("The Company pays")
    assert response.headers["cache-control"] == "no-store"


def test_article_of_a_missing_paragraph_highlights_nothing(agent: TestClient) -> None:
    article = agent.get("/api/clauses/auto-claim-notice", params={"paragraph": 7}).json()
    assert article["highlighted"] is False
    assert not any(p["highlight"] for p in article["paragraphs"])


@pytest.mark.parametrize("clause_id", ["no-such-clause", "auto-999", "..%2F..%2Fetc"])
def test_unknown_clause_is_404_in_both_languages(agent: TestClient, clause_id: str) -> None:
    response = agent.get(f"/api/clauses/{clause_id}", params={"paragraph": 1})
    assert response.status_code == 404
    body = response.json()
    assert body["error"] in ("clause_not_found", "not_found")
    if body["error"] == "clause_not_found":
        assert "약관 조항을 찾을 수 없습니다" in body["message"]["ko"]
        assert "No clause was found" in body["message"]["en"]


@pytest.mark.parametrize("params", [{"paragraph": 0}, {"paragraph": "two"}, {"lang": "fr"}])
def test_bad_article_parameters_are_422(agent: TestClient, params: dict) -> None:
    response = agent.get("/api/clauses/auto-own-damage-flood", params=params)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"


def test_article_by_bearer_token(client: TestClient) -> None:
    response = client.get(
        "/api/clauses/auto-own-damage-flood",
        params={"paragraph": 2},
        headers={"Authorization": f"Bearer {TOKEN}", "X-Agent-Name": "kim"},
    )
    assert response.status_code == 200
    assert response.json()["paragraphs"][1]["highlight"] is True


def test_article_while_clause_search_is_unavailable_is_503(
    case_store: CaseStore, parse_stand_in: ParseStandIn
) -> None:
    settings = console_settings(case_store.url, parse_stand_in.url)
    app = create_app(settings, clauses=ClauseSearch(enabled=False))
    with TestClient(app) as client:
        response = client.get(
            "/api/clauses/auto-own-damage-flood",
            headers={"Authorization": f"Bearer {TOKEN}", "X-Agent-Name": "kim"},
        )
    assert response.status_code == 503
    assert response.json()["error"] == "clause_search_unavailable"
