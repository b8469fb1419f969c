"""The web chat's socket.io channel through a real Sanic server with a stub bot.

The client is python-socketio's ``AsyncClient`` speaking the same events as
``console/web/static/chat.js`` (``session_request``, ``user_uttered``, ``bot_uttered``).
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Dict, List

import pytest
from channel_testing import SocketIOClient, StubBot, run, serve_channel
from rasa.core.run import create_http_input_channels
from websockets.exceptions import InvalidStatusCode

from bot.channels import guard
from bot.channels.socketio import ORIGINS_ENV, BodamSocketIOInput, BodamSocketIOOutput


class ChatClient(SocketIOClient):
    """The web chat page's side of the conversation."""

    async def session(self, session_id: Any = None) -> str:
        await self.emit("session_request", {"session_id": session_id})
        return await self.next("session_confirm")

    async def say(self, session_id: str, text: Any) -> None:
        await self.emit("user_uttered", {"message": text, "session_id": session_id})

    async def reply(self) -> Dict[str, Any]:
        return await self.next("bot_uttered")


@asynccontextmanager
async def chat(
    bot: StubBot, channel: BodamSocketIOInput | None = None, origin: str | None = None
) -> AsyncIterator[ChatClient]:
    channel = channel or BodamSocketIOInput(session_persistence=True)
    async with serve_channel(channel, bot) as base:
        client = ChatClient()
        await client.connect(base, origin=origin)
        try:
            yield client
        finally:
            await client.close()


def test_the_sender_id_is_web_session_and_replies_reach_the_page() -> None:
    bot = StubBot(replies=[{"text": "안녕하세요."}])

    async def scenario() -> List[Any]:
        async with chat(bot) as client:
            session_id = await client.session("0123456789abcdef")
            await client.say(session_id, "안녕")
            return [session_id, await client.reply()]

    session_id, reply = run(scenario())
    assert session_id == "0123456789abcdef"
    assert reply == {"text": "안녕하세요."}
    (message,) = bot.received
    assert message.sender_id == "web:0123456789abcdef"
    assert message.input_channel == "socketio"


def test_a_new_session_id_is_made_when_none_or_an_unusable_one_is_sent() -> None:
    async def scenario() -> List[str]:
        async with chat(StubBot()) as client:
            return [await client.session(None), await client.session("a b/../c")]

    fresh, replaced = run(scenario())
    assert len(fresh) == 32 and fresh != replaced and guard.valid_sender(replaced)


@pytest.mark.parametrize(
    ("text", "reason", "language"),
    [("가" * 20_000, "too_long", "ko"), ("word " * 500, "too_long", "en"), ("  ", "empty", "ko")],
    ids=["long-ko", "long-en", "blank"],
)
def test_empty_and_over_long_messages_are_answered_without_the_bot(
    text: str, reason: str, language: str
) -> None:
    bot = StubBot()

    async def scenario() -> Dict[str, Any]:
        async with chat(bot) as client:
            session_id = await client.session()
            await client.say(session_id, text)
            return await client.reply()

    assert run(scenario()) == {"text": guard.refusal_texts()[(reason, language)]}
    assert bot.received == []


def test_malformed_messages_are_ignored() -> None:
    bot = StubBot(replies=[{"text": "네."}])

    async def scenario() -> Dict[str, Any]:
        async with chat(bot) as client:
            session_id = await client.session()
            await client.emit("user_uttered", "just a string")
            await client.say(session_id, {"text": "not a string"})
            await client.say("bad id!", "안녕")
            await client.emit("user_uttered", {"message": "안녕"})  # no session id
            await client.say(session_id, "안녕")
            return await client.reply()

    assert run(scenario()) == {"text": "네."}
    assert [m.sender_id for m in bot.received] == [bot.received[0].sender_id]
    assert bot.received[0].sender_id.startswith("web:")


def test_without_session_persistence_the_socket_id_is_used() -> None:
    bot = StubBot(replies=[{"text": "네."}])

    async def scenario() -> Dict[str, Any]:
        async with chat(bot, BodamSocketIOInput(session_persistence=False)) as client:
            await client.session()
            await client.say("ignored", "안녕")
            return await client.reply()

    assert run(scenario()) == {"text": "네."}
    assert bot.received[0].sender_id.startswith("web:")


def test_the_output_channel_sends_to_the_room_without_the_prefix() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.rooms: List[str] = []

        async def emit(self, event: str, data: Any, room: str) -> None:
            self.rooms.append(room)

    recorder = Recorder()
    output = BodamSocketIOOutput(recorder, "bot_uttered")  # type: ignore[arg-type]
    run(output.send_response("web:abc", {"text": "하나\n\n둘"}))
    assert recorder.rooms == ["abc", "abc"]


def test_allowed_origins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = tmp_path / "credentials.yml"
    credentials.write_text(
        "bot.channels.socketio.BodamSocketIOInput:\n  session_persistence: true\n",
        encoding="utf-8",
    )
    monkeypatch.delenv(ORIGINS_ENV, raising=False)
    (channel,) = create_http_input_channels(None, str(credentials))
    assert channel.cors_allowed_origins == []
    monkeypatch.setenv(ORIGINS_ENV, "http://localhost:8080/, https://chat.example.com")
    (channel,) = create_http_input_channels(None, str(credentials))
    assert channel.cors_allowed_origins == ["http://localhost:8080", "https://chat.example.com"]
    bot = StubBot(replies=[{"text": "네."}])

    async def scenario() -> List[Any]:
        results: List[Any] = []
        async with chat(bot, channel, origin="http://localhost:8080") as client:
            session_id = await client.session()
            await client.say(session_id, "안녕")
            results.append(await client.reply())
        try:
            async with chat(bot, channel, origin="https://evil.example"):
                results.append("connected")
        except (ConnectionError, InvalidStatusCode):
            results.append("refused")
        return results

    assert run(scenario()) == [{"text": "네."}, "refused"]
