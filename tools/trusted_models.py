"""The ledger of model archives this installation trained.

Rasa's own components and policies restore pickles and jsonpickle from a model archive,
so loading an archive runs whatever it holds. `make train` records each archive it
produces here, and `python -m bot.serve` loads no archive the ledger does not vouch for.

An entry is the archive's SHA-256 with an HMAC of it, keyed by a local secret
(``BODAM_MODEL_KEY``, else ``var/model.key``, created mode 600 on first ``add``): whoever
can write the ledger but not read the key cannot add a model to it.

    python -m tools.trusted_models add models/bodam-abc.tar.gz
    python -m tools.trusted_models check models/bodam-abc.tar.gz   # exit 1 if untrusted
    python -m tools.trusted_models list

Standard library only: it runs in both virtual environments.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Any, BinaryIO, Dict, Iterator, List, Sequence

ROOT = Path(__file__).resolve().parents[1]
LEDGER_ENV = "BODAM_MODEL_LEDGER"
KEY_ENV = "BODAM_MODEL_KEY"
KEY_FILE_ENV = "BODAM_MODEL_KEY_FILE"
MIN_KEY_LENGTH = 16
_MAC_CONTEXT = b"bodam trusted model v1\0"
_CHUNK = 1 << 20


class UntrustedModel(Exception):
    """The archive is not one this installation trained (or the ledger cannot say)."""


def ledger_path() -> Path:
    return Path(os.environ.get(LEDGER_ENV) or ROOT / "var" / "trusted-models.json")


def key_file_path() -> Path:
    return Path(os.environ.get(KEY_FILE_ENV) or ROOT / "var" / "model.key")


def load_key(create: bool = False) -> bytes:
    """The ledger key: ``BODAM_MODEL_KEY``, else the key file (made when ``create``)."""
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        if len(from_env) < MIN_KEY_LENGTH:
            raise UntrustedModel(f"{KEY_ENV} is shorter than {MIN_KEY_LENGTH} characters")
        return from_env.encode()
    path = key_file_path()
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32) + "\n")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UntrustedModel(
            f"no model key: {KEY_ENV} is unset and {path} does not exist "
            "(it is created when the first trained model is recorded)"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UntrustedModel(f"{path} is readable or writable by others; chmod 600 {path}")
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise UntrustedModel(f"{path} holds no usable key")
    return key.encode()


def _mac(key: bytes, digest: str) -> str:
    return hmac.new(key, _MAC_CONTEXT + digest.encode(), hashlib.sha256).hexdigest()


def _hash_stream(source: BinaryIO, copy_to: BinaryIO | None = None) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(_CHUNK):
        digest.update(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest.hexdigest()


def sha256_of(archive: Path) -> str:
    with open(archive, "rb") as file:
        return _hash_stream(file)


def read_ledger(path: Path | None = None) -> List[Dict[str, Any]]:
    path = path or ledger_path()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError as error:
        raise UntrustedModel(f"{path} is not valid JSON ({error})") from None
    entries = document.get("models") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise UntrustedModel(f"{path} has no list of models")
    return [entry for entry in entries if isinstance(entry, dict)]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def add(archive: Path) -> Dict[str, Any]:
    """Records the archive as trained here; returns its ledger entry."""
    if not archive.is_file():
        raise UntrustedModel(f"model archive {archive} does not exist")
    key = load_key(create=True)
    digest = sha256_of(archive)
    entry = {
        "sha256": digest,
        "name": archive.name,
        "added": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "hmac": _mac(key, digest),
    }
    path = ledger_path()
    with _locked(path):
        entries = [e for e in read_ledger(path) if e.get("sha256") != digest]
        entries.append(entry)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps({"models": entries}, indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    return entry


def check_digest(digest: str, shown_as: str) -> Dict[str, Any]:
    """The ledger entry vouching for ``digest``; raises UntrustedModel when none does."""
    path = ledger_path()
    matches = [e for e in read_ledger(path) if e.get("sha256") == digest]
    if not matches:
        raise UntrustedModel(
            f"refusing model {shown_as}: sha256 {digest} is not in {path}, the ledger of "
            "models this installation trained (record one you trained here with "
            f"`python -m tools.trusted_models add {shown_as}`)"
        )
    key = load_key()
    for entry in matches:
        if hmac.compare_digest(str(entry.get("hmac", "")), _mac(key, digest)):
            return entry
    raise UntrustedModel(
        f"refusing model {shown_as}: its entry in {path} has a wrong HMAC (the ledger was "
        f"edited, or {KEY_ENV} / {key_file_path()} changed since it was recorded)"
    )


def check(archive: Path) -> Dict[str, Any]:
    if not archive.is_file():
        raise UntrustedModel(f"model archive {archive} does not exist")
    return check_digest(sha256_of(archive), str(archive))


def verified_copy(archive: Path, directory: Path) -> Path:
    """A private copy of the archive, made while hashing it and returned only if the
    ledger vouches for it: what gets unpacked is exactly the bytes that were checked,
    even if the file at ``archive`` is replaced meanwhile."""
    copy = directory / "model.tar.gz"
    try:
        with open(archive, "rb") as source, open(copy, "wb") as target:
            digest = _hash_stream(source, target)
    except OSError as error:
        raise UntrustedModel(f"cannot read model archive {archive}: {error}") from None
    try:
        check_digest(digest, str(archive))
    except UntrustedModel:
        copy.unlink(missing_ok=True)
        raise
    return copy


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.trusted_models",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("add", help="record archives as trained here").add_argument(
        "archives", nargs="+", type=Path
    )
    commands.add_parser("check", help="exit 1 unless every archive is recorded").add_argument(
        "archives", nargs="+", type=Path
    )
    commands.add_parser("list", help="print the recorded archives")
    args = parser.parse_args(argv)
    failed = False
    try:
        if args.command == "list":
            for entry in read_ledger():
                print(f"{entry.get('sha256')}  {entry.get('added')}  {entry.get('name')}")
            return 0
        for archive in args.archives:
            try:
                if args.command == "add":
                    entry = add(archive)
                    print(f"recorded {archive} (sha256 {entry['sha256']}) in {ledger_path()}")
                else:
                    check(archive)
                    print(f"trusted: {archive}")
            except UntrustedModel as error:
                print(f"error: {error}", file=sys.stderr)
                failed = True
    except UntrustedModel as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
