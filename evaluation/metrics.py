"""Classification metrics for intent predictions (stdlib only).

Macro-F1 averages the per-intent F1 over the intents present in the gold labels: a message
predicted as ``nlu_fallback`` (or any label with no gold example) lowers the recall of its
gold intent and the precision of nothing, so such labels are not averaged in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def per_class_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, ClassScores]:
    """Precision, recall, F1 and support of every gold label."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    true_positive: Counter[str] = Counter()
    predicted_count: Counter[str] = Counter(predicted)
    gold_count: Counter[str] = Counter(gold)
    for g, p in zip(gold, predicted, strict=True):
        if g == p:
            true_positive[g] += 1
    scores: dict[str, ClassScores] = {}
    for label in sorted(gold_count):
        precision = _ratio(true_positive[label], predicted_count[label])
        recall = _ratio(true_positive[label], gold_count[label])
        f1 = _ratio(2 * precision * recall, precision + recall)
        scores[label] = ClassScores(precision, recall, f1, gold_count[label])
    return scores


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    scores = per_class_scores(gold, predicted)
    return _ratio(sum(s.f1 for s in scores.values()), len(scores))


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    return _ratio(sum(1 for g, p in zip(gold, predicted, strict=True) if g == p), len(gold))


def confusion_counts(gold: Sequence[str], predicted: Sequence[str]) -> Counter[tuple[str, str]]:
    return Counter(zip(gold, predicted, strict=True))


def worst_confusions(
    gold: Sequence[str], predicted: Sequence[str], top: int = 10
) -> list[tuple[str, str, int]]:
    """The most frequent (gold, predicted, count) errors, most frequent first."""
    errors = [(g, p, n) for (g, p), n in confusion_counts(gold, predicted).items() if g != p]
    errors.sort(key=lambda item: (-item[2], item[0], item[1]))
    return errors[:top]


def confusion_matrix(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None
) -> tuple[list[str], list[list[int]]]:
    """(labels, rows): rows[i][j] counts gold labels[i] predicted as labels[j]."""
    if labels is None:
        labels = sorted(set(gold) | set(predicted))
    index = {label: i for i, label in enumerate(labels)}
    rows = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        if g in index and p in index:
            rows[index[g]][index[p]] += 1
    return list(labels), rows


def share(values: Sequence[bool]) -> float:
    return _ratio(sum(1 for value in values if value), len(values))
