"""Every channel inside a real ``rasa run``, loaded from the project's credentials.yml.

A tiny assistant (``fixtures/tiny_bot``: two keyword intents and one form, no action
server) is trained once and cached in the temp directory; the checks are about the
channels, which answer bad input before Rasa's NLU runs, so the project model is not
needed. Three servers start in parallel, on 127.0.0.1 and free ports:

- ``on``: all channels, Kakao skill token and Telegram secret set, Telegram's Bot API is
  a stand-in on 127.0.0.1, HTTP API with an auth token;
- ``off``: ``BODAM_REST_CHANNEL=off`` and no Kakao skill token;
- ``no_secret``: a Telegram token without ``BODAM_TELEGRAM_SECRET_TOKEN``, which must not
  start.

Conversations are read back with ``GET /conversations/<id>/tracker?token=...``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple
from urllib.parse import quote

import pytest
import requests
from aiohttp import web
from channel_testing import FIXTURES, SocketIOClient, run

from bot.channels import guard

ROOT = Path(__file__).resolve().parents[3]
TINY_BOT = FIXTURES / "tiny_bot"
START_TIMEOUT = 180.0
AUTH_TOKEN = "channel-test-api-token"
KAKAO_TOKEN = "channel-test-kakao-token"
TELEGRAM_TOKEN = "7012345678:AAE-bodam-test-token_0123456789abcdef"
TELEGRAM_SECRET = "channel-test-telegram-secret"
BOT_USERNAME = "bodam_test_bot"
CHAT_ID = 5123456789
REFUSAL_LIMIT = 0.050  # seconds, for a 20,000-character message

GREETING = "안녕하세요, 보담입니다."
ASK_DETAIL = "무슨 일이 있었는지 알려 주세요."
REPORTED = "접수했어요."
TOO_LONG_KO = guard.refusal_texts()[("too_long", "ko")]
TOO_LONG_EN = guard.refusal_texts()[("too_long", "en")]
HUGE_KO = "가" * 20_000
HUGE_EN = "x" * 20_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- tiny model


def tiny_model() -> Path:
    """The tiny assistant's model, trained once per content of fixtures/tiny_bot."""
    digest = hashlib.sha256()
    for path in sorted(TINY_BOT.rglob("*.yml")):
        digest.update(path.relative_to(TINY_BOT).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    cache = Path(tempfile.gettempdir()) / "bodam-channel-tests"
    model = cache / f"tiny-{digest.hexdigest()[:16]}.tar.gz"
    if model.is_file():
        return model
    cache.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=cache))
    try:
        command = [
            sys.executable, "-m", "rasa", "train",
            "--config", str(TINY_BOT / "config.yml"),
            "--domain", str(TINY_BOT / "domain.yml"),
            "--data", str(TINY_BOT / "data"),
            "--out", str(work), "--fixed-model-name", "tiny",
        ]  # fmt: skip
        result = subprocess.run(
            command, cwd=work, capture_output=True, text=True, timeout=300, check=False
        )
        if result.returncode != 0 or not (work / "tiny.tar.gz").is_file():
            pytest.fail(f"training the tiny model failed:\n{result.stdout[-3000:]}")
        os.replace(work / "tiny.tar.gz", model)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return model


# --------------------------------------------------------------------------- Bot API


class BotApiStandIn:
    """Telegram's Bot API on 127.0.0.1, in a thread of its own; records every call."""

    def __init__(self) -> None:
        self.calls: List[Tuple[str, Dict[str, str]]] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None

    def sent(self, chat_id: int) -> List[str]:
        with self.lock:
            return [
                fields.get("text", "")
                for method, fields in self.calls
                if method == "sendMessage" and fields.get("chat_id") == str(chat_id)
            ]

    async def handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TELEGRAM_TOKEN:
            return web.json_response({"ok": False, "error_code": 401}, status=401)
        method = request.match_info["method"]
        if request.content_type == "application/json":
            fields = {k: str(v) for k, v in (await request.json()).items()}
        else:
            fields = {k: str(v) for k, v in (await request.post()).items()}
        with self.lock:
            self.calls.append((method, fields))
        result: Any = True
        if method == "getMe":
            result = {"id": 7012345678, "is_bot": True, "first_name": "보담"}
            result["username"] = BOT_USERNAME
        elif method == "sendMessage":
            result = {
                "message_id": len(self.calls),
                "date": 1764050420,
                "chat": {"id": int(fields["chat_id"]), "type": "private"},
                "text": fields.get("text", ""),
            }
        return web.json_response({"ok": True, "result": result})

    async def _start(self) -> None:
        app = web.Application()
        app.add_routes([web.post("/bot{token}/{method}", self.handle)])
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    def start(self) -> None:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    def stop(self) -> None:
        if self.runner is not None:
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


