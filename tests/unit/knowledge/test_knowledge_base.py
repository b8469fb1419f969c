"""The typed API: search, product filter, look-ups, citations, confidence."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest

from knowledge import Hit, KnowledgeBase, is_confident, products_split


def test_search_returns_one_frozen_hit_per_clause_best_first(kb):
    hits = kb.search("주차해 둔 차가 태풍 때 물에 잠겼는데 보상돼요?", top_k=5)
    assert len(hits) == 5
    assert hits[0].clause_id == "auto-017"
    assert "auto.flood_damage" in hits[0].topics
    assert len({hit.clause_id for hit in hits}) == 5
    # best first by the second stage's probability (the first stage's score is one feature)
    assert [hit.probability for hit in hits] == sorted((h.probability for h in hits), reverse=True)
    assert hits[0].quote is not None and hits[0].quote.sentence in hits[0].text_ko
    with pytest.raises(dataclasses.FrozenInstanceError):
        hits[0].score = 1.0  # type: ignore[misc]
    clause = kb.clause("auto-017")
    assert hits[0].plain_ko == clause.plain_ko and hits[0].text_en == clause.text_en
    assert hits[0].related == clause.related


def test_hit_citation(kb):
    hit = kb.search("my car was flooded in a typhoon", product="auto", top_k=1)[0]
    assert hit.citation("ko") == "개인용 자동차보험 제17조(침수로 인한 손해)"
    assert hit.citation("en") == "Personal auto insurance, Article 17 (Flood damage)"
    assert hit.title("en") == "Flood damage"


@pytest.mark.parametrize("product", ["auto", "home", "travel", "health", "accident"])
def test_product_filter_keeps_to_the_product(kb, product):
    hits = kb.search("보험을 해지하면 환급금은 얼마나 돌려받나요?", product=product, top_k=5)
    assert hits
    assert {hit.product for hit in hits} == {product}
    assert "common.cancellation_refund" in hits[0].topics or any(
        "common.cancellation_refund" in hit.topics for hit in hits[:3]
    )


def test_unknown_product_and_empty_question_give_nothing(kb):
    assert kb.search("보험금 청구 서류", product="pet") == []
    assert kb.search("   ") == []


def test_language_is_detected_or_given(kb):
    korean = kb.search("여행 중에 휴대품을 도난당했어요", top_k=1)
    forced = kb.search("여행 중에 휴대품을 도난당했어요", top_k=1, language="ko")
    assert korean == forced


def test_confidence_and_product_split(kb):
    flood = kb.search("주차해 둔 차가 태풍 때 물에 잠겼는데 보상돼요?")
    assert is_confident(flood)
    assert products_split(flood) == []
    weather = kb.search("What's the weather like in Seoul today?")
    assert not is_confident(weather)
    cancel = kb.search("How do I cancel and what refund do I get?", top_k=5)
    assert len(products_split(cancel)) >= 2
    assert not is_confident([])
    assert products_split([]) == []


def test_products_split_uses_scores_close_to_the_best():
    def hit(product: str, score: float) -> Hit:
        fields = {field.name: "" for field in dataclasses.fields(Hit)}
        fields.update(clause_id=f"{product}-001", product=product, article=1, topics=(),
                      related=(), score=score, dense_score=0.0, bm25_score=0.0)
        return Hit(**fields)

    assert products_split([hit("auto", 0.5), hit("home", 0.49), hit("auto", 0.3)]) == [
        "auto", "home"]
    assert products_split([hit("auto", 0.5), hit("home", 0.2)]) == []


def test_clause_product_and_term_look_ups(kb):
    assert kb.clause("health-012").title_en
    assert kb.clause("nope-001") is None
    assert kb.product("travel").name_ko == "해외여행보험"
    assert kb.product("pet") is None
    if kb.data.glossary:
        assert kb.term("자차", "ko").term_id == "own_damage"
        assert kb.term("What does excess mean?").term_id == "deductible"
        assert kb.term("자기부담금이 뭐예요?").term_en == "deductible"
        assert kb.term("오늘 서울 날씨 어때요?") is None


def test_load_is_cached_and_search_is_thread_safe(kb):
    assert KnowledgeBase.load(progress=False) is kb
    questions = ["자동차보험 해지하고 싶어요", "My flight was delayed", "임플란트 실비 되나요?"] * 4
    expected = [kb.search(question) for question in questions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(kb.search, questions))
    assert results == expected
