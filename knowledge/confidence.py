"""Is a search result good enough to answer from, or should the assistant ask back?

``is_confident``: the best hit's fused score clears a floor and its dense similarity shows the
question is about insurance wording at all. Thresholds were set from the dev questions against
the off-topic ones (``python -m knowledge eval`` prints both rates).

``products_split``: the hits that are close to the best one come from more than one product,
as a common question ("how do I cancel?") does when no product is known: the assistant should
ask which product before answering.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

MIN_SCORE = 0.35
MIN_DENSE = 0.80
SPLIT_RATIO = 0.85  # hits scoring at least this share of the best one count as close


class ScoredHit(Protocol):
    product: str
    score: float
    dense_score: float


def is_confident(hits: Sequence[ScoredHit], *, min_score: float = MIN_SCORE,
                 min_dense: float = MIN_DENSE) -> bool:
    if not hits:
        return False
    best = hits[0]
    return best.score >= min_score and best.dense_score >= min_dense


def products_split(hits: Sequence[ScoredHit], *, ratio: float = SPLIT_RATIO) -> list[str]:
    """The products among the hits close to the best one, best first, when there are two or
    more of them; [] when the results agree on one product (or there are none)."""
    if not hits:
        return []
    top = hits[0].score
    products: list[str] = []
    for hit in hits:
        if hit.score >= top * ratio and hit.product not in products:
            products.append(hit.product)
    return products if len(products) > 1 else []
