"""Custom NLU components, exercised the way Rasa's graph calls them."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import (
    ENTITIES,
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.input_guard import InputGuard
from bot.components.jamo_ngram_featurizer import JamoNgramFeaturizer
from bot.components.kiwi_tokenizer import KiwiTokenizer
from bot.components.linear_intent_classifier import LinearIntentClassifier
from bot.components.rule_entity_extractor import RuleEntityExtractor
from bot.components.stored_objects import StoredDataError


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


# --- Persistence: trained data is stored as JSON and npz, never as pickles -------------

PERSISTENCE_EXAMPLES = {
    "claim_status": ["보험금 청구한 거 어떻게 됐어요?", "청구 진행 상황", "where is my claim"],
    "contact_info": ["콜센터 번호 알려주세요", "상담 전화번호", "what's your phone number"],
    "greet": ["안녕하세요", "반가워요", "hello there"],
}
UNSEEN = ["청구 진행 삼황", "고객센터전화번호", "HELLO", "", "완전히 다른 말 ☃", "x" * 300]


def _context(name: str) -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test-model", node_name=name)


def _data(intents: dict[str, list[str]]) -> TrainingData:
    return TrainingData(
        [Message({TEXT: t, INTENT: i}) for i, texts in intents.items() for t in texts]
    )


def _with_dense(messages: list[Message]) -> list[Message]:
    """A dense sentence feature besides the jamo counts, as e5 adds (without loading e5)."""
    for message in messages:
        text = str(message.get(TEXT))
        vector = np.asarray([[len(text), text.count(" "), sum(map(ord, text)) % 97]], float)
        message.add_features(Features(vector, FEATURE_TYPE_SENTENCE, TEXT, "dense"))
    return messages


def _jamo_rows(featurizer: JamoNgramFeaturizer, texts: list[str]) -> list[np.ndarray]:
    messages = [Message({TEXT: t}) for t in texts]
    featurizer.process(messages)
    rows = []
    for message in messages:
        (feature,) = [f for f in message.features if f.type == FEATURE_TYPE_SENTENCE]
        rows.append(feature.features.toarray())
    return rows


def test_jamo_vocabulary_reloads_to_identical_features(tmp_path: Path) -> None:
    storage, resource = LocalModelStorage(tmp_path), Resource("jamo")
    config = {**JamoNgramFeaturizer.get_default_config(), "max_features": 150}
    trained = JamoNgramFeaturizer.create(config, storage, resource, _context("jamo"))
    trained.train(_data(PERSISTENCE_EXAMPLES))
    # Another config at load time changes nothing: the saved vocabulary and n-grams rule.
    other = {**config, "min_ngram": 1, "max_ngram": 1}
    loaded = JamoNgramFeaturizer.load(other, storage, resource, _context("jamo"))
    texts = [t for texts in PERSISTENCE_EXAMPLES.values() for t in texts] + UNSEEN
    before, after = _jamo_rows(trained, texts), _jamo_rows(loaded, texts)
    assert before[0].shape == (1, 150)
    for a, b in zip(before, after, strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def _train_classifier(
    storage: LocalModelStorage, intents: dict[str, list[str]]
) -> tuple[JamoNgramFeaturizer, LinearIntentClassifier, LinearIntentClassifier]:
    jamo_config = JamoNgramFeaturizer.get_default_config()
    jamo = JamoNgramFeaturizer.create(jamo_config, storage, Resource("jamo"), _context("jamo"))
    data = _data(intents)
    jamo.train(data)
    jamo.process_training_data(data)
    _with_dense(data.training_examples)
    config = LinearIntentClassifier.get_default_config()
    resource = Resource("classifier")
    trained = LinearIntentClassifier.create(config, storage, resource, _context("clf"))
    trained.train(data)
    loaded = LinearIntentClassifier.load(config, storage, resource, _context("clf"))
    return jamo, trained, loaded


def _rankings(
    jamo: JamoNgramFeaturizer, classifier: LinearIntentClassifier, texts: list[str]
) -> list[list[dict]]:
    messages = _with_dense([Message({TEXT: t}) for t in texts])
    jamo.process(messages)
    classifier.process(messages)
    return [m.get(INTENT_RANKING_KEY) for m in messages]


@pytest.mark.parametrize(
    "intents", [PERSISTENCE_EXAMPLES, dict(list(PERSISTENCE_EXAMPLES.items())[:2])]
)
def test_classifier_reloads_to_identical_predictions(tmp_path: Path, intents) -> None:
    jamo, trained, loaded = _train_classifier(LocalModelStorage(tmp_path), intents)
    texts = [t for texts in intents.values() for t in texts] + UNSEEN
    before, after = _rankings(jamo, trained, texts), _rankings(jamo, loaded, texts)
    assert before == after  # the same intents in the same order with the same floats
    assert {r[0]["name"] for r in before} <= set(intents)
    assert [type(r[0]["name"]) for r in after] == [type(r[0]["name"]) for r in before]


def test_trained_components_write_only_json_and_npz(tmp_path: Path) -> None:
    _train_classifier(LocalModelStorage(tmp_path), PERSISTENCE_EXAMPLES)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == [
        "classifier/linear_intent_classifier.json",
        "classifier/linear_intent_classifier.npz",
        "jamo/jamo_ngram_vocabulary.json",
    ]
    with np.load(tmp_path / "classifier/linear_intent_classifier.npz", allow_pickle=False) as npz:
        assert all(npz[key].dtype != object for key in npz.files)


def test_a_pickled_array_in_the_model_is_refused_not_loaded(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    _train_classifier(storage, PERSISTENCE_EXAMPLES)
    npz = tmp_path / "classifier/linear_intent_classifier.npz"
    with np.load(npz, allow_pickle=False) as saved:
        arrays = {key: saved[key] for key in saved.files}
    arrays["coef"] = np.asarray([_Explodes()], dtype=object)  # np.savez pickles this
    np.savez(npz, **arrays)
    _Explodes.ran = False
    config = LinearIntentClassifier.get_default_config()
    with pytest.raises(StoredDataError):
        LinearIntentClassifier.load(config, storage, Resource("classifier"), _context("clf"))
    assert not _Explodes.ran


class _Explodes:
    ran = False

    def __reduce__(self):
        return (_Explodes._run, ())

    @staticmethod
    def _run() -> None:
        _Explodes.ran = True


@pytest.mark.parametrize(
    ("component", "resource", "legacy"),
    [
        (LinearIntentClassifier, "classifier", "linear_intent_classifier.joblib"),
        (JamoNgramFeaturizer, "jamo", "jamo_ngram_vectorizer.joblib"),
    ],
)
def test_a_model_from_before_is_refused_with_a_clear_message(
    tmp_path: Path, component, resource: str, legacy: str
) -> None:
    (tmp_path / resource).mkdir()
    (tmp_path / resource / legacy).write_bytes(b"\x80\x04not really a pickle")
    with pytest.raises(StoredDataError, match="Retrain"):
        component.load(
            component.get_default_config(),
            LocalModelStorage(tmp_path),
            Resource(resource),
            _context(resource),
        )


def test_a_resource_that_was_never_written_loads_as_untrained(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    jamo_config = JamoNgramFeaturizer.get_default_config()
    jamo = JamoNgramFeaturizer.load(jamo_config, storage, Resource("none"), _context("jamo"))
    message = Message({TEXT: "안녕하세요"})
    jamo.process([message])
    assert not message.features


def test_no_component_code_imports_a_pickle_loader() -> None:
    pattern = re.compile(
        r"^\s*(import|from)\s+(pickle|cPickle|joblib|dill|cloudpickle|jsonpickle)\b"
    )
    root = Path(__file__).resolve().parents[2] / "bot"
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.match(line)
    ]
    assert offenders == []
