"""Channels that refuse strangers and bad input cheaply; personal numbers never at rest or in
logs in clear."""

from __future__ import annotations

import json
import sqlite3
import time

import requests

from tests.security.conftest import new_sender, say
from tools.stack import LocalStack


def test_kakao_refuses_requests_without_the_skill_token(stack: LocalStack) -> None:
    body = {"userRequest": {"utterance": "청구 상태 알려줘", "user": {"id": "victim-user"}}}
    url = f"{stack.rasa_url}/webhooks/kakao/webhook"
    anonymous = requests.post(url, json=body, timeout=10)
    forged = requests.post(url, json=body, headers={"X-Bodam-Skill-Token": "guess"}, timeout=10)
    assert anonymous.status_code in (401, 403)
    assert forged.status_code in (401, 403)


def test_unusable_rest_bodies_get_400_with_a_reason(stack: LocalStack) -> None:
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    for body in (b"", b"{", b"[]", b'{"sender": 5, "message": "hi"}', b'{"message": "hi"}'):
        reply = requests.post(url, data=body, headers={"Content-Type": "application/json"},
                              timeout=10)  # fmt: skip
        assert reply.status_code == 400, body
        assert reply.json()["message_ko"] and reply.json()["message_en"]


def test_an_over_long_message_is_refused_at_once_and_the_form_keeps_its_answers(
    stack: LocalStack,
) -> None:
    sender = new_sender()
    assert "증권번호" in say(stack, sender, "차 사고 났어요 접수할게요")
    started = time.monotonic()
    refused = say(stack, sender, "가" * 20_000)
    seconds = time.monotonic() - started
    assert seconds < 2.0  # before the channel guard, NLU took about a minute on this
    assert "2,000" in refused or "2000" in refused
    # The form is where it was: the policy number answers its question.
    assert "생년월일" in say(stack, sender, "AU20250001")


def _stored_events(stack: LocalStack) -> str:
    """Every stored event as readable text (the store writes JSON with \\u escapes)."""
    with sqlite3.connect(f"file:{stack.tracker_db}?mode=ro", uri=True) as db:
        rows = [json.loads(row[0]) for row in db.execute("SELECT data FROM events")]
    return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)


def test_personal_numbers_are_not_stored_or_logged_in_clear(stack: LocalStack) -> None:
    sender = new_sender()
    phones = ["010 2345 6789", "０１０－２３４５－６７８９", "010\u00a02345\u00a06789"]
    for phone in phones:
        say(stack, sender, f"연락처는 {phone} 이에요")
    say(stack, sender, "주민번호는 850314.1234567 이에요")
    say(stack, sender, "any update on my claim?")
    shown = say(stack, sender, "policy TR20261105, born 21 July 1990")
    assert "CLM-2026-000140" in shown  # verified from the encrypted slots
    stored = _stored_events(stack)
    clear_forms = [*phones, "010-2345-6789", "01023456789", "850314.1234567",
                   "850314-1234567", "8503141234567", "TR20261105", "1990-07-21",
                   "21 July 1990"]  # fmt: skip
    assert [form for form in clear_forms if form in stored] == []
    for log in ("rasa", "actions"):
        text = stack.log(log).read_text(errors="replace")
        leaked = [form for form in clear_forms[:-3] if form in text]
        assert leaked == [], log
