"""``rasa`` that loads only model archives this installation trained.

    python -m bot.serve run --model models/bodam-abc.tar.gz --enable-api --auth-token ...

takes the arguments of the ``rasa`` command. Rasa's components and policies unpickle
what a model archive holds, and ``PUT /model`` loads an archive from any path or URL, so
before an archive is unpacked its SHA-256 must be in the ledger of tools.trusted_models.
The check sits in ``LocalModelStorage.from_model_archive`` and ``metadata_from_archive``,
the only ways Rasa 3.6 opens an archive (``--model``, ``PUT /model`` with a path, a model
server or remote storage, ``/model/test``), and it unpacks a private copy of the bytes
it hashed. A refused ``PUT /model`` answers 403 and leaves the running model in place; a
refused model at start makes the server exit.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import sys
import tempfile
from http import HTTPStatus
from pathlib import Path
from typing import Any, Iterator, List, Sequence

from tools import trusted_models

log = logging.getLogger("bot.serve")
_GUARD_MARK = "_bodam_trusted_models_only"
# Refusals during the current load: Rasa's load_agent logs and swallows every exception,
# so the wrappers below learn from here why no model was loaded.
_refusals: contextvars.ContextVar[List[str] | None] = contextvars.ContextVar(
    "bodam_model_refusals", default=None
)


@contextlib.contextmanager
def _verified(archive: str | Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="bodam-model-") as directory:
        try:
            copy = trusted_models.verified_copy(Path(archive), Path(directory))
        except trusted_models.UntrustedModel as error:
            refusals = _refusals.get()
            if refusals is not None:
                refusals.append(str(error))
            log.error("%s", error)
            raise
        yield copy


def install_guard() -> None:
    """Makes every model archive Rasa opens in this process pass the ledger first."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    unpack = LocalModelStorage.from_model_archive.__func__
    if not getattr(unpack, _GUARD_MARK, False):

        def from_model_archive(cls: type, storage_path: Path, model_archive_path: Any) -> Any:
            with _verified(model_archive_path) as copy:
                return unpack(cls, storage_path, copy)

        setattr(from_model_archive, _GUARD_MARK, True)
        LocalModelStorage.from_model_archive = classmethod(from_model_archive)

    metadata = LocalModelStorage.metadata_from_archive.__func__
    if not getattr(metadata, _GUARD_MARK, False):

        def metadata_from_archive(cls: type, model_archive_path: Any) -> Any:
            with _verified(model_archive_path) as copy:
                return metadata(cls, copy)

        setattr(metadata_from_archive, _GUARD_MARK, True)
        LocalModelStorage.metadata_from_archive = classmethod(metadata_from_archive)

    _install_http_refusal()
    _install_startup_refusal()


def _install_http_refusal() -> None:
    """``PUT /model`` with an untrusted archive: 403 with the reason, not Rasa's bare 400."""
    import rasa.server
    from rasa.server import ErrorResponse

    original = rasa.server._load_agent
    if getattr(original, _GUARD_MARK, False):
        return

    async def load_agent(*args: Any, **kwargs: Any) -> Any:
        refusals: List[str] = []
        token = _refusals.set(refusals)
        try:
            return await original(*args, **kwargs)
        except ErrorResponse:
            if refusals:
                raise ErrorResponse(HTTPStatus.FORBIDDEN, "UntrustedModel", refusals[-1]) from None
            raise
        finally:
            _refusals.reset(token)

    setattr(load_agent, _GUARD_MARK, True)
    rasa.server._load_agent = load_agent


def _install_startup_refusal() -> None:
    """Without this Rasa would log the refusal and serve with no model at all."""
    import rasa.core.run

    original = rasa.core.run.load_agent_on_start
    if getattr(original, _GUARD_MARK, False):
        return

    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        refusals: List[str] = []
        token = _refusals.set(refusals)
        try:
            agent = await original(*args, **kwargs)
        finally:
            _refusals.reset(token)
        if refusals:
            print(f"bot.serve: {refusals[-1]}", file=sys.stderr)
            raise SystemExit(1)
        return agent

    setattr(load_agent_on_start, _GUARD_MARK, True)
    rasa.core.run.load_agent_on_start = load_agent_on_start


def main(argv: Sequence[str] | None = None) -> None:
    install_guard()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
