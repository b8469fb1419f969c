"""Adds noisy copies of the intent examples at training time (no-op when parsing)."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.augment import noisy_variants

# Set on the copies so the classifier can weigh them below the written examples.
AUGMENTED = "bodam_augmented"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TrainingAugmenter(GraphComponent):
    """Customers type Korean without spaces and with slips of the finger; the written
    examples rarely do. Each intent example gets a copy without spaces (Korean) and
    ``copies`` copies with a single random character edit (bot.nlp.augment), so the
    featurizers after this component see those spellings too. Goes first in the pipeline.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # copies: rounds of bot.nlp.augment.noisy_variants, each with its own seed.
        return {"seed": 2026, "copies": 2, "enabled": True}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._seed = int(config["seed"])
        self._copies = int(config["copies"])
        self._enabled = bool(config["enabled"])

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TrainingAugmenter:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        if not self._enabled:
            return training_data
        known = {str(m.get(TEXT)) for m in training_data.training_examples if m.get(TEXT)}
        copies: List[Message] = []
        for example in training_data.intent_examples:
            text = str(example.get(TEXT))
            for round_ in range(self._copies):
                for variant in noisy_variants(text, self._seed + round_):
                    if variant in known:
                        continue
                    known.add(variant)
                    copies.append(
                        Message(data={TEXT: variant, INTENT: example.get(INTENT), AUGMENTED: True})
                    )
        return TrainingData(
            training_examples=[*training_data.training_examples, *copies],
            entity_synonyms=training_data.entity_synonyms,
            regex_features=training_data.regex_features,
            lookup_tables=training_data.lookup_tables,
            responses=training_data.responses,
        )

    def process(self, messages: List[Message]) -> List[Message]:
        return messages
