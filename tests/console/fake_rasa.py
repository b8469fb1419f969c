"""A stand-in Rasa server for browser tests of the chat page, run with .venv-rasa's Python.

It serves Rasa's own socket.io channel (rasa.core.channels.socketio.SocketIOInput, with
session_persistence as in credentials.yml) but answers from a script instead of a model,
so the widget can be tested without a trained model:

- ``slow``            answers after 1.5 seconds (typing indicator);
- ``/payload``        "payload received: /payload" (button payloads reach the server);
- ``english please``  an English answer (the page follows the bot's language);
- ``session?``        "session: <sender id>" (the session survives a reload);
- anything else       an echo wrapped in HTML, a link, a javascript: URL and two buttons.

The channel here also awaits ``enter_room``: Rasa 3.6.21 calls it without ``await``, and
python-socketio 5.10+ made it a coroutine, so with session_persistence the browser never
joins its session's room and gets no replies (RasaHQ/rasa#13027). The stand-in behaves like
the fixed stack (python-socketio 5.9.0, or this override); the real-stack test checks the
real one.

Usage: .venv-rasa/bin/python tests/console/fake_rasa.py --port 5099
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, Sanic, response

INJECTION = (
    '<b>bold</b> <img src=x onerror="window.__xss_bot=1"> <script>window.__xss_bot=2</script>'
)


async def on_new_message(message: UserMessage) -> None:
    out, sender, text = message.output_channel, message.sender_id, message.text or ""
    if text == "slow":
        await asyncio.sleep(1.5)
        await out.send_text_message(sender, "천천히 답변드렸어요.")
    elif text.startswith("/"):
        await out.send_text_message(sender, f"payload received: {text}")
    elif text == "english please":
        await out.send_text_with_buttons(
            sender,
            "Hello! How can I help you today?",
            [{"title": "Check a claim", "payload": "/claim_status"}],
        )
    elif text == "session?":
        await out.send_text_message(sender, f"session: {sender}")
    else:
        await out.send_text_with_buttons(
            sender,
            f"{INJECTION} 받은 메시지: {text}\n"
            "자세한 내용은 https://bodam.example/claims?id=1 또는 help@bodam.example, "
            "1588-0000 으로 문의하세요. javascript:alert(1)",
            [
                {"title": "<i>청구 진행 조회</i>", "payload": "/claim_status"},
                {"title": "상담원 연결", "payload": "/request_human"},
            ],
        )


class FixedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with the session room joined for real."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        async def session_request(sid: str, data: dict | None) -> None:
            data = data or {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, data["session_id"])
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", data["session_id"], room=sid)

        sio.on("session_request", handler=session_request, namespace=self.namespace)
        return blueprint


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = Sanic("fake_rasa")
    channel = FixedSocketIOInput(session_persistence=True)
    app.blueprint(channel.blueprint(on_new_message), url_prefix=channel.url_prefix())

    @app.get("/status")
    async def status(_request: object) -> response.HTTPResponse:
        return response.json({"fake": True})

    app.run(host="127.0.0.1", port=args.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
