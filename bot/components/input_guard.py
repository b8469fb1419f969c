"""Routes empty and oversized messages to the fallback with a known reason."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.input_guard import classify_input


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InputGuard(GraphComponent, IntentClassifier):
    """Overrides the intent with `nlu_fallback` when the input itself is unusable.

    The fallback action re-reads the text with the same `classify_input` and
    tells the user what was wrong, so no extra state has to travel with the message.
    """

    @classmethod
    def required_components(cls) -> List[type]:
        return [IntentClassifier]

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> InputGuard:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if classify_input(message.get(TEXT)) is None:
                continue
            fallback = {
                INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                PREDICTED_CONFIDENCE_KEY: 1.0,
            }
            message.data[INTENT] = fallback
            message.data[INTENT_RANKING_KEY] = [fallback]
        return messages
