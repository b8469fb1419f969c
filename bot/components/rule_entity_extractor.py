"""Rule-based extraction of the spec's entities, with canonical values."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp import spacy_spans
from bot.nlp.clock import today
from bot.nlp.input_guard import MAX_MESSAGE_CHARS
from bot.nlp.message_entities import extract_message_entities


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class RuleEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds ids, dates, amounts, products and types with `bot.nlp.entities`, and places,
    people, relationships, items and addresses with spaCy rule pipelines.

    Identifiers and dates have strict formats, so rules beat a statistical
    tagger here and need no annotated training data.
    """

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleEntityExtractor:
        spacy_spans.warm_up()  # Kiwi and the spaCy pipelines load here, not on a message
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get(TEXT) or "")[:MAX_MESSAGE_CHARS]
            found = [
                {
                    "entity": span.entity,
                    "start": span.start,
                    "end": span.end,
                    "value": span.value,
                    "confidence_entity": 1.0,
                }
                for span in extract_message_entities(text, today())
            ]
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages
