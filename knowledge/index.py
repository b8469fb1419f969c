"""The search index: passage vectors in faiss (inner product of normalised vectors, i.e.
cosine) and BM25 over documents, one BM25 index per kind and language; cached on disk.

Cache folder: ``<cache>/knowledge/<key>/`` where the key hashes the KB files' bytes, the
embedding model id and the index format, so any change to the KB (or the model) builds a new
index on the next load; older folders are pruned. Building writes to a temporary folder under
a file lock and renames it into place, so concurrent processes never see half an index.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import fusion, lexical
from knowledge.bm25 import BM25Index
from knowledge.passages import CLAUSE, KINDS, Passage, build_documents, build_passages
from knowledge.policy_data import PolicyData

log = logging.getLogger(__name__)

INDEX_FORMAT_VERSION = 5
KEEP_CACHES = 3
LANGUAGES = ("ko", "en")


@dataclass(frozen=True)
class SearchSettings:
    """How rankings are made and fused; the defaults are the ones tuned on the dev set."""

    fusion: str = "mix"  # "mix" or "rrf"
    alpha: float = 0.8  # weight of the dense score in the mix
    dense_floor: float = 0.8  # e5 cosines below this are treated as no similarity
    bm25_saturation: float = 5.0
    rrf_k: float = 20.0
    rrf_dense_weight: float = 1.0
    candidates: int = 40  # clauses taken from each ranking before fusion
    expansion_weight: float = 0.5  # BM25 weight of words added from glossary names


DEFAULT_SETTINGS = SearchSettings()


@dataclass(frozen=True)
class Scored:
    ref: str
    score: float
    dense: float
    bm25: float
    passage: int  # index of the best matching passage, -1 when only BM25 found the ref


def cache_key(data: PolicyData, model_id: str) -> str:
    digest = hashlib.sha256(
        f"{data.content_hash}\0{model_id}\0{INDEX_FORMAT_VERSION}".encode()
    )
    return digest.hexdigest()[:16]


def _bm25_name(kind: str, language: str) -> str:
    return f"bm25_{kind}_{language}"


class PassageIndex:
    def __init__(
        self,
        folder: Path,
        passages: list[Passage],
        documents: list[Passage],
        dense,
        bm25: dict[tuple[str, str], BM25Index],
        manifest: dict,
    ) -> None:
        self.folder = folder
        self.passages = passages
        self.documents = documents
        self.dense = dense
        self.bm25 = bm25  # (kind, language) -> index over those documents, in document order
        self.manifest = manifest
        self._kind = np.array([p.kind for p in passages], dtype=object)
        self._product = np.array([p.product for p in passages], dtype=object)
        self._language = np.array([p.language for p in passages], dtype=object)
        self._refs = np.array([p.ref for p in passages], dtype=object)
        self._bm25_docs = {
            key: [d for d in documents if (d.kind, d.language) == key] for key in bm25
        }

    # ------------------------------------------------------------------ building and loading
    @staticmethod
    def build(data: PolicyData, embedder, folder: Path, progress: bool = True) -> PassageIndex:
        import faiss

        started = time.perf_counter()
        passages = build_passages(data)
        documents = build_documents(data)
        if progress:
            print(f"knowledge: embedding {len(passages)} passages", file=sys.stderr)
        vectors = embedder.embed_passages([p.text for p in passages], progress=progress)
        dense = faiss.IndexFlatIP(embedder.dim)
        if len(passages):
            dense.add(vectors)
        bm25 = {}
        for kind in KINDS:
            for language in LANGUAGES:
                selected = [d for d in documents if (d.kind, d.language) == (kind, language)]
                if selected:
                    bm25[(kind, language)] = BM25Index.fit(
                        [lexical.tokenize(d.text, language) for d in selected]
                    )
        folder.mkdir(parents=True, exist_ok=True)
        faiss.write_index(dense, str(folder / "dense.faiss"))
        for (kind, language), index in bm25.items():
            index.save(folder, _bm25_name(kind, language))
        units = {
            "passages": [p.to_json() for p in passages],
            "documents": [d.to_json() for d in documents],
            "bm25": [list(key) for key in bm25],
        }
        (folder / "units.json").write_text(json.dumps(units, ensure_ascii=False), encoding="utf-8")
        manifest = {
            "format": INDEX_FORMAT_VERSION,
            "model_id": embedder.model_id,
            "kb_hash": data.content_hash,
            "kb_files": [str(path) for path in data.files],
            "clauses": len(data.clauses),
            "glossary_terms": len(data.glossary),
            "passages": len(passages),
            "bm25_documents": len(documents),
            "build_seconds": round(time.perf_counter() - started, 2),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        return PassageIndex(folder, passages, documents, dense, bm25, manifest)

    @staticmethod
    def load(folder: Path) -> PassageIndex:
        import faiss

        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        units = json.loads((folder / "units.json").read_text(encoding="utf-8"))
        passages = [Passage(**item) for item in units["passages"]]
        documents = [Passage(**item) for item in units["documents"]]
        dense = faiss.read_index(str(folder / "dense.faiss"))
        bm25 = {
            (kind, language): BM25Index.load(folder, _bm25_name(kind, language))
            for kind, language in units["bm25"]
        }
        return PassageIndex(folder, passages, documents, dense, bm25, manifest)

    # ------------------------------------------------------------------ scoring
    def _mask(self, kind: str, product: str | None, language: str) -> np.ndarray:
        # Passages in the other language never ranked a clause higher on the dev set: the
        # question's language alone is searched.
        mask = (self._kind == kind) & (self._language == language)
        if product:
            mask &= self._product == product
        return mask

    @staticmethod
    def _best_per_ref(refs: np.ndarray, scores: np.ndarray, rows: np.ndarray) -> dict:
        """ref -> (best score, passage row), for the given passage rows."""
        best: dict[str, tuple[float, int]] = {}
        for row in rows[np.argsort(-scores[rows], kind="stable")]:
            ref = refs[row]
            if ref not in best:
                best[ref] = (float(scores[row]), int(row))
        return best

    def dense_scores(self, query_vector: np.ndarray, mask: np.ndarray) -> dict:
        total = self.dense.ntotal
        if total == 0:
            return {}
        similarities, rows = self.dense.search(query_vector.reshape(1, -1), total)
        scores = np.empty(total, dtype=np.float32)
        scores[rows[0]] = similarities[0]
        return self._best_per_ref(self._refs, scores, np.flatnonzero(mask))

    def bm25_scores(
        self,
        tokens: list[str],
        kind: str,
        language: str,
        product: str | None,
        token_weights: list[float] | None = None,
    ) -> dict:
        """ref -> (BM25 score, -1) for the documents of ``kind`` in ``language``."""
        index = self.bm25.get((kind, language))
        if index is None or not tokens:
            return {}
        scores = index.scores(tokens, token_weights)
        documents = self._bm25_docs[(kind, language)]
        return {
            documents[row].ref: (float(scores[row]), -1)
            for row in np.flatnonzero(scores > 0)
            if not product or documents[row].product == product
        }

    def rank(
        self,
        query_vector: np.ndarray,
        tokens: list[str],
        language: str,
        *,
        product: str | None = None,
        kind: str = CLAUSE,
        method: str = "hybrid",
        search_settings: SearchSettings = DEFAULT_SETTINGS,
        expansion: tuple[str, ...] = (),
    ) -> list[Scored]:
        """Refs of ``kind`` ranked by ``method`` ("hybrid", "dense" or "bm25"), best first.
        ``expansion``: extra BM25 words, weighted ``expansion_weight``."""
        s = search_settings
        dense = (
            self.dense_scores(query_vector, self._mask(kind, product, language))
            if method in ("hybrid", "dense")
            else {}
        )
        bm25 = (
            self.bm25_scores(
                list(tokens) + list(expansion),
                kind,
                language,
                product,
                [1.0] * len(tokens) + [s.expansion_weight] * len(expansion),
            )
            if method in ("hybrid", "bm25")
            else {}
        )
        dense_top = fusion.rank_order({ref: value[0] for ref, value in dense.items()})
        bm25_top = fusion.rank_order({ref: value[0] for ref, value in bm25.items()})
        if method == "dense":
            fused = {ref: dense[ref][0] for ref in dense_top}
        elif method == "bm25":
            fused = fusion.rescale_bm25(
                {ref: bm25[ref][0] for ref in bm25_top}, s.bm25_saturation
            )
        else:
            dense_top, bm25_top = dense_top[: s.candidates], bm25_top[: s.candidates]
            if s.fusion == "rrf":
                fused = fusion.reciprocal_rank_fusion(
                    [dense_top, bm25_top], [s.rrf_dense_weight, 1.0], k=s.rrf_k
                )
            else:
                fused = fusion.score_mix(
                    {ref: dense[ref][0] for ref in dense_top},
                    {ref: bm25[ref][0] for ref in bm25_top},
                    s.alpha,
                    s.dense_floor,
                    s.bm25_saturation,
                )
        results = []
        for ref in fusion.rank_order(fused):
            dense_score, row = dense.get(ref, (0.0, -1))
            bm25_score = bm25.get(ref, (0.0,))[0]
            results.append(Scored(ref, float(fused[ref]), dense_score, bm25_score, row))
        return results


def _prune(cache_root: Path, keep: Path) -> None:
    folders = [
        path for path in cache_root.iterdir()
        if path.is_dir() and not path.name.startswith(".") and path != keep
    ]
    folders.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in folders[KEEP_CACHES - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)


def _load_cached(folder: Path) -> PassageIndex | None:
    if not (folder / "manifest.json").is_file():
        return None
    try:
        return PassageIndex.load(folder)
    except (OSError, ValueError, KeyError, RuntimeError) as error:
        log.warning("rebuilding the unreadable index cache %s: %s", folder, error)
        return None


def open_index(
    data: PolicyData,
    embedder,
    cache_root: Path,
    *,
    progress: bool = True,
    rebuild: bool = False,
) -> tuple[PassageIndex, bool]:
    """The index for ``data`` and ``embedder``: from the cache, or built (returns built?)."""
    cache_root = Path(cache_root)
    cache_root.mkdir(parents=True, exist_ok=True)
    folder = cache_root / cache_key(data, embedder.model_id)
    if not rebuild and (cached := _load_cached(folder)) is not None:
        return cached, False
    with open(cache_root / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not rebuild and (cached := _load_cached(folder)) is not None:
            return cached, False
        with tempfile.TemporaryDirectory(dir=cache_root, prefix=".build-") as work:
            staging = Path(work) / "index"
            index = PassageIndex.build(data, embedder, staging, progress=progress)
            staging.chmod(0o755)  # the temporary folder is private; the cache is shared
            if folder.exists():
                shutil.rmtree(folder)
            os.replace(staging, folder)
        _prune(cache_root, folder)
    log.info("built %s in %.1f s", folder, index.manifest["build_seconds"])
    return PassageIndex.load(folder), True
