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

# The decision kinds of ``knowledge.confidence`` (kept here so the console runs without it).
ANSWER = "answer"
CHOOSE = "choose"
ASK_PRODUCT = "ask_product"
NOT_FOUND = "not_found"

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


def _field(hit: Any, name: str) -> Any:
    return hit.get(name) if isinstance(hit, dict) else getattr(hit, name, None)


def _text(hit: Any, name: str) -> str | None:
    value = _field(hit, name)
    return None if value is None or value == "" else str(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return round(float(value), 4)


def _in_language(hit: Any, name: str, language: str) -> str | None:
    """``citation`` / ``paragraph_citation``: a method taking the language, or a plain value."""
    found = _field(hit, name)
    if callable(found):
        try:
            found = found(language)
        except Exception:  # a broken citation must not hide the clause
            return None
    return None if found is None or found == "" else str(found)


def quote_view(quote: Any) -> dict[str, Any] | None:
    """The deciding sentence (``knowledge.quotes.Quote`` or a dict) as plain JSON."""
    if quote is None:
        return None
    sentence = _text(quote, "sentence")
    label = _text(quote, "label")
    if not sentence and not label:
        return None
    paragraph = _field(quote, "paragraph")
    lead = _text(quote, "lead")
    return {
        "label": label,
        "paragraph": paragraph if isinstance(paragraph, int) else None,
        "sentence": sentence,
        # when the sentence is an item ("3. …"): the paragraph's sentence it completes
        "lead": lead,
        "paragraph_text": _text(quote, "paragraph_text"),
    }


def hit_view(hit: Any, language: str) -> dict[str, Any]:
    """One search hit as plain JSON, in the caller's language (the other one as well).

    ``has_plain`` is false for an ingested clause whose plain explanation is not written yet
    (listed in ``gaps``): then ``plain`` is None and the quoted paragraph is what there is.
    """
    other = "en" if language == "ko" else "ko"
    citation = _in_language(hit, "citation", language)
    plain = _text(hit, f"plain_{language}") or _text(hit, f"plain_{other}")
    gaps = _field(hit, "gaps")
    article = _field(hit, "article")
    return {
        "clause_id": _text(hit, "clause_id"),
        "product": _text(hit, "product"),
        "article": None if article in (None, "") else str(article),
        "title": _text(hit, f"title_{language}") or _text(hit, f"title_{other}"),
        "plain": plain,
        "has_plain": plain is not None,
        "gaps": [str(gap) for gap in gaps] if isinstance(gaps, list | tuple) else [],
        "citation": citation,
        "paragraph_citation": _in_language(hit, "paragraph_citation", language) or citation,
        "quote": quote_view(_field(hit, "quote")),
        "score": _number(_field(hit, "score")),
        "probability": _number(_field(hit, "probability")),
        "language": language,
    }


def product_names(kb: Any, keys: list[str], hits: list[Any], language: str) -> list[dict[str, str]]:
    """``[{"key": "auto", "name": "개인용 자동차보험"}, ...]``: names from the knowledge base,
    else from the hits, else the key itself."""
    named: list[dict[str, str]] = []
    for key in keys:
        name = None
        try:
            product = kb.product(key) if hasattr(kb, "product") else None
            name = product.name(language) if product is not None else None
        except Exception:
            name = None
        if not name:
            name = next(
                (
                    _text(hit, f"product_name_{language}")
                    for hit in hits
                    if _text(hit, "product") == key and _text(hit, f"product_name_{language}")
                ),
                None,
            )
        named.append({"key": str(key), "name": str(name or key)})
    return named


def article_view(clause: Any, language: str, paragraph: int | None) -> dict[str, Any]:
    """A clause's whole article as paragraphs, the one numbered ``paragraph`` highlighted."""
    from knowledge.wording import split_paragraphs

    other = "en" if language == "ko" else "ko"
    text = _text(clause, f"text_{language}") or ""
    shown = language
    if not text.strip():
        text, shown = _text(clause, f"text_{other}") or "", other
    paragraphs = [
        {
            "number": part.number,
            "marker": part.marker,
            "text": part.text,
            "highlight": paragraph is not None and part.number == paragraph,
        }
        for part in split_paragraphs(text)
    ]
    article = _field(clause, "article")
    return {
        "clause_id": _text(clause, "clause_id"),
        "product": _text(clause, "product"),
        "product_name": _text(clause, f"product_name_{language}"),
        "article": None if article in (None, "") else str(article),
        "chapter": _text(clause, f"chapter_{language}") or _text(clause, f"chapter_{other}"),
        "title": _text(clause, f"title_{language}") or _text(clause, f"title_{other}"),
        "citation": _in_language(clause, "citation", language),
        "language": shown,
        "paragraph": paragraph,
        "highlighted": any(part["highlight"] for part in paragraphs),
        "paragraphs": paragraphs,
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
            if hasattr(kb, "answer"):
                kb.answer("보험 보상", top_k=1)
            else:
                kb.search("보험 보상", top_k=1)
        except Exception as exc:  # a broken search shows up on the first real request
            log.warning("clause search warm-up failed: %s", type(exc).__name__)

    def wait(self, timeout: float) -> str:
        self.start()
        if self._enabled:
            self._ready.wait(timeout)
        return self.state

    def search(
        self,
        text: str,
        language: str,
        top_k: int = TOP_K,
        *,
        product: str | None = None,
        policy_number: str | None = None,
    ) -> dict[str, Any]:
        """Blocking search with the shared confidence rule (``KnowledgeBase.answer``); call from
        a worker thread. Raises RuntimeError when not ready.

        Returns ``decision`` (answer / choose / ask_product / not_found), ``chosen`` (the
        clause ids the decision is about: the answer, or the two to choose between),
        ``products`` (ask_product: the products to ask about, best first) and ``hits``.
        ``product``: named by the caller; else the product of ``policy_number``, if any.
        """
        if self._state != READY:
            raise RuntimeError("clause search is not ready")
        kb = self._kb
        product = product or self.product_of_policy(policy_number)
        with self._search_lock:
            if hasattr(kb, "answer"):
                decision, hits = kb.answer(text, product=product, language=language, top_k=top_k)
            else:  # an older knowledge package: search only, answer from the first hit
                hits, decision = kb.search(text, top_k=top_k), None
        hits = list(hits)[:top_k]
        kind = getattr(decision, "kind", None) or (ANSWER if hits else NOT_FOUND)
        chosen_hits = list(getattr(decision, "hits", ()) or ()) if decision else hits[:1]
        products = [str(p) for p in (getattr(decision, "products", ()) or ())]
        return {
            "decision": kind,
            "chosen": [_text(hit, "clause_id") for hit in chosen_hits if _text(hit, "clause_id")],
            "products": product_names(kb, products, hits, language),
            "product": product,
            "hits": [hit_view(hit, language) for hit in hits],
        }

    def product_of_policy(self, policy_number: str | None) -> str | None:
        """The product whose policy numbers start like ``policy_number`` ("AU…": auto)."""
        if not policy_number or self._kb is None or not hasattr(self._kb, "products"):
            return None
        number = policy_number.strip().upper()
        try:
            for product in self._kb.products():
                prefix = (getattr(product, "policy_prefix", "") or "").upper()
                if prefix and number.startswith(prefix):
                    return str(product.key)
        except Exception:  # a look-up aid only
            return None
        return None

    def article(
        self, clause_id: str, language: str, paragraph: int | None = None
    ) -> dict[str, Any] | None:
        """The whole article of one clause with ``paragraph`` highlighted; None when there is
        no such clause. Raises RuntimeError when not ready."""
        if self._state != READY:
            raise RuntimeError("clause search is not ready")
        clause = self._kb.clause(clause_id) if hasattr(self._kb, "clause") else None
        return None if clause is None else article_view(clause, language, paragraph)
