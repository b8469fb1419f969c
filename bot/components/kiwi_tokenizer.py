"""Tokenizer that splits Korean into Kiwi morphemes and English into words."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.input_guard import MAX_MESSAGE_CHARS

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+(?:[.,]\d+)*|[^\W\d_]+|\S", re.UNICODE)


@lru_cache(maxsize=1)
def _kiwi() -> Any:
    # Loading the Kiwi model takes about a second and 100 MB: share one instance.
    from kiwipiepy import Kiwi

    return Kiwi()


def korean_tokens(text: str) -> List[Token]:
    tokens = []
    for morph in _kiwi().tokenize(text):
        if morph.tag.startswith("S") and morph.tag not in ("SL", "SN", "SH", "SW"):
            continue  # punctuation and brackets carry no intent signal
        start = morph.start
        # CountVectorsFeaturizer reads `lemma`, so it must be the morpheme, not its tag.
        tokens.append(
            Token(
                morph.form, start, end=start + morph.len, data={"pos": morph.tag}, lemma=morph.form
            )
        )
    return tokens


def word_tokens(text: str) -> List[Token]:
    return [
        Token(match.group().lower(), match.start(), end=match.end())
        for match in WORD.finditer(text)
        if match.group().isalnum() or len(match.group()) > 1
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class KiwiTokenizer(Tokenizer):
    """Kiwi morphemes for Korean text, plain word splitting for everything else.

    Only the first `max_chars` characters are tokenized: a pasted 20,000-character
    message must not blow up the classifier's attention matrices.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            "max_chars": MAX_MESSAGE_CHARS,
        }

    @staticmethod
    def supported_languages() -> List[str] | None:
        return None

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KiwiTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text = (message.get(attribute) or "")[: self._config["max_chars"]]
        tokens = korean_tokens(text) if HANGUL.search(text) else word_tokens(text)
        if not tokens:
            # Rasa featurizers expect at least one token per message.
            tokens = [Token(text or "__empty__", 0, end=len(text))]
        return self._apply_token_pattern(tokens)
