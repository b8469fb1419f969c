"""References to policy clauses: 제12조, 12조 3항, 제12조 제3항, Article 12(3), art. 12 para 3.

Canonical form: the article number, then the paragraph in brackets: "12", "12(3)". Korean
branch articles (제12조의2) keep their branch after a hyphen: "12-2", "12-2(3)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlp.spans import longest_first, select_non_overlapping

_PARAGRAPH_KO = r"(?:\s?제?\s?(?P<paragraph>\d{1,3})\s?항)?"
# Without 제, 조 must not start another word: 12조원 is money, 3조각 is "three pieces".
_KOREAN = re.compile(
    r"(?:제\s?(?P<article>\d{1,3})\s?조|(?<![\d제])(?P<bare>\d{1,3})\s?조(?![원각건치정직회합심작]))"
    r"(?:의\s?(?P<branch>\d{1,2}))?" + _PARAGRAPH_KO
)
_ENGLISH = re.compile(
    r"(?<![A-Za-z])(?:article|art\.?|clause|section|§)\s?(?P<article>\d{1,3})(?!\d)"
    r"(?:\s?\((?P<paren>\d{1,3})\)"
    r"|,?\s?(?:paragraph|para\.?|par\.|§)\s?(?P<paragraph>\d{1,3})(?!\d))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ClauseMatch:
    start: int
    end: int
    value: str


def _canonical(article: str, branch: str | None, paragraph: str | None) -> str:
    value = str(int(article))
    if branch:
        value += f"-{int(branch)}"
    if paragraph:
        value += f"({int(paragraph)})"
    return value


def find_clause_refs(text: str) -> list[ClauseMatch]:
    candidates = []
    for match in _KOREAN.finditer(text):
        article = match.group("article") or match.group("bare")
        value = _canonical(article, match.group("branch"), match.group("paragraph"))
        candidates.append(ClauseMatch(match.start(), match.end(), value))
    for match in _ENGLISH.finditer(text):
        paragraph = match.group("paren") or match.group("paragraph")
        value = _canonical(match.group("article"), None, paragraph)
        candidates.append(ClauseMatch(match.start(), match.end(), value))
    return select_non_overlapping(candidates, longest_first)
