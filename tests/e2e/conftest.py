"""Starts the real stack (action server + Rasa server with the trained model) once per run,
as `make run` starts it (tools/stack.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.stack import LocalStack, forgive_identity_failures


@dataclass
class Stack:
    local: LocalStack

    @property
    def rasa_url(self) -> str:
        return self.local.rasa_url

    @property
    def tracker_db(self) -> Path:
        return self.local.tracker_db

    @property
    def case_db(self) -> Path:
        return self.local.case_db

    @property
    def api_params(self) -> dict[str, str]:
        """Rasa's HTTP API wants its token (the channels do not)."""
        return {"token": self.local.rasa_token}

    def say(self, sender: str, message: str) -> list[dict]:
        return self.local.say(sender, message)

    def texts(self, sender: str, message: str) -> str:
        return self.local.texts(sender, message)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    model = os.environ.get("BODAM_TEST_MODEL")
    if not model:
        pytest.fail("BODAM_TEST_MODEL is not set: run these tests through `make test`")
    with LocalStack(model=model, work=tmp_path_factory.mktemp("stack")) as local:
        yield Stack(local)


@pytest.fixture(autouse=True)
def one_customer_per_test(stack: Stack) -> Iterator[None]:
    """Each test is another customer on another day: failed identity checks of earlier
    tests are forgiven, as the hotline would (tools/stack.forgive_identity_failures)."""
    yield
    forgive_identity_failures(stack.case_db)


@pytest.fixture()
def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"
