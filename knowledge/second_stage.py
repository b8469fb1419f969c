"""Building and loading what the second stage needs, next to the first stage's index.

In the index's cache folder, which depends on the wordings and the model: the sentence vectors
for quotes (``sentences.*``). In a sub-folder ``second-<digest>`` of it, which also depends on
the situation questions and the product vocabulary: the question memory (``situations.*``),
the clause classifier (``classifier.npz``) and the re-ranking model (``reranker.json``), so
editing questions trains the second stage again without embedding the wordings again. Built
once under a lock, written to temporary names and renamed, so concurrent processes never read
half of it; older sub-folders are pruned.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.confidence import same_answer
from knowledge.policy_data import Clause
from knowledge.quotes import SENTENCES_FILE, SentenceIndex
from knowledge.reranker import (
    MODEL_FILE,
    FirstStage,
    RerankModel,
    TrainingGroup,
    named_products,
    train_model,
)
from knowledge.reranker import candidate_features as features_of
from knowledge.situations import (
    CLASSIFIER_FILE,
    FOLDS,
    ClauseClassifier,
    Situation,
    SituationMemory,
    load_situations,
)

log = logging.getLogger(__name__)

# (question, language, query vector) -> the first stage's scores without a product filter
FirstStageFn = Callable[[str, str, object], FirstStage]
_ARTIFACTS = ("situations.npy", "situations.json", MODEL_FILE, CLASSIFIER_FILE)
_SENTENCE_FILES = (f"{SENTENCES_FILE}.npy", f"{SENTENCES_FILE}.json")
KEEP_STAGES = 2


@dataclass
class SecondStage:
    memory: SituationMemory
    model: RerankModel | None  # None without situation questions: the first stage alone
    sentences: SentenceIndex
    classifier: ClauseClassifier | None = None


def counts_as_right(clauses: dict[str, Clause], expected: str, question: str) -> frozenset[str]:
    """The expected clause, and any clause sharing a topic with it: of its product when the
    question names one, of any product when it does not (the assistant then asks which)."""
    clause = clauses[expected]
    any_product = not named_products(question)
    return frozenset(
        other.clause_id for other in clauses.values()
        if other.clause_id == expected
        or ((any_product or other.product == clause.product)
            and set(other.topics) & set(clause.topics))
    )


def agree(clauses: dict[str, Clause]) -> Callable[[str, str], bool]:
    """``confidence.same_answer`` for two clause ids."""
    return lambda first, second: same_answer(clauses[first], clauses[second])


@dataclass(frozen=True)
class Anchors:
    """Each clause's own heading and plain explanation, embedded as a question would be: two
    more examples per clause for the classifier (most for English, which has fewer)."""

    vectors: np.ndarray
    clause_ids: list[str]

    @classmethod
    def embed(cls, clauses: list[Clause], embedder) -> Anchors:
        texts, ids = [], []
        for clause in clauses:
            for language in ("ko", "en"):
                text = f"{clause.get('title', language)}. {clause.get('plain', language)}"
                if clause.get("plain", language).strip():
                    texts.append(text)
                    ids.append(clause.clause_id)
        vectors = embedder.embed_queries(texts) if texts else np.zeros((0, embedder.dim))
        return cls(np.asarray(vectors, dtype=np.float32), ids)


def fit_classifier(vectors: np.ndarray, ids: list[str], anchors: Anchors) -> ClauseClassifier:
    return ClauseClassifier.fit(np.vstack([vectors, anchors.vectors]), ids + anchors.clause_ids)


def out_of_fold_shares(memory: SituationMemory, anchors: Anchors) -> list[dict[str, float]]:
    """Each situation question's clause probabilities from a classifier that never saw its
    fold: what the re-ranker learns to trust must look like what it gets for a new question."""
    shares: list[dict[str, float]] = [{} for _ in range(len(memory))]
    ids = list(memory.clause_ids)
    for fold in range(FOLDS):
        train = memory.folds != fold
        test = np.flatnonzero(~train)
        if not len(test) or len(set(memory.clause_ids[train])) < 2:
            continue
        classifier = fit_classifier(memory.vectors[train],
                                    [ids[i] for i in np.flatnonzero(train)], anchors)
        for row in test:
            shares[row] = classifier.probabilities(memory.vectors[row])
    return shares


def training_groups(
    situations: list[Situation],
    memory: SituationMemory,
    clauses: dict[str, Clause],
    first_stage: FirstStageFn,
    anchors: Anchors,
) -> list[TrainingGroup]:
    groups = []
    shares = out_of_fold_shares(memory, anchors)
    for row, situation in enumerate(situations):
        vector = memory.vectors[row]
        first = first_stage(situation.text, situation.language, vector)
        closeness = memory.closeness(vector, situation.language, leave_out_fold=situation.fold)
        candidates = features_of(situation.text, situation.language, first, closeness,
                                 shares[row], clauses)
        refs = [c.clause_id for c in candidates]
        if situation.clause_id not in refs:
            continue  # neither stage found it: nothing to learn about the order
        groups.append(TrainingGroup(
            tuple(candidates), refs.index(situation.clause_id), situation.fold,
            counts_as_right(clauses, situation.clause_id, situation.text),
        ))
    return groups


def _complete(folder: Path, names: tuple[str, ...] = _ARTIFACTS) -> bool:
    return all((folder / name).is_file() for name in names)


def _sentences(index_folder: Path, clauses: list[Clause], embedder, progress: bool):
    if _complete(index_folder, _SENTENCE_FILES):
        return SentenceIndex.load(index_folder)
    if progress:
        print("knowledge: embedding clause sentences for quotes", file=sys.stderr)
    sentences = SentenceIndex.build(clauses, embedder)
    with tempfile.TemporaryDirectory(dir=index_folder, prefix=".sentences-") as work:
        sentences.save(Path(work))
        for name in _SENTENCE_FILES:
            os.replace(Path(work) / name, index_folder / name)
    return sentences


def _prune(index_folder: Path, keep: Path) -> None:
    stages = sorted((path for path in index_folder.glob("second-*") if path != keep),
                    key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in stages[KEEP_STAGES - 1:]:
        shutil.rmtree(stale, ignore_errors=True)


def _build_stage(
    folder: Path,
    kb_dir: Path,
    clauses: list[Clause],
    embedder,
    first_stage: FirstStageFn,
    progress: bool,
) -> None:
    started = time.perf_counter()
    by_id = {clause.clause_id: clause for clause in clauses}
    situations = load_situations(kb_dir, set(by_id))
    if progress:
        print(f"knowledge: embedding {len(situations)} situation questions", file=sys.stderr)
    memory = SituationMemory.embed(situations, embedder)
    anchors = Anchors.embed(clauses, embedder) if len(memory) else None
    groups = training_groups(situations, memory, by_id, first_stage, anchors) if anchors else []
    model = train_model(groups, agree(by_id)) if groups else None
    classifier = (
        fit_classifier(memory.vectors, list(memory.clause_ids), anchors)
        if anchors is not None and len(set(memory.clause_ids)) >= 2
        else ClauseClassifier([], np.zeros((0, 0)), np.zeros(0))
    )
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".build-") as work:
        staging = Path(work)
        memory.save(staging)
        classifier.save(staging)
        if model is not None:
            model.report["build_seconds"] = round(time.perf_counter() - started, 1)
            model.save(staging)
        else:
            (staging / MODEL_FILE).write_text("{}", encoding="utf-8")
        for name in _ARTIFACTS:
            os.replace(staging / name, folder / name)
    log.info("second stage built in %.1f s", time.perf_counter() - started)


def open_second_stage(
    index_folder: Path,
    digest: str,
    kb_dir: Path,
    clauses: list[Clause],
    embedder,
    first_stage: FirstStageFn,
    *,
    progress: bool = True,
) -> SecondStage:
    """The second stage for the index in ``index_folder`` and the situation questions whose
    ``digest`` is given (``situations.files_digest``): loaded, or built first."""
    folder = index_folder / f"second-{digest[:16]}"
    if not (_complete(folder) and _complete(index_folder, _SENTENCE_FILES)):
        with open(index_folder / ".second-stage.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            sentences = _sentences(index_folder, clauses, embedder, progress)
            if not _complete(folder):
                _build_stage(folder, kb_dir, clauses, embedder, first_stage, progress)
                _prune(index_folder, folder)
    else:
        sentences = SentenceIndex.load(index_folder)
    return SecondStage(SituationMemory.load(folder), RerankModel.load(folder), sentences,
                       ClauseClassifier.load(folder))
