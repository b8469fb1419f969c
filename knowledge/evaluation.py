"""Retrieval quality: does the clause the conversation answers from fit the question?

Two question sets, neither used for training or tuning:

- **held-out** (``tests/knowledge_dev/heldout/<product>.yml``): situation questions written per
  clause, apart from the situation questions the second stage learns from; the product is in
  the words of the question, never passed as a filter;
- **dev** (``tests/knowledge_dev/questions.yml``): questions per topic; ``product``, when given,
  is the one the customer already named and is passed to the search as a filter.

A clause answers a question (plain) when it carries the question's topic (held-out: a topic of
the labelled clause, or it is that clause or one of its ``also``); strictly when it also comes
from the right product (the named or implied one). Reported per set, language and method:
top-1 (what the conversation answers from), top-3 and MRR@10, plain and strict; then, for the
served method, what the confidence rule does: the share answered at once, the share offered
"which of these two?" or "which product?", and the share answered from a wrong clause.

Methods: ``served`` (first stage + second stage, as the assistant searches), ``hybrid`` (the
first stage alone, the old served method), ``bm25`` and ``dense`` alone, and ablations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import yaml

from knowledge import lexical, settings
from knowledge.confidence import ANSWER, ASK_PRODUCT, CHOOSE, decide, is_confident
from knowledge.knowledge_base import KnowledgeBase
from knowledge.policy_data import Clause

SERVED = "served"
# (label, method, glossary expansion on?)
REPORT_ROWS = (
    (SERVED, SERVED, True),
    ("hybrid", "hybrid", True),
    ("bm25", "bm25", False),
    ("dense", "dense", False),
    ("bm25+glossary", "bm25", True),
    ("hybrid-no-glossary", "hybrid", False),
)
MRR_DEPTH = 10
PRODUCTS = ("auto", "home", "health", "travel", "accident")
HELD_OUT_DIR = settings.REPO_ROOT / "tests" / "knowledge_dev" / "heldout"


@dataclass(frozen=True)
class DevQuestion:
    text: str
    topic: str
    language: str
    product: str | None = None  # passed to the search: the product the customer named

    @property
    def expected_product(self) -> str | None:
        """The product the right clause must come from; None when any product's will do."""
        prefix = self.topic.split(".", 1)[0]
        return self.product or (prefix if prefix in PRODUCTS else None)

    def accepts(self, clause: Clause, strict: bool) -> bool:
        product = self.expected_product if strict else None
        return self.topic in clause.topics and product in (None, clause.product)


@dataclass(frozen=True)
class HeldOutQuestion:
    text: str
    language: str
    clause: str
    also: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # the labelled clause's
    expected_product: str = ""
    product: None = None  # never a filter: the product is in the words

    def accepts(self, clause: Clause, strict: bool) -> bool:
        if clause.clause_id == self.clause or clause.clause_id in self.also:
            return True
        shares_topic = bool(set(self.topics) & set(clause.topics))
        return shares_topic and (not strict or clause.product == self.expected_product)


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


@dataclass(frozen=True)
class Decisions:
    questions: int
    answered: float  # answered at once
    choose: float  # "which of these two?"
    ask_product: float  # "which product?"
    wrong_answers: float  # answered at once from a clause that does not (strictly) fit


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


