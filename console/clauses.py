"""Clause search through the ``knowledge`` package, loaded lazily and never fatal.

``KnowledgeBase.load()`` can take seconds (embedding model, index), so it runs on a
background thread; until it is ready the console shows "loading", and if the package or its
index is missing it shows "clause search unavailable" and tries again a minute later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

RETRY_SECONDS = 60.0
TOP_K = 3

LOADING = "loading"
READY = "ready"
UNAVAILABLE = "unavailable"

MESSAGES = {
    LOADING: {"ko": "약관 검색을 준비하고 있습니다…", "en": "clause search is loading…"},
    UNAVAILABLE: {"ko": "약관 검색을 사용할 수 없습니다", "en": "clause search unavailable"},
}


def load_knowledge_base() -> Any:
    # Optional and imported on demand: the package's public name first, then its module.
    try:
        from knowledge import KnowledgeBase
    except ImportError:
        from knowledge.knowledge_base import KnowledgeBase
    return KnowledgeBase.load()


def _text(hit: Any, name: str) -> str | None:
    value = hit.get(name) if isinstance(hit, dict) else getattr(hit, name, None)
    return None if value is None else str(value)


def hit_view(hit: Any, language: str) -> dict[str, Any]:
    """One search hit as plain JSON, in the caller's language (the other one as well)."""
    other = "en" if language == "ko" else "ko"
    citation_of = hit.get("citation") if isinstance(hit, dict) else getattr(hit, "citation", None)
    if callable(citation_of):
        try:
            citation = str(citation_of(language))
        except Exception:  # a broken citation must not hide the clause
            citation = None
    else:
        citation = None if citation_of is None else str(citation_of)
    score = hit.get("score") if isinstance(hit, dict) else getattr(hit, "score", None)
    return {
        "clause_id": _text(hit, "clause_id"),
        "product": _text(hit, "product"),
        "title": _text(hit, f"title_{language}") or _text(hit, f"title_{other}"),
        "plain": _text(hit, f"plain_{language}") or _text(hit, f"plain_{other}"),
        "citation": citation,
        "score": round(float(score), 4) if isinstance(score, int | float) else None,
        "language": language,
    }


class ClauseSearch:
    def __init__(
        self, loader: Callable[[], Any] = load_knowledge_base, *, enabled: bool = True
    ) -> None:
        self._loader = loader
        self._enabled = enabled
        self._kb: Any = None
        self._state: str | None = None if enabled else UNAVAILABLE
        self._failed_at = 0.0
        self._lock = threading.Lock()
        self._search_lock = threading.Lock()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> str:
        return self._state or LOADING

    def start(self) -> None:
        """Begin loading in the background (again, if the last attempt failed long enough ago)."""
        with self._lock:
            if not self._enabled or self._state == READY:
                return
            if self._thread is not None and self._thread.is_alive():
                return
            if self._state == UNAVAILABLE and time.monotonic() - self._failed_at < RETRY_SECONDS:
                return
            self._state = LOADING
            self._ready.clear()
            self._thread = threading.Thread(target=self._load, name="clause-search", daemon=True)
            self._thread.start()

    def _load(self) -> None:
        try:
            kb = self._loader()
            self._warm_up(kb)
        except Exception as exc:  # ImportError, a missing index, anything: never fatal
            log.warning("clause search unavailable: %s", type(exc).__name__)
            with self._lock:
                self._state, self._failed_at = UNAVAILABLE, time.monotonic()
        else:
            with self._lock:
                self._kb, self._state = kb, READY
        finally:
            self._ready.set()

    @staticmethod
    def _warm_up(kb: Any) -> None:
        """One throw-away search: the first one pays for lazy initialisation (seconds)."""
        try:
            kb.search("보험 보상", top_k=1)
        except Exception as exc:  # a broken search shows up on the first real request
            log.warning("clause search warm-up failed: %s", type(exc).__name__)

    def wait(self, timeout: float) -> str:
        self.start()
        if self._enabled:
            self._ready.wait(timeout)
        return self.state

    def search(self, text: str, language: str, top_k: int = TOP_K) -> list[dict[str, Any]]:
        """Blocking search; call from a worker thread. Raises RuntimeError when not ready."""
        if self._state != READY:
            raise RuntimeError("clause search is not ready")
        with self._search_lock:
            hits = self._kb.search(text, top_k=top_k)
        return [hit_view(hit, language) for hit in list(hits)[:top_k]]
