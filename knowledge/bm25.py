"""Okapi BM25 over pre-tokenised documents, kept as a sparse matrix so it can be saved and
scored with one column slice per query (rank-bm25 rescans every document for every word).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse


class BM25Index:
    def __init__(self, vocabulary: dict[str, int], weights: sparse.csc_matrix) -> None:
        self.vocabulary = vocabulary
        self.weights = weights  # documents x terms, each cell the term's BM25 contribution

    @property
    def size(self) -> int:
        return self.weights.shape[0]

    @classmethod
    def fit(cls, documents: list[list[str]], k1: float = 1.2, b: float = 0.75) -> BM25Index:
        vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        lengths = np.zeros(len(documents), dtype=np.float32)
        for row, tokens in enumerate(documents):
            lengths[row] = len(tokens)
            for term, count in Counter(tokens).items():
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                counts.append(count)
        shape = (len(documents), max(len(vocabulary), 1))
        tf = sparse.csr_matrix(
            (np.asarray(counts, dtype=np.float32), (rows, cols)), shape=shape
        )
        n_docs = max(len(documents), 1)
        doc_freq = np.bincount(np.asarray(cols, dtype=np.int64), minlength=shape[1])
        # Lucene's idf: never negative, so a word found in most documents still counts a little.
        idf = np.log1p((n_docs - doc_freq + 0.5) / (doc_freq + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if len(documents) and lengths.mean() > 0 else 1.0
        norm = k1 * (1.0 - b + b * lengths / average)
        tf = tf.tocoo()
        data = tf.data * (k1 + 1.0) / (tf.data + norm[tf.row]) * idf[tf.col]
        weights = sparse.csc_matrix((data.astype(np.float32), (tf.row, tf.col)), shape=shape)
        return cls(vocabulary, weights)

    def scores(
        self, query_tokens: list[str], token_weights: list[float] | None = None
    ) -> np.ndarray:
        """BM25 score of every document; ``token_weights`` scale each query token's part."""
        weights = token_weights or [1.0] * len(query_tokens)
        pairs = [
            (self.vocabulary[token], weight)
            for token, weight in zip(query_tokens, weights, strict=True)
            if token in self.vocabulary
        ]
        if not pairs:
            return np.zeros(self.size, dtype=np.float32)
        columns, factors = zip(*pairs, strict=True)
        return np.asarray(self.weights[:, list(columns)] @ np.asarray(factors, np.float32)).ravel()

    def save(self, folder: Path, name: str) -> None:
        sparse.save_npz(folder / f"{name}.npz", self.weights.tocsc())
        (folder / f"{name}.vocab.json").write_text(
            json.dumps(self.vocabulary, ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path, name: str) -> BM25Index:
        weights = sparse.load_npz(folder / f"{name}.npz").tocsc()
        vocabulary = json.loads((folder / f"{name}.vocab.json").read_text(encoding="utf-8"))
        return cls(vocabulary, weights)
