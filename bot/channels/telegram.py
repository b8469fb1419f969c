"""Telegram: Rasa's built-in connector, configured from the environment.

``BodamTelegramInput`` is a thin subclass of ``rasa.core.channels.telegram.TelegramInput``;
the update handling (``/webhooks/telegram/webhook``) and the sending of texts and buttons
are Rasa's own. What it changes:

- every setting can come from the environment (``BODAM_TELEGRAM_TOKEN``,
  ``BODAM_TELEGRAM_VERIFY``, ``BODAM_TELEGRAM_WEBHOOK_URL``, ``BODAM_TELEGRAM_API_URL``,
  ``BODAM_TELEGRAM_SECRET_TOKEN``); without a token the channel is switched off and only
  answers ``GET /webhooks/telegram/`` with ``{"status": "disabled"}``;
- the Bot API base URL can point at a local Bot API server or a test stand-in (aiogram's
  ``TelegramAPIServer``);
- the webhook is registered when the server starts, inside its event loop. Rasa's connector
  does it with ``asyncio.run`` while building the blueprint, which leaves aiogram's HTTP
  session tied to a loop that is already closed and fails when called from a running loop;
- ``get_output_channel`` returns the one output channel (Rasa builds a new one each call,
  which breaks ``/conversations/<id>/trigger_intent`` from a running loop);
- the bot's username (``getMe``) is asked once, not on every update;
- the secret token is required: ``setWebhook`` passes it and updates without the
  matching ``X-Telegram-Bot-Api-Secret-Token`` header are refused (403);
- the conversation id is ``telegram:<chat id>``; a body that is not a JSON object is
  answered 400; empty and over-long messages are answered by the channel
  (``bot.channels.guard``), as a ``sendMessage`` in the webhook's reply;
- a handler error is logged and answered 200, so Telegram does not redeliver the update
  forever; Telegram's ``/start`` command is understood as a greeting (``/greet``).
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
from functools import partial
from typing import Any, Awaitable, Callable, Dict

from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer, check_token
from aiogram.types import User
from aiogram.utils.exceptions import TelegramAPIError, ValidationError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import channel_sender_id, refuse, strip_channel

logger = logging.getLogger(__name__)

ENV = {
    "access_token": "BODAM_TELEGRAM_TOKEN",
    "verify": "BODAM_TELEGRAM_VERIFY",
    "webhook_url": "BODAM_TELEGRAM_WEBHOOK_URL",
    "api_url": "BODAM_TELEGRAM_API_URL",
    "secret_token": "BODAM_TELEGRAM_SECRET_TOKEN",
}
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Telegram commands that mean something else to bodam's NLU.
COMMAND_ALIASES = {"/start": "/greet"}
# The updates Rasa's connector reads; others are acknowledged and dropped.
UPDATE_KINDS = ("message", "edited_message", "callback_query")


def _setting(credentials: Dict[str, Any], key: str) -> str | None:
    value = credentials.get(key)
    if value in (None, ""):
        value = os.environ.get(ENV[key])
    return str(value).strip() if value not in (None, "") else None


def api_server(api_url: str | None) -> TelegramAPIServer:
    """aiogram's description of the Bot API server at ``api_url`` (default: Telegram's)."""
    return TelegramAPIServer.from_base(api_url) if api_url else TELEGRAM_PRODUCTION


class BodamTelegramOutput(TelegramOutput):
    """Rasa's Telegram output channel, talking to a configurable Bot API server."""

    def __init__(self, access_token: str | None, server: TelegramAPIServer | None = None):
        Bot.__init__(self, access_token, server=server or TELEGRAM_PRODUCTION)
        self._me: User | None = None

    async def get_me(self) -> User:
        """The bot's own user, asked once (the webhook compares its username on every update)."""
        if self._me is None:
            self._me = await super().get_me()
        return self._me

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        await super().send_response(strip_channel("telegram", recipient_id), message)

    async def close_session(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def refusal_reply(update: Dict[str, Any]) -> HTTPResponse | None:
    """The answer to an empty or over-long text message, sent as the webhook's reply.

    Telegram runs a Bot API method given in the webhook's response, so the refusal costs
    neither Rasa nor a call to the Bot API.
    """
    message = update.get("message") or update.get("edited_message")
    if not isinstance(message, dict) or not isinstance(message.get("text"), str):
        return None
    chat_id = message.get("chat", {}).get("id") if isinstance(message.get("chat"), dict) else None
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        return None
    refusal = refuse(message["text"])
    if refusal is None:
        return None
    return response.json(
        {"method": "sendMessage", "chat_id": chat_id, "text": refusal.text},
        dumps=partial(json.dumps, ensure_ascii=False),
    )


def _command(text: str | None) -> str | None:
    """'/start@bodam_bot payload' -> '/start'."""
    if not text or not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0].split("@", 1)[0]


