"""Combining the dense and the BM25 ranking of clauses into one.

Two ways, both tuned on the dev questions (``python -m knowledge eval``):

* reciprocal rank fusion: sum of ``weight / (k + rank)``; ignores how far apart scores are;
* score mix (the default): ``alpha * dense + (1 - alpha) * bm25``, where the dense score is the
  cosine rescaled from [floor, 1] to [0, 1] and the BM25 score is divided by the best BM25 score
  of the query plus a constant, so a weak best word match stays weak. Keeping absolute scales
  (rather than min-max per query) makes the fused score usable for the confidence judgement.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def rank_order(scores: Mapping[str, float]) -> list[str]:
    return sorted(scores, key=lambda ref: (-scores[ref], ref))


def reciprocal_rank_fusion(
    rankings: list[list[str]], weights: list[float] | None = None, k: float = 60.0
) -> dict[str, float]:
    weights = weights or [1.0] * len(rankings)
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, ref in enumerate(ranking, start=1):
            fused[ref] = fused.get(ref, 0.0) + weight / (k + rank)
    return fused


def rescale_dense(cosine: float, floor: float) -> float:
    return float(np.clip((cosine - floor) / (1.0 - floor), 0.0, 1.0))


def rescale_bm25(scores: Mapping[str, float], saturation: float) -> dict[str, float]:
    """BM25 scores divided by (the best one + ``saturation``): in [0, 1), and a query whose best
    match is a single common word does not reach the top of the scale."""
    if not scores:
        return {}
    top = max(scores.values())
    if top <= 0:
        return {ref: 0.0 for ref in scores}
    return {ref: float(value / (top + saturation)) for ref, value in scores.items()}


def score_mix(
    dense: Mapping[str, float],
    bm25: Mapping[str, float],
    alpha: float,
    dense_floor: float,
    bm25_saturation: float,
) -> dict[str, float]:
    lexical = rescale_bm25(bm25, bm25_saturation)
    refs = set(dense) | set(lexical)
    return {
        ref: alpha * rescale_dense(dense.get(ref, dense_floor), dense_floor)
        + (1.0 - alpha) * lexical.get(ref, 0.0)
        for ref in refs
    }
