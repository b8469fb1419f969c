"""Shared helpers of the channel tests: fixtures, a stub bot, real servers on 127.0.0.1.

No pytest-asyncio in the Rasa environment: tests call ``run(coroutine)``, which runs it
with ``asyncio.run`` under an overall time limit.
"""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List

import aiohttp
from aiohttp import web
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

# Several Sanic apps start in one process; test mode lets Sanic prepare each of them.
Sanic.test_mode = True

FIXTURES = Path(__file__).parent / "fixtures"
TEST_TIMEOUT = 30.0  # seconds, for a whole test coroutine
WAIT = 10.0  # seconds, for any single wait inside a test


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def run(coroutine: Awaitable[Any], timeout: float = TEST_TIMEOUT) -> Any:
    """Runs a test coroutine in a fresh event loop, failing after ``timeout`` seconds."""

    async def bounded() -> Any:
        return await asyncio.wait_for(coroutine, timeout)

    return asyncio.run(bounded())


class StubBot:
    """Plays the Rasa agent: records each UserMessage and answers through its output channel.

    ``replies`` are messages the way Rasa's processor hands them to
    ``OutputChannel.send_response`` ({"text": ..., "buttons": [...]}, ...).
    """

    def __init__(
        self,
        replies: List[Dict[str, Any]] | None = None,
        delay: float = 0.0,
        error: Exception | None = None,
    ) -> None:
        self.replies = replies if replies is not None else [{"text": "안녕하세요."}]
        self.delay = delay
        self.error = error
        self.received: List[UserMessage] = []
        self.finished = asyncio.Event()

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.error is not None:
                raise self.error
            for reply in self.replies:
                # collected messages carry recipient_id; the processor's messages do not
                outgoing = {k: v for k, v in reply.items() if k != "recipient_id"}
                await message.output_channel.send_response(message.sender_id, outgoing)
        finally:
            self.finished.set()


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def serve_channel(
    channel: InputChannel, on_new_message: Callable[[UserMessage], Awaitable[Any]]
) -> AsyncIterator[str]:
    """The channel's blueprint in a real Sanic server on 127.0.0.1; yields its base URL.

    Mounted under ``/webhooks/<name>`` as ``rasa run`` mounts input channels.
    """
    app = Sanic(f"bodam_channel_test_{uuid.uuid4().hex}", configure_logging=False)
    app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.name()}")
    sock = free_socket()
    port = sock.getsockname()[1]
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        server.close()
        await asyncio.wait_for(server.wait_closed(), WAIT)
        await server.after_stop()
        sock.close()


@asynccontextmanager
async def stand_in_server(
    routes: List[web.RouteDef],
) -> AsyncIterator[str]:
    """An aiohttp server on 127.0.0.1 with the given routes; yields its base URL."""
    app = web.Application()
    app.add_routes(routes)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = free_socket()
    site = web.SockSite(runner, sock)
    await site.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        await runner.cleanup()
        sock.close()


def client() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=WAIT))


def assert_valid_kakao_response(body: Dict[str, Any]) -> None:
    """Kakao's skill response rules (v2) that bodam relies on."""
    assert body["version"] == "2.0"
    template = body["template"]
    outputs = template["outputs"]
    assert 1 <= len(outputs) <= 3
    for output in outputs:
        assert len(output) == 1
        ((kind, content),) = output.items()
        assert kind in ("simpleText", "textCard", "simpleImage")
        if kind == "simpleText":
            assert 1 <= len(content["text"]) <= 1000
        elif kind == "textCard":
            assert content.get("title") or content.get("description")
            assert len(content.get("description", "")) <= 400
            assert 1 <= len(content["buttons"]) <= 3
            for button in content["buttons"]:
                assert 1 <= len(button["label"]) <= 14
                if button["action"] == "message":
                    assert button["messageText"]
                elif button["action"] == "webLink":
                    assert button["webLinkUrl"]
                else:
                    assert button["action"] == "block" and button["blockId"]
    quick_replies = template.get("quickReplies", [])
    assert len(quick_replies) <= 10
    for reply in quick_replies:
        assert 1 <= len(reply["label"]) <= 14
        assert reply["action"] in ("message", "block")
        if reply["action"] == "message":
            assert reply["messageText"]
        else:
            assert reply["blockId"]


class SocketIOClient:
    """A minimal socket.io client over a websocket, as the web chat page connects.

    (python-socketio's own client needs a newer aiohttp than Rasa allows.) Speaks Engine.IO
    4 on the default namespace: ``emit`` sends an event, ``next(event)`` waits for one.
    """

    def __init__(self) -> None:
        self.ws: Any = None
        self.events: Dict[str, asyncio.Queue] = {}
        self.reader: asyncio.Task | None = None

    def _queue(self, event: str) -> asyncio.Queue:
        return self.events.setdefault(event, asyncio.Queue())

    async def connect(self, base: str, origin: str | None = None, path: str = "/socket.io") -> None:
        import websockets

        url = base.replace("http://", "ws://") + f"{path}/?EIO=4&transport=websocket"
        self.ws = await websockets.connect(url, origin=origin, open_timeout=WAIT)
        opening = await asyncio.wait_for(self.ws.recv(), WAIT)
        assert opening.startswith("0"), opening
        await self.ws.send("40")
        connected = await asyncio.wait_for(self.ws.recv(), WAIT)
        if not connected.startswith("40"):
            await self.ws.close()
            raise ConnectionError(f"socket.io connect refused: {connected}")
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        import websockets

        try:
            async for packet in self.ws:
                if packet == "2":  # Engine.IO ping
                    await self.ws.send("3")
                elif packet.startswith("42"):
                    event, *args = json.loads(packet[2:])
                    self._queue(event).put_nowait(args[0] if args else None)
        except websockets.ConnectionClosed:
            pass

    async def emit(self, event: str, data: Any) -> None:
        await self.ws.send("42" + json.dumps([event, data], ensure_ascii=False))

    async def next(self, event: str, timeout: float = WAIT) -> Any:
        return await asyncio.wait_for(self._queue(event).get(), timeout)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.wait_for(self.reader, WAIT)
