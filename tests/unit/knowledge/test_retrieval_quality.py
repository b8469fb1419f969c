"""Retrieval quality on the dev questions (tests/knowledge_dev/questions.yml).

Targets: hybrid top-3 topic accuracy >= 0.95 in Korean and >= 0.90 in English, and hybrid
better than BM25 alone and dense alone in both languages. No timings here: see `bench`.
"""

from __future__ import annotations

from collections import Counter

import pytest

from knowledge.evaluation import DevQuestion, load_dev_set

TARGETS = {"ko": 0.95, "en": 0.90}


def test_dev_set_covers_every_topic_in_both_languages():
    import yaml

    from knowledge.settings import TOPICS_FILE

    topics = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))["topics"]
    dev = load_dev_set()
    counts = Counter((q.topic, q.language) for q in dev.questions)
    for topic in topics:
        assert counts[(topic, "ko")] >= 3, topic
        assert counts[(topic, "en")] >= 3, topic
    assert len({q.text for q in dev.questions}) == len(dev.questions)
    assert dev.off_topic


def test_every_dev_topic_is_evaluated(evaluator):
    assert not evaluator.skipped, sorted({q.topic for q in evaluator.skipped})


@pytest.mark.parametrize("language", ["ko", "en"])
def test_hybrid_top3_accuracy_meets_target(evaluator, language):
    hybrid = evaluator.metrics("hybrid", language)
    assert hybrid.questions >= 3 * 60
    assert hybrid.top3 >= TARGETS[language], hybrid


@pytest.mark.parametrize("language", ["ko", "en"])
def test_hybrid_beats_each_single_method(evaluator, language):
    hybrid = evaluator.metrics("hybrid", language)
    singles = {
        "bm25": evaluator.metrics("bm25", language, use_glossary=False),
        "bm25+glossary": evaluator.metrics("bm25", language, use_glossary=True),
        "dense": evaluator.metrics("dense", language, use_glossary=False),
    }
    for method, single in singles.items():
        assert hybrid.top3 > single.top3, (method, hybrid, single)
        assert hybrid.mrr > single.mrr, (method, hybrid, single)


def test_off_topic_questions_are_not_confident(evaluator):
    on_topic, off_topic = evaluator.confidence_rates()
    assert off_topic == 0.0
    assert on_topic >= 0.9


def test_strict_answers_need_the_named_or_implied_product():
    named = DevQuestion("암 진단비 나와요?", "common.disclosure_duty", "ko", product="health")
    implied = DevQuestion("자차 보험료는?", "auto.own_damage", "ko")
    any_product = DevQuestion("고의로 낸 사고도 보상돼요?", "common.intentional_act", "ko")
    assert named.expected_product == "health"
    assert implied.expected_product == "auto"
    assert any_product.expected_product is None


def test_top1_never_exceeds_top3_and_strict_never_exceeds_plain(evaluator):
    for language in ("ko", "en"):
        m = evaluator.metrics("hybrid", language)
        assert 0 < m.top1 <= m.top3 <= 1
        assert m.top1_strict <= m.top1 and m.top3_strict <= m.top3 and m.mrr_strict <= m.mrr
