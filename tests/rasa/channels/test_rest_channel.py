"""The REST channel and the shared input guard, through a real Sanic server with a stub bot.

``test_real_server.py`` checks the same channel inside a real ``rasa run``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from channel_testing import StubBot, client, run, serve_channel
from rasa.core.run import create_http_input_channels

from bot.channels import guard
from bot.channels.rest import SWITCH_ENV, BodamRestInput
from bot.nlp.input_guard import MAX_MESSAGE_CHARS

WEBHOOK = "/webhooks/rest/webhook"


async def post(base: str, body: Any, path: str = WEBHOOK) -> Tuple[int, Any]:
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    async with client() as session, session.post(base + path, data=data, headers=headers) as r:
        return r.status, await r.json(content_type=None)


def exchange(bot: StubBot, *bodies: Any, channel: BodamRestInput | None = None) -> List[Any]:
    async def scenario() -> List[Tuple[int, Any]]:
        async with serve_channel(channel or BodamRestInput(), bot) as base:
            return [await post(base, body) for body in bodies]

    return run(scenario())


def test_the_sender_id_carries_the_channel_and_replies_look_as_before() -> None:
    bot = StubBot(replies=[{"text": "안녕하세요."}])
    ((status, answer),) = exchange(bot, {"sender": "telegram:123", "message": "안녕"})
    assert status == 200
    assert answer == [{"recipient_id": "telegram:123", "text": "안녕하세요."}]
    (message,) = bot.received
    assert message.sender_id == "rest:telegram:123"
    assert message.input_channel == "rest"


def test_input_channel_and_metadata() -> None:
    bot = StubBot()
    body = {"sender": "u1", "message": "hi", "input_channel": "kakao", "metadata": {"a": 1}}
    ((status, _),) = exchange(bot, body)
    assert status == 200
    assert bot.received[0].input_channel == "rest"
    assert bot.received[0].metadata == {"a": 1}


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "empty_body"),
        (b"   ", "empty_body"),
        (b'{"sender": ', "invalid_json"),
        (b"[]", "invalid_body"),
        (b"null", "invalid_body"),
        (b'"hello"', "invalid_body"),
        (b'{"message": "hi"}', "invalid_sender"),
        (b'{"sender": 5, "message": "hi"}', "invalid_sender"),
        (b'{"sender": null, "message": "hi"}', "invalid_sender"),
        (b'{"sender": "", "message": "hi"}', "invalid_sender"),
        (b'{"sender": "a b", "message": "hi"}', "invalid_sender"),
        (b'{"sender": "\xea\xb0\x80", "message": "hi"}', "invalid_sender"),
        (json.dumps({"sender": "x" * 129, "message": "hi"}).encode(), "invalid_sender"),
        (b'{"sender": "u1"}', "invalid_message"),
        (b'{"sender": "u1", "message": 7}', "invalid_message"),
        (b'{"sender": "u1", "message": ["hi"]}', "invalid_message"),
        (b'{"sender": "u1", "message": "hi", "metadata": "x"}', "invalid_metadata"),
    ],
)
def test_unusable_bodies_get_a_400_json_error(raw: bytes, code: str) -> None:
    bot = StubBot()
    ((status, answer),) = exchange(bot, raw)
    assert status == 400
    assert answer["error"] == code
    assert answer["message_ko"] and answer["message_en"]
    assert bot.received == []


def test_a_body_over_one_megabyte_gets_413() -> None:
    bot = StubBot()
    ((status, answer),) = exchange(bot, {"sender": "u1", "message": "a " * 600_000})
    assert (status, answer["error"]) == (413, "body_too_large")
    assert bot.received == []


@pytest.mark.parametrize(
    ("message", "reason", "language"),
    [
        ("가" * 20_000, "too_long", "ko"),
        ("x" * (MAX_MESSAGE_CHARS + 1), "too_long", "en"),
        ("hello " * 1000 + "안녕", "too_long", "ko"),
        ("", "empty", "ko"),
        ("  \u200b\x00 ", "empty", "ko"),
    ],
    ids=["long-ko", "long-en", "long-mixed", "empty", "invisible"],
)
def test_empty_and_over_long_messages_are_answered_without_the_bot(
    message: str, reason: str, language: str
) -> None:
    bot = StubBot()
    ((status, answer),) = exchange(bot, {"sender": "u1", "message": message})
    assert status == 200
    assert answer == [{"recipient_id": "u1", "text": guard.refusal_texts()[(reason, language)]}]
    assert bot.received == []


def test_a_message_of_exactly_the_limit_reaches_the_bot() -> None:
    bot = StubBot()
    exchange(bot, {"sender": "u1", "message": "가" * MAX_MESSAGE_CHARS})
    assert len(bot.received) == 1


def test_streaming_replies_carry_the_callers_sender() -> None:
    bot = StubBot(replies=[{"text": "하나"}, {"text": "둘"}])

    async def scenario() -> Tuple[int, str]:
        async with serve_channel(BodamRestInput(), bot) as base, client() as session:
            body = {"sender": "u1", "message": "안녕"}
            async with session.post(base + WEBHOOK + "?stream=true", json=body) as reply:
                return reply.status, await reply.text()

    status, text = run(scenario())
    assert status == 200
    lines = [json.loads(line) for line in text.splitlines() if line]
    assert lines == [{"recipient_id": "u1", "text": "하나"}, {"recipient_id": "u1", "text": "둘"}]
    assert bot.received[0].sender_id == "rest:u1"


def test_a_streamed_refusal_is_one_line() -> None:
    async def scenario() -> str:
        async with serve_channel(BodamRestInput(), StubBot()) as base, client() as session:
            body = {"sender": "u1", "message": "  "}
            async with session.post(base + WEBHOOK + "?stream=true", json=body) as reply:
                return await reply.text()

    text = run(scenario())
    assert [json.loads(line) for line in text.splitlines()] == [
        {"recipient_id": "u1", "text": guard.refusal_texts()[("empty", "ko")]}
    ]


def test_switched_off_the_channel_answers_403(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("bot.channels.rest.BodamRestInput:\n", encoding="utf-8")
    monkeypatch.setenv(SWITCH_ENV, "off")
    (channel,) = create_http_input_channels(None, str(credentials))
    assert isinstance(channel, BodamRestInput) and not channel.enabled
    bot = StubBot()

    async def scenario() -> List[Tuple[int, Any]]:
        async with serve_channel(channel, bot) as base, client() as session:
            async with session.get(base + "/webhooks/rest/") as reply:
                health = (reply.status, await reply.json())
            return [health, await post(base, {"sender": "u1", "message": "안녕"})]

    health, webhook = run(scenario())
    assert health[0] == webhook[0] == 403
    assert webhook[1]["error"] == "rest_channel_off"
    assert bot.received == []

    monkeypatch.setenv(SWITCH_ENV, "on")
    (channel,) = create_http_input_channels(None, str(credentials))
    assert channel.enabled and channel.name() == "rest"


def test_refusal_texts_come_from_the_domain() -> None:
    texts = guard.refusal_texts()
    assert texts[("too_long", "ko")].startswith("메시지가 너무 길어요.")
    assert f"{MAX_MESSAGE_CHARS}자" in texts[("too_long", "ko")]
    assert str(MAX_MESSAGE_CHARS) in texts[("too_long", "en")]
    assert "{" not in "".join(texts.values())
    assert texts[("empty", "en")].startswith("Your message was empty.")


def test_refuse() -> None:
    assert guard.refuse("보험금 청구") is None
    assert guard.refuse(None).reason == "empty"
    assert guard.refuse("   ", default_language="en").language == "en"
    huge = guard.refuse("\u200b" * (guard.MAX_RAW_CHARS + 1))
    assert (huge.reason, huge.language) == ("too_long", "en")


def test_channel_ids() -> None:
    assert guard.channel_sender_id("kakao", "abc") == "kakao:abc"
    assert guard.strip_channel("web", "web:abc") == "abc"
    assert guard.strip_channel("web", "rest:abc") == "rest:abc"
    assert guard.valid_sender("dlg-ko-claim-01-1a2b3c4d")
    for bad in ("", "a b", "x" * 129, None, 5, "가", "a/b"):
        assert not guard.valid_sender(bad)


def test_loaded_from_the_projects_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SWITCH_ENV, raising=False)
    root = Path(__file__).resolve().parents[3]
    channels: Dict[str, Any] = {
        c.name(): c for c in create_http_input_channels(None, str(root / "credentials.yml"))
    }
    assert sorted(channels) == ["kakao", "rest", "socketio", "telegram"]
    assert type(channels["rest"]).__name__ == "BodamRestInput"
    assert type(channels["socketio"]).__name__ == "BodamSocketIOInput"
    assert channels["socketio"].session_persistence is True
