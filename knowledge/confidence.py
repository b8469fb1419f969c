"""Is a search result good enough to answer from, or should the assistant ask back?

``is_confident``: the best fused score among the hits (``SearchSettings``: 0.8 x rescaled cosine
+ 0.2 x relative BM25) reaches ``MIN_SCORE``. On the dev set every off-topic question (weather,
recipes, stocks) scored at most 0.15 and 98% of the insurance questions at least 0.19. This
tells insurance questions from others; it does not promise the best clause is the right one.

``products_split``: the hits close to the best one come from more than one product, as for a
common question ("how do I cancel?") asked without a product: the assistant should ask which
product first. With ``SPLIT_RATIO`` 0.85, 87% of the dev questions on common topics asked
without a product are split, against 13% of the product-specific ones.

``decide``: the one rule the chat and the agent console share (answer, "which of these two?",
"which product?", not found), on the second stage's probabilities; its ``SureRule`` is chosen
by cross-validation on the situation questions (``knowledge.reranker.choose_sure_rule``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

MIN_SCORE = 0.2
SPLIT_RATIO = 0.85  # hits scoring at least this share of the best one count as close


class ScoredHit(Protocol):
    product: str
    score: float


def is_confident(hits: Sequence[ScoredHit], *, min_score: float = MIN_SCORE) -> bool:
    """Whether the wordings answer the question at all: the best first-stage score among the
    hits (the second stage may put first a clause whose wording matched less)."""
    return bool(hits) and max(hit.score for hit in hits) >= min_score


def products_split(
    hits: Sequence[ScoredHit], *, ratio: float = SPLIT_RATIO, by: str = "score"
) -> list[str]:
    """The products among the hits close to the best one (``by``: "score", the first stage's,
    or "probability", the second stage's), best first, when there are two or more of them;
    [] when the results agree on one product (or there are none)."""
    if not hits:
        return []
    top = getattr(hits[0], by)
    products: list[str] = []
    for hit in hits:
        if getattr(hit, by) >= top * ratio and hit.product not in products:
            products.append(hit.product)
    return products if len(products) > 1 else []


ANSWER = "answer"  # answer from the first clause
CHOOSE = "choose"  # two clauses disagree and neither is sure: show both, ask which fits
ASK_PRODUCT = "ask_product"  # the question fits several products' clauses alike
NOT_FOUND = "not_found"  # nothing in the wordings answers it



@dataclass(frozen=True)
class SureRule:
    """When the first clause is answered without asking: its probability reaches
    ``sure_probability``, or the runner-up's is below ``close_ratio`` times its own. The
    second stage chooses both by cross-validation (``reranker.choose_sure_rule``)."""

    sure_probability: float = 0.5
    close_ratio: float = 0.5


DEFAULT_SURE_RULE = SureRule()  # when there is no second stage to choose one
# Hits with at least this share of the best one's probability count as close when deciding
# whether a question without a product fits several products alike.
PRODUCT_SPLIT_SHARE = 0.5


class RankedHit(ScoredHit, Protocol):
    clause_id: str
    topics: tuple[str, ...]
    probability: float


@dataclass(frozen=True)
class Decision:
    """What to do with one question's hits; the same rule for the chat and the console."""

    kind: str
    hits: tuple  # ANSWER: (best,); CHOOSE: (first, second); ASK_PRODUCT / NOT_FOUND: ()
    products: tuple[str, ...] = ()  # ASK_PRODUCT: the products to choose from, best first


def is_sure(best: float, runner_up: float, rule: SureRule) -> bool:
    return best >= rule.sure_probability or runner_up < rule.close_ratio * best


def same_answer(first: RankedHit, second: RankedHit) -> bool:
    """Two clauses say the same thing for the customer: same product, a topic in common."""
    return first.product == second.product and bool(set(first.topics) & set(second.topics))


def decide(
    hits: Sequence[RankedHit],
    *,
    product_known: bool,
    rule: SureRule = DEFAULT_SURE_RULE,
) -> Decision:
    """Answer only when sure.

    Nothing relevant: ask for the product when none is known (it may help), else not found.
    The runner-up says the same thing, or it is far behind (``rule``): answer. No product known
    and the close hits span products: ask which one. Otherwise the top two disagree with close
    scores: offer both and let the customer pick.
    """
    if not is_confident(hits):
        return Decision(ASK_PRODUCT if not product_known and hits else NOT_FOUND, ())
    best = hits[0]
    if len(hits) < 2 or same_answer(best, hits[1]) or is_sure(best.probability,
                                                              hits[1].probability, rule):
        return Decision(ANSWER, (best,))
    split = products_split(hits, ratio=PRODUCT_SPLIT_SHARE, by="probability")
    if not product_known and split:
        return Decision(ASK_PRODUCT, (), tuple(split))
    return Decision(CHOOSE, (best, hits[1]))
