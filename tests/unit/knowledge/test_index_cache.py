"""The index cache: built once, reused, rebuilt when the KB changes."""

from __future__ import annotations

from knowledge import KnowledgeBase


def test_cache_is_reused_and_rebuilt_when_the_kb_changes(kb, tiny_kb_dir, tmp_path):
    cache = tmp_path / "cache"
    first = KnowledgeBase.load(kb_dir=tiny_kb_dir, cache_dir=cache, progress=False)
    assert first.built
    assert first.index.manifest["clauses"] == 3
    assert (first.index.folder / "dense.faiss").is_file()
    assert first.search("태풍에 차가 물에 잠겼어요", top_k=1)[0].clause_id == "auto-001"

    assert KnowledgeBase.load(kb_dir=tiny_kb_dir, cache_dir=cache, progress=False) is first
    KnowledgeBase.clear_cache(tiny_kb_dir)
    again = KnowledgeBase.load(kb_dir=tiny_kb_dir, cache_dir=cache, progress=False)
    assert not again.built
    assert again.index.folder == first.index.folder

    clauses = tiny_kb_dir / "clauses" / "auto.yml"
    text = clauses.read_text(encoding="utf-8")
    clauses.write_text(text.replace("사진을 찍어 두세요.", "차를 높은 곳으로 옮기세요."))
    changed = KnowledgeBase.load(kb_dir=tiny_kb_dir, cache_dir=cache, progress=False)
    assert changed is not again
    assert changed.built
    assert changed.index.folder != first.index.folder
    assert "차를 높은 곳으로" in changed.clause("auto-001").action_ko


def test_unreadable_cache_is_rebuilt(kb, tiny_kb_dir, tmp_path):
    cache = tmp_path / "cache"
    first = KnowledgeBase.load(kb_dir=tiny_kb_dir, cache_dir=cache, progress=False)
    (first.index.folder / "units.json").write_text("{broken", encoding="utf-8")
    KnowledgeBase.clear_cache(tiny_kb_dir)
    repaired = KnowledgeBase.load(kb_dir=tiny_kb_dir, cache_dir=cache, progress=False)
    assert repaired.built
    assert len(repaired.index.passages) == len(first.index.passages)
