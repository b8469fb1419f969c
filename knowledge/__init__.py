"""Clause retrieval over the policy wordings in policies_kb/ (Korean and English).

    from knowledge import KnowledgeBase
    kb = KnowledgeBase.load()
    decision, hits = kb.answer("주차해 둔 차가 태풍 때 물에 잠겼는데 보상돼요?")

Heavy dependencies (torch, sentence-transformers, faiss, Kiwi) load on first use.
"""

from knowledge.confidence import is_confident, products_split
from knowledge.knowledge_base import Hit, KnowledgeBase
from knowledge.policy_data import Clause, GlossaryEntry, ProductInfo

__all__ = [
    "Clause",
    "GlossaryEntry",
    "Hit",
    "KnowledgeBase",
    "ProductInfo",
    "is_confident",
    "products_split",
]
