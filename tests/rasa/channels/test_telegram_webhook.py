"""Telegram: Rasa's connector (via BodamTelegramInput) against a local Bot API stand-in.

The channel is loaded from a credentials file the way ``rasa run`` loads it, its blueprint
runs in a real Sanic server, Telegram updates are POSTed to it, and the Bot API calls
(setWebhook, getMe, sendMessage) go to an aiohttp server on 127.0.0.1 that answers like
the Bot API and records them.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from aiohttp import web
from channel_testing import WAIT, StubBot, client, load_fixture, run, serve_channel
from channel_testing import stand_in_server as aiohttp_server
from rasa.core.channels.channel import UserMessage
from rasa.core.run import create_http_input_channels
from rasa.shared.exceptions import RasaException

from bot.channels.telegram import ENV, BodamTelegramInput, BodamTelegramOutput

TOKEN = "7012345678:AAE-bodam-test-token_0123456789abcdef"
BOT_USERNAME = "bodam_test_bot"
WEBHOOK_URL = "https://bodam.example.com/webhooks/telegram/webhook"
CHAT_ID = 5123456789
SECRET = "bodam-telegram-secret_0"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CREDENTIALS = "rest:\n\nbot.channels.telegram.BodamTelegramInput:\n"


class BotApiStandIn:
    """Answers ``POST /bot<token>/<method>`` like the Telegram Bot API and records calls."""

    def __init__(self) -> None:
        self.calls: List[Tuple[str, Dict[str, str]]] = []
        self.sent = asyncio.Event()
        self.next_message_id = 2000

    def called(self, method: str) -> List[Dict[str, str]]:
        return [fields for name, fields in self.calls if name == method]

    async def handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        if request.content_type == "application/json":
            fields = {k: str(v) for k, v in (await request.json()).items()}
        else:
            fields = {k: str(v) for k, v in (await request.post()).items()}
        self.calls.append((method, fields))
        if method == "getMe":
            result: Any = {
                "id": 7012345678,
                "is_bot": True,
                "first_name": "보담",
                "username": BOT_USERNAME,
            }
        elif method == "setWebhook":
            result = True
        elif method == "sendMessage":
            self.next_message_id += 1
            result = {
                "message_id": self.next_message_id,
                "date": 1764050420,
                "chat": {"id": int(fields["chat_id"]), "type": "private"},
                "text": fields.get("text", ""),
            }
            self.sent.set()
        else:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.json_response({"ok": True, "result": result})

    def routes(self) -> List[web.RouteDef]:
        return [web.post("/bot{token}/{method}", self.handle)]


@pytest.fixture
def credentials_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ENV.values():
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "credentials.yml"
    path.write_text(CREDENTIALS, encoding="utf-8")
    return path


def enable(monkeypatch: pytest.MonkeyPatch, api_url: str, **extra: str) -> None:
    monkeypatch.setenv("BODAM_TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("BODAM_TELEGRAM_VERIFY", BOT_USERNAME)
    monkeypatch.setenv("BODAM_TELEGRAM_WEBHOOK_URL", WEBHOOK_URL)
    monkeypatch.setenv("BODAM_TELEGRAM_API_URL", api_url)
    monkeypatch.setenv("BODAM_TELEGRAM_SECRET_TOKEN", SECRET)
    for name, value in extra.items():
        monkeypatch.setenv(name, value)


def load_channel(credentials_file: Path) -> BodamTelegramInput:
    channels = create_http_input_channels(None, str(credentials_file))
    (telegram,) = [c for c in channels if c.name() == "telegram"]
    assert isinstance(telegram, BodamTelegramInput)
    return telegram


async def post_update(
    base: str, update: Any, headers: Dict[str, str] | None = None
) -> Tuple[int, str]:
    """POSTs with the default secret token unless ``headers`` say otherwise."""
    headers = {SECRET_HEADER: SECRET} if headers is None else headers
    data = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {"Content-Type": "application/json", **headers}
    async with (
        client() as session,
        session.post(base + "/webhooks/telegram/webhook", data=data, headers=headers) as reply,
    ):
        return reply.status, await reply.text()


def test_a_message_reaches_the_bot_and_the_reply_reaches_the_bot_api(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = BotApiStandIn()
    bot = StubBot(
        replies=[
            {"text": "청구 진행 상황을 확인하려면 본인 확인이 필요해요."},
            {
                "text": "계속할까요?",
                "buttons": [
                    {"title": "네", "payload": "/affirm"},
                    {"title": "상담원 연결", "payload": "/request_human"},
                ],
            },
        ]
    )
    update = load_fixture("telegram_update_message.json")

    async def scenario() -> Tuple[int, str]:
        async with aiohttp_server(api.routes()) as api_url:
            enable(monkeypatch, api_url)
            channel = load_channel(credentials_file)
            async with serve_channel(channel, bot) as base:
                assert api.called("setWebhook") == [{"url": WEBHOOK_URL, "secret_token": SECRET}]
                answer = await post_update(base, update)
                await asyncio.wait_for(api.sent.wait(), WAIT)
                return answer

    status, text = run(scenario())
    assert (status, text) == (200, "success")
    (message,) = bot.received
    assert message.text == "보험금 청구한 거 어떻게 됐어요?"
    assert message.sender_id == f"telegram:{CHAT_ID}"
    assert message.input_channel == "telegram"
    sent = api.called("sendMessage")
    assert [call["text"] for call in sent] == [
        "청구 진행 상황을 확인하려면 본인 확인이 필요해요.",
        "계속할까요?",
    ]
    assert all(call["chat_id"] == str(CHAT_ID) for call in sent)
    keyboard = json.loads(sent[1]["reply_markup"])["inline_keyboard"]
    assert [button["callback_data"] for button in keyboard[0]] == ["/affirm", "/request_human"]


def test_a_button_press_and_start_command_reach_the_bot(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = BotApiStandIn()
    bot = StubBot(replies=[{"text": "확인했어요."}])
    start = load_fixture("telegram_update_message.json")
    start["message"]["text"] = "/start"

    async def scenario() -> List[Tuple[int, str]]:
        async with aiohttp_server(api.routes()) as api_url:
            enable(monkeypatch, api_url)
            async with serve_channel(load_channel(credentials_file), bot) as base:
                return [
                    await post_update(base, load_fixture("telegram_update_callback_query.json")),
                    await post_update(base, start),
                ]

    assert run(scenario()) == [(200, "success"), (200, "success")]
    assert [m.text for m in bot.received] == ["/claim_status", "/greet"]
    assert {m.sender_id for m in bot.received} == {f"telegram:{CHAT_ID}"}
    assert len(api.called("getMe")) == 1  # asked once, not on every update
    assert len(api.called("sendMessage")) == 2


def test_an_update_for_another_bot_username_is_refused(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = BotApiStandIn()
    bot = StubBot()

    async def scenario() -> Tuple[int, str]:
        async with aiohttp_server(api.routes()) as api_url:
            enable(monkeypatch, api_url, BODAM_TELEGRAM_VERIFY="someone_elses_bot")
            async with serve_channel(load_channel(credentials_file), bot) as base:
                return await post_update(base, load_fixture("telegram_update_message.json"))

    assert run(scenario()) == (200, "failed")
    assert bot.received == []


def test_secret_token_is_registered_and_checked(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = BotApiStandIn()
    bot = StubBot()
    secret = "bodam-secret_123"
    update = load_fixture("telegram_update_message.json")

    async def scenario() -> List[Tuple[int, str]]:
        async with aiohttp_server(api.routes()) as api_url:
            enable(monkeypatch, api_url, BODAM_TELEGRAM_SECRET_TOKEN=secret)
            async with serve_channel(load_channel(credentials_file), bot) as base:
                return [
                    await post_update(base, update, {}),
                    await post_update(base, update, {SECRET_HEADER: "wrong"}),
                    await post_update(base, update, {SECRET_HEADER: secret}),
                ]

    (missing, _), (wrong, _), (right, text) = run(scenario())
    assert (missing, wrong, right, text) == (403, 403, 200, "success")
    assert api.called("setWebhook") == [{"url": WEBHOOK_URL, "secret_token": secret}]
    assert len(bot.received) == 1


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("사고 경위는 이렇습니다 " * 300, "메시지가 너무 길어요."),
        ("it happened like this " * 300, "That message is too long."),
        ("\u200b\u3164", "메시지가 비어 있어요."),
    ],
    ids=["long-ko", "long-en", "blank"],
)
def test_long_and_blank_messages_are_answered_by_the_channel(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch, text: str, start: str
) -> None:
    api = BotApiStandIn()
    bot = StubBot()
    update = load_fixture("telegram_update_message.json")
    update["message"]["text"] = text

    async def scenario() -> Tuple[int, str]:
        async with aiohttp_server(api.routes()) as api_url:
            enable(monkeypatch, api_url)
            async with serve_channel(load_channel(credentials_file), bot) as base:
                return await post_update(base, update)

    status, reply = run(scenario())
    assert status == 200
    answer = json.loads(reply)
    assert (answer["method"], answer["chat_id"]) == ("sendMessage", CHAT_ID)
    assert answer["text"].startswith(start)
    assert bot.received == []
    assert api.called("sendMessage") == []  # the reply to the webhook carries it


def test_messages_that_reach_the_handler_are_still_guarded(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Recorder(BodamTelegramOutput):
        def __init__(self) -> None:
            self.sent: List[Tuple[str, Dict[str, Any]]] = []

        async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
            self.sent.append((recipient_id, message))

    enable(monkeypatch, "http://127.0.0.1:9")
    bot = StubBot(replies=[])
    output = Recorder()
    handler = load_channel(credentials_file)._wrap(bot)
    run(handler(UserMessage("가" * 3000, output, CHAT_ID, input_channel="telegram")))
    run(handler(UserMessage("/start", output, CHAT_ID, input_channel="telegram")))
    ((recipient, message),) = output.sent
    assert recipient == f"telegram:{CHAT_ID}"
    assert message["text"].startswith("메시지가 너무 길어요.")
    assert [(m.sender_id, m.text) for m in bot.received] == [(f"telegram:{CHAT_ID}", "/greet")]


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"", 400), (b"{not json", 400), (b"[]", 400), (b'"update"', 400), (b'{"update_id": 1}', 200)],
)
def test_unusable_bodies_are_refused_and_other_updates_ignored(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch, body: bytes, status: int
) -> None:
    api = BotApiStandIn()
    bot = StubBot()

    async def scenario() -> Tuple[int, str]:
        async with aiohttp_server(api.routes()) as api_url:
            enable(monkeypatch, api_url)
            async with serve_channel(load_channel(credentials_file), bot) as base:
                return await post_update(base, body)

    answer_status, text = run(scenario())
    assert answer_status == status
    if status == 400:
        assert json.loads(text)["error"] == "invalid_update"
    assert bot.received == []


def test_rasas_set_webhook_route_is_not_served(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = BotApiStandIn()

    async def scenario() -> int:
        async with aiohttp_server(api.routes()) as api_url:
            enable(monkeypatch, api_url)
            channel = load_channel(credentials_file)
            async with (
                serve_channel(channel, StubBot()) as base,
                client() as session,
                session.get(base + "/webhooks/telegram/set_webhook") as reply,
            ):
                return reply.status

    assert run(scenario()) == 404
    assert len(api.called("setWebhook")) == 1  # the one at start


def test_the_output_channel_sends_to_the_chat_id_without_the_prefix(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = BotApiStandIn()

    async def scenario() -> None:
        async with aiohttp_server(api.routes()) as api_url:
            enable(monkeypatch, api_url)
            output = load_channel(credentials_file).get_output_channel()
            try:
                await output.send_response(f"telegram:{CHAT_ID}", {"text": "안내드려요."})
            finally:
                await output.close_session()

    run(scenario())
    assert [(c["chat_id"], c["text"]) for c in api.called("sendMessage")] == [
        (str(CHAT_ID), "안내드려요.")
    ]


def test_a_failing_bot_does_not_make_telegram_redeliver(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = BotApiStandIn()
    bot = StubBot(error=RuntimeError("action server down"))

    async def scenario() -> Tuple[int, str]:
        async with aiohttp_server(api.routes()) as api_url:
            enable(monkeypatch, api_url)
            async with serve_channel(load_channel(credentials_file), bot) as base:
                return await post_update(base, load_fixture("telegram_update_message.json"))

    assert run(scenario()) == (200, "success")


def test_without_a_token_the_channel_is_off(credentials_file: Path) -> None:
    channel = load_channel(credentials_file)
    assert not channel.enabled
    assert channel.get_output_channel() is None

    async def scenario() -> List[Tuple[int, Any]]:
        async with serve_channel(channel, StubBot()) as base, client() as session:
            results = []
            async with session.get(base + "/webhooks/telegram/") as reply:
                results.append((reply.status, await reply.json()))
            async with session.post(base + "/webhooks/telegram/webhook", json={}) as reply:
                results.append((reply.status, (await reply.json())["error"]))
            return results

    assert run(scenario()) == [(200, {"status": "disabled"}), (503, "telegram_disabled")]


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"BODAM_TELEGRAM_TOKEN": "not-a-token"}, "not a Telegram bot token"),
        ({"BODAM_TELEGRAM_TOKEN": TOKEN}, "BODAM_TELEGRAM_VERIFY"),
        (
            {"BODAM_TELEGRAM_TOKEN": TOKEN, "BODAM_TELEGRAM_VERIFY": BOT_USERNAME},
            "BODAM_TELEGRAM_WEBHOOK_URL",
        ),
        (
            {
                "BODAM_TELEGRAM_TOKEN": TOKEN,
                "BODAM_TELEGRAM_VERIFY": BOT_USERNAME,
                "BODAM_TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
            },
            "BODAM_TELEGRAM_SECRET_TOKEN",
        ),
        (
            {
                "BODAM_TELEGRAM_TOKEN": TOKEN,
                "BODAM_TELEGRAM_VERIFY": BOT_USERNAME,
                "BODAM_TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
                "BODAM_TELEGRAM_SECRET_TOKEN": "has spaces",
            },
            "BODAM_TELEGRAM_SECRET_TOKEN",
        ),
    ],
)
def test_incomplete_configuration_fails_at_start(
    credentials_file: Path, monkeypatch: pytest.MonkeyPatch, env: Dict[str, str], problem: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RasaException, match=problem):
        load_channel(credentials_file)


def test_credentials_file_values_win_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    enable(monkeypatch, "http://127.0.0.1:9")
    path = tmp_path / "credentials.yml"
    path.write_text(
        "bot.channels.telegram.BodamTelegramInput:\n"
        f"  access_token: '{TOKEN}'\n  verify: other_bot\n"
        "  webhook_url: https://other.example.com/webhooks/telegram/webhook\n"
        "  api_url: http://127.0.0.1:8081\n",
        encoding="utf-8",
    )
    channel = load_channel(path)
    assert channel.verify == "other_bot"
    output = channel.get_output_channel()
    assert isinstance(output, BodamTelegramOutput)
    assert output is channel.get_output_channel()  # one output channel, reused
    assert output.server.api_url(TOKEN, "getMe") == f"http://127.0.0.1:8081/bot{TOKEN}/getMe"
