"""Telling a described loss from a bare value."""

from __future__ import annotations

import pytest

from bot.nlp.loss_report import looks_like_loss_report


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("불났어요", {"incident_type"}, True),
        ("어젯밤 주차장에서 누가 차를 긁고 갔어요", set(), True),
        ("someone broke into my flat last night", set(), True),
        ("my car got hit in the car park", {"product"}, True),
        ("AU20250001 이에요", {"policy_number"}, False),
        ("어제요", {"incident_date"}, False),
        ("50만원 정도요", {"claim_amount"}, False),
        ("강남역 사거리", set(), False),
        ("the blue one", set(), False),
        ("", set(), False),
    ],
)
def test_looks_like_loss_report(text: str, entities: set[str], expected: bool) -> None:
    assert looks_like_loss_report(text, entities) is expected
