"""The second stage's parts: the question memory, the conditional logit, the sure threshold."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.confidence import SureRule, is_sure
from knowledge.reranker import (
    FEATURES,
    Candidate,
    Prediction,
    RerankModel,
    Stacked,
    TrainingGroup,
    choose_sure_rule,
    fit_weights,
    named_products,
    softmax,
)
from knowledge.situations import Situation, SituationMemory


def unit_rows(count: int, dim: int, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(count, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_memory_closeness_matches_a_brute_force_count():
    situations = [
        Situation(f"question {i}", "ko" if i % 3 else "en", f"clause-{i % 7}") for i in range(60)
    ]
    vectors = unit_rows(60, 12)
    memory = SituationMemory(situations, vectors)
    query = vectors[4]
    found = memory.closeness(query, "ko")
    cosines = vectors @ query
    for clause_id, (best, top3, crossed) in found.items():
        same = sorted((cosines[i] for i, s in enumerate(situations)
                       if s.clause_id == clause_id and s.language == "ko"), reverse=True)
        other = [cosines[i] for i, s in enumerate(situations)
                 if s.clause_id == clause_id and s.language == "en"]
        assert best == pytest.approx(same[0], abs=1e-6)
        assert top3 == pytest.approx(np.mean(same[:3]), abs=1e-6)
        assert crossed == pytest.approx(max(max(other, default=0.0), 0.0), abs=1e-6)
    assert found["clause-4"][0] == pytest.approx(1.0, abs=1e-6)  # the question itself


def test_leaving_a_fold_out_hides_the_question_itself():
    situations = [Situation(f"q{i}", "ko", f"c{i % 4}") for i in range(40)]
    vectors = unit_rows(40, 8, seed=1)
    memory = SituationMemory(situations, vectors)
    me = situations[9]
    hidden = memory.closeness(vectors[9], "ko", leave_out_fold=me.fold)
    assert hidden[me.clause_id][0] < 0.999
    assert memory.closeness(vectors[9], "ko")[me.clause_id][0] == pytest.approx(1.0, abs=1e-6)


def test_folds_are_stable_and_spread():
    folds = [Situation(f"질문 {i}", "ko", "c").fold for i in range(500)]
    assert folds == [Situation(f"질문 {i}", "ko", "c").fold for i in range(500)]
    assert set(folds) == {0, 1, 2, 3, 4}


def random_groups(count: int, seed: int = 0) -> list[TrainingGroup]:
    rng = np.random.default_rng(seed)
    groups = []
    for i in range(count):
        size = int(rng.integers(3, 8))
        features = rng.random((size, len(FEATURES)))
        answer = int(np.argmax(features[:, 3] + 0.1 * rng.random(size)))  # memory decides
        candidates = tuple(Candidate(f"c{j}", features[j]) for j in range(size))
        groups.append(TrainingGroup(candidates, answer, i % 5, frozenset({f"c{answer}"})))
    return groups


def test_the_loss_gradient_is_the_numerical_one():
    stacked = Stacked(random_groups(30))
    weights = np.random.default_rng(3).normal(size=len(FEATURES))
    _loss, gradient = stacked.loss_and_gradient(weights, 0.1)
    step = 1e-6
    for i in range(len(FEATURES)):
        shifted = weights.copy()
        shifted[i] += step
        numeric = (stacked.loss_and_gradient(shifted, 0.1)[0] - _loss) / step
        assert gradient[i] == pytest.approx(numeric, rel=1e-3, abs=1e-5)


def test_fitting_learns_which_feature_decides():
    groups = random_groups(300)
    weights = fit_weights(groups, 0.001)
    assert int(np.argmax(weights)) == FEATURES.index("memory_best")
    model = RerankModel(weights)
    right = sum(model.rank(g.candidates)[0][0] == f"c{g.answer}" for g in groups)
    assert right / len(groups) > 0.9


def test_rank_gives_probabilities_best_first():
    model = RerankModel(np.eye(len(FEATURES))[0] * 2.0)
    candidates = [Candidate(name, np.eye(len(FEATURES))[0] * value)
                  for name, value in (("a", 0.1), ("b", 0.9), ("c", 0.5))]
    ranked = model.rank(candidates)
    assert [ref for ref, _logit, _p in ranked] == ["b", "c", "a"]
    assert sum(p for _ref, _logit, p in ranked) == pytest.approx(1.0)
    assert softmax(np.zeros(0)).size == 0


def test_model_round_trips_through_json(tmp_path):
    model = RerankModel(np.arange(len(FEATURES), dtype=float), 0.01, SureRule(0.42, 0.3),
                        {"cv_top1": 0.9})
    model.save(tmp_path)
    loaded = RerankModel.load(tmp_path)
    assert loaded is not None and loaded.sure_rule == SureRule(0.42, 0.3)
    assert np.allclose(loaded.weights, model.weights)
    (tmp_path / "reranker.json").write_text("{}")
    assert RerankModel.load(tmp_path) is None


def test_the_sure_rule_answers_most_while_keeping_wrong_answers_rare():
    predictions = (
        [Prediction(True, 0.9, False, 0.05)] * 80
        + [Prediction(False, 0.45, False, 0.40)] * 10  # close runner-up: ask
        + [Prediction(True, 0.5, False, 0.1)] * 10  # far ahead though not sure: answer
        + [Prediction(False, 0.2, True, 0.19)]  # the runner-up agrees: answered anyway
    )
    rule = choose_sure_rule(predictions, max_wrong=0.02)
    answered = [p for p in predictions if p.agrees or is_sure(p.probability, p.runner_up, rule)]
    assert len(answered) == 91
    assert sum(not p.correct for p in answered) <= 0.02 * len(predictions)
    assert choose_sure_rule([]) == SureRule()


def test_products_named_in_customers_words():
    assert named_products("실비 청구 서류 뭐예요") == {"health"}
    assert named_products("자보로 처리되나요") == {"auto"}
    assert named_products("my travel insurance and the car") >= {"travel", "auto"}
    assert named_products("보험료가 얼마예요") == frozenset()
