"""A trained component's data in Rasa's model storage, as formats that cannot run code.

Arrays go into ``.npz`` files read with ``allow_pickle=False`` and everything else into
JSON, so a model archive from elsewhere (``PUT /model`` takes a path or URL) can at worst
hold wrong numbers, never objects that execute on load as pickle and joblib files do.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any, Dict, Iterable

import numpy as np
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

FORMAT_VERSION = 1


class StoredDataError(ValueError):
    """The resource holds data this version cannot read (e.g. from an older training)."""


def save_data(
    storage: ModelStorage,
    resource: Resource,
    name: str,
    params: Dict[str, Any],
    arrays: Dict[str, np.ndarray] | None = None,
) -> None:
    """Writes ``name.json`` (params) and, when arrays are given, ``name.npz``."""
    arrays = arrays or {}
    for key, array in arrays.items():
        if np.asarray(array).dtype == object:
            raise TypeError(f"{name}: array {key!r} has dtype object and would need pickle")
    with storage.write_to(resource) as directory:
        document = {"format": FORMAT_VERSION, "arrays": sorted(arrays), "params": params}
        (directory / f"{name}.json").write_text(json.dumps(document), encoding="utf-8")
        if arrays:
            np.savez(directory / f"{name}.npz", **{k: np.asarray(v) for k, v in arrays.items()})


def load_data(
    storage: ModelStorage, resource: Resource, name: str, legacy_files: Iterable[str] = ()
) -> tuple[Dict[str, Any], Dict[str, np.ndarray]] | None:
    """The saved params and arrays, or None when the resource holds none (nothing trained).

    Raises StoredDataError for a resource written in another format (``legacy_files``
    present, an unknown format version or missing arrays): such a model must be retrained,
    and loading it as untrained would quietly drop the component.
    """
    try:
        with storage.read_from(resource) as directory:
            return _read(Path(directory), name, tuple(legacy_files))
    except StoredDataError:
        raise
    except ValueError:
        return None  # Rasa's storage: the resource was never written


def _read(
    directory: Path, name: str, legacy_files: tuple[str, ...]
) -> tuple[Dict[str, Any], Dict[str, np.ndarray]] | None:
    try:
        return _read_files(directory, name, legacy_files)
    except StoredDataError:
        raise
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as error:
        raise StoredDataError(f"{directory.name}/{name}: unreadable ({error})") from error


def _read_files(
    directory: Path, name: str, legacy_files: tuple[str, ...]
) -> tuple[Dict[str, Any], Dict[str, np.ndarray]] | None:
    params_file = directory / f"{name}.json"
    if not params_file.is_file():
        legacy = [f for f in legacy_files if (directory / f).exists()]
        if legacy:
            raise StoredDataError(
                f"{directory.name}: {legacy[0]} is a pickle from an older bodam; "
                "it is not loaded. Retrain the model (make train)."
            )
        return None
    document = json.loads(params_file.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("format") != FORMAT_VERSION:
        raise StoredDataError(f"{params_file.name}: unknown format, retrain the model")
    expected = list(document.get("arrays") or [])
    arrays: Dict[str, np.ndarray] = {}
    if expected:
        with np.load(directory / f"{name}.npz", allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    missing = set(expected) - set(arrays)
    if missing:
        raise StoredDataError(f"{name}.npz lacks {sorted(missing)}, retrain the model")
    return dict(document.get("params") or {}), arrays
