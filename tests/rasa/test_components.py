"""Custom NLU components, exercised the way Rasa's graph calls them."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.input_guard import InputGuard
from bot.components.kiwi_tokenizer import KiwiTokenizer
from bot.components.rule_entity_extractor import RuleEntityExtractor


@pytest.fixture(scope="module")
def tokenizer() -> KiwiTokenizer:
    return KiwiTokenizer(KiwiTokenizer.get_default_config())


def tokens_of(tokenizer: KiwiTokenizer, text: str) -> list[str]:
    return [token.text for token in tokenizer.tokenize(Message({TEXT: text}), TEXT)]


def test_korean_is_split_into_morphemes(tokenizer: KiwiTokenizer) -> None:
    tokens = tokens_of(tokenizer, "보험금을 청구했어요")
    assert tokens[:3] == ["보험금", "을", "청구"]
    assert "었" in tokens or "았" in tokens


def test_korean_without_spaces_gives_the_same_content_morphemes(tokenizer: KiwiTokenizer) -> None:
    spaced = tokens_of(tokenizer, "자동차 보험 접수 하고 싶어요")
    unspaced = tokens_of(tokenizer, "자동차보험접수하고싶어요")
    assert {"자동차", "보험", "접수"} <= set(spaced) & set(unspaced)


def test_english_is_split_into_lowercase_words(tokenizer: KiwiTokenizer) -> None:
    assert tokens_of(tokenizer, "What's the STATUS of my claim?") == [
        "what's",
        "the",
        "status",
        "of",
        "my",
        "claim",
    ]


def test_token_offsets_point_into_the_text(tokenizer: KiwiTokenizer) -> None:
    text = "어제 AU20250001 차량 사고"
    tokens = tokenizer.tokenize(Message({TEXT: text}), TEXT)
    for token in tokens:
        assert text[token.start : token.end] == token.text
    assert [t.text for t in tokens] == ["어제", "AU", "20250001", "차량", "사고"]


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02"])
def test_unusable_text_still_gets_one_token(tokenizer: KiwiTokenizer, text: str) -> None:
    assert len(tokenizer.tokenize(Message({TEXT: text}), TEXT)) == 1


def test_only_the_first_characters_of_a_huge_message_are_tokenized(
    tokenizer: KiwiTokenizer,
) -> None:
    tokens = tokenizer.tokenize(Message({TEXT: "보험 " * 10_000}), TEXT)
    assert tokens[-1].end <= tokenizer._config["max_chars"]


def test_extractor_adds_canonical_entities() -> None:
    message = Message({TEXT: "clm-2026-000123 건이랑 au20250001 증권 문의"})
    RuleEntityExtractor().process([message])
    found = {(e["entity"], e["value"]) for e in message.get(ENTITIES)}
    assert found == {("claim_id", "CLM-2026-000123"), ("policy_number", "AU20250001")}
    assert all(e["extractor"] == "RuleEntityExtractor" for e in message.get(ENTITIES))


@pytest.mark.parametrize("text", ["", "  \t ", "가" * 20_000])
def test_input_guard_routes_unusable_text_to_fallback(text: str) -> None:
    message = Message({TEXT: text, INTENT: {"name": "greet", "confidence": 0.9}})
    InputGuard().process([message])
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_input_guard_leaves_normal_text_alone() -> None:
    message = Message({TEXT: "안녕하세요", INTENT: {"name": "greet", "confidence": 0.9}})
    InputGuard().process([message])
    assert message.get(INTENT)["name"] == "greet"


def test_featurizers_see_morphemes_not_tags(tokenizer: KiwiTokenizer) -> None:
    # CountVectorsFeaturizer builds its vocabulary from `lemma`.
    tokens = tokenizer.tokenize(Message({TEXT: "보험금 청구"}), TEXT)
    assert [token.lemma for token in tokens] == ["보험금", "청구"]
    assert tokens[0].get("pos") == "NNG"
