"""The one place actions reach the case store (swap it here for a real back end)."""

from __future__ import annotations

from casestore import CaseStore
from knowledge.knowledge_base import KnowledgeBase

_store: CaseStore | None = None


def store() -> CaseStore:
    global _store
    if _store is None:
        _store = CaseStore.open(migrate=False)
    return _store


def store_in_use() -> CaseStore | None:
    """The store the actions use, without opening one."""
    return _store


def use_store(case_store: CaseStore | None) -> None:
    """Point the actions at another store (tests, or a different database)."""
    global _store
    _store = case_store


def knowledge_base() -> KnowledgeBase:
    """The clause index, loaded once per process (built on first use if missing)."""
    return KnowledgeBase.load(progress=False)
