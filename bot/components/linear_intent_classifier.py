"""Intent classification by multinomial logistic regression over sentence features."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Tuple

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.stored_objects import StoredDataError, load_data, save_data
from bot.components.training_augmenter import AUGMENTED

log = logging.getLogger(__name__)
MODEL_NAME = "linear_intent_classifier"
LEGACY_FILES = ("linear_intent_classifier.joblib",)


class FeatureLayout:
    """Which featurizers' sentence features go into the matrix, in which columns.

    Each block is scaled on its own: sparse counts by log(1 + n) and unit length, so a
    long message does not outweigh a short one; the dense block by ``dense_weight``.
    """

    def __init__(self, blocks: List[Tuple[str, bool, int]], dense_weight: float) -> None:
        self.blocks = blocks  # (featurizer name, is sparse, width)
        self.dense_weight = dense_weight

    @classmethod
    def of(cls, message: Message, dense_weight: float) -> FeatureLayout:
        blocks = sorted(
            {
                (f.origin, f.is_sparse(), int(f.features.shape[-1]))
                for f in message.features
                if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE
            }
        )
        if not blocks:
            raise ValueError("LinearIntentClassifier needs a featurizer before it")
        return cls([(str(o), bool(s), w) for o, s, w in blocks], dense_weight)

    def matrix(self, messages: List[Message]) -> scipy.sparse.csr_matrix:
        columns = []
        for origin, sparse, width in self.blocks:
            rows = []
            for message in messages:
                row = _sentence_feature(message, origin)
                if row is None or row.shape[-1] != width:
                    row = scipy.sparse.csr_matrix((1, width), dtype=np.float32)
                rows.append(scipy.sparse.csr_matrix(row, dtype=np.float32))
            block = scipy.sparse.vstack(rows).tocsr()
            if sparse:
                block.data = np.log1p(np.abs(block.data)) * np.sign(block.data)
                norms = np.sqrt(np.asarray(block.multiply(block).sum(axis=1))).ravel()
                norms[norms == 0] = 1.0
                block = scipy.sparse.diags(1.0 / norms) @ block
            else:
                block = block * self.dense_weight
            columns.append(block)
        return scipy.sparse.hstack(columns).tocsr()

    @property
    def width(self) -> int:
        return sum(width for _, _, width in self.blocks)

    def as_json(self) -> Dict[str, Any]:
        return {"blocks": [list(block) for block in self.blocks], "dense_weight": self.dense_weight}

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> FeatureLayout:
        blocks = [(str(o), bool(s), int(w)) for o, s, w in data["blocks"]]
        return cls(blocks, float(data["dense_weight"]))


def _sentence_feature(message: Message, origin: str) -> Any | None:
    for feature in message.features:
        if (
            feature.attribute == TEXT
            and feature.type == FEATURE_TYPE_SENTENCE
            and feature.origin == origin
        ):
            return feature.features
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Logistic regression over the count featurizers' and e5's sentence features.

    Small data, 30+ intents and two languages: a regularised linear model over good
    features generalises better than a neural classifier trained from scratch, trains in
    seconds and gives probabilities that a fallback threshold can trust.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "C": 20.0,
            "dense_weight": 2.0,
            "augmented_weight": 0.5,
            "max_iter": 3000,
            "ranking_length": 10,
        }

    @staticmethod
    def required_packages() -> List[str]:
        return ["sklearn"]

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Any = None,
        layout: FeatureLayout | None = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model
        self._layout = layout

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        if len({m.get(INTENT) for m in examples}) < 2:
            log.warning("LinearIntentClassifier: fewer than two intents, nothing trained")
            return self._resource
        layout = FeatureLayout.of(examples[0], float(self._config["dense_weight"]))
        features = layout.matrix(examples)
        labels = [str(m.get(INTENT)) for m in examples]
        weights = [
            float(self._config["augmented_weight"]) if m.get(AUGMENTED) else 1.0 for m in examples
        ]
        model = LogisticRegression(
            C=float(self._config["C"]), max_iter=int(self._config["max_iter"])
        )
        model.fit(features, labels, sample_weight=np.asarray(weights))
        self._model, self._layout = model, layout
        self._persist()
        return self._resource

    def _persist(self) -> None:
        assert self._model is not None and self._layout is not None
        model = self._model
        params = {
            "layout": self._layout.as_json(),
            "classes": [str(c) for c in model.classes_],
            "estimator": model.get_params(),
        }
        arrays = {"coef": model.coef_, "intercept": model.intercept_, "n_iter": model.n_iter_}
        save_data(self._storage, self._resource, MODEL_NAME, params, arrays)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        saved = load_data(model_storage, resource, MODEL_NAME, LEGACY_FILES)
        if saved is None:
            log.warning("LinearIntentClassifier: no trained model found, predicting nothing")
            return cls(config, model_storage, resource)
        model, layout = _rebuilt(*saved)
        return cls(config, model_storage, resource, model, layout)

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None or self._layout is None:
            return messages
        todo = [m for m in messages if m.get(TEXT) is not None]
        if not todo:
            return messages
        probabilities = self._model.predict_proba(self._layout.matrix(todo))
        classes = list(self._model.classes_)
        length = int(self._config["ranking_length"])
        for message, row in zip(todo, probabilities, strict=False):
            order = np.argsort(-row)
            ranking = [
                {INTENT_NAME_KEY: classes[i], PREDICTED_CONFIDENCE_KEY: float(row[i])}
                for i in order[: length if length > 0 else len(order)]
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


def _rebuilt(params: Dict[str, Any], arrays: Dict[str, np.ndarray]) -> Tuple[Any, FeatureLayout]:
    """The fitted LogisticRegression from its weights: only these attributes are used by
    predict_proba, so the result predicts exactly as the estimator that was saved."""
    from sklearn.linear_model import LogisticRegression

    try:
        layout = FeatureLayout.from_json(params["layout"])
        classes = np.asarray([str(c) for c in params["classes"]])
        coef = np.asarray(arrays["coef"], dtype=np.float64)
        intercept = np.asarray(arrays["intercept"], dtype=np.float64)
        model = LogisticRegression(**params["estimator"])
    except (KeyError, TypeError, ValueError) as error:
        raise StoredDataError(f"{MODEL_NAME}: malformed model data ({error})") from error
    rows = 1 if len(classes) == 2 else len(classes)
    if coef.shape != (rows, layout.width) or intercept.shape != (rows,):
        raise StoredDataError(
            f"{MODEL_NAME}: weights {coef.shape} do not fit {len(classes)} intents "
            f"over {layout.width} features"
        )
    model.coef_, model.intercept_, model.classes_ = coef, intercept, classes
    model.n_features_in_ = layout.width
    model.n_iter_ = np.asarray(arrays["n_iter"])
    return model, layout
