"""socket.io channel (the web chat): Rasa's ``SocketIOInput`` with ``web:`` sender ids.

The events, ``session_request``/``session_confirm`` and ``session_persistence`` work as in
Rasa, so the web chat page is unchanged. What changes:

- the conversation id is ``web:<session_id>`` (``web:<socket id>`` without session
  persistence); the page still only ever sees its own session id;
- a session id outside ``A-Z a-z 0-9 . _ : @ -`` (1-128 characters) in ``session_request``
  is replaced by a new one; a message with such a session id, or whose ``message`` is not
  a string, is ignored (socket.io has no status code to answer with);
- empty and over-long messages are answered by the channel (``bot.channels.guard``);
- ``cors_allowed_origins`` (credentials, or env ``BODAM_CHAT_ORIGINS``, comma-separated)
  limits the origins whose pages may connect; unset keeps Rasa's behaviour (any origin).
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import InputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.guard import channel_sender_id, refuse, strip_channel, valid_sender

logger = logging.getLogger(__name__)

CHANNEL = "web"
ORIGINS_ENV = "BODAM_CHAT_ORIGINS"


class BodamSocketIOOutput(SocketIOOutput):
    """Sends to the socket.io room of the conversation (its id without ``web:``)."""

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        await super().send_response(strip_channel(CHANNEL, recipient_id), message)


def _origins(value: Any) -> List[str]:
    if isinstance(value, str):
        value = value.split(",")
    return [str(origin).strip().rstrip("/") for origin in value or [] if str(origin).strip()]


class BodamSocketIOInput(SocketIOInput):
    """The web chat channel (name ``socketio``, served on ``socketio_path``)."""

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        assert isinstance(channel, BodamSocketIOInput)
        channel.cors_allowed_origins = _origins(
            credentials.get("cors_allowed_origins") or os.environ.get(ORIGINS_ENV)
        )
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # [] is python-engineio's "no origin check", which is what Rasa uses
        self.cors_allowed_origins: List[str] = []

    def get_output_channel(self) -> BodamSocketIOOutput | None:  # type: ignore[override]
        if self.sio is None:
            return super().get_output_channel()  # warns and returns None
        return BodamSocketIOOutput(self.sio, self.bot_message_evt)

    def _authorised(self, auth: Dict | None) -> bool:
        if not self.jwt_key:
            return True
        token = auth.get("token") if isinstance(auth, dict) else None
        if not token:
            return False
        return bool(decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.cors_allowed_origins)
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict, auth: Dict | None = None) -> bool:
            return self._authorised(auth)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not valid_sender(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                logger.warning("socketio: ignored a message that is not {'message': <text>}")
                return
            if self.session_persistence:
                session_id = data.get("session_id")
                if not valid_sender(session_id):
                    logger.warning("socketio: ignored a message without a valid session_id")
                    return
            else:
                session_id = sid
            output_channel = BodamSocketIOOutput(sio, self.bot_message_evt)
            sender_id = channel_sender_id(CHANNEL, session_id)
            refusal = refuse(data["message"])
            if refusal is not None:
                await output_channel.send_response(sender_id, {"text": refusal.text})
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            message = UserMessage(
                data["message"],
                output_channel,
                sender_id,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        return socketio_webhook
