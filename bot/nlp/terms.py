"""Matching domain keywords (products, incident types, change types) in running text.

A vocabulary maps surface forms in Korean and English to canonical values. Surface forms
are regex fragments with two conveniences: in Korean forms a space means an optional space
(자동차 보험 matches 자동차보험 too), and English forms are matched case-insensitively as
whole words, where a space means a short run of spaces or hyphens (rear ended, rear-ended).

Each form carries a weight saying how specific it is (3: names the thing exactly, 1: only
hints at it) so that a caller who needs one value can prefer the most specific mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlp.spans import select_non_overlapping


@dataclass(frozen=True)
class TermMatch:
    start: int
    end: int
    value: str
    weight: int


@dataclass(frozen=True)
class Forms:
    value: str
    weight: int
    korean: tuple[str, ...] = ()
    english: tuple[str, ...] = ()


def _korean_fragment(form: str) -> str:
    return form.replace(" ", r"\s?")


def _english_fragment(form: str) -> str:
    return form.replace(" ", r"[\s\-]{1,3}")


def _closing_paren(fragment: str, opening: int) -> int:
    depth, index = 0, opening
    while index < len(fragment):
        char = fragment[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise ValueError(f"unbalanced fragment {fragment!r}")


def _top_level_alternatives(group_body: str) -> list[str]:
    alternatives, depth, start, index = [], 0, 0, 0
    while index < len(group_body):
        char = group_body[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            alternatives.append(group_body[start:index])
            start = index + 1
        index += 1
    alternatives.append(group_body[start:])
    return alternatives


def _first_chars(fragment: str) -> set[str] | None:
    """Characters a match of ``fragment`` can start with; None when that is not obvious.

    Only the shapes used in the vocabularies are understood: a leading lookbehind, a
    leading non-capturing group of alternatives, or a plain first character.
    """
    if fragment.startswith(("(?<!", "(?<=")):
        return _first_chars(fragment[_closing_paren(fragment, 0) + 1 :])
    if fragment.startswith("(?:"):
        end = _closing_paren(fragment, 0)
        if fragment[end + 1 : end + 2] in ("?", "*", "{"):
            return None
        chars: set[str] = set()
        for alternative in _top_level_alternatives(fragment[3:end]):
            first = _first_chars(alternative)
            if first is None:
                return None
            chars |= first
        return chars
    if not fragment or fragment[0] in "\\([.^$|?*+{" or fragment[1:2] in ("?", "*", "{"):
        return None
    return {fragment[0].lower(), fragment[0].upper()}


def _compile(fragments: list[str], *, english: bool) -> re.Pattern[str]:
    fragments = sorted(fragments, key=len, reverse=True)  # longer forms first
    body = "|".join(fragments)
    if english:
        body = r"(?<![A-Za-z])(?:" + body + r")(?![A-Za-z])"
    first: set[str] = set()
    for fragment in fragments:
        chars = _first_chars(fragment)
        if chars is None:
            break
        first |= chars
    else:
        # A leading character-class lookahead lets the regex engine skip ahead quickly
        # instead of trying every alternative at every position (20k-character inputs).
        body = "(?=[" + re.escape("".join(sorted(first))) + "])" + body
    return re.compile(body, re.IGNORECASE if english else 0)


class Vocabulary:
    def __init__(self, entries: tuple[Forms, ...]) -> None:
        self._patterns: list[tuple[re.Pattern[str], str, int]] = []
        for entry in entries:
            if entry.korean:
                korean = [_korean_fragment(form) for form in entry.korean]
                self._patterns.append((_compile(korean, english=False), entry.value, entry.weight))
            if entry.english:
                english = [_english_fragment(form) for form in entry.english]
                self._patterns.append((_compile(english, english=True), entry.value, entry.weight))

    def find(self, text: str) -> list[TermMatch]:
        """Every mention, non-overlapping (longest, then most specific wins), by position."""
        candidates = [
            TermMatch(match.start(), match.end(), value, weight)
            for pattern, value, weight in self._patterns
            for match in pattern.finditer(text)
            if match.end() > match.start()
        ]
        return select_non_overlapping(candidates, lambda m: (m.start - m.end, -m.weight, m.start))


def most_specific(matches: list[TermMatch]) -> str | None:
    """The value of the highest-weight match; the earliest one on a tie."""
    if not matches:
        return None
    return min(matches, key=lambda m: (-m.weight, m.start)).value
