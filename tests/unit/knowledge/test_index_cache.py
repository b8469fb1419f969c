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


TINY_QUESTIONS = {
    "health": {"health-001": (["임플란트 했는데 실비 돼요?", "틀니 비용 청구 가능해요?"],
                              ["Are dental implants covered?", "can I claim my braces"]),
               "health-002": (["실비 청구 서류 뭐 내요?", "영수증만 내면 돼요?"],
                              ["What papers do I need to claim?", "is the receipt enough"])},
    "auto": {"auto-001": (["장마에 차가 잠겼어요", "태풍에 차 침수됐는데 보상돼요?"],
                          ["my car got flooded in the typhoon", "is flood damage paid"])},
}


def write_questions(kb_dir, extra: str = "") -> None:
    import yaml

    (kb_dir / "questions").mkdir(exist_ok=True)
    for product, clauses in TINY_QUESTIONS.items():
        data = {"product": product, "clauses": {
            clause_id: {"ko": ko + ([f"{extra} {ko[0]}"] if extra else []), "en": en}
            for clause_id, (ko, en) in clauses.items()
        }}
        (kb_dir / "questions" / f"{product}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_editing_questions_trains_the_second_stage_again_without_re_embedding(
    kb, tiny_kb_dir, tmp_path
):
    write_questions(tiny_kb_dir)
    cache = tmp_path / "cache"
    first = KnowledgeBase.load(kb_dir=tiny_kb_dir, cache_dir=cache, progress=False)
    assert first.second.model is not None and first.second.classifier is not None
    [stage] = list(first.index.folder.glob("second-*"))
    sentences = first.index.folder / "sentences.npy"
    sentences_written = sentences.stat().st_mtime_ns
    assert first.search("태풍에 차가 물에 잠겼어요", top_k=1)[0].clause_id == "auto-001"

    write_questions(tiny_kb_dir, extra="급해요")
    edited = KnowledgeBase.load(kb_dir=tiny_kb_dir, cache_dir=cache, progress=False)
    assert edited is not first and not edited.built  # the wordings' index is reused
    assert edited.index.folder == first.index.folder
    assert sentences.stat().st_mtime_ns == sentences_written
    stages = sorted(first.index.folder.glob("second-*"))
    assert len(stages) == 2 and stage in stages
    assert len(edited.second.memory) == len(first.second.memory) + 3
