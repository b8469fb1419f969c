"""The real stack as `make run` starts it, attacked from outside (tests/security).

One stack for the whole suite: action server, Rasa with the trained model, web server,
fresh databases and fresh secrets, no demo account (`BODAM_DEMO=0`). Tests that lock
something use their own policy, so their order does not matter.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import requests

from tools.stack import LocalStack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    model = os.environ.get("BODAM_TEST_MODEL")
    if not model:
        pytest.fail("BODAM_TEST_MODEL is not set: run these tests through `make test`")
    local = LocalStack(
        model=model,
        work=tmp_path_factory.mktemp("secure-stack"),
        web=True,
        extra_env={"BODAM_DEMO": "0"},
    )
    with local:
        yield local


def say(stack: LocalStack, sender: str, message: str) -> str:
    """One REST turn; the bot's texts joined."""
    return stack.texts(sender, message)


def new_sender(prefix: str = "attacker") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def tracker(stack: LocalStack, conversation: str) -> dict:
    reply = requests.get(
        f"{stack.rasa_url}/conversations/{conversation}/tracker",
        params={"token": stack.rasa_token},
        timeout=30,
    )
    reply.raise_for_status()
    return reply.json()
