"""Retrieval quality on the dev questions (tests/knowledge_dev/questions.yml).

A question is answered at rank r when the r-th clause returned carries the question's topic
tag; strictly answered when that clause is also from the right product (the one the question
names, or the product a product-specific topic such as `auto.deductible` belongs to).
Reported per language and method, plain and strict: top-1 (the answer the conversation
gives), top-3 accuracy and MRR (mean of 1/r over the first 10 results, 0 when not
answered). Questions whose topic no clause of the current KB carries yet (a product file
still being written) are counted as skipped. The dev questions still pass the product they
name to the search as a filter, so strict and plain agree on them; they part once the
product comes from the question text instead (issue 11).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from knowledge import lexical, settings
from knowledge.confidence import is_confident
from knowledge.index import DEFAULT_SETTINGS, SearchSettings
from knowledge.knowledge_base import Hit, KnowledgeBase

# (label, method, glossary expansion on?): hybrid as served, the single methods, ablations.
REPORT_ROWS = (
    ("hybrid", "hybrid", True),
    ("bm25", "bm25", False),
    ("dense", "dense", False),
    ("bm25+glossary", "bm25", True),
    ("hybrid-no-glossary", "hybrid", False),
)
MRR_DEPTH = 10


PRODUCTS = ("auto", "home", "health", "travel", "accident")


@dataclass(frozen=True)
class DevQuestion:
    text: str
    topic: str
    language: str
    product: str | None = None

    @property
    def expected_product(self) -> str | None:
        """The product the right clause must come from; None when any product's will do."""
        prefix = self.topic.split(".", 1)[0]
        return self.product or (prefix if prefix in PRODUCTS else None)


@dataclass(frozen=True)
class DevSet:
    questions: tuple[DevQuestion, ...]
    off_topic: tuple[DevQuestion, ...]


@dataclass(frozen=True)
class Metrics:
    questions: int
    top3: float
    mrr: float
    top1: float = 0.0
    top1_strict: float = 0.0
    top3_strict: float = 0.0
    mrr_strict: float = 0.0


def _rates(ranks: list[int | None]) -> tuple[float, float, float]:
    """(top-1, top-3, MRR) of answer ranks (None: not in the first MRR_DEPTH)."""
    found = [rank for rank in ranks if rank is not None]
    return (
        sum(1 for rank in found if rank == 1) / len(ranks),
        sum(1 for rank in found if rank <= 3) / len(ranks),
        sum(1.0 / rank for rank in found) / len(ranks),
    )


def load_dev_set(path: Path | None = None) -> DevSet:
    data = yaml.safe_load(Path(path or settings.DEV_QUESTIONS_FILE).read_text(encoding="utf-8"))
    questions = tuple(
        DevQuestion(item["text"], item["topic"], item["language"], item.get("product"))
        for item in data.get("questions") or []
    )
    off_topic = tuple(
        DevQuestion(item["text"], "", item["language"]) for item in data.get("off_topic") or []
    )
    return DevSet(questions, off_topic)


class Evaluator:
    """Embeds and tokenises the dev questions once, then scores any method and settings."""

    def __init__(self, kb: KnowledgeBase, dev_set: DevSet) -> None:
        self.kb = kb
        covered = {topic for clause in kb.data.clauses for topic in clause.topics}
        self.questions = [q for q in dev_set.questions if q.topic in covered]
        self.skipped = [q for q in dev_set.questions if q.topic not in covered]
        self.off_topic = list(dev_set.off_topic)
        texts = [q.text for q in self.questions + self.off_topic]
        vectors = kb.embedder.embed_queries(texts) if texts else []
        self._vectors = dict(zip(texts, vectors, strict=True))
        self._tokens = {
            q.text: lexical.tokenize(q.text, q.language) for q in self.questions + self.off_topic
        }

    def ranking(
        self,
        question: DevQuestion,
        method: str,
        search_settings: SearchSettings,
        use_glossary: bool = True,
    ):
        return self.kb.rank(
            question.text,
            language=question.language,
            product=question.product,
            method=method,
            search_settings=search_settings,
            query_vector=self._vectors[question.text],
            tokens=self._tokens[question.text],
            use_glossary=use_glossary,
        )

    def answer_rank(
        self,
        question: DevQuestion,
        method: str,
        s: SearchSettings,
        use_glossary: bool = True,
        strict: bool = False,
    ) -> int | None:
        clauses = self.kb.data.clause_by_id()
        ranking = self.ranking(question, method, s, use_glossary)
        product = question.expected_product if strict else None
        for rank, scored in enumerate(ranking[:MRR_DEPTH], start=1):
            clause = clauses[scored.ref]
            if question.topic in clause.topics and product in (None, clause.product):
                return rank
        return None

    def metrics(
        self,
        method: str,
        language: str,
        search_settings: SearchSettings = DEFAULT_SETTINGS,
        use_glossary: bool = True,
    ) -> Metrics:
        asked = [q for q in self.questions if q.language == language]
        if not asked:
            return Metrics(0, 0.0, 0.0)
        top1, top3, mrr = _rates(
            [self.answer_rank(q, method, search_settings, use_glossary) for q in asked]
        )
        top1_strict, top3_strict, mrr_strict = _rates(
            [self.answer_rank(q, method, search_settings, use_glossary, strict=True) for q in asked]
        )
        return Metrics(len(asked), top3, mrr, top1, top1_strict, top3_strict, mrr_strict)

    def misses(self, method: str = "hybrid", s: SearchSettings = DEFAULT_SETTINGS) -> list:
        clauses = self.kb.data.clause_by_id()
        result = []
        for question in self.questions:
            rank = self.answer_rank(question, method, s)
            if rank is None or rank > 3:
                top = [scored.ref for scored in self.ranking(question, method, s)[:3]]
                result.append((question, rank, [(ref, clauses[ref].topics) for ref in top]))
        return result

    def top_hits(self, question: DevQuestion, s: SearchSettings = DEFAULT_SETTINGS) -> list[Hit]:
        clauses = self.kb.data.clause_by_id()
        return [
            Hit.from_clause(clauses[scored.ref], scored, "")
            for scored in self.ranking(question, "hybrid", s)[:3]
        ]

    def confidence_rates(self, s: SearchSettings = DEFAULT_SETTINGS) -> tuple[float, float]:
        """(share of dev questions judged confident, share of off-topic ones judged confident)."""
        on = [is_confident(self.top_hits(q, s)) for q in self.questions]
        off = [is_confident(self.top_hits(q, s)) for q in self.off_topic]
        return (sum(on) / max(len(on), 1), sum(off) / max(len(off), 1))


