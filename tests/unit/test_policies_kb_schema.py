"""Schema of policies_kb/: every topic covered, both languages, no empty field, ids sound."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KB = ROOT / "policies_kb"
TOPICS = yaml.safe_load((ROOT / "spec" / "topics.yml").read_text(encoding="utf-8"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
TEXT_FIELDS = [
    "chapter_ko", "chapter_en", "title_ko", "title_en", "text_ko", "text_en",
    "plain_ko", "plain_en", "example_ko", "example_en", "action_ko", "action_en",
]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def clauses() -> list[dict]:
    found = []
    for product in TOPICS["products"]:
        data = load(KB / "clauses" / f"{product}.yml")
        assert data["product"] == product
        found += [{**clause, "_product": product} for clause in data["clauses"]]
    return found


ALL = clauses()


def test_every_product_has_a_full_wording() -> None:
    for product in TOPICS["products"]:
        assert sum(1 for c in ALL if c["_product"] == product) >= 30, product
    assert len(ALL) >= 150


def test_clause_ids_are_unique_and_related_ids_exist() -> None:
    ids = [c["id"] for c in ALL]
    assert len(ids) == len(set(ids))
    for clause in ALL:
        assert clause["id"].startswith(f"{clause['_product']}-")
        assert clause["related"], clause["id"]
        assert set(clause["related"]) <= set(ids), clause["id"]


@pytest.mark.parametrize("clause", ALL, ids=lambda c: c["id"])
def test_clause_fields_are_present_in_both_languages(clause: dict) -> None:
    assert isinstance(clause["article"], int)
    for field in TEXT_FIELDS:
        assert str(clause.get(field) or "").strip(), f"{clause['id']}.{field} is empty"
    for field in ["title_ko", "text_ko", "plain_ko", "example_ko", "action_ko"]:
        assert HANGUL.search(clause[field]), f"{clause['id']}.{field} is not Korean"
    for field in ["title_en", "text_en", "plain_en", "example_en", "action_en"]:
        assert not HANGUL.search(clause[field]), f"{clause['id']}.{field} is not English"


def test_every_topic_tag_is_carried_and_no_unknown_tags() -> None:
    carried = {tag for clause in ALL for tag in clause["topics"]}
    assert set(TOPICS["topics"]) <= carried
    assert carried <= set(TOPICS["topics"])


def test_common_topics_are_stated_by_every_product() -> None:
    common = {tag for tag in TOPICS["topics"] if tag.startswith("common.")}
    for product in TOPICS["products"]:
        carried = {t for c in ALL if c["_product"] == product for t in c["topics"]}
        assert common <= carried, (product, common - carried)


def test_glossary_has_sixty_terms_in_both_languages() -> None:
    terms = load(KB / "glossary.yml")["terms"]
    assert len(terms) >= 60
    assert len({t["id"] for t in terms}) == len(terms)
    for term in terms:
        for field in ["term_ko", "term_en", "definition_ko", "definition_en"]:
            assert str(term.get(field) or "").strip(), (term["id"], field)
        assert set(term.get("related_topics") or []) <= set(TOPICS["topics"]), term["id"]


def test_product_catalogue_covers_every_product() -> None:
    products = load(KB / "products.yml")["products"]
    assert set(products) == set(TOPICS["products"])
    for key, product in products.items():
        for field in ["name_ko", "name_en", "summary_ko", "summary_en", "suits_ko", "suits_en"]:
            assert str(product.get(field) or "").strip(), (key, field)
        assert product["main_coverages"] and product["riders"] and product["premium_factors"]
