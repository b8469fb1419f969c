"""Choosing a set of non-overlapping matches out of competing candidates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar


class Located(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


LocatedT = TypeVar("LocatedT", bound=Located)


def select_non_overlapping(
    candidates: Iterable[LocatedT], rank: Callable[[LocatedT], Any]
) -> list[LocatedT]:
    """Keep the best-ranked candidates (lowest ``rank``) that do not overlap; sorted by start.

    Occupied characters are tracked in a byte array, so the cost is linear in the total
    length of the candidates rather than quadratic in their number.
    """
    ordered = sorted(candidates, key=rank)
    if not ordered:
        return []
    taken = bytearray(max(c.end for c in ordered))
    chosen: list[LocatedT] = []
    for candidate in ordered:
        start, end = candidate.start, candidate.end
        if start >= end or taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append(candidate)
    chosen.sort(key=lambda c: c.start)
    return chosen


def longest_first(candidate: Located) -> tuple[int, int]:
    return (candidate.start - candidate.end, candidate.start)
