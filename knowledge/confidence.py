"""Is a search result good enough to answer from, or should the assistant ask back?

``is_confident``: the best hit's fused score (``SearchSettings``: 0.8 x rescaled cosine + 0.2 x
relative BM25) reaches ``MIN_SCORE``. On the dev set every off-topic question (weather, recipes,
stocks) scored at most 0.15 and 98% of the insurance questions at least 0.19. This tells
insurance questions from others; it does not promise the best clause is the right one.

``products_split``: the hits close to the best one come from more than one product, as for a
common question ("how do I cancel?") asked without a product: the assistant should ask which
product first. With ``SPLIT_RATIO`` 0.85, 87% of the dev questions on common topics asked
without a product are split, against 13% of the product-specific ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

MIN_SCORE = 0.2
SPLIT_RATIO = 0.85  # hits scoring at least this share of the best one count as close


class ScoredHit(Protocol):
    product: str
    score: float


def is_confident(hits: Sequence[ScoredHit], *, min_score: float = MIN_SCORE) -> bool:
    return bool(hits) and hits[0].score >= min_score


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
