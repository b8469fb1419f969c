"""Claim and complaint state machines (spec/demo_data.yml)."""

from datetime import timedelta
from itertools import pairwise
from types import MappingProxyType

# The ordered happy path of a claim.
CLAIM_PATH: tuple[str, ...] = (
    "received",
    "awaiting_documents",
    "under_investigation",
    "loss_assessment",
    "approved",
    "paid",
)
CLAIM_OPEN_STATES: frozenset[str] = frozenset(CLAIM_PATH[:4])
CLAIM_STATUSES: tuple[str, ...] = (*CLAIM_PATH, "denied", "disputed")


def _claim_transitions() -> dict[str, frozenset[str]]:
    allowed: dict[str, set[str]] = {status: set() for status in CLAIM_STATUSES}
    for current, following in pairwise(CLAIM_PATH):
        allowed[current].add(following)
    for status in CLAIM_OPEN_STATES:
        allowed[status].add("denied")
    for status in ("denied", "approved", "paid"):
        allowed[status].add("disputed")
    return {status: frozenset(targets) for status, targets in allowed.items()}


CLAIM_TRANSITIONS = MappingProxyType(_claim_transitions())

# Complaints are acknowledged at once and must be answered within 14 days.
COMPLAINT_DEADLINE = timedelta(days=14)

COMPLAINT_STATUSES: tuple[str, ...] = ("received", "in_review", "resolved", "escalated")
COMPLAINT_TRANSITIONS = MappingProxyType(
    {
        "received": frozenset({"in_review", "escalated"}),
        "in_review": frozenset({"resolved", "escalated"}),
        "escalated": frozenset({"resolved"}),
        "resolved": frozenset(),
    }
)


def claim_path_to(status: str) -> tuple[str, ...]:
    """The states a claim walks through to reach ``status`` (used to build demo history)."""
    if status in CLAIM_PATH:
        return CLAIM_PATH[: CLAIM_PATH.index(status) + 1]
    if status == "denied":
        return (*CLAIM_PATH[:3], "denied")
    if status == "disputed":
        return (*CLAIM_PATH[:3], "denied", "disputed")
    raise ValueError(f"unknown claim status {status!r}")


def complaint_path_to(status: str) -> tuple[str, ...]:
    paths = {
        "received": ("received",),
        "in_review": ("received", "in_review"),
        "escalated": ("received", "in_review", "escalated"),
        "resolved": ("received", "in_review", "resolved"),
    }
    return paths[status]
