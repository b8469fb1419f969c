"""The Kakao channel through a real Sanic server on 127.0.0.1, with a stub bot."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from aiohttp import web
from channel_testing import (
    WAIT,
    StubBot,
    assert_valid_kakao_response,
    client,
    load_fixture,
    run,
    serve_channel,
    stand_in_server,
)
from rasa.core.run import create_http_input_channels

from bot.channels.kakao import SKILL_TOKEN_HEADER, KakaoInput

WEBHOOK = "/webhooks/kakao/webhook"
TOKEN = "kakao-skill-test-token"


def channel_with_token(**options: Any) -> KakaoInput:
    return KakaoInput(skill_token=TOKEN, **options)


async def post(base: str, body: Any, headers: Dict[str, str] | None = None) -> Tuple[int, Any]:
    """POSTs with the right skill token unless ``headers`` say otherwise."""
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        **({SKILL_TOKEN_HEADER: TOKEN} if headers is None else headers),
    }
    async with client() as session, session.post(base + WEBHOOK, data=data, headers=headers) as r:
        return r.status, await r.json(content_type=None)


class CallbackStandIn:
    """Kakao's callback endpoint: records what is POSTed and answers like Kakao."""

    def __init__(self) -> None:
        self.received: List[Dict[str, Any]] = []
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        self.arrived.set()
        return web.json_response(
            {"taskId": "cb-1", "status": "SUCCESS", "message": "OK", "timestamp": 1764050400}
        )

    def routes(self) -> List[web.RouteDef]:
        return [web.post("/v1/bots/bodam/callback/{token}", self.handle)]


def payload(utterance: str | None = None, callback_url: str | None = None) -> Dict[str, Any]:
    body = load_fixture("kakao_skill_payload.json")
    if utterance is not None:
        body["userRequest"]["utterance"] = utterance
    if callback_url is not None:
        body["userRequest"]["callbackUrl"] = callback_url
    return body


def test_a_message_is_answered_in_kakao_format() -> None:
    bot = StubBot(replies=load_fixture("rasa_messages_claim_report.json"))
    body = payload()

    async def scenario() -> Tuple[int, Any]:
        async with serve_channel(channel_with_token(), bot) as base:
            return await post(base, body)

    status, answer = run(scenario())
    assert status == 200
    assert_valid_kakao_response(answer)
    assert answer["template"]["outputs"][0] == {"simpleText": {"text": "사고 접수를 도와드릴게요."}}
    assert answer["template"]["outputs"][1]["textCard"]["buttons"][1]["messageText"] == (
        '/inform{"incident_type": "theft"}'
    )
    (message,) = bot.received
    assert message.sender_id == "kakao:" + body["userRequest"]["user"]["id"]
    assert message.text == "보험금 청구한 거 어떻게 됐어요?"
    assert message.input_channel == "kakao"
    assert message.output_channel.name() == "kakao"
    assert message.metadata["kakao"]["block"]["name"] == "폴백 블록"


def test_a_tapped_quick_reply_reaches_the_bot_as_its_payload() -> None:
    bot = StubBot()
    body = load_fixture("kakao_skill_payload_quick_reply.json")

    async def scenario() -> Tuple[int, Any]:
        async with serve_channel(channel_with_token(), bot) as base:
            return await post(base, body)

    status, _ = run(scenario())
    assert status == 200
    assert bot.received[0].text == '/inform{"incident_type": "theft"}'
    assert bot.received[0].metadata["kakao"]["params"] == {"product": "자동차보험"}


def test_health() -> None:
    async def scenario() -> Tuple[int, Any]:
        async with (
            serve_channel(channel_with_token(), StubBot()) as base,
            client() as session,
            session.get(base + "/webhooks/kakao/") as reply,
        ):
            return reply.status, await reply.json()

    assert run(scenario()) == (200, {"status": "ok"})


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"userRequest": ', "invalid_json"),
        (b"", "invalid_json"),
        (b"[]", "invalid_payload"),
        (b'"hello"', "invalid_payload"),
        (b"null", "invalid_payload"),
        (b'{"userRequest": {"user": {"id": "u1"}}}', "invalid_utterance"),
        (b'{"userRequest": {"utterance": "", "user": {"id": "u1"}}}', "invalid_utterance"),
        (b'{"userRequest": {"utterance": 7, "user": {"id": "u1"}}}', "invalid_utterance"),
        (b'{"userRequest": {"utterance": "hi"}}', "invalid_user"),
        (b'{"userRequest": {"utterance": "hi", "user": {"id": "a b"}}}', "invalid_user"),
        (
            b'{"userRequest": {"utterance": "hi", "user": {"id": "' + b"x" * 129 + b'"}}}',
            "invalid_user",
        ),
        (
            b'{"userRequest": {"utterance": "hi", "user": {"id": "u1"}, "callbackUrl": {}}}',
            "invalid_callback_url",
        ),
    ],
)
def test_unusable_requests_get_a_400_json_error(raw: bytes, code: str) -> None:
    bot = StubBot()

    async def scenario() -> Tuple[int, Any]:
        async with serve_channel(channel_with_token(), bot) as base:
            return await post(base, raw)

    status, answer = run(scenario())
    assert status == 400
    assert answer["error"] == code
    assert answer["message_ko"] and answer["message_en"]
    assert bot.received == []


