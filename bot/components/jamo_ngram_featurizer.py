"""Character n-grams over Hangul letters (jamo) rather than whole syllables."""

from __future__ import annotations

import logging
import unicodedata
from typing import Any, Dict, List

import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.stored_objects import load_object, save_object

log = logging.getLogger(__name__)
VOCABULARY_FILE = "jamo_ngram_vectorizer.joblib"


def spelled_out(text: str) -> str:
    """Hangul syllables decomposed into their letters (NFD), lower-cased.

    A slip of the finger changes one letter of a syllable: over syllables that is a new
    character and every n-gram through it is lost; over letters most n-grams survive.
    """
    return unicodedata.normalize("NFD", text).lower()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class JamoNgramFeaturizer(SparseFeaturizer, GraphComponent):
    """Sparse sentence features: counts of letter n-grams within words (Hangul as jamo)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            **SparseFeaturizer.get_default_config(),
            "min_ngram": 2,
            "max_ngram": 4,
            "max_features": 30000,
        }

    @staticmethod
    def required_packages() -> List[str]:
        return ["sklearn"]

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        if not 1 <= int(config["min_ngram"]) <= int(config["max_ngram"]):
            raise ValueError("JamoNgramFeaturizer: need 1 <= min_ngram <= max_ngram")

    def __init__(
        self,
        config: Dict[str, Any],
        name: str,
        model_storage: ModelStorage,
        resource: Resource,
        vectorizer: Any | None = None,
    ) -> None:
        super().__init__(name, config)
        self._storage = model_storage
        self._resource = resource
        self._vectorizer = vectorizer

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> JamoNgramFeaturizer:
        return cls(config, execution_context.node_name, model_storage, resource)

    def _new_vectorizer(self) -> Any:
        from sklearn.feature_extraction.text import CountVectorizer

        return CountVectorizer(
            analyzer="char_wb",
            preprocessor=spelled_out,
            ngram_range=(int(self._config["min_ngram"]), int(self._config["max_ngram"])),
            max_features=int(self._config["max_features"]),
            dtype="float32",
        )

    def train(self, training_data: TrainingData) -> Resource:
        texts = [str(m.get(TEXT)) for m in training_data.training_examples if m.get(TEXT)]
        vectorizer = self._new_vectorizer()
        vectorizer.fit(texts or ["."])
        self._vectorizer = vectorizer
        save_object(self._storage, self._resource, VOCABULARY_FILE, vectorizer)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> JamoNgramFeaturizer:
        vectorizer = load_object(model_storage, resource, VOCABULARY_FILE)
        if vectorizer is None:
            log.warning("JamoNgramFeaturizer: no trained vocabulary found, adding no features")
        return cls(config, execution_context.node_name, model_storage, resource, vectorizer)

    def _featurize(self, messages: List[Message]) -> None:
        if self._vectorizer is None:
            return
        todo = [m for m in messages if m.get(TEXT) is not None]
        if not todo:
            return
        rows = self._vectorizer.transform([str(m.get(TEXT)) for m in todo])
        for i, message in enumerate(todo):
            self.add_features_to_message(None, scipy.sparse.coo_matrix(rows[i]), TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages
