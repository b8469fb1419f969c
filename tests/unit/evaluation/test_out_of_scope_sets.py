"""The held-out out-of-scope message sets."""

from __future__ import annotations

import pytest

from evaluation.common import LANGUAGES, language_of, load_out_of_scope, load_training_examples


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_least_150_distinct_messages_in_the_right_language(language: str) -> None:
    messages = load_out_of_scope(language)
    assert len(messages) >= 150
    assert len({m.casefold() for m in messages}) == len(messages)
    assert all(m.strip() for m in messages)
    assert [m for m in messages if language_of(m) != language] == []


def test_none_is_in_the_training_data() -> None:
    trained = {e.text.strip().casefold() for e in load_training_examples()}
    leaked = [
        m for language in LANGUAGES for m in load_out_of_scope(language)
        if m.casefold() in trained
    ]
    assert leaked == []
