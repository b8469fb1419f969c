"""Latency summaries (stdlib only)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), interpolated linearly between the closest ranks.

    The same definition as numpy's default: with sorted values v[0..n-1], position
    (n - 1) * q / 100 between two ranks is interpolated. NaN for no values.
    """
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(ordered[low])
    weight = position - low
    return float(ordered[low] * (1 - weight) + ordered[high] * weight)


def summarize(values: Sequence[float]) -> dict[str, float]:
    """Count, mean, p50, p95, p99 and max of latencies (in the unit given)."""
    return {
        "count": len(values),
        "mean": (sum(values) / len(values)) if values else math.nan,
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else math.nan,
    }
