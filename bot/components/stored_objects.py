"""A trained component's object in Rasa's model storage, pickled with joblib."""

from __future__ import annotations

from typing import Any

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def save_object(storage: ModelStorage, resource: Resource, filename: str, value: Any) -> None:
    import joblib

    with storage.write_to(resource) as directory:
        joblib.dump(value, directory / filename)


def load_object(storage: ModelStorage, resource: Resource, filename: str) -> Any | None:
    """The saved object, or None when the resource holds none (nothing was trained)."""
    import joblib

    try:
        with storage.read_from(resource) as directory:
            return joblib.load(directory / filename)
    except (ValueError, FileNotFoundError):
        return None
