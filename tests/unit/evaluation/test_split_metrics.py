"""Stratified split and folds, metrics and latency helpers."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from evaluation.common import (
    Example,
    language_of,
    load_nlu_file,
    load_training_examples,
    plain_text,
    stratified_folds,
    stratified_split,
    write_nlu_yaml,
)
from evaluation.latency import percentile, summarize
from evaluation.metrics import (
    accuracy,
    confusion_matrix,
    macro_f1,
    per_class_scores,
    worst_confusions,
)


def _toy() -> list[Example]:
    examples = []
    for intent in ("greet", "thank", "report_claim"):
        examples += [Example(f"{intent} 안녕 {i}", intent) for i in range(7)]
        examples += [Example(f"{intent} hello {i}", intent) for i in range(4)]
    examples.append(Example("혼자", "lonely"))
    return examples


def test_language_is_korean_when_there_is_hangul() -> None:
    assert language_of("AU20250001 접수") == "ko"
    assert language_of("ㅋㅋ") == "ko"
    assert language_of("claim AU20250001") == "en"


def test_plain_text_drops_annotations() -> None:
    raw = '증권번호 [AU20250001](policy_number) 이고 [어제]{"entity": "incident_date"}요'
    assert plain_text(raw) == "증권번호 AU20250001 이고 어제요"


def test_split_is_disjoint_complete_and_stratified() -> None:
    examples = _toy()
    train, test = stratified_split(examples, 0.2, seed=5)
    assert not set(train) & set(test)
    assert Counter(train + test) == Counter(examples)
    for intent in ("greet", "thank", "report_claim"):
        for language in ("ko", "en"):
            n_test = sum(1 for e in test if (e.intent, e.language) == (intent, language))
            n_train = sum(1 for e in train if (e.intent, e.language) == (intent, language))
            assert n_test >= 1 and n_train >= 1
    assert stratified_split(examples, 0.2, seed=5) == (train, test)
    assert stratified_split(examples, 0.2, seed=6) != (train, test)


def test_split_of_the_real_data_keeps_every_intent_and_language_on_both_sides() -> None:
    examples = load_training_examples()
    train, test = stratified_split(examples, 0.2, seed=2026)
    assert not {e.text for e in train} & {e.text for e in test}
    assert len(train) + len(test) == len(examples)
    strata = {(e.intent, e.language) for e in examples}
    assert {(e.intent, e.language) for e in train} == strata
    assert {(e.intent, e.language) for e in test} == strata
    assert 0.18 < len(test) / len(examples) < 0.22


def test_folds_partition_the_data_and_balance_sizes() -> None:
    examples = _toy()
    folds = stratified_folds(examples, 5, seed=1)
    assert Counter(e for fold in folds for e in fold) == Counter(examples)
    sizes = [len(fold) for fold in folds]
    assert max(sizes) - min(sizes) <= 1
    with pytest.raises(ValueError):
        stratified_folds(examples, 1)


def test_written_training_file_reads_back(tmp_path) -> None:
    examples = [Example("보험금 청구", "report_claim"), Example("hi: there", "greet")]
    path = write_nlu_yaml(examples, tmp_path / "nlu.yml")
    assert Counter(load_nlu_file(path)) == Counter(
        Example(e.text, e.intent, e.text) for e in examples
    )


def test_macro_f1_on_a_hand_checked_example() -> None:
    gold = ["a", "a", "a", "b", "b", "c"]
    pred = ["a", "a", "b", "b", "nlu_fallback", "c"]
    # a: P 2/2 R 2/3 F1 0.8; b: P 1/2 R 1/2 F1 0.5; c: P 1 R 1 F1 1.0
    scores = per_class_scores(gold, pred)
    assert set(scores) == {"a", "b", "c"}
    assert scores["a"].f1 == pytest.approx(0.8)
    assert scores["b"].f1 == pytest.approx(0.5)
    assert scores["c"].support == 1
    assert macro_f1(gold, pred) == pytest.approx((0.8 + 0.5 + 1.0) / 3)
    assert accuracy(gold, pred) == pytest.approx(4 / 6)
    assert worst_confusions(gold, pred) == [("a", "b", 1), ("b", "nlu_fallback", 1)]
    labels, rows = confusion_matrix(gold, pred, ["a", "b", "c", "nlu_fallback"])
    assert rows[0] == [2, 1, 0, 0] and rows[1] == [0, 1, 0, 1]
    assert labels[-1] == "nlu_fallback"


def test_percentiles_interpolate_between_ranks() -> None:
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert percentile(values, 50) == pytest.approx(55)
    assert percentile(values, 95) == pytest.approx(95.5)
    assert percentile(values, 99) == pytest.approx(99.1)
    assert percentile(values, 0) == 10 and percentile(values, 100) == 100
    assert percentile([7], 95) == 7
    assert math.isnan(percentile([], 50))
    summary = summarize([3, 1, 2])
    assert summary["count"] == 3 and summary["p50"] == 2 and summary["max"] == 3


def test_out_of_scope_messages_that_end_in_the_fallback_are_scored_as_caught() -> None:
    from evaluation.common import Example
    from evaluation.nlu import as_scored

    examples = [Example("날씨 어때", "out_of_scope"), Example("안녕", "greet"),
                Example("lol", "out_of_scope")]  # fmt: skip
    assert as_scored(examples, ["nlu_fallback", "nlu_fallback", "greet"]) == [
        "out_of_scope",
        "nlu_fallback",  # an in-scope message lost to the fallback stays an error
        "greet",
    ]
