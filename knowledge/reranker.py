"""The second stage: re-rank the first stage's candidates with what customers' questions teach.

The first stage (``PassageIndex.rank``) scores clauses by their wording: e5 cosine to the
clause's heading and plain explanation, BM25 over the whole wording. It confuses neighbours a
customer would never confuse (bodily-injury liability to others with the driver's own injury
cover; what is paid for stolen belongings with subrogation). The second stage adds, for every
candidate clause:

- **memory**: how close the question is to the situation questions written for that clause
  (``knowledge.situations``), best and mean-of-three cosine, same language and the other one;
- **product**: whether the question names the clause's product, or names another one
  (``bot.nlp.products``: 실비, 자보, "car insurance"...);
- **exclusion**: whether the question is about something not being paid and the clause is an
  exclusion.

These and the first-stage scores are combined by a conditional logit (a softmax over one
question's candidates), so the output is also a probability that the top clause is the one the
question is about. The weights are fitted on the situation questions, each seeing a memory
without its own cross-validation fold, and the L2 strength is the one with the best
cross-validated top-1; the dev and held-out questions are never used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from bot.nlp.products import find_products
from knowledge.confidence import SureRule, is_sure
from knowledge.fusion import rescale_bm25, rescale_dense
from knowledge.index import Scored
from knowledge.policy_data import Clause
from knowledge.situations import FOLDS

FEATURES = (
    "first_stage",
    "dense",
    "bm25",
    "memory_best",
    "memory_top3",
    "memory_other_language",
    "classifier",
    "classifier_log",
    "product_named",
    "other_product_named",
    "exclusion_asked",
)
MODEL_FILE = "reranker.json"
FIRST_STAGE_CANDIDATES = 30
MEMORY_CANDIDATES = 20
CLASSIFIER_CANDIDATES = 10
DENSE_FLOOR = 0.8
MEMORY_FLOOR = 0.75
BM25_SATURATION = 5.0
L2_GRID = (0.0, 0.00001, 0.0001, 0.001)

_EXCLUSION_CLAUSE = re.compile(r"not covered|exclusion|보상하지 않|지급하지 않", re.IGNORECASE)
_NOT_PAID_QUESTION = re.compile(
    r"안\s*(?:되|돼|나와|나오|줘|주)|못\s*받|제외|면책|거절|거부|예외|"
    r"not\s+(?:covered|paid|pay)|won'?t\s+pay|exclu|refus|reject|den(?:y|ied)|exception",
    re.IGNORECASE,
)


def is_exclusion(clause: Clause) -> bool:
    return any(
        _EXCLUSION_CLAUSE.search(text)
        for text in (clause.chapter_en, clause.chapter_ko, clause.title_en, clause.title_ko)
    )


def named_products(question: str) -> frozenset[str]:
    return frozenset(match.value for match in find_products(question))


@dataclass(frozen=True)
class Candidate:
    clause_id: str
    features: np.ndarray


@dataclass
class FirstStage:
    """One question's first-stage results, best first."""

    ranked: list[Scored]

    def __post_init__(self) -> None:
        self.by_ref = {scored.ref: scored for scored in self.ranked}
        self.order = [scored.ref for scored in self.ranked]


