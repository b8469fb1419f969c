"""Size and shape of the NLU training data the issue asks for."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


def examples() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "bot" / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item:
                lines = [
                    line[2:].strip()
                    for line in item["examples"].splitlines()
                    if line.startswith("- ")
                ]
                found.setdefault(item["intent"], []).extend(lines)
    return found


def test_every_intent_has_enough_korean_and_english_examples() -> None:
    for intent, lines in examples().items():
        korean = sum(1 for line in lines if HANGUL.search(line))
        english = len(lines) - korean
        minimum = (60, 40) if intent in ("inform", "out_of_scope") else (30, 20)
        assert (korean, english) >= minimum and english >= minimum[1], (intent, korean, english)


def test_no_example_is_repeated() -> None:
    counts = Counter(line.casefold() for lines in examples().values() for line in lines)
    assert [line for line, n in counts.items() if n > 1] == []
