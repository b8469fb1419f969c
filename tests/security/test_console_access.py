"""The agent console: no shared demo password, named accounts, logouts that hold, the
hotline's unlock audited."""

from __future__ import annotations

import subprocess

import requests

from tests.security.conftest import new_sender, say
from tools.stack import APP_PYTHON, ROOT, LocalStack


def _add_agent(stack: LocalStack, name: str, password: str) -> None:
    subprocess.run(
        [str(APP_PYTHON), "-m", "console", "add-agent", name, "--password-stdin"],
        input=password + "\n", text=True, env=stack.env(), cwd=ROOT, check=True,
        capture_output=True, timeout=60,
    )  # fmt: skip


def _sign_in(stack: LocalStack, name: str, password: str) -> requests.Response:
    return requests.post(
        f"{stack.web_url}/api/login", json={"name": name, "password": password}, timeout=30
    )


def test_the_demo_password_opens_nothing_outside_demo_mode(stack: LocalStack) -> None:
    assert _sign_in(stack, "demo", "bodam-demo").status_code == 401
    assert requests.get(f"{stack.web_url}/api/me", timeout=10).status_code == 401


def test_logout_ends_the_session_on_the_server(stack: LocalStack) -> None:
    _add_agent(stack, "hong", "a-long-agent-passphrase")
    signed_in = _sign_in(stack, "hong", "a-long-agent-passphrase")
    assert signed_in.status_code == 200
    cookies = signed_in.cookies
    assert requests.get(f"{stack.web_url}/api/me", cookies=cookies, timeout=10).ok
    requests.post(f"{stack.web_url}/api/logout", cookies=cookies, timeout=10)
    replayed = requests.get(f"{stack.web_url}/api/me", cookies=cookies, timeout=10)
    assert replayed.status_code == 401


def test_forged_cookies_are_refused(stack: LocalStack) -> None:
    for value in ("hong", "eyJhZ2VudCI6ImhvbmcifQ", "x" * 64):
        reply = requests.get(
            f"{stack.web_url}/api/me", cookies={"bodam_agent": value}, timeout=10
        )
        assert reply.status_code == 401


def test_the_hotline_sees_a_burst_and_unlocks_the_policy(stack: LocalStack) -> None:
    for _ in range(5):
        sender = new_sender()
        say(stack, sender, "보험금 청구한 거 어떻게 됐어요?")
        say(stack, sender, "증권번호 HE20230042, 생년월일은 1999년 9월 9일이에요")
    _add_agent(stack, "kim", "another-long-passphrase")
    cookies = _sign_in(stack, "kim", "another-long-passphrase").cookies
    anonymous = requests.get(f"{stack.web_url}/api/identity-locks", timeout=10)
    assert anonymous.status_code == 401
    locks = requests.get(f"{stack.web_url}/api/identity-locks", cookies=cookies, timeout=10)
    assert "HE20230042" in [lock["subject_id"] for lock in locks.json()["locks"]]
    burst = {b["subject_id"]: b for b in locks.json()["bursts"]}["HE20230042"]
    assert burst["failures"] >= 5 and burst["locked"] is True
    unlocked = requests.post(
        f"{stack.web_url}/api/identity-locks/HE20230042/unlock", cookies=cookies, timeout=10
    )
    assert unlocked.status_code == 200
    sender = new_sender("customer")
    say(stack, sender, "보험금 청구한 거 어떻게 됐어요?")
    reply = say(stack, sender, "증권번호 HE20230042, 생년월일은 1985년 3월 14일이에요")
    assert "CLM-2026-000124" in reply