def load_held_out(kb: KnowledgeBase, folder: Path | None = None) -> list[HeldOutQuestion]:
    """The held-out questions whose clause exists in ``kb`` (others are left out)."""
    clauses = kb.data.clause_by_id()
    questions = []
    for path in sorted(Path(folder or HELD_OUT_DIR).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("questions") or []:
            clause = clauses.get(item["clause"])
            if clause is None:
                continue
            questions.append(HeldOutQuestion(
                item["text"], item["language"], clause.clause_id,
                tuple(item.get("also") or ()), clause.topics, clause.product,
            ))
    return questions


@dataclass
class QuestionSet:
    name: str
    questions: list = field(default_factory=list)


class Evaluator:
    """Embeds and tokenises every question once, then scores any method and settings."""

    def __init__(self, kb: KnowledgeBase, dev_set: DevSet,
                 held_out: list[HeldOutQuestion] | None = None) -> None:
        self.kb = kb
        self._clauses = kb.data.clause_by_id()
        covered = {topic for clause in kb.data.clauses for topic in clause.topics}
        self.questions = [q for q in dev_set.questions if q.topic in covered]
        self.skipped = [q for q in dev_set.questions if q.topic not in covered]
        self.off_topic = list(dev_set.off_topic)
        self.held_out = list(held_out or [])
        asked = self.questions + self.off_topic + self.held_out
        texts = list(dict.fromkeys(q.text for q in asked))
        vectors = kb.embedder.embed_queries(texts) if texts else []
        self._vectors = dict(zip(texts, vectors, strict=True))
        self._tokens = {q.text: lexical.tokenize(q.text, q.language) for q in asked}
        self._served: dict[tuple[str, str | None], list] = {}

    def sets(self) -> list[QuestionSet]:
        found = [QuestionSet("held-out", self.held_out)] if self.held_out else []
        return found + [QuestionSet("dev", self.questions)]

    # ------------------------------------------------------------------ rankings
    def served(self, question) -> list[SimpleNamespace]:
        """The served ranking as light hits (clause, product, topics, score, probability)."""
        key = (question.text, question.product)
        if key not in self._served:
            vector = self._vectors[question.text]
            first = self.kb.first_stage(question.text, question.language, vector,
                                        question.product, self._tokens[question.text])
            ranked = self.kb.rerank(question.text, language=question.language,
                                    product=question.product, query_vector=vector, first=first)
            self._served[key] = [
                SimpleNamespace(clause_id=ref, product=self._clauses[ref].product,
                                topics=self._clauses[ref].topics,
                                score=first.by_ref[ref].score if ref in first.by_ref else 0.0,
                                probability=probability)
                for ref, probability, _memory in ranked[:MRR_DEPTH]
            ]
        return self._served[key]

    def ranking(self, question, method: str, use_glossary: bool = True) -> list[str]:
        if method == SERVED:
            return [hit.clause_id for hit in self.served(question)]
        return [scored.ref for scored in self.kb.rank(
            question.text, language=question.language, product=question.product,
            method=method, query_vector=self._vectors[question.text],
            tokens=self._tokens[question.text], use_glossary=use_glossary,
        )[:MRR_DEPTH]]

    def answer_rank(self, question, method: str, use_glossary: bool = True,
                    strict: bool = False) -> int | None:
        for rank, ref in enumerate(self.ranking(question, method, use_glossary), start=1):
            if question.accepts(self._clauses[ref], strict):
                return rank
        return None

    # ------------------------------------------------------------------ figures
    def metrics(self, method: str, language: str, use_glossary: bool = True,
                questions: list | None = None) -> Metrics:
        asked = [q for q in (self.questions if questions is None else questions)
                 if q.language == language]
        if not asked:
            return Metrics(0, 0.0, 0.0)
        top1, top3, mrr = _rates([self.answer_rank(q, method, use_glossary) for q in asked])
        top1_strict, top3_strict, mrr_strict = _rates(
            [self.answer_rank(q, method, use_glossary, strict=True) for q in asked]
        )
        return Metrics(len(asked), top3, mrr, top1, top1_strict, top3_strict, mrr_strict)

    def decisions(self, language: str, questions: list | None = None) -> Decisions:
        asked = [q for q in (self.questions if questions is None else questions)
                 if q.language == language]
        counts = {ANSWER: 0, CHOOSE: 0, ASK_PRODUCT: 0, "wrong": 0}
        for question in asked:
            hits = self.served(question)[:3]
            decision = decide(hits, product_known=bool(question.product), rule=self.kb.sure_rule)
            if decision.kind in counts:
                counts[decision.kind] += 1
            if decision.kind == ANSWER and not question.accepts(
                    self._clauses[decision.hits[0].clause_id], strict=True):
                counts["wrong"] += 1
        n = max(len(asked), 1)
        return Decisions(len(asked), counts[ANSWER] / n, counts[CHOOSE] / n,
                         counts[ASK_PRODUCT] / n, counts["wrong"] / n)

    def misses(self, questions: list, method: str = SERVED) -> list:
        """Questions whose first clause does not strictly fit, with what came first."""
        result = []
        for question in questions:
            rank = self.answer_rank(question, method, strict=True)
            if rank != 1:
                top = self.ranking(question, method)[:2]
                result.append((question, rank, top))
        return result

    def confidence_rates(self) -> tuple[float, float]:
        """(share of dev questions judged relevant, share of off-topic ones judged relevant)."""
        on = [is_confident(self.served(q)) for q in self.questions]
        off = [is_confident(self.served(q)) for q in self.off_topic]
        return (sum(on) / max(len(on), 1), sum(off) / max(len(off), 1))


def _table(evaluator: Evaluator, questions: list) -> list[str]:
    lines = [
        f"{'language':<9}{'method':<20}{'n':>5}{'top-1':>8}{'strict':>8}{'top-3':>8}"
        f"{'strict':>8}{'MRR@10':>8}{'strict':>8}",
    ]
    for language in ("ko", "en"):
        for label, method, use_glossary in REPORT_ROWS:
            m = evaluator.metrics(method, language, use_glossary, questions)
            lines.append(
                f"{language:<9}{label:<20}{m.questions:>5}{m.top1:>8.3f}{m.top1_strict:>8.3f}"
                f"{m.top3:>8.3f}{m.top3_strict:>8.3f}{m.mrr:>8.3f}{m.mrr_strict:>8.3f}"
            )
    lines += ["", f"{'language':<9}{'n':>5}{'answered':>10}{'which?':>8}{'product?':>10}"
              f"{'wrong answers':>15}"]
    for language in ("ko", "en"):
        d = evaluator.decisions(language, questions)
        lines.append(f"{language:<9}{d.questions:>5}{d.answered:>10.1%}{d.choose:>8.1%}"
                     f"{d.ask_product:>10.1%}{d.wrong_answers:>15.1%}")
    return lines


def report(evaluator: Evaluator, show_misses: bool = True) -> str:
    model = evaluator.kb.second.model if evaluator.kb.second else None
    lines = []
    if model is not None:
        r = model.report
        lines += [
            f"second stage: {r.get('training_questions')} situation questions, "
            f"cross-validated top-1 {r.get('cv_top1')} (L2 {model.l2}), "
            f"answers at once when p >= {model.sure_rule.sure_probability} or the runner-up "
            f"has < {model.sure_rule.close_ratio} x p (cross-validated answered "
            f"{r.get('cv_answered_share')}, wrong {r.get('cv_wrong_answers_share')})",
            "",
        ]
    for question_set in evaluator.sets():
        lines += [f"== {question_set.name} questions "
                  "(plain: right topic; strict: right topic from the right product)"]
        lines += _table(evaluator, question_set.questions) + [""]
    lines.append(
        f"dev questions: {len(evaluator.questions)} evaluated, {len(evaluator.skipped)} skipped "
        f"(topic not yet in the KB: "
        f"{', '.join(sorted({q.topic for q in evaluator.skipped})) or 'none'})"
    )
    on, off = evaluator.confidence_rates()
    lines.append(f"is_confident: {on:.1%} of dev questions, {off:.1%} of "
                 f"{len(evaluator.off_topic)} off-topic questions")
    if show_misses and evaluator.held_out:
        misses = evaluator.misses(evaluator.held_out)
        lines += ["", f"held-out questions whose first clause does not fit ({len(misses)}):"]
        for question, rank, top in misses:
            found = f"rank {rank}" if rank else f"not in top {MRR_DEPTH}"
            lines.append(f"  [{question.language}] {question.clause} ({found}) got "
                         f"{', '.join(top)}: {question.text}")
    return "\n".join(lines)