# --------------------------------------------------------------------------- servers


@dataclass
class RasaServer:
    name: str
    env: Dict[str, str]
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    # keep-alive, as Kakao, Telegram and the web chat keep their connections
    http: requests.Session = field(default_factory=requests.Session)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def start(self, model: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BODAM_")}
        env.update(self.env, PYTHONPATH=str(ROOT))
        command = [
            sys.executable, "-m", "rasa", "run", "--model", str(model),
            "--credentials", str(ROOT / "credentials.yml"),
            "--enable-api", "--auth-token", AUTH_TOKEN,
            "--interface", "127.0.0.1", "--port", str(self.port),
        ]  # fmt: skip
        # cwd without an endpoints.yml: in-memory tracker store, no action server
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=self.workdir, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_until_ready(self, deadline: float) -> None:
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"rasa run ({self.name}) exited:\n{self.tail()}")
            try:
                status = requests.get(f"{self.url}/status", params={"token": AUTH_TOKEN}, timeout=2)
                if status.ok and status.json().get("model_file"):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        pytest.fail(f"rasa run ({self.name}) did not come up:\n{self.tail()}")

    def wait_for_exit(self, deadline: float) -> int:
        assert self.process is not None
        try:
            return self.process.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pytest.fail(f"rasa run ({self.name}) kept running:\n{self.tail()}")

    def tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        self.http.close()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    # ------------------------------------------------------------------ helpers

    def tracker(self, sender_id: str) -> Dict[str, Any]:
        reply = self.http.get(
            f"{self.url}/conversations/{quote(sender_id, safe=':')}/tracker",
            params={"token": AUTH_TOKEN},
            timeout=10,
        )
        reply.raise_for_status()
        return reply.json()

    def rest(self, body: Any) -> requests.Response:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.http.post(
            f"{self.url}/webhooks/rest/webhook",
            data=data,
            headers={"Content-Type": "application/json"},
            timeout=30,
        )

    def kakao(self, user_id: str, utterance: str, token: str | None = KAKAO_TOKEN):
        body = json.loads((FIXTURES / "kakao_skill_payload.json").read_text(encoding="utf-8"))
        body["userRequest"]["utterance"] = utterance
        body["userRequest"]["user"]["id"] = user_id
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["X-Bodam-Skill-Token"] = token
        return self.http.post(
            f"{self.url}/webhooks/kakao/webhook", data=json.dumps(body), headers=headers, timeout=30
        )

    def telegram(self, text: str | bytes, secret: str | None = TELEGRAM_SECRET, chat=CHAT_ID):
        if isinstance(text, bytes):
            data = text
        else:
            update = json.loads(
                (FIXTURES / "telegram_update_message.json").read_text(encoding="utf-8")
            )
            update["update_id"] = int(time.time() * 1000) % 2**31
            update["message"]["text"] = text
            update["message"]["chat"]["id"] = chat
            update["message"]["from"]["id"] = chat
            data = json.dumps(update).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return self.http.post(
            f"{self.url}/webhooks/telegram/webhook", data=data, headers=headers, timeout=30
        )


@dataclass
class Servers:
    on: RasaServer
    off: RasaServer
    no_secret: RasaServer
    bot_api: BotApiStandIn


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    model = tiny_model()
    workdir = Path(tempfile.mkdtemp(prefix="bodam-channel-servers-"))
    bot_api = BotApiStandIn()
    bot_api.start()
    telegram = {
        "BODAM_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "BODAM_TELEGRAM_VERIFY": BOT_USERNAME,
        "BODAM_TELEGRAM_WEBHOOK_URL": "https://bodam.example.com/webhooks/telegram/webhook",
        "BODAM_TELEGRAM_API_URL": bot_api.url,
    }
    result = Servers(
        on=RasaServer(
            "on",
            {
                **telegram,
                "BODAM_TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
                "BODAM_KAKAO_SKILL_TOKEN": KAKAO_TOKEN,
            },
            workdir,
        ),
        off=RasaServer("off", {"BODAM_REST_CHANNEL": "off"}, workdir),
        no_secret=RasaServer("no_secret", dict(telegram), workdir),
        bot_api=bot_api,
    )
    try:
        for server in (result.on, result.off, result.no_secret):
            server.start(model)
        deadline = time.monotonic() + START_TIMEOUT
        result.on.wait_until_ready(deadline)
        result.off.wait_until_ready(deadline)
        yield result
    finally:
        for server in (result.on, result.off, result.no_secret):
            server.stop()
        bot_api.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def new_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def user_texts(tracker: Dict[str, Any]) -> List[str]:
    return [event.get("text") for event in tracker["events"] if event["event"] == "user"]


