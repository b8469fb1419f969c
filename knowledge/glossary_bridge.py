"""Customer words -> wording words, through the glossary (policies_kb/glossary.yml).

Customers say 자차, 실비 or excess where the wording says 자기차량손해, 실손 or deductible. When
a question contains a glossary term or one of its aliases (all of its words, as BM25 tokens),
the other names of that term are added to the BM25 query with a lower weight, and clauses that
carry one of the term's related topics get a small bonus. Names that occur in a large share of
the clauses (보험금, cover) say nothing about the topic and give no bonus.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge import lexical
from knowledge.policy_data import GlossaryEntry

# A name found in more than this share of a language's clause documents gives no topic bonus.
MAX_NAME_DOCUMENT_SHARE = 0.15


@dataclass(frozen=True)
class TermMatch:
    entry: GlossaryEntry
    expansion: tuple[str, ...]  # tokens of the entry's names, minus those in the question
    specific: bool  # the matched name is rare enough in the clauses to point at a topic


class GlossaryBridge:
    def __init__(self, glossary: tuple[GlossaryEntry, ...], document_share=None) -> None:
        """``document_share(tokens, language)``: share of clause documents with all tokens."""
        self._names: dict[str, list[tuple[GlossaryEntry, frozenset[str]]]] = {"ko": [], "en": []}
        self._entry_tokens: dict[tuple[str, str], tuple[str, ...]] = {}
        self._document_share = document_share
        for entry in glossary:
            for language in ("ko", "en"):
                tokens: list[str] = []
                for name in entry.names(language):
                    name_tokens = lexical.tokenize(name, language)
                    if name_tokens:
                        self._names[language].append((entry, frozenset(name_tokens)))
                        tokens.extend(token for token in name_tokens if token not in tokens)
                self._entry_tokens[(entry.term_id, language)] = tuple(tokens)

    def match(self, tokens: list[str], language: str) -> list[TermMatch]:
        present = set(tokens)
        matched: dict[str, TermMatch] = {}
        for entry, name_tokens in self._names.get(language, []):
            if not name_tokens <= present:
                continue
            share = (
                self._document_share(sorted(name_tokens), language)
                if self._document_share
                else 0.0
            )
            specific = share <= MAX_NAME_DOCUMENT_SHARE
            previous = matched.get(entry.term_id)
            if previous is not None and (previous.specific or not specific):
                continue
            expansion = tuple(
                token for token in self._entry_tokens[(entry.term_id, language)]
                if token not in present
            )
            matched[entry.term_id] = TermMatch(entry, expansion, specific)
        return list(matched.values())
