"""The project's own contract copies still agree with ../shared/spec, and the bot honours them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "spec"
SPEC_FILES = ["intents.yml", "entities.yml", "topics.yml", "demo_data.yml"]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SPEC_FILES)
def test_project_copy_matches_shared_spec(name: str) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/spec is not beside this checkout")
    assert load(ROOT / "spec" / name) == load(SHARED / name)


def test_casestore_demo_data_is_the_spec_demo_data() -> None:
    project = load(ROOT / "casestore" / "demo_data.yml")
    spec = load(ROOT / "spec" / "demo_data.yml")
    for table in ["customers", "policies", "claims", "complaints"]:
        for record in spec[table]:
            assert record in project[table]


def _domain() -> dict:
    merged: dict = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for key, value in load(path).items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    return merged


def test_domain_declares_every_spec_intent_and_entity() -> None:
    domain = _domain()
    assert set(load(ROOT / "spec" / "intents.yml")["intents"]) <= set(domain["intents"])
    # An entity is a name, or {name: settings} (influence_conversation: false).
    declared = {next(iter(e)) if isinstance(e, dict) else e for e in domain["entities"]}
    assert set(load(ROOT / "spec" / "entities.yml")["entities"]) <= declared


def test_training_data_covers_every_spec_intent() -> None:
    trained = set()
    for path in (ROOT / "bot" / "data" / "nlu").glob("*.yml"):
        trained |= {item["intent"] for item in load(path).get("nlu", []) if "intent" in item}
    assert set(load(ROOT / "spec" / "intents.yml")["intents"]) <= trained