def report(evaluator: Evaluator) -> str:
    lines = [
        f"dev questions: {len(evaluator.questions)} evaluated, {len(evaluator.skipped)} skipped "
        f"(topic not yet in the KB: "
        f"{', '.join(sorted({q.topic for q in evaluator.skipped})) or 'none'})",
        "",
        "plain: the right topic; strict: the right topic from the right product",
        f"{'language':<9}{'method':<20}{'n':>5}{'top-1':>8}{'strict':>8}{'top-3':>8}"
        f"{'strict':>8}{'MRR@10':>8}{'strict':>8}",
    ]
    for language in ("ko", "en"):
        for label, method, use_glossary in REPORT_ROWS:
            m = evaluator.metrics(method, language, use_glossary=use_glossary)
            lines.append(
                f"{language:<9}{label:<20}{m.questions:>5}{m.top1:>8.3f}{m.top1_strict:>8.3f}"
                f"{m.top3:>8.3f}{m.top3_strict:>8.3f}{m.mrr:>8.3f}{m.mrr_strict:>8.3f}"
            )
    on, off = evaluator.confidence_rates()
    lines += [
        "",
        f"is_confident: {on:.1%} of dev questions, {off:.1%} of "
        f"{len(evaluator.off_topic)} off-topic questions",
    ]
    misses = evaluator.misses()
    if misses:
        lines += ["", "hybrid misses (not in the top 3):"]
        for question, rank, top in misses:
            found = f"rank {rank}" if rank else f"not in top {MRR_DEPTH}"
            shown = ", ".join(f"{ref} {list(topics)}" for ref, topics in top)
            lines.append(f"  [{question.language}] {question.topic} ({found}): {question.text}")
            lines.append(f"      got {shown}")
    return "\n".join(lines)


def sweep(evaluator: Evaluator) -> str:
    """Hybrid top-3 / MRR for a grid of fusion settings (how the defaults were chosen)."""
    lines = [f"{'settings':<58}{'ko top3':>8}{'ko mrr':>8}{'en top3':>8}{'en mrr':>8}"]
    grid = []
    for alpha, floor, saturation, expansion in itertools.product(
        (0.6, 0.7, 0.8, 0.9), (0.75, 0.8, 0.85), (2.0, 5.0, 8.0), (0.0, 0.5)
    ):
        grid.append(replace(DEFAULT_SETTINGS, fusion="mix", alpha=alpha, dense_floor=floor,
                            bm25_saturation=saturation, expansion_weight=expansion))
    for k, weight in itertools.product((10, 20, 60), (1.0, 1.5, 2.0)):
        grid.append(replace(DEFAULT_SETTINGS, fusion="rrf", rrf_k=k, rrf_dense_weight=weight))
    for s in grid:
        ko, en = evaluator.metrics("hybrid", "ko", s), evaluator.metrics("hybrid", "en", s)
        if s.fusion == "mix":
            label = (f"mix alpha={s.alpha} floor={s.dense_floor} "
                     f"saturation={s.bm25_saturation} expansion={s.expansion_weight}")
        else:
            label = f"rrf k={s.rrf_k} dense_weight={s.rrf_dense_weight}"
        lines.append(f"{label:<58}{ko.top3:>8.3f}{ko.mrr:>8.3f}{en.top3:>8.3f}{en.mrr:>8.3f}")
    return "\n".join(lines)
