"""Console clause answers on the real knowledge base (``KnowledgeBase.load()``, built into
``.cache/knowledge`` on first use): the console's decision is the chat's, every hit cites its
paragraph and quotes a sentence of it, and the article view highlights that paragraph."""

from __future__ import annotations

import pytest

from console.assist import suggest
from console.clauses import ClauseSearch
from console.replies import ResponseBook

QUESTIONS = [
    ("주차해 둔 차가 태풍 때 물에 잠겼는데 보상돼요?", "ko"),
    ("해외여행 중 가방을 도둑맞았는데 보상되나요?", "ko"),
    ("my bag got stolen on the train in Rome, does the travel insurance pay?", "en"),
    ("I reversed into a cyclist in a car park and he broke his wrist. Who pays?", "en"),
]


@pytest.fixture(scope="module")
def kb():
    from knowledge import KnowledgeBase

    return KnowledgeBase.load(progress=False)


@pytest.fixture(scope="module")
def search(kb) -> ClauseSearch:
    clauses = ClauseSearch(loader=lambda: kb)
    assert clauses.wait(600) == "ready"
    return clauses


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("question", "language"), QUESTIONS)
def test_console_follows_the_chats_rule_and_cites_paragraphs(
    kb, search: ClauseSearch, question: str, language: str
) -> None:
    decision, hits = kb.answer(question, language=language)
    result = search.search(question, language)
    assert result["decision"] == decision.kind
    assert result["chosen"] == [hit.clause_id for hit in decision.hits]
    assert [h["clause_id"] for h in result["hits"]] == [hit.clause_id for hit in hits]
    for view in result["hits"]:
        clause = kb.clause(view["clause_id"])
        quote = view["quote"]
        assert quote and quote["sentence"], view
        assert flat(quote["sentence"]) in flat(clause.get("text", language))
        assert view["paragraph_citation"].startswith(view["citation"].split("(")[0].strip())
        assert 0.0 <= view["probability"] <= 1.0
        if quote["paragraph"] is not None:
            label = f"제{clause.article}조" if language == "ko" else f"Article {clause.article}"
            assert quote["label"].startswith(label)
            article = search.article(view["clause_id"], language, quote["paragraph"])
            marked = [p for p in article["paragraphs"] if p["highlight"]]
            assert [p["number"] for p in marked] == [quote["paragraph"]]
            assert flat(quote["sentence"]) in flat(marked[0]["text"])


@pytest.mark.parametrize(("question", "language"), QUESTIONS)
def test_the_suggested_reply_follows_the_decision(
    search: ClauseSearch, question: str, language: str
) -> None:
    result = {"status": "ok", "message": None, **search.search(question, language)}
    reply = suggest(ResponseBook(), "ask_coverage", language, [], result)
    assert reply is not None
    chosen = [h for h in result["hits"] if h["clause_id"] in result["chosen"]]
    if result["decision"] == "answer":
        top = chosen[0]
        assert reply["source"] == "clause"
        assert top["paragraph_citation"] in reply["text"]
        assert flat(top["quote"]["sentence"]) in flat(reply["text"])
    elif result["decision"] == "choose":
        assert all(hit["title"] in reply["text"] for hit in chosen)
    else:
        assert reply["source"] == "console"


def test_unknown_clause_has_no_article(search: ClauseSearch) -> None:
    assert search.article("no-such-clause", "ko", 1) is None