def candidate_features(
    question: str,
    language: str,
    first: FirstStage,
    memory: dict[str, tuple[float, float, float]],
    classified: dict[str, float],
    clauses: dict[str, Clause],
    *,
    product: str | None = None,
) -> list[Candidate]:
    """The candidates of one question (the first stage's best, then the memory's and the
    classifier's best; of ``product`` only, when given) with their feature vectors, in
    FEATURES order."""
    by_memory = sorted(memory, key=lambda ref: (-memory[ref][0], ref))
    by_classifier = sorted(classified, key=lambda ref: (-classified[ref], ref))
    refs = [
        ref for ref in dict.fromkeys(first.order[:FIRST_STAGE_CANDIDATES]
                                     + by_memory[:MEMORY_CANDIDATES]
                                     + by_classifier[:CLASSIFIER_CANDIDATES])
        if ref in clauses and product in (None, clauses[ref].product)
    ]
    lexical = rescale_bm25({s.ref: s.bm25 for s in first.ranked}, BM25_SATURATION)
    products = named_products(question)
    asks_not_paid = bool(_NOT_PAID_QUESTION.search(question))
    candidates = []
    for ref in refs:
        scored = first.by_ref.get(ref)
        fused, cosine = (scored.score, scored.dense) if scored else (0.0, 0.0)
        best, top3, crossed = memory.get(ref, (0.0, 0.0, 0.0))
        share = classified.get(ref, 0.0)
        clause = clauses[ref]
        values = (
            fused,
            rescale_dense(cosine, DENSE_FLOOR) if cosine else 0.0,
            lexical.get(ref, 0.0),
            rescale_dense(best, MEMORY_FLOOR) if best else 0.0,
            rescale_dense(top3, MEMORY_FLOOR) if top3 else 0.0,
            rescale_dense(crossed, MEMORY_FLOOR) if crossed else 0.0,
            share,
            float(np.log(max(share, 1e-6))) / 10.0 if classified else 0.0,
            float(clause.product in products),
            float(bool(products) and clause.product not in products),
            float(asks_not_paid and is_exclusion(clause)),
        )
        candidates.append(Candidate(ref, np.array(values, dtype=np.float64)))
    return candidates


def softmax(logits: np.ndarray) -> np.ndarray:
    if not len(logits):
        return logits
    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


