"""Combining the dense and BM25 rankings."""

from __future__ import annotations

import pytest

from knowledge.fusion import (
    rank_order,
    reciprocal_rank_fusion,
    rescale_bm25,
    rescale_dense,
    score_mix,
)


def test_rank_order_breaks_ties_by_ref():
    assert rank_order({"b": 1.0, "a": 1.0, "c": 2.0}) == ["c", "a", "b"]


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "a"]], k=60)
    assert rank_order(fused)[0] == "b"
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    weighted = reciprocal_rank_fusion([["a", "b"], ["b", "a"]], weights=[2.0, 1.0], k=10)
    assert rank_order(weighted)[0] == "a"


def test_rescaling():
    assert rescale_dense(0.9, floor=0.8) == pytest.approx(0.5)
    assert rescale_dense(0.5, floor=0.8) == 0.0
    assert rescale_bm25({"a": 10.0, "b": 5.0}, saturation=0.0) == {"a": 1.0, "b": 0.5}
    assert rescale_bm25({"a": 1.0}, saturation=9.0) == {"a": pytest.approx(0.1)}
    assert rescale_bm25({}, saturation=1.0) == {}


def test_score_mix_weights_both_sides_and_keeps_one_sided_candidates():
    fused = score_mix({"a": 0.9, "b": 0.85}, {"b": 10.0, "c": 5.0}, alpha=0.5,
                      dense_floor=0.8, bm25_saturation=0.0)
    assert fused["a"] == pytest.approx(0.5 * 0.5)
    assert fused["b"] == pytest.approx(0.5 * 0.25 + 0.5 * 1.0)
    assert fused["c"] == pytest.approx(0.5 * 0.5)
    assert rank_order(fused)[0] == "b"