@pytest.mark.parametrize(
    ("utterance", "start"),
    [
        ("사고 경위를 설명드리면 " * 800, "메시지가 너무 길어요."),
        ("the accident happened like this " * 400, "That message is too long."),
        (" \u200b ", "메시지가 비어 있어요."),
    ],
    ids=["long-ko", "long-en", "blank"],
)
def test_long_and_blank_utterances_are_answered_by_the_channel(utterance: str, start: str) -> None:
    bot = StubBot()

    async def scenario() -> Tuple[int, Any]:
        async with serve_channel(channel_with_token(), bot) as base:
            return await post(base, payload(utterance))

    status, answer = run(scenario())
    assert status == 200
    assert_valid_kakao_response(answer)
    assert answer["template"]["outputs"][0]["simpleText"]["text"].startswith(start)
    assert bot.received == []


def test_a_failing_bot_gets_an_apology_not_a_crash() -> None:
    bot = StubBot(error=RuntimeError("action server down"))

    async def scenario() -> Tuple[int, Any]:
        async with serve_channel(channel_with_token(), bot) as base:
            return await post(base, payload())

    status, answer = run(scenario())
    assert status == 200
    assert answer["template"]["outputs"][0]["simpleText"]["text"].startswith("죄송합니다.")


def test_slow_bot_with_callback_url_answers_at_once_and_posts_later() -> None:
    stand_in = CallbackStandIn()
    bot = StubBot(replies=load_fixture("rasa_messages_help_ko.json"), delay=1.5)
    channel = channel_with_token(
        reply_timeout=0.3, callback_hosts=["127.0.0.1"], callback_allow_http=True
    )

    async def scenario() -> Tuple[int, Any, float]:
        async with stand_in_server(stand_in.routes()) as callback_base:
            url = callback_base + "/v1/bots/bodam/callback/0a1b2c"
            async with serve_channel(channel, bot) as base:
                started = time.monotonic()
                status, answer = await post(base, payload(callback_url=url))
                elapsed = time.monotonic() - started
                assert stand_in.received == []  # not before the bot has finished
                await asyncio.wait_for(stand_in.arrived.wait(), WAIT)
                return status, answer, elapsed

    status, answer, elapsed = run(scenario())
    assert status == 200
    assert answer == {
        "version": "2.0",
        "useCallback": True,
        "data": {"text": "답변을 준비하고 있어요. 잠시만 기다려 주세요."},
    }
    assert elapsed < 1.5
    (final,) = stand_in.received
    assert_valid_kakao_response(final)
    assert final["template"]["outputs"][0]["simpleText"]["text"].startswith("보담이 도와드릴")
    assert len(final["template"]["quickReplies"]) == 7


def test_english_conversation_gets_the_english_wait_text() -> None:
    stand_in = CallbackStandIn()
    bot = StubBot(replies=[{"text": "Your claim is being reviewed."}], delay=1.0)
    channel = channel_with_token(
        reply_timeout=0.2, callback_hosts=["127.0.0.1"], callback_allow_http=True
    )

    async def scenario() -> Tuple[int, Any]:
        async with stand_in_server(stand_in.routes()) as callback_base:
            url = callback_base + "/v1/bots/bodam/callback/en"
            async with serve_channel(channel, bot) as base:
                answer = await post(base, payload("what is the status of my claim?", url))
                await asyncio.wait_for(stand_in.arrived.wait(), WAIT)
                return answer

    status, answer = run(scenario())
    assert answer["data"]["text"] == "I'm preparing your answer. Please wait a moment."


def test_fast_bot_with_callback_url_answers_directly() -> None:
    stand_in = CallbackStandIn()
    bot = StubBot(replies=[{"text": "접수되었습니다."}])
    channel = channel_with_token(callback_hosts=["127.0.0.1"], callback_allow_http=True)

    async def scenario() -> Tuple[int, Any]:
        async with stand_in_server(stand_in.routes()) as callback_base:
            url = callback_base + "/v1/bots/bodam/callback/fast"
            async with serve_channel(channel, bot) as base:
                return await post(base, payload(callback_url=url))

    status, answer = run(scenario())
    assert answer["template"]["outputs"] == [{"simpleText": {"text": "접수되었습니다."}}]
    assert stand_in.received == []


