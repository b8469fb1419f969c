"""The intent pipeline's own components, trained, persisted and loaded as Rasa's graph does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.e5_featurizer import E5SentenceFeaturizer
from bot.components.jamo_ngram_featurizer import JamoNgramFeaturizer, spelled_out
from bot.components.linear_intent_classifier import LinearIntentClassifier
from bot.components.sentence_encoder import SentenceEncoder
from bot.components.training_augmenter import AUGMENTED, TrainingAugmenter

EXAMPLES = {
    "claim_status": [
        "보험금 청구한 거 어떻게 됐어요?",
        "청구 진행 상황 알려주세요",
        "언제 보험금 들어와요",
        "where is my claim",
        "when will my claim be paid",
    ],
    "contact_info": [
        "콜센터 번호 알려주세요",
        "고객센터 몇 시까지 해요?",
        "상담 전화번호가 뭐예요",
        "what's your phone number",
        "what are your opening hours",
    ],
    "greet": ["안녕하세요", "안녕", "반가워요", "hi there", "hello"],
}


def context(name: str) -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test-model", node_name=name)


def training_data() -> TrainingData:
    return TrainingData(
        [Message({TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items()
         for text in texts]  # fmt: skip
    )


def sentence_features(message: Message, origin: str):
    for feature in message.features:
        if feature.origin == origin and feature.type == FEATURE_TYPE_SENTENCE:
            return feature.features
    return None


def test_augmenter_adds_marked_noisy_copies_and_keeps_the_originals() -> None:
    augmenter = TrainingAugmenter({**TrainingAugmenter.get_default_config(), "copies": 2})
    original = training_data()
    augmented = augmenter.process_training_data(original)
    texts = [m.get(TEXT) for m in augmented.training_examples]
    originals = [m.get(TEXT) for m in original.training_examples]
    assert texts[: len(originals)] == originals
    copies = augmented.training_examples[len(originals) :]
    assert copies and all(m.get(AUGMENTED) for m in copies)
    assert "보험금청구한거어떻게됐어요?" in {m.get(TEXT) for m in copies}
    assert len(texts) == len(set(texts))  # no copy repeats an example or another copy
    by_text = {m.get(TEXT): m.get(INTENT) for m in augmented.training_examples}
    assert by_text["보험금청구한거어떻게됐어요?"] == "claim_status"


def test_augmenter_changes_nothing_when_parsing_or_disabled() -> None:
    message = Message({TEXT: "보험금 청구한 거 어떻게 됐어요?"})
    assert TrainingAugmenter(TrainingAugmenter.get_default_config()).process([message]) == [
        message
    ]
    disabled = TrainingAugmenter({**TrainingAugmenter.get_default_config(), "enabled": False})
    data = training_data()
    assert disabled.process_training_data(data) is data


def test_jamo_features_survive_a_mistyped_letter(tmp_path: Path) -> None:
    assert spelled_out("보험 OK") == "\u1107\u1169\u1112\u1165\u11b7 ok"
    storage = LocalModelStorage(tmp_path)
    resource = Resource("jamo")
    config = JamoNgramFeaturizer.get_default_config()
    trained = JamoNgramFeaturizer.create(config, storage, resource, context("jamo"))
    trained.train(training_data())
    loaded = JamoNgramFeaturizer.load(config, storage, resource, context("jamo"))
    right, typo, other = (Message({TEXT: t}) for t in ("청구 진행 상황", "청구 진행 삼황", "안녕"))
    loaded.process([right, typo, other])

    def vector(message: Message) -> np.ndarray:
        return np.asarray(sentence_features(message, "jamo").todense()).ravel()

    a, b, c = vector(right), vector(typo), vector(other)

    def cosine(x: np.ndarray, y: np.ndarray) -> float:
        return float(x @ y / (np.linalg.norm(x) * np.linalg.norm(y) or 1.0))

    assert cosine(a, b) > 0.8 > cosine(a, c)


def test_e5_sentence_vectors_carry_meaning_across_languages() -> None:
    featurizer = E5SentenceFeaturizer(E5SentenceFeaturizer.get_default_config(), "e5")
    texts = ("콜센터 전화번호 알려주세요", "what's your hotline number", "오늘 점심 뭐 먹지")
    messages = [Message({TEXT: t}) for t in texts]
    featurizer.process(messages)
    vectors = [sentence_features(m, "e5").ravel() for m in messages]
    assert all(v.shape == (384,) for v in vectors)
    assert np.allclose([np.linalg.norm(v) for v in vectors], 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_encoder_cache_returns_the_same_vectors(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BODAM_E5_CACHE", str(tmp_path / "e5.sqlite"))
    texts = ["보험료 얼마예요", "", "hello"]
    first = SentenceEncoder().encode(texts)
    again = SentenceEncoder().encode(texts)  # a new encoder: read from the file
    assert np.array_equal(first, again)
    assert (tmp_path / "e5.sqlite").stat().st_size > 0


@pytest.fixture(scope="module")
def trained_classifier(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("classifier"))
    resource = Resource("classifier")
    featurizers = [
        E5SentenceFeaturizer(E5SentenceFeaturizer.get_default_config(), "e5"),
    ]
    jamo_resource = Resource("jamo")
    jamo_config = JamoNgramFeaturizer.get_default_config()
    jamo = JamoNgramFeaturizer.create(jamo_config, storage, jamo_resource, context("jamo"))
    data = TrainingAugmenter(TrainingAugmenter.get_default_config()).process_training_data(
        training_data()
    )
    jamo.train(data)
    featurizers.append(JamoNgramFeaturizer.load(jamo_config, storage, jamo_resource,
                                                context("jamo")))  # fmt: skip
    for featurizer in featurizers:
        featurizer.process_training_data(data)
    config = LinearIntentClassifier.get_default_config()
    LinearIntentClassifier.create(config, storage, resource, context("clf")).train(data)
    loaded = LinearIntentClassifier.load(config, storage, resource, context("clf"))
    return featurizers, loaded


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("제 보험금 청구 어떻게 되고 있나요", "claim_status"),
        ("any news on my claim?", "claim_status"),
        ("고객센터전화번호", "contact_info"),
        ("how can I call you", "contact_info"),
        ("안녕하세여", "greet"),
    ],
)
def test_loaded_classifier_ranks_the_right_intent_first(trained_classifier, text, intent) -> None:
    featurizers, classifier = trained_classifier
    message = Message({TEXT: text})
    for featurizer in featurizers:
        featurizer.process([message])
    classifier.process([message])
    ranking = message.get(INTENT_RANKING_KEY)
    assert message.get(INTENT)["name"] == intent
    confidences = [item["confidence"] for item in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert 0.99 <= sum(confidences) <= 1.0001  # all three intents ranked: a distribution


def test_classifier_without_a_trained_model_leaves_messages_alone(tmp_path: Path) -> None:
    config = LinearIntentClassifier.get_default_config()
    classifier = LinearIntentClassifier.load(
        config, LocalModelStorage(tmp_path), Resource("missing"), context("clf")
    )
    message = Message({TEXT: "hello"})
    classifier.process([message])
    assert message.get(INTENT) is None
