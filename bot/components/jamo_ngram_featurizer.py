"""Character n-grams over Hangul letters (jamo) rather than whole syllables."""

from __future__ import annotations

import logging
import unicodedata
from typing import Any, Dict, List, Tuple

import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.stored_objects import StoredDataError, load_data, save_data

log = logging.getLogger(__name__)
VOCABULARY_NAME = "jamo_ngram_vocabulary"
LEGACY_FILES = ("jamo_ngram_vectorizer.joblib",)


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

    def train(self, training_data: TrainingData) -> Resource:
        texts = [str(m.get(TEXT)) for m in training_data.training_examples if m.get(TEXT)]
        ngrams = (int(self._config["min_ngram"]), int(self._config["max_ngram"]))
        vectorizer = _vectorizer(ngrams, max_features=int(self._config["max_features"]))
        vectorizer.fit(texts or ["."])
        self._vectorizer = vectorizer
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        params = {"min_ngram": ngrams[0], "max_ngram": ngrams[1], "terms": terms}
        save_data(self._storage, self._resource, VOCABULARY_NAME, params)
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
        saved = load_data(model_storage, resource, VOCABULARY_NAME, LEGACY_FILES)
        vectorizer = None
        if saved is None:
            log.warning("JamoNgramFeaturizer: no trained vocabulary found, adding no features")
        else:
            params, _ = saved
            try:
                terms = [str(term) for term in params["terms"]]
                ngrams = (int(params["min_ngram"]), int(params["max_ngram"]))
                if not terms or len(set(terms)) != len(terms) or not 1 <= ngrams[0] <= ngrams[1]:
                    raise ValueError("empty vocabulary, repeated terms or bad n-gram range")
                vectorizer = _vectorizer(ngrams, vocabulary={t: i for i, t in enumerate(terms)})
            except (KeyError, TypeError, ValueError) as error:
                raise StoredDataError(f"{VOCABULARY_NAME}: malformed ({error})") from error
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


def _vectorizer(
    ngrams: Tuple[int, int],
    max_features: int | None = None,
    vocabulary: Dict[str, int] | None = None,
) -> Any:
    """A CountVectorizer to fit, or, given the vocabulary it learnt, one that transforms
    exactly as the fitted one did (columns are the vocabulary's indices)."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        analyzer="char_wb",
        preprocessor=spelled_out,
        ngram_range=ngrams,
        max_features=max_features,
        vocabulary=vocabulary,
        dtype="float32",
    )