def test_bot_slower_than_the_callback_limit_sends_a_try_again_text() -> None:
    stand_in = CallbackStandIn()
    bot = StubBot(delay=5.0)
    channel = channel_with_token(
        reply_timeout=0.2,
        callback_timeout=0.8,
        callback_hosts=["127.0.0.1"],
        callback_allow_http=True,
    )

    async def scenario() -> None:
        async with stand_in_server(stand_in.routes()) as callback_base:
            url = callback_base + "/v1/bots/bodam/callback/late"
            async with serve_channel(channel, bot) as base:
                await post(base, payload(callback_url=url))
                await asyncio.wait_for(stand_in.arrived.wait(), WAIT)

    run(scenario())
    (final,) = stand_in.received
    assert final["template"]["outputs"][0]["simpleText"]["text"].startswith("답변 준비가 늦어지고")


def test_slow_bot_without_callback_url_is_answered_within_the_bound() -> None:
    bot = StubBot(delay=3.0)
    channel = channel_with_token(wait_timeout=0.5)

    async def scenario() -> Tuple[int, Any, float]:
        async with serve_channel(channel, bot) as base:
            started = time.monotonic()
            status, answer = await post(base, payload())
            return status, answer, time.monotonic() - started

    status, answer, elapsed = run(scenario())
    assert status == 200
    assert elapsed < 2.5
    assert answer["template"]["outputs"][0]["simpleText"]["text"].startswith("답변 준비가 늦어지고")
    assert len(bot.received) == 1


def test_callback_url_of_a_foreign_host_is_not_called() -> None:
    stand_in = CallbackStandIn()
    bot = StubBot(replies=[{"text": "확인했습니다."}], delay=0.5)
    channel = channel_with_token(reply_timeout=0.1, wait_timeout=3.0)  # default hosts: *.kakao.com

    async def scenario() -> Tuple[int, Any]:
        async with stand_in_server(stand_in.routes()) as callback_base:
            url = callback_base + "/v1/bots/bodam/callback/evil"
            async with serve_channel(channel, bot) as base:
                return await post(base, payload(callback_url=url))

    status, answer = run(scenario())
    assert answer["template"]["outputs"] == [{"simpleText": {"text": "확인했습니다."}}]
    assert stand_in.received == []


def test_callback_hosts() -> None:
    channel = KakaoInput()
    assert channel.callback_allowed("https://bot-api.kakao.com/v1/bots/x/callback/y")
    assert not channel.callback_allowed("http://bot-api.kakao.com/v1/bots/x/callback/y")
    assert not channel.callback_allowed("https://kakao.com.evil.example/callback")
    assert not channel.callback_allowed("https://127.0.0.1/callback")
    assert not channel.callback_allowed("not a url")


def test_skill_token_is_required_when_configured() -> None:
    bot = StubBot()
    channel = KakaoInput(skill_token="s3cret-token")

    async def scenario() -> List[Tuple[int, Any]]:
        async with serve_channel(channel, bot) as base:
            return [
                await post(base, payload()),
                await post(base, payload(), {SKILL_TOKEN_HEADER: "wrong"}),
                await post(base, payload(), {SKILL_TOKEN_HEADER: "s3cret-token"}),
            ]

    (missing, _), (wrong, _), (right, answer) = run(scenario())
    assert (missing, wrong, right) == (401, 401, 200)
    assert len(bot.received) == 1


def test_without_a_configured_skill_token_every_request_is_refused() -> None:
    bot = StubBot()

    async def scenario() -> List[Tuple[int, Any]]:
        async with serve_channel(KakaoInput(), bot) as base, client() as session:
            async with session.get(base + "/webhooks/kakao/") as reply:
                health = (reply.status, await reply.json())
            return [
                health,
                await post(base, payload(), {}),
                await post(base, payload(), {SKILL_TOKEN_HEADER: ""}),
                await post(base, payload(), {SKILL_TOKEN_HEADER: "anything"}),
            ]

    health, *posts = run(scenario())
    assert health == (503, {"status": "no_skill_token"})
    assert [status for status, _ in posts] == [403, 403, 403]
    assert posts[0][1]["error"] == "skill_token_not_configured"
    assert bot.received == []


def test_channel_loads_from_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BODAM_KAKAO_SKILL_TOKEN", raising=False)
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("rest:\n\nbot.channels.kakao.KakaoInput:\n", encoding="utf-8")
    rest, kakao = create_http_input_channels(None, str(credentials))
    assert isinstance(kakao, KakaoInput)
    assert kakao.name() == "kakao" and kakao.reply_timeout == 3.5 and kakao.skill_token is None

    credentials.write_text(
        "bot.channels.kakao.KakaoInput:\n  reply_timeout: 2\n  callback_hosts: ['*.kakao.com']\n"
        "  quick_reply_text: title\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("BODAM_KAKAO_SKILL_TOKEN", "from-env")
    (configured,) = create_http_input_channels(None, str(credentials))
    assert configured.reply_timeout == 2.0
    assert configured.quick_reply_text == "title"
    assert configured.skill_token == "from-env"
