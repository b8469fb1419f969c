"""REST channel: Rasa's ``RestInput`` with channel-scoped sender ids and strict input.

``POST /webhooks/rest/webhook`` with ``{"sender": "...", "message": "..."}`` as before, and
the answer is the same list of bot messages (``recipient_id`` is the caller's sender). What
changes:

- the conversation id is ``rest:<sender>``, so a REST caller can never continue a Kakao,
  Telegram or web chat conversation by sending that channel's id;
- a body that is not a JSON object, a missing or non-string ``sender`` or ``message``, a
  sender outside ``A-Z a-z 0-9 . _ : @ -`` (1-128 characters) or ``metadata`` that is not
  an object gets HTTP 400 ``{"error", "message_ko", "message_en"}``; a body over 1 MB
  gets 413;
- empty and over-long messages are answered by the channel (``bot.channels.guard``);
- ``input_channel`` in the body is ignored: the channel is always ``rest``;
- ``BODAM_REST_CHANNEL=off`` (read at start) switches the channel off: every request to
  ``/webhooks/rest/*`` is answered 403 ``{"error": "rest_channel_off"}``.
"""

from __future__ import annotations

import json
import logging
import os
from asyncio import CancelledError, Queue
from dataclasses import dataclass
from functools import partial
from typing import Any, Awaitable, Callable, Dict

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel, RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import channel_sender_id, refuse, strip_channel, valid_sender

logger = logging.getLogger(__name__)

CHANNEL = "rest"
SWITCH_ENV = "BODAM_REST_CHANNEL"
OFF_VALUES = frozenset({"off", "0", "false", "no"})
MAX_BODY_BYTES = 1024 * 1024

_dumps = partial(json.dumps, ensure_ascii=False)


def _error(status: int, code: str, message_en: str, message_ko: str) -> HTTPResponse:
    body = {"error": code, "message_ko": message_ko, "message_en": message_en}
    return response.json(body, status=status, dumps=_dumps)


class RestRequestError(ValueError):
    """A body the channel cannot use; answered with HTTP 400."""

    def __init__(self, code: str, message_en: str, message_ko: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_en = message_en
        self.message_ko = message_ko

    def response(self) -> HTTPResponse:
        return _error(400, self.code, self.message_en, self.message_ko)


@dataclass(frozen=True)
class RestRequest:
    sender: str
    message: str
    metadata: Dict[str, Any] | None


def parse_rest_body(body: bytes | str | None) -> RestRequest:
    """Validates a REST channel body.

    Raises:
        RestRequestError: the body cannot be used.
    """
    if not body or not body.strip():
        raise RestRequestError(
            "empty_body",
            'The request body is empty. Send {"sender": "...", "message": "..."}.',
            '요청 본문이 비어 있습니다. {"sender": "...", "message": "..."} 형식으로 보내 주세요.',
        )
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise RestRequestError(
            "invalid_json",
            "The request body is not valid JSON.",
            "요청 본문이 올바른 JSON 형식이 아닙니다.",
        ) from error
    if not isinstance(data, dict):
        raise RestRequestError(
            "invalid_body",
            'The request body must be a JSON object: {"sender": "...", "message": "..."}.',
            '요청 본문은 {"sender": "...", "message": "..."} 형식의 JSON 객체여야 합니다.',
        )
    sender = data.get("sender")
    if not isinstance(sender, str):
        raise RestRequestError(
            "invalid_sender",
            "sender is missing or is not a string.",
            "sender가 없거나 문자열이 아닙니다.",
        )
    if not valid_sender(sender):
        raise RestRequestError(
            "invalid_sender",
            "sender may only hold A-Z, a-z, 0-9, '.', '_', ':', '@' and '-' (1 to 128 characters).",
            "sender에는 영문자, 숫자와 '.', '_', ':', '@', '-'만 쓸 수 있으며 "
            "길이는 1~128자입니다.",
        )
    message = data.get("message")
    if not isinstance(message, str):
        raise RestRequestError(
            "invalid_message",
            "message is missing or is not a string.",
            "message가 없거나 문자열이 아닙니다.",
        )
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise RestRequestError(
            "invalid_metadata",
            "metadata must be a JSON object.",
            "metadata는 JSON 객체여야 합니다.",
        )
    return RestRequest(sender, message, metadata)


class RestOutput(CollectingOutputChannel):
    """Collects the bot's messages with the caller's own sender as ``recipient_id``."""

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        await super().send_response(strip_channel(CHANNEL, recipient_id), message)


class RestQueueOutput(QueueOutputChannel):
    """The streaming variant (``?stream=true``) of ``RestOutput``."""

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        await super().send_response(strip_channel(CHANNEL, recipient_id), message)


class BodamRestInput(RestInput):
    """The REST channel (name ``rest``, so still ``/webhooks/rest/webhook``)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        switch = os.environ.get(SWITCH_ENV, "").strip().lower()
        return cls(enabled=switch not in OFF_VALUES)

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled

    @staticmethod
    async def on_message_wrapper(
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        queue: Queue,
        sender_id: str,
        input_channel: str,
        metadata: Dict[str, Any] | None,
    ) -> None:
        message = UserMessage(
            text, RestQueueOutput(queue), sender_id, input_channel=input_channel,
            metadata=metadata,
        )  # fmt: skip
        try:
            await on_new_message(message)
        finally:
            await queue.put("DONE")

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def _disabled_blueprint(self) -> Blueprint:
        rest_webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        async def off(_: Request) -> HTTPResponse:
            return _error(
                403,
                "rest_channel_off",
                f"The REST channel is switched off on this server ({SWITCH_ENV}=off).",
                f"이 서버에서는 REST 채널을 사용하지 않습니다({SWITCH_ENV}=off).",
            )

        rest_webhook.add_route(off, "/", methods=["GET"], name="off_health")
        rest_webhook.add_route(off, "/webhook", methods=["GET", "POST"], name="off_webhook")
        return rest_webhook

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if not self.enabled:
            logger.info("REST channel is off (%s=off)", SWITCH_ENV)
            return self._disabled_blueprint()
        rest_webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @rest_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:
                return _error(
                    413,
                    "body_too_large",
                    "The request body is larger than 1 MB.",
                    "요청 본문이 1MB를 넘습니다.",
                )
            try:
                parsed = parse_rest_body(request.body)
            except RestRequestError as error:
                logger.info("rest: rejected a request: %s", error.code)
                return error.response()
            stream = rasa.utils.endpoints.bool_arg(request, "stream", default=False)
            refusal = refuse(parsed.message)
            if refusal is not None:
                answer = {"recipient_id": parsed.sender, "text": refusal.text}
                if stream:
                    return response.text(
                        json.dumps(answer) + "\n", content_type="text/event-stream"
                    )
                return response.json([answer])
            sender_id = channel_sender_id(CHANNEL, parsed.sender)
            if stream:
                return response.stream(
                    self.stream_response(
                        on_new_message, parsed.message, sender_id, self.name(), parsed.metadata
                    ),
                    content_type="text/event-stream",
                )
            collector = RestOutput()
            message = UserMessage(
                parsed.message, collector, sender_id, input_channel=self.name(),
                metadata=parsed.metadata,
            )  # fmt: skip
            try:
                await on_new_message(message)
            except CancelledError:
                logger.error("rest: the bot did not answer in time")
            except Exception:
                # the message text stays out of the log: it may hold personal data
                logger.exception("rest: the bot failed to handle a message")
            return response.json(collector.messages)

        return rest_webhook