@dataclass
class RerankModel:
    weights: np.ndarray
    l2: float = 0.0
    # When to answer without asking "which of these?" (knowledge.confidence.decide).
    sure_rule: SureRule = field(default_factory=SureRule)
    report: dict = field(default_factory=dict)

    def logits(self, candidates: Sequence[Candidate]) -> np.ndarray:
        if not candidates:
            return np.zeros(0)
        return np.stack([c.features for c in candidates]) @ self.weights

    def rank(self, candidates: Sequence[Candidate]) -> list[tuple[str, float, float]]:
        """(clause id, logit, probability), best first."""
        logits = self.logits(candidates)
        probabilities = softmax(logits)
        order = np.argsort(-logits, kind="stable")
        return [
            (candidates[i].clause_id, float(logits[i]), float(probabilities[i])) for i in order
        ]

    def save(self, folder: Path) -> None:
        payload = {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "l2": self.l2,
            "sure_probability": self.sure_rule.sure_probability,
            "close_ratio": self.sure_rule.close_ratio,
            "report": self.report,
        }
        (folder / MODEL_FILE).write_text(json.dumps(payload, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> RerankModel | None:
        path = folder / MODEL_FILE
        if not path.is_file():
            return None
        payload = json.loads(path.read_text(encoding="utf-8"))
        if tuple(payload.get("features") or ()) != FEATURES:
            return None
        rule = SureRule(payload["sure_probability"], payload.get("close_ratio", 0.0))
        return cls(np.array(payload["weights"], dtype=np.float64), payload["l2"], rule,
                   payload.get("report") or {})


# ---------------------------------------------------------------------------- fitting
@dataclass(frozen=True)
class TrainingGroup:
    """One training question: its candidates, which one is right, and its fold."""

    candidates: tuple[Candidate, ...]
    answer: int  # index of the labelled clause among the candidates
    fold: int
    correct: frozenset[str]  # clause ids that count as right (same topic and product)


class Stacked:
    """Training groups as one matrix, for a loss that needs no Python loop over questions.

    The loss is the negative log of the probability given to the clauses that count as right
    (the labelled one and any clause of its product sharing a topic with it), the measure
    the assistant is judged by."""

    def __init__(self, groups: Sequence[TrainingGroup]) -> None:
        sizes = np.array([len(g.candidates) for g in groups], dtype=np.int64)
        self.starts = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
        self.group_of_row = np.repeat(np.arange(len(groups)), sizes)
        self.features = np.vstack([c.features for g in groups for c in g.candidates])
        self.right = np.array([
            c.clause_id in g.correct or i == g.answer
            for g in groups for i, c in enumerate(g.candidates)
        ], dtype=np.float64)
        self.count = len(groups)

    def loss_and_gradient(self, weights: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
        logits = self.features @ weights
        peak = np.maximum.reduceat(logits, self.starts)
        exp = np.exp(logits - peak[self.group_of_row])
        totals = np.add.reduceat(exp, self.starts)
        right_totals = np.add.reduceat(exp * self.right, self.starts)
        probabilities = exp / totals[self.group_of_row]
        right_shares = exp * self.right / right_totals[self.group_of_row]
        loss = float(np.sum(np.log(totals) - np.log(right_totals))) / self.count
        gradient = self.features.T @ (probabilities - right_shares) / self.count
        return loss + l2 * float(weights @ weights), gradient + 2.0 * l2 * weights


def fit_weights(groups: Sequence[TrainingGroup], l2: float) -> np.ndarray:
    stacked = Stacked(groups)
    start = np.zeros(len(FEATURES))
    start[0] = 5.0  # begin from the first stage's own order
    result = minimize(stacked.loss_and_gradient, start, args=(l2,), jac=True,
                      method="L-BFGS-B", options={"maxiter": 500})
    return result.x


@dataclass(frozen=True)
class Prediction:
    correct: bool  # top clause counts as right
    probability: float  # of the top clause
    agrees: bool  # the second clause shares a topic with the first (or there is none)
    runner_up: float = 0.0  # probability of the second clause


def choose_sure_rule(predictions: Sequence[Prediction], max_wrong: float = 0.02) -> SureRule:
    """The rule that answers the most questions at once while at most ``max_wrong`` of all
    questions get an answer, without "which of these?", from a clause that does not fit."""
    if not predictions:
        return SureRule()
    best_p = np.array([p.probability for p in predictions])
    second = np.array([p.runner_up for p in predictions])
    agrees = np.array([p.agrees for p in predictions])
    wrong = ~np.array([p.correct for p in predictions])
    chosen, most = SureRule(1.0, 0.0), -1
    for sure in (step / 100 for step in range(30, 101)):
        for ratio in (step / 50 for step in range(51)):
            answered = agrees | (best_p >= sure) | (second < ratio * best_p)
            within = np.sum(answered & wrong) <= max_wrong * len(predictions)
            if within and answered.sum() > most:
                chosen = SureRule(sure, ratio)
                most = answered.sum()
    return chosen


def cross_validate(
    groups: Sequence[TrainingGroup],
    agree: callable,
) -> tuple[float, dict, list[Prediction]]:
    """The L2 strength with the best cross-validated top-1, the figures, and that strength's
    out-of-fold predictions (for the confidence threshold)."""
    best_l2, best_top1, best_predictions, table = L2_GRID[0], -1.0, [], {}
    for l2 in L2_GRID:
        predictions: list[Prediction] = []
        for fold in range(FOLDS):
            train = [g for g in groups if g.fold != fold]
            test = [g for g in groups if g.fold == fold]
            if not train or not test:
                continue
            model = RerankModel(fit_weights(train, l2))
            for group in test:
                ranked = model.rank(group.candidates)
                top = ranked[0][0]
                second = ranked[1][0] if len(ranked) > 1 else None
                predictions.append(Prediction(
                    top in group.correct, ranked[0][2], second is None or agree(top, second),
                    ranked[1][2] if len(ranked) > 1 else 0.0,
                ))
        top1 = sum(p.correct for p in predictions) / max(len(predictions), 1)
        table[str(l2)] = round(top1, 4)
        if top1 > best_top1:
            best_l2, best_top1, best_predictions = l2, top1, predictions
    return best_l2, {"cv_top1_by_l2": table, "cv_top1": round(best_top1, 4)}, best_predictions


def train_model(groups: Sequence[TrainingGroup], agree: callable) -> RerankModel:
    l2, report, predictions = cross_validate(groups, agree)
    rule = choose_sure_rule(predictions)
    answered = [p for p in predictions
                if p.agrees or is_sure(p.probability, p.runner_up, rule)]
    report.update({
        "training_questions": len(groups),
        "cv_answered_share": round(len(answered) / max(len(predictions), 1), 4),
        "cv_wrong_answers_share": round(
            sum(not p.correct for p in answered) / max(len(predictions), 1), 4),
    })
    return RerankModel(fit_weights(groups, l2), l2, rule, report)