def conversation_state(tracker: Dict[str, Any]) -> Tuple[Any, ...]:
    """What a refused message must leave alone: the events, the open form, the slots."""
    return (
        json.dumps(tracker["events"], sort_keys=True),
        (tracker.get("active_loop") or {}).get("name"),
        tracker["slots"].get("requested_slot"),
        tracker["slots"].get("detail"),
    )


def timed(call, *args: Any, **kwargs: Any) -> Tuple[float, Any]:
    """The median time of five calls, and the last result."""
    times, result = [], None
    for _ in range(5):
        started = time.perf_counter()
        result = call(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


# --------------------------------------------------------------------------- REST


def test_rest_sender_ids_never_reach_another_channels_conversation(servers: Servers) -> None:
    on = servers.on
    chat = CHAT_ID + 1
    reply = on.telegram("report", chat=chat)
    assert (reply.status_code, reply.text) == (200, "success")
    forged = f"telegram:{chat}"
    reply = on.rest({"sender": forged, "message": "안녕하세요"})
    assert reply.status_code == 200
    assert reply.json() == [{"recipient_id": forged, "text": GREETING}]

    rest_side = on.tracker(f"rest:{forged}")
    telegram_side = on.tracker(f"telegram:{chat}")
    assert user_texts(rest_side) == ["안녕하세요"]
    assert user_texts(telegram_side) == ["report"]
    assert telegram_side["active_loop"]["name"] == "report_form"
    assert not rest_side.get("active_loop")
    anonymous = requests.get(f"{on.url}/conversations/{quote(forged, safe=':')}/tracker")
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"message": "hi"}',
        b'{"sender": 5, "message": "hi"}',
        b'{"sender": "a b", "message": "hi"}',
        b'{"sender": "u1"}',
        b'{"sender": "u1", "message": null}',
    ],
)
def test_rest_unusable_bodies_get_400(servers: Servers, body: bytes) -> None:
    reply = servers.on.rest(body)
    assert reply.status_code == 400
    answer = reply.json()
    assert answer["error"] and answer["message_ko"] and answer["message_en"]


def test_rest_over_long_message_is_refused_fast_and_the_form_stays_open(
    servers: Servers,
) -> None:
    on, sender = servers.on, new_id("form-")
    assert on.rest({"sender": sender, "message": "사고 접수"}).json() == [
        {"recipient_id": sender, "text": ASK_DETAIL}
    ]
    before = conversation_state(on.tracker(f"rest:{sender}"))
    assert before[1:] == ("report_form", "detail", None)

    seconds, reply = timed(on.rest, {"sender": sender, "message": HUGE_KO})
    assert reply.json() == [{"recipient_id": sender, "text": TOO_LONG_KO}]
    english = on.rest({"sender": sender, "message": HUGE_EN}).json()
    assert english == [{"recipient_id": sender, "text": TOO_LONG_EN}]
    blank = on.rest({"sender": sender, "message": " \u200b "}).json()
    assert blank == [{"recipient_id": sender, "text": guard.refusal_texts()[("empty", "ko")]}]
    assert conversation_state(on.tracker(f"rest:{sender}")) == before
    print(f"\nREST: 20,000-character message refused in {seconds * 1000:.1f} ms (median of 5)")
    assert seconds < REFUSAL_LIMIT

    done = on.rest({"sender": sender, "message": "주차장에서 차가 긁혔어요"}).json()
    assert [m["text"] for m in done] == [REPORTED]
    assert on.tracker(f"rest:{sender}")["slots"]["detail"] == "주차장에서 차가 긁혔어요"


def test_rest_switched_off(servers: Servers) -> None:
    reply = servers.off.rest({"sender": "u1", "message": "안녕하세요"})
    assert reply.status_code == 403
    assert reply.json()["error"] == "rest_channel_off"
    assert not user_texts(servers.off.tracker("rest:u1"))


# --------------------------------------------------------------------------- web chat


