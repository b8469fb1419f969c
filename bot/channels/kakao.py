"""KakaoTalk channel: a Kakao i Open Builder skill server as a Rasa input channel.

Kakao's bot engine POSTs a skill payload (v2) to ``/webhooks/kakao/webhook``; the customer's
text is ``userRequest.utterance`` and the conversation id is ``userRequest.user.id``. The
answer is a skill response::

    {"version": "2.0", "template": {"outputs": [...], "quickReplies": [...]}}

Kakao's limits are applied here: at most 3 outputs, simpleText up to 1,000 characters,
textCard with up to 3 buttons, at most 10 quick replies with labels up to 14 characters.
Rasa button payloads ("/claim_status", '/inform{"incident_type": "theft"}') become the
``messageText`` of the button or quick reply, so a tap sends the payload back as the next
utterance and Rasa parses it as an intent.

Kakao gives a skill 5 seconds. When the reply is not ready after ``reply_timeout`` seconds
and the request carries a ``callbackUrl`` (a block with the callback option), the channel
answers ``{"version": "2.0", "useCallback": true, "data": {"text": ...}}`` at once and POSTs
the real answer to the callback URL when the bot has finished. Without a callback URL it
waits at most ``wait_timeout`` seconds and answers with what it has.

The conversation id is ``kakao:<user id>``. Every request must carry the skill token
(``BODAM_KAKAO_SKILL_TOKEN``) in ``X-Bodam-Skill-Token``; while no token is configured the
channel refuses every request (403), so that nobody can speak as a Kakao user. Empty and
over-long utterances are answered by the channel itself (``bot.channels.guard``).

The conversion is plain functions (``parse_skill_payload``, ``to_kakao_response``) so that
it can be tested without a server.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import re
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import partial
from typing import Any, Awaitable, Callable, Dict, Iterable, List
from urllib.parse import urlsplit

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import channel_sender_id, refuse, valid_sender
from bot.nlp.language import ENGLISH, detect_language

logger = logging.getLogger(__name__)

# Kakao's documented limits for skill responses.
MAX_OUTPUTS = 3
MAX_TEXT_CHARS = 1000
MAX_QUICK_REPLIES = 10
MAX_LABEL_CHARS = 14
MAX_CARD_BUTTONS = 3
MAX_CARD_DESCRIPTION_CHARS = 400

ELLIPSIS = "…"
SKILL_TOKEN_HEADER = "X-Bodam-Skill-Token"
SKILL_TOKEN_ENV = "BODAM_KAKAO_SKILL_TOKEN"
DEFAULT_CALLBACK_HOSTS = ("*.kakao.com",)

# Texts the channel itself says (the bot's own answers come from the domain).
TEXTS: Dict[str, Dict[str, str]] = {
    "wait": {
        "ko": "답변을 준비하고 있어요. 잠시만 기다려 주세요.",
        "en": "I'm preparing your answer. Please wait a moment.",
    },
    "slow": {
        "ko": "답변 준비가 늦어지고 있어요. 잠시 후 다시 말씀해 주세요.",
        "en": "This is taking longer than usual. Please ask me again in a moment.",
    },
    "error": {
        "ko": "죄송합니다. 일시적인 오류로 답변하지 못했어요. 잠시 후 다시 시도해 주세요.",
        "en": "Sorry, something went wrong on our side. Please try again in a moment.",
    },
    "empty": {
        "ko": "말씀하신 내용을 확인했어요. 더 도와드릴 일이 있으면 말씀해 주세요.",
        "en": "Got it. Let me know if there is anything else I can help with.",
    },
    "choose": {
        "ko": "아래에서 골라 주세요.",
        "en": "Please choose one of the options below.",
    },
}


def channel_text(key: str, language: str = "ko") -> str:
    """One of the channel's own texts, in English only for English conversations."""
    return TEXTS[key]["en" if language == ENGLISH else "ko"]


# --------------------------------------------------------------------------- request


