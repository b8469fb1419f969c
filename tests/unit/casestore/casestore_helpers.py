"""Shared values and helpers of the case store tests (conftest.py holds the fixtures)."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import create_engine, text

# 10:30 in Korea on 2026-11-25.
NOW = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
ACTOR = "test-suite"


def claim_args(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "policy_number": "AU20250001",
        "incident_type": "collision",
        "incident_date": date(2026, 11, 24),
        "incident_place": "서울 강남구 테헤란로",
        "description": "신호 대기 중 후방 추돌",
        "injuries": False,
        "contact_consent": True,
        "channel": "web",
        "idempotency_key": None,
        "now": NOW,
    }
    args.update(overrides)
    return args


def complaint_args(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "customer_id": "C001",
        "policy_number": "AU20250001",
        "category": "claim_delay",
        "description": "보험금 지급이 너무 늦어요",
        "desired_outcome": "빠른 지급",
        "idempotency_key": None,
        "now": NOW,
    }
    args.update(overrides)
    return args


def rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Raw rows, read outside the store (so no audit entries are written)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def count(url: str, table: str) -> int:
    return rows(url, f"SELECT count(*) FROM {table}")[0][0]