def test_web_chat_over_socketio(servers: Servers) -> None:
    on, session_id = servers.on, uuid.uuid4().hex

    async def scenario() -> Tuple[float, List[Any]]:
        client = SocketIOClient()
        await client.connect(on.url)
        try:
            await client.emit("session_request", {"session_id": session_id})
            confirmed = await client.next("session_confirm")
            await client.emit("user_uttered", {"message": "사고 접수", "session_id": session_id})
            asked = await client.next("bot_uttered")
            before = conversation_state(on.tracker(f"web:{session_id}"))
            times = []
            for _ in range(5):
                started = time.perf_counter()
                await client.emit("user_uttered", {"message": HUGE_KO, "session_id": session_id})
                refused = await client.next("bot_uttered")
                times.append(time.perf_counter() - started)
            after = conversation_state(on.tracker(f"web:{session_id}"))
            return statistics.median(times), [confirmed, asked, refused, before == after, before]
        finally:
            await client.close()

    seconds, (confirmed, asked, refused, unchanged, before) = run(scenario())
    assert confirmed == session_id
    assert asked == {"text": ASK_DETAIL}
    assert refused == {"text": TOO_LONG_KO}
    assert unchanged and before[1] == "report_form"
    assert user_texts(on.tracker(f"web:{session_id}")) == ["사고 접수"]
    print(f"\nsocket.io: 20,000-character message refused in {seconds * 1000:.1f} ms")
    assert seconds < REFUSAL_LIMIT


# --------------------------------------------------------------------------- Kakao


def test_kakao_needs_the_skill_token_and_keeps_its_own_conversations(servers: Servers) -> None:
    on, user = servers.on, new_id("kakaouser")
    assert on.kakao(user, "안녕하세요", token=None).status_code == 401
    assert on.kakao(user, "안녕하세요", token="wrong").status_code == 401
    assert not user_texts(on.tracker(f"kakao:{user}"))

    reply = on.kakao(user, "사고 접수")
    assert reply.status_code == 200
    assert reply.json()["template"]["outputs"] == [{"simpleText": {"text": ASK_DETAIL}}]
    before = conversation_state(on.tracker(f"kakao:{user}"))
    seconds, refused = timed(on.kakao, user, HUGE_KO)
    assert refused.json()["template"]["outputs"][0]["simpleText"]["text"] == TOO_LONG_KO
    assert conversation_state(on.tracker(f"kakao:{user}")) == before
    print(f"\nKakao: 20,000-character message refused in {seconds * 1000:.1f} ms")
    assert seconds < REFUSAL_LIMIT

    assert on.rest({"sender": f"kakao:{user}", "message": "안녕하세요"}).status_code == 200
    assert user_texts(on.tracker(f"kakao:{user}")) == ["사고 접수"]


def test_kakao_without_a_configured_token_refuses_everything(servers: Servers) -> None:
    off = servers.off
    for token in (None, "", KAKAO_TOKEN):
        reply = off.kakao("someone", "안녕하세요", token=token)
        assert reply.status_code == 403
        assert reply.json()["error"] == "skill_token_not_configured"
    assert requests.get(f"{off.url}/webhooks/kakao/", timeout=10).status_code == 503
    assert not user_texts(off.tracker("kakao:someone"))


# --------------------------------------------------------------------------- Telegram


def test_telegram_needs_the_secret_and_answers_in_its_own_conversation(
    servers: Servers,
) -> None:
    on, chat = servers.on, CHAT_ID + 2
    assert on.telegram("안녕하세요", secret=None, chat=chat).status_code == 403
    assert on.telegram("안녕하세요", secret="wrong", chat=chat).status_code == 403
    for body in (b"", b"not json", b"[]"):
        assert on.telegram(body).status_code == 400
    assert not user_texts(on.tracker(f"telegram:{chat}"))

    assert on.telegram("사고 접수", chat=chat).text == "success"
    before = conversation_state(on.tracker(f"telegram:{chat}"))
    seconds, refused = timed(on.telegram, HUGE_KO, chat=chat)
    assert refused.json() == {"method": "sendMessage", "chat_id": chat, "text": TOO_LONG_KO}
    assert conversation_state(on.tracker(f"telegram:{chat}")) == before
    assert servers.bot_api.sent(chat) == [ASK_DETAIL]
    print(f"\nTelegram: 20,000-character message refused in {seconds * 1000:.1f} ms")
    assert seconds < REFUSAL_LIMIT


def test_telegram_without_a_secret_does_not_start(servers: Servers) -> None:
    server = servers.no_secret
    assert server.wait_for_exit(time.monotonic() + START_TIMEOUT) != 0
    assert "BODAM_TELEGRAM_SECRET_TOKEN" in server.tail()