class SkillPayloadError(ValueError):
    """A request that is not a usable skill payload; answered with HTTP 400."""

    def __init__(self, code: str, message_en: str, message_ko: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_en = message_en
        self.message_ko = message_ko

    def body(self) -> Dict[str, str]:
        return {"error": self.code, "message_ko": self.message_ko, "message_en": self.message_en}


@dataclass(frozen=True)
class SkillRequest:
    """The parts of a Kakao skill payload (v2) that bodam uses."""

    utterance: str
    user_id: str
    user_type: str | None = None
    callback_url: str | None = None
    block_id: str | None = None
    block_name: str | None = None
    bot_id: str | None = None
    lang: str | None = None
    timezone: str | None = None
    params: Dict[str, Any] = field(default_factory=dict)
    detail_params: Dict[str, Any] = field(default_factory=dict)
    client_extra: Dict[str, Any] | None = None

    def metadata(self) -> Dict[str, Any]:
        """What is stored with the user message (no user properties: they identify people)."""
        kakao: Dict[str, Any] = {
            "user_type": self.user_type,
            "block": {"id": self.block_id, "name": self.block_name},
            "bot_id": self.bot_id,
            "lang": self.lang,
            "timezone": self.timezone,
            "params": self.params,
            "detail_params": self.detail_params,
            "client_extra": self.client_extra,
            "callback": self.callback_url is not None,
        }
        return {"kakao": kakao}


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _optional_dict(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_skill_payload(body: Any) -> SkillRequest:
    """Validates a skill payload (raw bytes/str or decoded JSON) and returns its parts.

    Required: a JSON object with ``userRequest.utterance`` (a non-empty string) and
    ``userRequest.user.id``. Optional fields of the wrong type are ignored, except
    ``callbackUrl``, which must be a string when present.

    Raises:
        SkillPayloadError: the payload cannot be used.
    """
    if isinstance(body, (bytes, bytearray, str)):
        try:
            body = json.loads(body)
        except (ValueError, RecursionError) as error:
            raise SkillPayloadError(
                "invalid_json",
                "The request body is not valid JSON.",
                "요청 본문이 올바른 JSON 형식이 아닙니다.",
            ) from error
    if not isinstance(body, dict):
        raise SkillPayloadError(
            "invalid_payload",
            "The request body must be a JSON object (a Kakao skill payload).",
            "요청 본문은 JSON 객체(카카오 스킬 payload)여야 합니다.",
        )
    user_request = body.get("userRequest")
    if not isinstance(user_request, dict):
        raise SkillPayloadError(
            "invalid_payload",
            "userRequest is missing or is not an object.",
            "userRequest가 없거나 객체가 아닙니다.",
        )
    utterance = user_request.get("utterance")
    if not isinstance(utterance, str) or not utterance:
        raise SkillPayloadError(
            "invalid_utterance",
            "userRequest.utterance must be a non-empty string.",
            "userRequest.utterance는 비어 있지 않은 문자열이어야 합니다.",
        )
    user = user_request.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        user_id = str(user_id)
    if not isinstance(user_id, str) or not user_id.strip():
        raise SkillPayloadError(
            "invalid_user",
            "userRequest.user.id must be a non-empty string.",
            "userRequest.user.id는 비어 있지 않은 문자열이어야 합니다.",
        )
    if not valid_sender(user_id.strip()):
        raise SkillPayloadError(
            "invalid_user",
            "userRequest.user.id may only hold A-Z, a-z, 0-9, '.', '_', ':', '@' and '-' "
            "(1 to 128 characters).",
            "userRequest.user.id에는 영문자, 숫자와 '.', '_', ':', '@', '-'만 쓸 수 있으며 "
            "길이는 1~128자입니다.",
        )
    callback_url = user_request.get("callbackUrl")
    if callback_url is not None and not isinstance(callback_url, str):
        raise SkillPayloadError(
            "invalid_callback_url",
            "userRequest.callbackUrl must be a string.",
            "userRequest.callbackUrl은 문자열이어야 합니다.",
        )
    block = _optional_dict(user_request.get("block"))
    action = _optional_dict(body.get("action"))
    client_extra = action.get("clientExtra")
    return SkillRequest(
        utterance=utterance,
        user_id=user_id.strip(),
        user_type=_optional_str(user.get("type")),
        callback_url=callback_url or None,
        block_id=_optional_str(block.get("id")),
        block_name=_optional_str(block.get("name")),
        bot_id=_optional_str(_optional_dict(body.get("bot")).get("id")),
        lang=_optional_str(user_request.get("lang")),
        timezone=_optional_str(user_request.get("timezone")),
        params=_optional_dict(action.get("params")),
        detail_params=_optional_dict(action.get("detailParams")),
        client_extra=client_extra if isinstance(client_extra, dict) else None,
    )


# --------------------------------------------------------------------------- text fitting

_PARAGRAPH = re.compile(r"\n\s*\n")
_LINE = re.compile(r"\n")
# The end of a sentence: . ! ? and their full-width forms, an ellipsis, optionally a
# closing quote or bracket, then whitespace.
_SENTENCE = re.compile(r"[.!?。！？…][\"'”’)\]]*\s")
_SPACE = re.compile(r"\s")


def _cut_position(text: str, limit: int) -> int:
    """Where to cut ``text`` so the first part has at most ``limit`` characters.

    Prefers (in this order) a paragraph break, a line break, the end of a sentence and a
    space, as long as the first part keeps at least a third of ``limit``; otherwise it
    cuts in the middle of a word.
    """
    window = text[: limit + 1]
    shortest = max(1, limit // 3)
    for pattern in (_PARAGRAPH, _LINE, _SENTENCE, _SPACE):
        ends = [
            (match.start() if pattern in (_PARAGRAPH, _LINE, _SPACE) else match.end() - 1)
            for match in pattern.finditer(window)
        ]
        ends = [end for end in ends if shortest <= end <= limit]
        if ends:
            return ends[-1]
    return limit


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> List[str]:
    """Splits ``text`` into stripped pieces of at most ``limit`` characters.

    Cuts at paragraph, line or sentence boundaries where it can (Korean sentences end with
    the same punctuation as English ones: "...접수했어요. 다음으로...").
    """
    text = text.strip()
    pieces: List[str] = []
    while len(text) > limit:
        position = _cut_position(text, limit)
        piece = text[:position].rstrip()
        if piece:
            pieces.append(piece)
        text = text[position:].strip()
    if text:
        pieces.append(text)
    return pieces


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a sentence or word end, with "…"."""
    text = text.strip()
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    if room <= 0:
        return text[:limit]
    head = text[: _cut_position(text, room)].rstrip()
    return head + ELLIPSIS


def shorten_label(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """A button or quick-reply label of at most ``limit`` characters."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    return label[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


# --------------------------------------------------------------------------- response


def _button_text(button: Dict[str, Any], quick_reply_text: str) -> str | None:
    payload = button.get("payload")
    title = button.get("title")
    payload = payload if isinstance(payload, str) and payload.strip() else None
    title = title.strip() if isinstance(title, str) and title.strip() else None
    if quick_reply_text == "title":
        return title or payload
    return payload or title


def to_quick_reply(button: Dict[str, Any], quick_reply_text: str = "payload") -> dict | None:
    """A Rasa button as a Kakao quick reply (None for link buttons: quick replies can't link).

    ``messageText`` is the button payload (or, with ``quick_reply_text="title"``, the title,
    with the payload in ``extra``). A button with ``kakao_block_id`` calls that block.
    """
    if button.get("url") or button.get("type") == "web_url":
        return None
    text = _button_text(button, quick_reply_text)
    title = button.get("title") if isinstance(button.get("title"), str) else None
    label = shorten_label(title or text or "")
    block_id = button.get("kakao_block_id")
    if not label:
        return None
    if isinstance(block_id, str) and block_id:
        reply = {"label": label, "action": "block", "blockId": block_id}
        if text:
            reply["messageText"] = text
        return reply
    if not text:
        return None
    reply = {"label": label, "action": "message", "messageText": text}
    payload = button.get("payload")
    if quick_reply_text == "title" and isinstance(payload, str) and payload and payload != text:
        reply["extra"] = {"payload": payload}
    return reply


def to_card_button(button: Dict[str, Any], quick_reply_text: str = "payload") -> dict | None:
    """A Rasa button as a Kakao card button: a link button opens the page, others send text."""
    url = button.get("url")
    if isinstance(url, str) and url:
        title = button.get("title") if isinstance(button.get("title"), str) else url
        return {"label": shorten_label(title), "action": "webLink", "webLinkUrl": url}
    return to_quick_reply(button, quick_reply_text)


@dataclass
class _Text:
    text: str


@dataclass
class _Card:
    text: str
    buttons: List[Dict[str, Any]]


@dataclass
class _Image:
    url: str


def _items(messages: Iterable[Any]) -> List[Any]:
    """Rasa's collected messages as text, button and image items, in order."""
    items: List[Any] = []
    for message in messages:
        if not isinstance(message, dict):
            continue
        text = message.get("text")
        text = text.strip() if isinstance(text, str) else ""
        buttons = [
            button
            for key in ("buttons", "quick_replies")
            for button in (message.get(key) or [])
            if isinstance(button, dict)
        ]
        if buttons:
            items.append(_Card(text, buttons))
        elif text:
            items.append(_Text(text))
        image = message.get("image")
        if isinstance(image, str) and image:
            items.append(_Image(image))
        attachment = message.get("attachment")
        if attachment:
            items.append(_Text(str(attachment)))
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("text"), str):
            items.append(_Text(custom["text"].strip()))
        elif custom:
            logger.debug("kakao: custom message without text ignored")
    return items


def _render(
    items: List[Any], use_cards: bool, quick_reply_text: str
) -> tuple[List[dict], List[dict]]:
    """Outputs and quick replies; consecutive texts are merged into as few bubbles as fit."""
    outputs: List[dict] = []
    quick_replies: List[dict] = []
    pending: List[str] = []

    def flush() -> None:
        if pending:
            for piece in split_text("\n\n".join(pending), MAX_TEXT_CHARS):
                outputs.append({"simpleText": {"text": piece}})
            pending.clear()

    for item in items:
        if isinstance(item, _Text):
            if item.text:
                pending.append(item.text)
        elif isinstance(item, _Card):
            card_buttons = [to_card_button(b, quick_reply_text) for b in item.buttons]
            fits_card = (
                use_cards
                and item.text
                and len(item.text) <= MAX_CARD_DESCRIPTION_CHARS
                and len(item.buttons) <= MAX_CARD_BUTTONS
                and all(card_buttons)
            )
            if fits_card:
                flush()
                outputs.append({"textCard": {"description": item.text, "buttons": card_buttons}})
            else:
                if item.text:
                    pending.append(item.text)
                for button in item.buttons:
                    reply = to_quick_reply(button, quick_reply_text)
                    if reply is not None:
                        quick_replies.append(reply)
                    elif isinstance(button.get("url"), str):
                        # a link cannot be a quick reply: show it in the text instead
                        title = button.get("title") or ""
                        pending.append(f"{title} {button['url']}".strip())
        elif isinstance(item, _Image):
            if use_cards:
                flush()
                outputs.append({"simpleImage": {"imageUrl": item.url, "altText": "image"}})
            else:
                pending.append(item.url)
    flush()
    return outputs, quick_replies


def _unique_quick_replies(replies: List[dict]) -> List[dict]:
    seen = set()
    unique = []
    for reply in replies:
        key = (reply.get("action"), reply.get("messageText"), reply.get("blockId"))
        if key in seen:
            continue
        seen.add(key)
        unique.append(reply)
    return unique[:MAX_QUICK_REPLIES]


def to_kakao_response(
    messages: Iterable[Dict[str, Any]],
    *,
    language: str = "ko",
    quick_reply_text: str = "payload",
) -> Dict[str, Any]:
    """Rasa's bot messages (as CollectingOutputChannel collects them) as a skill response.

    - texts become simpleText bubbles; consecutive messages are merged, and a text over
      1,000 characters is split at paragraph, line or sentence boundaries;
    - a message with 1 to 3 buttons and at most 400 characters becomes a textCard with
      those buttons; other buttons become quick replies (at most 10, duplicates dropped);
    - more than 3 bubbles: cards are turned into text plus quick replies and everything is
      merged; if the text still needs more than 3 bubbles the last one is shortened ("…");
    - ``language`` chooses the channel's own fallback texts (nothing said, only buttons).
    """
    items = _items(messages)
    outputs, quick_replies = _render(items, True, quick_reply_text)
    if len(outputs) > MAX_OUTPUTS:
        outputs, quick_replies = _render(items, False, quick_reply_text)
    if len(outputs) > MAX_OUTPUTS:
        texts = [output["simpleText"]["text"] for output in outputs]
        rest = "\n\n".join(texts[MAX_OUTPUTS - 1 :])
        outputs = outputs[: MAX_OUTPUTS - 1] + [
            {"simpleText": {"text": shorten(rest, MAX_TEXT_CHARS)}}
        ]
    quick_replies = _unique_quick_replies(quick_replies)
    if not outputs:
        key = "choose" if quick_replies else "empty"
        outputs = [{"simpleText": {"text": channel_text(key, language)}}]
    template: Dict[str, Any] = {"outputs": outputs}
    if quick_replies:
        template["quickReplies"] = quick_replies
    return {"version": "2.0", "template": template}


def use_callback_response(text: str) -> Dict[str, Any]:
    """The immediate answer that tells Kakao the real one comes through the callback URL."""
    return {"version": "2.0", "useCallback": True, "data": {"text": text}}


# --------------------------------------------------------------------------- channel


class KakaoOutput(CollectingOutputChannel):
    """Collects the bot's messages for one skill request (responses can say `channel: kakao`)."""

    @classmethod
    def name(cls) -> str:
        return "kakao"


_dumps = partial(json.dumps, ensure_ascii=False)


def _json(body: Dict[str, Any], status: int = 200) -> HTTPResponse:
    return response.json(body, status=status, dumps=_dumps)


async def post_callback(url: str, body: Dict[str, Any], timeout: float = 10.0) -> bool:
    """POSTs a skill response to Kakao's callback URL; True when Kakao accepted it."""
    data = _dumps(body).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    try:
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        async with (
            aiohttp.ClientSession(timeout=client_timeout) as session,
            session.post(url, data=data, headers=headers) as reply,
        ):
            text = await reply.text()
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
        logger.warning("kakao: callback POST failed: %s", type(error).__name__)
        return False
    if reply.status >= 300:
        logger.warning("kakao: callback refused with HTTP %s", reply.status)
        return False
    try:
        status = json.loads(text).get("status")
    except (ValueError, AttributeError):
        status = None
    if status not in (None, "SUCCESS"):
        logger.warning("kakao: callback answered status %s", status)
        return False
    return True


class KakaoInput(InputChannel):
    """Kakao i Open Builder skill endpoint: ``POST /webhooks/kakao/webhook``.

    credentials.yml (every key but the skill token optional)::

        bot.channels.kakao.KakaoInput:
          reply_timeout: 3.5        # s before switching to the callback URL
          wait_timeout: 4.0         # s to wait when the block has no callback
          callback_timeout: 55      # s the bot may take when answering by callback
          callback_hosts: ["*.kakao.com"]  # hosts the callback URL may point at
          callback_allow_http: false        # https only (true: tests, local stand-ins)
          quick_reply_text: payload # or "title" (payload then travels in `extra`)
          skill_token: ...          # or env BODAM_KAKAO_SKILL_TOKEN; unset: all refused
    """

    @classmethod
    def name(cls) -> str:
        return "kakao"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        hosts = credentials.get("callback_hosts")
        if isinstance(hosts, str):
            hosts = [hosts]
        return cls(
            reply_timeout=float(credentials.get("reply_timeout", 3.5)),
            wait_timeout=float(credentials.get("wait_timeout", 4.0)),
            callback_timeout=float(credentials.get("callback_timeout", 55.0)),
            callback_hosts=tuple(hosts) if hosts else DEFAULT_CALLBACK_HOSTS,
            callback_allow_http=bool(credentials.get("callback_allow_http", False)),
            quick_reply_text=str(credentials.get("quick_reply_text", "payload")),
            skill_token=credentials.get("skill_token") or os.environ.get(SKILL_TOKEN_ENV) or None,
        )

    def __init__(
        self,
        reply_timeout: float = 3.5,
        wait_timeout: float = 4.0,
        callback_timeout: float = 55.0,
        callback_hosts: Iterable[str] = DEFAULT_CALLBACK_HOSTS,
        callback_allow_http: bool = False,
        quick_reply_text: str = "payload",
        skill_token: str | None = None,
        callback_post_timeout: float = 10.0,
    ) -> None:
        if quick_reply_text not in ("payload", "title"):
            raise ValueError("quick_reply_text must be 'payload' or 'title'")
        self.reply_timeout = reply_timeout
        self.wait_timeout = wait_timeout
        self.callback_timeout = callback_timeout
        self.callback_hosts = tuple(callback_hosts)
        self.callback_allow_http = callback_allow_http
        self.quick_reply_text = quick_reply_text
        self.skill_token = skill_token
        self.callback_post_timeout = callback_post_timeout
        # callback deliveries still running; kept so that they are not garbage-collected
        self.background_tasks: set[asyncio.Task] = set()

    def callback_allowed(self, url: str) -> bool:
        """Only Kakao's callback hosts get our answers (the URL comes from the request)."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        schemes = ("https", "http") if self.callback_allow_http else ("https",)
        host = (parts.hostname or "").lower()
        return (
            parts.scheme in schemes
            and bool(host)
            and any(fnmatch(host, pattern.lower()) for pattern in self.callback_hosts)
        )

    def _authorised(self, request: Request) -> bool:
        if not self.skill_token:
            return False
        given = request.headers.get(SKILL_TOKEN_HEADER, "")
        return hmac.compare_digest(given.encode(), str(self.skill_token).encode())

    def _answer(
        self, messages: List[Dict[str, Any]], ok: bool, language: str, finished: bool = True
    ) -> Dict[str, Any]:
        if not messages:
            key = "error" if not ok else ("empty" if finished else "slow")
            messages = [{"text": channel_text(key, language)}]
        return to_kakao_response(
            messages, language=language, quick_reply_text=self.quick_reply_text
        )

    @staticmethod
    async def _run_bot(
        on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage
    ) -> bool:
        try:
            await on_new_message(message)
            return True
        except Exception:
            logger.exception("kakao: the bot failed to handle a message")
            return False

    async def _deliver_by_callback(
        self,
        task: asyncio.Future[bool],
        collector: KakaoOutput,
        url: str,
        language: str,
        deadline: float,
    ) -> None:
        loop = asyncio.get_running_loop()
        done, _ = await asyncio.wait({task}, timeout=max(0.0, deadline - loop.time()))
        if task in done:
            body = self._answer(list(collector.messages), task.result(), language)
        else:
            logger.warning("kakao: no answer within %.0f s", self.callback_timeout)
            body = self._answer(list(collector.messages), True, language, finished=False)
        await post_callback(url, body, timeout=self.callback_post_timeout)

    async def handle(
        self, skill: SkillRequest, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Dict[str, Any]:
        """Runs the bot on one skill request and returns the skill response to send now."""
        refusal = refuse(skill.utterance)
        if refusal is not None:
            return to_kakao_response(
                [{"text": refusal.text}],
                language=refusal.language,
                quick_reply_text=self.quick_reply_text,
            )
        loop = asyncio.get_running_loop()
        started = loop.time()
        language = detect_language(skill.utterance)
        callback_url = skill.callback_url
        if callback_url and not self.callback_allowed(callback_url):
            logger.warning("kakao: callback URL host not allowed; answering synchronously")
            callback_url = None
        collector = KakaoOutput()
        message = UserMessage(
            skill.utterance,
            collector,
            channel_sender_id(self.name(), skill.user_id),
            input_channel=self.name(),
            metadata=skill.metadata(),
        )
        task = asyncio.ensure_future(self._run_bot(on_new_message, message))
        wait = self.reply_timeout if callback_url else self.wait_timeout
        done, _ = await asyncio.wait({task}, timeout=wait)
        if task in done:
            return self._answer(list(collector.messages), task.result(), language)
        if callback_url:
            delivery = asyncio.ensure_future(
                self._deliver_by_callback(
                    task, collector, callback_url, language, started + self.callback_timeout
                )
            )
            self.background_tasks.add(delivery)
            delivery.add_done_callback(self.background_tasks.discard)
            return use_callback_response(channel_text("wait", language))
        logger.warning("kakao: no answer within %.1f s and no callback URL", self.wait_timeout)
        return self._answer(list(collector.messages), True, language, finished=False)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        kakao_webhook = Blueprint("kakao_webhook", __name__)
        if not self.skill_token:
            logger.error(
                "kakao: %s is not set; the Kakao channel refuses every request", SKILL_TOKEN_ENV
            )

        @kakao_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if not self.skill_token:
                return _json({"status": "no_skill_token"}, status=503)
            return _json({"status": "ok"})

        @kakao_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.skill_token:
                return _json(
                    {
                        "error": "skill_token_not_configured",
                        "message_ko": "스킬 인증 토큰이 설정되지 않아 요청을 받을 수 없습니다.",
                        "message_en": f"{SKILL_TOKEN_ENV} is not set on this server.",
                    },
                    status=403,
                )
            if not self._authorised(request):
                return _json(
                    {
                        "error": "unauthorized",
                        "message_ko": "스킬 인증 토큰이 올바르지 않습니다.",
                        "message_en": "The skill token is missing or wrong.",
                    },
                    status=401,
                )
            try:
                skill = parse_skill_payload(request.body or b"")
            except SkillPayloadError as error:
                logger.info("kakao: rejected a request: %s", error.code)
                return _json(error.body(), status=400)
            return _json(await self.handle(skill, on_new_message))

        return kakao_webhook
