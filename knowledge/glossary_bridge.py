"""Customer words -> wording words, through the glossary (policies_kb/glossary.yml).

Customers say 자차, 침수차 or excess where the wording says 자기차량손해, 침수 or deductible.
When a question contains a glossary term or one of its aliases (all of the name's BM25 tokens),
the tokens of the term's other names are added to the BM25 query with a lower weight
(``SearchSettings.expansion_weight``). On the dev questions this lifted hybrid top-3 by about
1.5 points in Korean; a bonus for clauses carrying the term's related topics added nothing and
was dropped.
"""

from __future__ import annotations

from knowledge import lexical
from knowledge.policy_data import GlossaryEntry


class GlossaryBridge:
    def __init__(self, glossary: tuple[GlossaryEntry, ...]) -> None:
        self._names: dict[str, list[tuple[str, frozenset[str]]]] = {"ko": [], "en": []}
        self._entry_tokens: dict[tuple[str, str], tuple[str, ...]] = {}
        for entry in glossary:
            for language in ("ko", "en"):
                tokens: list[str] = []
                for name in entry.names(language):
                    name_tokens = lexical.tokenize(name, language)
                    if name_tokens:
                        self._names[language].append((entry.term_id, frozenset(name_tokens)))
                        tokens.extend(token for token in name_tokens if token not in tokens)
                self._entry_tokens[(entry.term_id, language)] = tuple(tokens)

    def matched_terms(self, tokens: list[str], language: str) -> list[str]:
        """Ids of the glossary terms named in a question (given as its BM25 tokens), the term
        with the longest matching name first."""
        present = set(tokens)
        longest: dict[str, int] = {}
        for term_id, name_tokens in self._names.get(language, []):
            if name_tokens <= present:
                longest[term_id] = max(longest.get(term_id, 0), len(name_tokens))
        return sorted(longest, key=lambda term_id: -longest[term_id])

    def expansion(self, tokens: list[str], language: str) -> list[str]:
        """Tokens of the other names of every glossary term the question names."""
        present = set(tokens)
        added: list[str] = []
        for term_id in self.matched_terms(tokens, language):
            for token in self._entry_tokens[(term_id, language)]:
                if token not in present and token not in added:
                    added.append(token)
        return added
