"""BM25 tokenisation and scoring."""

from __future__ import annotations

import numpy as np

from knowledge.bm25 import BM25Index
from knowledge.glossary_bridge import GlossaryBridge
from knowledge.lexical import english_tokens, korean_tokens, stem_english, tokenize
from knowledge.policy_data import GlossaryEntry


def test_korean_keeps_content_morphemes_and_drops_particles_and_endings():
    tokens = korean_tokens("주차해 둔 차가 태풍 때 물에 잠겼는데 보상돼요?")
    assert tokens == ["주차", "차", "태풍", "때", "물", "잠기", "보상"]
    assert "잠기" in korean_tokens("차가 물에 잠기다")


def test_korean_text_keeps_latin_words_and_numbers():
    assert korean_tokens("허리 MRI 찍는 데 60만 원") == ["허리", "mri", "찍", "60"]


def test_english_is_lower_case_words_without_stop_words_lightly_stemmed():
    assert english_tokens("My car was FLOODED during the typhoons!") == ["car", "flood", "typhoon"]
    assert stem_english("policies") == "policy"
    assert stem_english("stopped") == "stop"
    assert stem_english("glass") == "glass"
    assert tokenize("Is it covered?", "en") == ["cover"]


def test_bm25_ranks_the_document_with_the_rare_word_first():
    documents = [["car", "flood", "water"], ["car", "theft"], ["house", "fire", "car"]]
    index = BM25Index.fit(documents)
    scores = index.scores(["flood", "car"])
    assert int(np.argmax(scores)) == 0
    assert index.scores(["unknown"]).tolist() == [0.0, 0.0, 0.0]
    weighted = index.scores(["theft"], [0.5])
    assert np.isclose(weighted[1], 0.5 * index.scores(["theft"])[1])


def test_bm25_round_trips_through_disk(tmp_path):
    index = BM25Index.fit([["a", "b"], ["b", "c", "c"]])
    index.save(tmp_path, "test")
    loaded = BM25Index.load(tmp_path, "test")
    assert loaded.vocabulary == index.vocabulary
    assert np.allclose(loaded.scores(["c", "a"]), index.scores(["c", "a"]))


def test_glossary_bridge_adds_the_other_names_of_a_term_the_question_uses():
    entry = GlossaryEntry(
        term_id="deductible",
        term_ko="자기부담금",
        term_en="deductible",
        definition_ko="",
        definition_en="",
        aliases_ko=("본인부담금",),
        aliases_en=("excess",),
    )
    bridge = GlossaryBridge((entry,))
    question = tokenize("What's the excess I have to pay?", "en")
    assert bridge.matched_terms(question, "en") == ["deductible"]
    assert bridge.expansion(question, "en") == ["deductible"]
    assert bridge.expansion(tokenize("How do I pay?", "en"), "en") == []
