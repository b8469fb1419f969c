"""Situation questions per clause (``policies_kb/questions/<product>.yml``) and the memory of
them that the second stage consults: how close is a customer's question to the questions
already known to be answered by each clause?

The files are training data: customers' words (stories, slang, typos) written per clause, kept
apart from the dev and held-out questions that measure retrieval (``tests/knowledge_dev``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

log = logging.getLogger(__name__)

LANGUAGES = ("ko", "en")
FOLDS = 5


@dataclass(frozen=True)
class Situation:
    text: str
    language: str
    clause_id: str

    @property
    def fold(self) -> int:
        """A stable cross-validation fold from the text alone (same fold on every machine)."""
        return int(hashlib.sha256(self.text.encode()).hexdigest()[:8], 16) % FOLDS


def question_files(kb_dir: Path) -> list[Path]:
    return sorted((Path(kb_dir) / "questions").glob("*.yml"))


def load_situations(kb_dir: Path, clause_ids: set[str]) -> list[Situation]:
    """Every question of every file, for clauses that exist (others are logged and skipped)."""
    situations: list[Situation] = []
    seen: set[tuple[str, str]] = set()
    for path in question_files(kb_dir):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for clause_id, by_language in (data.get("clauses") or {}).items():
            if clause_id not in clause_ids:
                log.warning("%s: questions for unknown clause %s skipped", path.name, clause_id)
                continue
            for language in LANGUAGES:
                for text in (by_language or {}).get(language) or []:
                    text = str(text).strip()
                    if text and (language, text) not in seen:
                        seen.add((language, text))
                        situations.append(Situation(text, language, clause_id))
    return situations


def files_digest(kb_dir: Path) -> str:
    """The situation questions, and the product vocabulary the second stage's features read
    (``bot/nlp/products.py``): a change to either trains the second stage again."""
    digest = hashlib.sha256()
    vocabulary = Path(__file__).resolve().parents[1] / "bot" / "nlp" / "products.py"
    if vocabulary.is_file():
        digest.update(vocabulary.read_bytes() + b"\0")
    for path in question_files(kb_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class SituationMemory:
    """Question vectors (normalised, so inner product is cosine) with their clause and language."""

    def __init__(self, situations: list[Situation], vectors: np.ndarray) -> None:
        self.situations = situations
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.clause_ids = np.array([s.clause_id for s in situations], dtype=object)
        self.languages = np.array([s.language for s in situations], dtype=object)
        self.folds = np.array([s.fold for s in situations], dtype=np.int64)
        self._clause_names = sorted({s.clause_id for s in situations})
        position = {name: i for i, name in enumerate(self._clause_names)}
        self._clause_index = np.array([position[s.clause_id] for s in situations],
                                      dtype=np.int64)
        self._is_language = {language: self.languages == language for language in LANGUAGES}

    def __len__(self) -> int:
        return len(self.situations)

    @classmethod
    def embed(cls, situations: list[Situation], embedder) -> SituationMemory:
        texts = [s.text for s in situations]
        vectors = embedder.embed_queries(texts) if texts else np.zeros((0, embedder.dim))
        return cls(situations, np.asarray(vectors, dtype=np.float32))

    def save(self, folder: Path) -> None:
        np.save(folder / "situations.npy", self.vectors)
        rows = [[s.text, s.language, s.clause_id] for s in self.situations]
        (folder / "situations.json").write_text(json.dumps(rows, ensure_ascii=False),
                                                encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> SituationMemory:
        rows = json.loads((folder / "situations.json").read_text(encoding="utf-8"))
        situations = [Situation(text, language, clause_id) for text, language, clause_id in rows]
        vectors = np.load(folder / "situations.npy") if situations else np.zeros((0, 1))
        return cls(situations, vectors)

    def closeness(
        self,
        query_vector: np.ndarray,
        language: str,
        *,
        leave_out_fold: int | None = None,
    ) -> dict[str, tuple[float, float, float]]:
        """clause id -> (best cosine, mean of the best three, best cosine in the other
        language) over the remembered questions; ``leave_out_fold`` hides one fold (for
        features of a training question that must not see itself or its fold)."""
        if not len(self):
            return {}
        cosines = self.vectors @ np.asarray(query_vector, dtype=np.float32)
        keep = np.ones(len(self), dtype=bool) if leave_out_fold is None else (
            self.folds != leave_out_fold)
        same = keep & self._is_language[language]
        other = keep & ~self._is_language[language]
        count = len(self._clause_names)
        best = np.full(count, -1.0, dtype=np.float32)
        np.maximum.at(best, self._clause_index[same], cosines[same])
        crossed = np.zeros(count, dtype=np.float32)
        np.maximum.at(crossed, self._clause_index[other], cosines[other])
        # mean of the three best per clause: sort by (clause, -cosine), keep ranks 0-2
        rows = np.flatnonzero(same)
        order = rows[np.lexsort((-cosines[rows], self._clause_index[rows]))]
        groups = self._clause_index[order]
        starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        top = order[rank < 3]
        totals = np.bincount(self._clause_index[top], weights=cosines[top], minlength=count)
        counts = np.bincount(self._clause_index[top], minlength=count)
        return {
            self._clause_names[i]: (float(best[i]), float(totals[i] / counts[i]),
                                    float(max(crossed[i], 0.0)))
            for i in np.flatnonzero(counts)
        }


CLASSIFIER_FILE = "classifier.npz"
CLASSIFIER_C = 100.0  # inverse L2 strength of the clause classifier


class ClauseClassifier:
    """Multinomial logistic regression from a question vector to the clause it is about,
    fitted on the situation questions (scikit-learn fits; numpy predicts, so serving needs
    nothing but the saved coefficients)."""

    def __init__(self, classes: list[str], coef: np.ndarray, intercept: np.ndarray) -> None:
        self.classes = list(classes)
        self.coef = np.ascontiguousarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.position = {name: i for i, name in enumerate(self.classes)}

    @classmethod
    def fit(cls, vectors: np.ndarray, clause_ids: list[str]) -> ClauseClassifier:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=CLASSIFIER_C, max_iter=3000)
        model.fit(vectors, clause_ids)
        return cls([str(name) for name in model.classes_], model.coef_, model.intercept_)

    def probabilities(self, query_vector: np.ndarray) -> dict[str, float]:
        logits = self.coef @ np.asarray(query_vector, dtype=np.float32) + self.intercept
        exp = np.exp(logits - logits.max())
        shares = exp / exp.sum()
        return {name: float(shares[i]) for i, name in enumerate(self.classes)}

    def save(self, folder: Path) -> None:
        np.savez(folder / CLASSIFIER_FILE, classes=np.array(self.classes), coef=self.coef,
                 intercept=self.intercept)

    @classmethod
    def load(cls, folder: Path) -> ClauseClassifier | None:
        path = folder / CLASSIFIER_FILE
        if not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as saved:
            if saved["coef"].size == 0:
                return None
            return cls([str(name) for name in saved["classes"]], saved["coef"],
                       saved["intercept"])
