"""policies_kb/questions/: enough situation questions for every clause, in both languages, and
none of them among the questions that measure retrieval (tests/knowledge_dev/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KB = ROOT / "policies_kb"
PRODUCTS = list(yaml.safe_load((ROOT / "spec" / "topics.yml").read_text("utf-8"))["products"])
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MINIMUM = {"ko": 8, "en": 5}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def situation_questions() -> dict[str, dict[str, list[str]]]:
    found: dict[str, dict[str, list[str]]] = {}
    for product in PRODUCTS:
        data = load(KB / "questions" / f"{product}.yml")
        assert data["product"] == product
        found.update(data["clauses"])
    return found


QUESTIONS = situation_questions()


@pytest.mark.parametrize("product", PRODUCTS)
def test_every_clause_has_questions_in_both_languages(product: str) -> None:
    clause_ids = [c["id"] for c in load(KB / "clauses" / f"{product}.yml")["clauses"]]
    asked = list(load(KB / "questions" / f"{product}.yml")["clauses"])
    assert asked == clause_ids
    for clause_id in clause_ids:
        for language, minimum in MINIMUM.items():
            texts = QUESTIONS[clause_id][language]
            assert len(texts) >= minimum, (clause_id, language, len(texts))
            hangul = [len(HANGUL.findall(text)) / len(text) for text in texts]
            # English questions may name a Korean product as foreign residents do (실비)
            assert min(hangul) > 0.2 if language == "ko" else max(hangul) < 0.2, clause_id


def test_no_question_is_written_twice() -> None:
    """Not even for two products: a question naming no product is the same question for
    all of them, and the right reply to it is "which product?", not one clause."""
    texts = [normalised(t) for by in QUESTIONS.values() for ts in by.values() for t in ts]
    assert len(texts) == len(set(texts))


def test_measuring_questions_are_kept_apart_from_training() -> None:
    training = {normalised(t) for by in QUESTIONS.values() for ts in by.values() for t in ts}
    dev = load(ROOT / "tests" / "knowledge_dev" / "questions.yml")["questions"]
    held_out = [
        item
        for path in sorted((ROOT / "tests" / "knowledge_dev" / "heldout").glob("*.yml"))
        for item in load(path)["questions"]
    ]
    assert len(held_out) >= 800
    measuring = {normalised(item["text"]) for item in dev + held_out}
    assert not training & measuring