class BodamTelegramInput(TelegramInput):
    """Telegram input channel (name "telegram", so ``/webhooks/telegram/webhook``)."""

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            _setting(credentials, "access_token"),
            _setting(credentials, "verify"),
            _setting(credentials, "webhook_url"),
            api_url=_setting(credentials, "api_url"),
            secret_token=_setting(credentials, "secret_token"),
        )

    def __init__(
        self,
        access_token: str | None,
        verify: str | None,
        webhook_url: str | None,
        debug_mode: bool = False,
        api_url: str | None = None,
        secret_token: str | None = None,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=debug_mode)
        self.api_url = api_url
        self.secret_token = secret_token
        self._out_channel: BodamTelegramOutput | None = None
        if not self.enabled:
            logger.info("Telegram channel is off: %s is not set", ENV["access_token"])
            return
        try:
            check_token(access_token)
        except ValidationError as error:
            raise RasaException(f"{ENV['access_token']} is not a Telegram bot token") from error
        missing = [
            ENV[key] for key in ("verify", "webhook_url", "secret_token") if not getattr(self, key)
        ]
        if missing:
            raise RasaException(f"The Telegram channel needs {', '.join(missing)} as well")
        if not _SECRET_FORMAT.match(secret_token or ""):
            raise RasaException(
                f"{ENV['secret_token']} may only hold A-Z, a-z, 0-9, _ and - (1-256 characters)"
            )

    @property
    def enabled(self) -> bool:
        return bool(self.access_token)

    def get_output_channel(self) -> BodamTelegramOutput | None:  # type: ignore[override]
        """The channel's one output channel (None when the channel is off)."""
        if not self.enabled:
            return None
        if self._out_channel is None:
            self._out_channel = BodamTelegramOutput(self.access_token, api_server(self.api_url))
        return self._out_channel

    async def register_webhook(self) -> bool:
        """Tells Telegram (or the configured Bot API server) where to deliver updates."""
        out_channel = self.get_output_channel()
        if out_channel is None:
            return False
        try:
            if self.secret_token:
                payload = {"url": self.webhook_url, "secret_token": self.secret_token}
                result = await out_channel.request("setWebhook", payload)
            else:
                result = await out_channel.set_webhook(self.webhook_url)
        except (TelegramAPIError, OSError) as error:
            logger.error("Telegram webhook registration failed: %s", error)
            return False
        if result:
            logger.info("Telegram webhook registered")
        return bool(result)

    def _wrap(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Callable[[UserMessage], Awaitable[Any]]:
        async def handler(message: UserMessage) -> Any:
            message.sender_id = channel_sender_id(self.name(), message.sender_id)
            refusal = refuse(message.text)
            if refusal is not None:
                await message.output_channel.send_response(
                    message.sender_id, {"text": refusal.text}
                )
                return None
            alias = COMMAND_ALIASES.get(_command(message.text) or "")
            if alias:
                message.text = alias
            return await on_new_message(message)

        return handler

    def _disabled_blueprint(self) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "disabled"})

        @telegram_webhook.route("/webhook", methods=["GET", "POST"])
        async def webhook(_: Request) -> HTTPResponse:
            return response.json(
                {"error": "telegram_disabled", "message_en": f"{ENV['access_token']} is not set"},
                status=503,
            )

        return telegram_webhook

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if not self.enabled:
            return self._disabled_blueprint()
        telegram_webhook = super().blueprint(self._wrap(on_new_message))
        out_channel = self.get_output_channel()

        secret = str(self.secret_token).encode()

        @telegram_webhook.middleware("request")
        async def check_request(request: Request) -> HTTPResponse | None:
            path = request.path.rstrip("/")
            if path.endswith("/set_webhook"):
                # Rasa's route would re-register the webhook without the secret, for anyone
                return response.json({"error": "not_found"}, status=404)
            if not (path.endswith("/webhook") and request.method == "POST"):
                return None
            given = request.headers.get(SECRET_HEADER, "").encode()
            if not hmac.compare_digest(given, secret):
                return response.json({"error": "forbidden"}, status=403)
            try:
                update = json.loads(request.body or b"")
            except (ValueError, RecursionError):
                update = None
            if not isinstance(update, dict):
                return response.json(
                    {
                        "error": "invalid_update",
                        "message_ko": "요청 본문은 텔레그램 Update JSON 객체여야 합니다.",
                        "message_en": "The request body must be a Telegram Update JSON object.",
                    },
                    status=400,
                    dumps=partial(json.dumps, ensure_ascii=False),
                )
            if not any(isinstance(update.get(kind), dict) for kind in UPDATE_KINDS):
                # member changes, channel posts, ...: Rasa's handler would fail on them and
                # Telegram would redeliver them forever
                return response.text("success")
            return refusal_reply(update)

        @telegram_webhook.listener("before_server_start")
        async def set_webhook(*_: Any) -> None:
            await self.register_webhook()

        @telegram_webhook.listener("after_server_stop")
        async def close(*_: Any) -> None:
            if out_channel is not None:
                await out_channel.close_session()

        return telegram_webhook
