"""Policy data loading and the passages and BM25 documents made from it."""

from __future__ import annotations

import dataclasses

from knowledge.passages import (
    CLAUSE,
    TERM,
    build_documents,
    build_passages,
    clause_passages,
)
from knowledge.policy_data import citation, load_policy_data, rider_name


def test_loads_clauses_glossary_and_spec_products(tiny_kb_dir):
    data = load_policy_data(tiny_kb_dir)
    assert [c.clause_id for c in data.clauses] == ["auto-001", "health-001", "health-002"]
    dental = data.clause_by_id()["health-001"]
    assert dental.topics == ("health.dental",)
    assert dental.product_name_ko == "실손의료보험"
    assert data.products["health"].wording_title_ko == "실손의료보험 보통약관"
    assert data.products["travel"].name_en == "overseas travel insurance"  # from spec/topics.yml
    assert [entry.term_id for entry in data.glossary] == ["own_damage"]
    assert data.glossary[0].aliases_ko == ("자차",)


def test_missing_and_broken_files_are_skipped(tiny_kb_dir, caplog):
    (tiny_kb_dir / "glossary.yml").unlink()
    (tiny_kb_dir / "clauses" / "travel.yml").write_text("product: travel\nclauses: [\n")
    data = load_policy_data(tiny_kb_dir)
    assert len(data.clauses) == 3
    assert data.glossary == ()
    assert "travel.yml" in caplog.text


def test_content_hash_follows_the_bytes(tiny_kb_dir):
    before = load_policy_data(tiny_kb_dir).content_hash
    assert load_policy_data(tiny_kb_dir).content_hash == before
    path = tiny_kb_dir / "clauses" / "auto.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("사진을", "사진과 영상을"))
    assert load_policy_data(tiny_kb_dir).content_hash != before


def test_clause_passages_carry_heading_and_plain_explanation(tiny_kb_dir):
    clause = load_policy_data(tiny_kb_dir).clause_by_id()["health-001"]
    passages = clause_passages(clause)
    assert [(p.language, p.field) for p in passages] == [("ko", "summary"), ("en", "summary")]
    ko, en = passages
    assert ko.text.startswith("실손의료보험 · 제2장 보상하지 않는 손해 · 치과 치료.")
    assert "임플란트와 틀니" in ko.text
    assert en.text.startswith("medical expense (indemnity) insurance · Chapter 2 Exclusions")
    assert all(p.kind == CLAUSE and p.ref == "health-001" and p.product == "health"
               for p in passages)


def test_documents_hold_every_field_including_the_wording(tiny_kb_dir):
    data = load_policy_data(tiny_kb_dir)
    documents = {(d.kind, d.ref, d.language): d for d in build_documents(data)}
    dental_ko = documents[(CLAUSE, "health-001", "ko")].text
    for part in ("치과 치료", "임플란트와 틀니", "임플란트를 한 경우", "치과 보험을", "치아 교정"):
        assert part in dental_ko
    assert (TERM, "own_damage", "en") in documents


def test_glossary_terms_are_passages_of_their_own_kind(tiny_kb_dir):
    passages = build_passages(load_policy_data(tiny_kb_dir))
    terms = [p for p in passages if p.kind == TERM]
    assert [(p.ref, p.language) for p in terms] == [("own_damage", "ko"), ("own_damage", "en")]
    assert terms[0].text.startswith("자기차량손해, 자차: ")
    assert terms[0].product == "auto"


def test_citations(tiny_kb_dir):
    clause = load_policy_data(tiny_kb_dir).clause_by_id()["auto-001"]
    assert citation(clause, "ko") == "개인용 자동차보험 제17조(침수로 인한 손해)"
    assert clause.citation("en") == "Personal auto insurance, Article 17 (Flood damage)"


def test_rider_articles_cite_the_rider(tiny_kb_dir):
    rider = "급배수설비누출손해 특별약관"
    assert rider_name(f"특별약관 1 {rider}", "ko") == rider
    assert rider_name("Special Terms 3 Theft Rider", "en") == "Theft Rider"
    assert rider_name("제2장 보상하는 손해", "ko") == ""
    clause = load_policy_data(tiny_kb_dir).clause_by_id()["health-001"]
    leak = dataclasses.replace(
        clause, chapter_ko=f"특별약관 1 {rider}", chapter_en="Special Terms 1 Water Leak Rider",
        article=1, title_ko="보상하는 손해", title_en="Losses covered",
    )
    assert leak.citation("ko") == f"실손의료보험 {rider} 제1조(보상하는 손해)"
    assert leak.citation("en") == (
        "Medical expense (indemnity) insurance, Water Leak Rider, Article 1 (Losses covered)"
    )
