"""Only what must be public is public: loopback binding, Rasa's API and the action server
behind their secrets, no body echoed back, CORS for the chat page only."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.security.conftest import new_sender, say
from tools.stack import LocalStack

FORGED_TRACKER = {
    "next_action": "action_show_claim_status",
    "sender_id": "rest:victim",
    "tracker": {
        "sender_id": "rest:victim",
        "slots": {
            "policy_number": "AU20250001",
            "verified_policy": "AU20250001",
            "verified_customer_id": "C001",
            "claim_id": "CLM-2026-000123",
            "language": "ko",
        },
        "latest_message": {"text": "청구 상태", "intent": {"name": "claim_status"}},
        "events": [],
        "active_loop": {},
    },
    "domain": {"slots": {}, "responses": {}},
    "version": "3.6.21",
}


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port`, from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.add(address)
    return found


def test_every_process_listens_on_loopback_only(stack: LocalStack) -> None:
    loopback = {"0100007F"}  # 127.0.0.1, little-endian hex as the kernel prints it
    for port in (stack.ports.rasa, stack.ports.actions, stack.ports.web):
        assert _listening_addresses(port) == loopback, port


def test_the_action_server_refuses_callers_without_the_secret(stack: LocalStack) -> None:
    webhook = f"{stack.action_url}/webhook"
    anonymous = requests.post(webhook, json=FORGED_TRACKER, timeout=10)
    wrong = requests.post(
        webhook, json=FORGED_TRACKER, headers={"Authorization": "Bearer guess"}, timeout=10
    )
    listing = requests.get(f"{stack.action_url}/actions", timeout=10)
    assert (anonymous.status_code, wrong.status_code, listing.status_code) == (401, 401, 401)
    assert "CLM-2026-000123" not in anonymous.text + wrong.text
    assert requests.get(f"{stack.action_url}/health", timeout=10).status_code == 200


def test_a_forged_tracker_gets_no_case_data_even_with_the_secret(stack: LocalStack) -> None:
    """Slots that say "verified" open nothing without the case store's record."""
    secret = stack.secrets["BODAM_ACTION_TOKEN"]
    reply = requests.post(
        f"{stack.action_url}/webhook",
        json=FORGED_TRACKER,
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    assert reply.status_code == 200
    assert "CLM-2026-000123" not in reply.text
    assert [r["response"] for r in reply.json()["responses"]] == ["utter_verification_required"]


def test_an_action_server_error_does_not_echo_the_tracker(stack: LocalStack) -> None:
    secret = stack.secrets["BODAM_ACTION_TOKEN"]
    broken = {**FORGED_TRACKER, "tracker": {"sender_id": "x", "slots": "not a dict"}}
    reply = requests.post(
        f"{stack.action_url}/webhook",
        json=broken,
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    assert reply.status_code >= 400
    assert "AU20250001" not in reply.text and "not a dict" not in reply.text


def test_rasas_http_api_needs_the_token(stack: LocalStack) -> None:
    sender = new_sender()
    say(stack, sender, "안녕하세요")
    conversation = f"rest:{sender}"
    base = f"{stack.rasa_url}/conversations/{conversation}"
    attempts = {
        "read tracker": requests.get(f"{base}/tracker", timeout=10),
        "write events": requests.post(
            f"{base}/tracker/events",
            json=[{"event": "slot", "name": "verified_customer_id", "value": "C001"}],
            timeout=10,
        ),
        "load a model": requests.put(
            f"{stack.rasa_url}/model", json={"model_file": "/tmp/evil.tar.gz"}, timeout=10
        ),
        "status": requests.get(f"{stack.rasa_url}/status", timeout=10),
        "parse": requests.post(f"{stack.rasa_url}/model/parse", json={"text": "x"}, timeout=10),
    }
    assert {name: reply.status_code for name, reply in attempts.items()} == {
        name: 401 for name in attempts
    }
    forged_token = requests.get(f"{base}/tracker", params={"token": "guess"}, timeout=10)
    assert forged_token.status_code == 401


def test_a_model_from_elsewhere_is_not_loaded_even_with_the_token(
    stack: LocalStack, tmp_path: Path
) -> None:
    planted = tmp_path / "evil.tar.gz"
    planted.write_bytes(Path(str(stack.model)).read_bytes() + b"\0")
    reply = requests.put(
        f"{stack.rasa_url}/model",
        params={"token": stack.rasa_token},
        json={"model_file": str(planted)},
        timeout=120,
    )
    assert reply.status_code == 403
    # The model that was running still answers.
    assert say(stack, new_sender(), "안녕하세요").strip()


def test_cors_is_granted_to_the_chat_page_only(stack: LocalStack) -> None:
    own = requests.get(
        f"{stack.rasa_url}/", headers={"Origin": stack.web_url}, timeout=10
    ).headers.get("Access-Control-Allow-Origin")
    foreign = requests.get(
        f"{stack.rasa_url}/", headers={"Origin": "https://evil.example"}, timeout=10
    ).headers.get("Access-Control-Allow-Origin")
    action = requests.options(
        f"{stack.action_url}/webhook",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=10,
    ).headers.get("Access-Control-Allow-Origin")
    assert own == stack.web_url
    assert foreign is None and action is None
