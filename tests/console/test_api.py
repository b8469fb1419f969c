"""The agent console's JSON API against a real SQLite case store and a stand-in Rasa."""

from __future__ import annotations

import re
import secrets
from datetime import date

import pytest
from fastapi.testclient import TestClient

from casestore import CaseStore
from console.app import create_app
from console.auth import cookie_signer
from console.clauses import ClauseSearch
from tests.console.conftest import PASSWORD, SECRET, TOKEN, console_settings
from tests.console.standins import FakeKnowledgeBase, ParseStandIn, free_port

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CLAIM_SENTENCE = (
    "CLM-2026-000123 청구 건 어떻게 됐어요? 증권번호 AU20250001, 생년월일 1985년 3월 14일이에요"
)
API_ENDPOINTS = [
    ("post", "/api/assist", {"text": "안녕하세요"}),
    ("get", "/api/cases/CLM-2026-000123", None),
    ("get", "/api/handoffs", None),
    ("get", "/api/complaints/overdue", None),
    ("get", "/api/me", None),
    ("get", "/api/clauses/auto-own-damage-flood?paragraph=2", None),
    ("get", "/openapi.json", None),
]


def bilingual(body: dict) -> bool:
    message = body.get("message") or {}
    return bool(HANGUL.search(message.get("ko", ""))) and bool(
        re.search(r"[A-Za-z]{3}", message.get("en", ""))
    )


def audit_rows(store: CaseStore, actor: str) -> list[tuple[str, str | None]]:
    return [(e.action, e.subject_id) for e in store.audit_entries() if e.actor == actor]


# ------------------------------------------------------------------------------------ auth


@pytest.mark.parametrize(("method", "path", "body"), API_ENDPOINTS)
def test_api_without_sign_in_is_401(client: TestClient, method: str, path: str, body) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert bilingual(response.json())
    assert response.headers["www-authenticate"] == "Bearer"


def test_console_pages_without_sign_in_show_the_login_page(client: TestClient) -> None:
    for path in ("/console", "/docs"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/console/login"
    page = client.get("/console")
    assert page.status_code == 200
    assert 'id="login-form"' in page.text
    assert "bodam-agent" not in page.text


def test_nothing_is_read_from_the_case_store_without_sign_in(
    client: TestClient, case_store: CaseStore
) -> None:
    before = len(case_store.audit_entries())
    client.get("/api/cases/CLM-2026-000123")
    client.post("/api/assist", json={"text": CLAIM_SENTENCE})
    assert len(case_store.audit_entries()) == before


def test_sign_in_sets_a_strict_http_only_cookie(client: TestClient) -> None:
    response = client.post("/api/login", json={"name": "kim", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"agent": "kim", "actor": "agent:kim"}
    cookie = response.headers["set-cookie"]
    assert "bodam_agent=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/api/me").json()["actor"] == "agent:kim"
    console = client.get("/console")
    assert console.status_code == 200 and 'id="caller-text"' in console.text


def test_wrong_password_and_bad_names_are_refused(client: TestClient) -> None:
    wrong = client.post("/api/login", json={"name": "kim", "password": "nope"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "login_failed"
    assert "set-cookie" not in wrong.headers
    bad_name = client.post("/api/login", json={"name": "<b>x</b>", "password": PASSWORD})
    assert bad_name.status_code == 422 and bad_name.json()["error"] == "invalid_agent_name"
    assert bilingual(bad_name.json())
    assert client.get("/api/me").status_code == 401


def test_a_forged_or_tampered_cookie_is_refused(client: TestClient) -> None:
    client.post("/api/login", json={"name": "kim", "password": PASSWORD})
    value = client.cookies.get("bodam_agent")
    assert client.get("/api/me").status_code == 200
    session_id, signature = value.rsplit(".", 1)
    tampered = f"{session_id}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    # Signed with the server's own key but never issued: the session table decides.
    unknown = cookie_signer(SECRET).sign(secrets.token_urlsafe(32))
    wrong_key = cookie_signer("not-the-secret").sign(session_id)
    for forged in (tampered, unknown.decode(), wrong_key.decode(), session_id, "kim", "x" * 5000):
        client.cookies.clear()
        client.cookies.set("bodam_agent", forged)
        assert client.get("/api/me").status_code == 401
        assert client.get("/console", follow_redirects=False).status_code == 303


def test_logout_ends_the_session_on_the_server(agent: TestClient) -> None:
    cookie = agent.cookies.get("bodam_agent")
    assert agent.post("/api/logout").status_code == 200
    assert agent.get("/api/me").status_code == 401
    # The old cookie, replayed, is refused: the session ended on the server.
    agent.cookies.set("bodam_agent", cookie)
    replay = agent.get("/api/me")
    assert replay.status_code == 401 and replay.json()["error"] == "unauthorized"
    page = agent.get("/console", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/console/login"


def test_form_sign_in_without_javascript(client: TestClient) -> None:
    wrong = client.post(
        "/console/login",
        content="name=kim&password=nope",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert wrong.status_code == 303 and "error=login_failed" in wrong.headers["location"]
    right = client.post(
        "/console/login",
        content=f"name=kim&password={PASSWORD}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert right.status_code == 303 and right.headers["location"] == "/console"
    assert client.get("/api/me").status_code == 200


def test_repeated_failures_from_one_address_are_throttled(client: TestClient) -> None:
    codes = [
        client.post("/api/login", json={"name": f"guess{i}", "password": "wrong"}).status_code
        for i in range(11)
    ]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429
    # Even the right password waits until the window has passed.
    right = client.post("/api/login", json={"name": "kim", "password": PASSWORD})
    assert right.status_code == 429 and bilingual(right.json())


def test_bearer_token_for_api_clients(client: TestClient, case_store: CaseStore) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "X-Agent-Name": "crm-sync"}
    response = client.get("/api/cases/CLM-2026-000123", headers=headers)
    assert response.status_code == 200
    assert ("get_claim", "CLM-2026-000123") in audit_rows(case_store, "agent:crm-sync")
    wrong = client.get("/api/handoffs", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401


def test_openapi_and_docs_after_sign_in(agent: TestClient) -> None:
    schema = agent.get("/openapi.json").json()
    for path in (
        "/api/assist",
        "/api/cases/{case_id}",
        "/api/handoffs",
        "/api/complaints/overdue",
        "/api/login",
    ):
        assert path in schema["paths"], path
    assert set(schema["components"]["securitySchemes"]) == {"session", "bearer"}
    docs = agent.get("/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    assert agent.get("/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


# ---------------------------------------------------------------------------------- assist


def test_assist_gives_intents_entities_reply_clauses_and_case(
    agent: TestClient, parse_stand_in: ParseStandIn
) -> None:
    response = agent.post("/api/assist", json={"text": CLAIM_SENTENCE})
    assert response.status_code == 200
    result = response.json()
    assert parse_stand_in.texts[-1] == CLAIM_SENTENCE

    assert result["language"] == "ko"
    intents = result["intents"]
    assert [i["name"] for i in intents] == ["claim_status", "claim_documents", "report_claim"]
    assert intents[0]["confidence"] == pytest.approx(0.93)
    assert intents[0]["label"] == {"ko": "청구 진행 조회", "en": "Claim status"}
    assert result["low_confidence"] is False

    values = {e["entity"]: e["value"] for e in result["entities"]}
    assert values == {
        "claim_id": "CLM-2026-000123",
        "policy_number": "AU20250001",
        "birth_date": "1985-03-14",
    }

    suggestion = result["suggestion"]
    assert suggestion["source"] == "case" and suggestion["language"] == "ko"
    assert suggestion["response"] == "utter_claim_status"
    assert "CLM-2026-000123" in suggestion["text"] and "사고 조사 중" in suggestion["text"]

    clauses = result["clauses"]
    assert clauses["status"] == "ok" and len(clauses["hits"]) == 3
    assert clauses["hits"][0]["citation"] == "개인용자동차보험 보통약관 제21조"
    assert clauses["hits"][0]["title"] == "자기차량손해 - 침수"

    cases = result["cases"]
    assert [c["id"] for c in cases["found"]] == ["CLM-2026-000123"]
    claim = cases["found"][0]
    assert claim["status_label"]["ko"] == "사고 조사 중"
    assert [h["status"] for h in claim["history"]] == [
        "received",
        "awaiting_documents",
        "under_investigation",
    ]
    assert claim["policy"]["id"] == "AU20250001"
    identity = result["identity"]
    assert identity["matched"] is True
    assert identity["customer"]["name"] == "김민지"
    assert identity["customer"]["phone_masked"] == "010-****-6789"
    assert "010-2345-6789" not in response.text
    assert isinstance(result["elapsed_ms"], int)


def test_assist_writes_audit_rows_as_the_agent(agent: TestClient, case_store: CaseStore) -> None:
    agent.post("/api/assist", json={"text": CLAIM_SENTENCE})
    rows = audit_rows(case_store, "agent:kim")
    assert ("get_claim", "CLM-2026-000123") in rows
    assert ("get_policy", "AU20250001") in rows
    assert ("verify_identity", "AU20250001") in rows


def test_english_caller_gets_an_english_reply_from_the_complaint(agent: TestClient) -> None:
    result = agent.post(
        "/api/assist", json={"text": "Any update on complaint CMP-2026-000045?"}
    ).json()
    assert result["language"] == "en"
    assert result["intents"][0]["name"] == "complaint_status"
    suggestion = result["suggestion"]
    assert suggestion["language"] == "en" and suggestion["source"] == "case"
    assert "CMP-2026-000045" in suggestion["text"]
    assert not HANGUL.search(suggestion["text"])
    assert result["clauses"]["hits"][0]["title"] == "Own vehicle damage - flooding"
    assert result["identity"] is None  # no birth date given: nothing to verify


def test_wrong_birth_date_reads_like_an_unknown_policy(agent: TestClient) -> None:
    def identity(policy: str, birth: str) -> dict:
        text = f"증권번호 {policy} 생년월일 {birth}"
        return agent.post("/api/assist", json={"text": text}).json()["identity"]

    wrong_birth = identity("AU20250001", "1990-01-01")
    unknown_policy = identity("AU29999999", "1985-03-14")
    assert wrong_birth["matched"] is unknown_policy["matched"] is False
    assert wrong_birth["customer"] is unknown_policy["customer"] is None


def test_domain_response_in_the_callers_language(agent: TestClient) -> None:
    english = agent.post("/api/assist", json={"text": "what's your phone number?"}).json()
    assert english["suggestion"]["response"] == "utter_contact_info"
    assert english["suggestion"]["source"] == "domain"
    assert not HANGUL.search(english["suggestion"]["text"])
    korean = agent.post("/api/assist", json={"text": "고객센터 전화번호 알려주세요"}).json()
    assert korean["suggestion"]["response"] == "utter_contact_info"
    assert HANGUL.search(korean["suggestion"]["text"])


def test_coverage_question_is_answered_from_the_best_clause(agent: TestClient) -> None:
    result = agent.post("/api/assist", json={"text": "태풍으로 차가 침수되면 보상되나요?"}).json()
    assert result["intents"][0]["name"] == "ask_coverage"
    suggestion = result["suggestion"]
    assert suggestion["source"] == "clause"
    assert "자기차량손해 - 침수" in suggestion["text"]
    assert "개인용자동차보험 보통약관 제21조 ②" in suggestion["text"]
    assert "제21조 제2항에는 “" in suggestion["text"]  # the deciding sentence, quoted


def test_greeting_is_an_agent_line_not_the_bots(agent: TestClient) -> None:
    result = agent.post("/api/assist", json={"text": "안녕하세요"}).json()
    assert result["suggestion"]["source"] == "console"
    assert "챗봇" not in result["suggestion"]["text"]


def test_low_confidence_is_flagged_and_fallback_is_not_an_intent(agent: TestClient) -> None:
    result = agent.post("/api/assist", json={"text": "음 그러니까 웅얼웅얼"}).json()
    assert result["low_confidence"] is True
    assert "nlu_fallback" not in [i["name"] for i in result["intents"]]
    assert result["intents"][0]["name"] == "claim_status"


def test_unknown_id_in_the_text_is_reported_missing(agent: TestClient) -> None:
    result = agent.post("/api/assist", json={"text": "CLM-2026-999999 건 확인해 주세요"}).json()
    assert result["cases"]["found"] == []
    assert result["cases"]["missing"] == ["CLM-2026-999999"]


def test_phone_numbers_in_the_text_come_back_masked(agent: TestClient) -> None:
    response = agent.post("/api/assist", json={"text": "연락처 010-9876-5432 로 변경해 주세요"})
    phones = [e for e in response.json()["entities"] if e["entity"] == "phone"]
    assert phones and phones[0]["value"] == "010-****-5432"
    assert "9876" not in response.text


def test_assist_works_when_rasa_is_down(case_store: CaseStore, knowledge) -> None:
    settings = console_settings(case_store.url, f"http://127.0.0.1:{free_port()}")
    app = create_app(settings, clauses=ClauseSearch(loader=lambda: knowledge))
    with TestClient(app) as client:
        client.post("/api/login", json={"name": "kim", "password": PASSWORD})
        response = client.post("/api/assist", json={"text": CLAIM_SENTENCE})
    assert response.status_code == 200
    result = response.json()
    assert result["nlu"]["status"] == "unavailable" and bilingual(result["nlu"])
    assert result["intents"] == []
    assert result["cases"]["found"][0]["id"] == "CLM-2026-000123"
    assert result["suggestion"]["source"] == "case"


def test_clause_search_unavailable_is_shown_not_fatal(
    case_store: CaseStore, parse_stand_in: ParseStandIn
) -> None:
    def missing_package() -> object:
        raise ImportError("No module named 'knowledge'")

    settings = console_settings(case_store.url, parse_stand_in.url)
    app = create_app(settings, clauses=ClauseSearch(loader=missing_package))
    with TestClient(app) as client:
        client.post("/api/login", json={"name": "kim", "password": PASSWORD})
        response = client.post("/api/assist", json={"text": "태풍으로 차가 침수되면 보상되나요?"})
    assert response.status_code == 200
    clauses = response.json()["clauses"]
    assert clauses["status"] == "unavailable" and clauses["hits"] == []
    assert clauses["message"]["en"] == "clause search unavailable"
    assert response.json()["suggestion"]["source"] == "console"


def test_a_failing_search_is_unavailable_too(
    case_store: CaseStore, parse_stand_in: ParseStandIn
) -> None:
    class Broken(FakeKnowledgeBase):
        def search(self, text: str, top_k: int = 3, **_options: object) -> list:
            raise FileNotFoundError("index missing")

        def answer(self, text: str, **_options: object) -> tuple:
            raise FileNotFoundError("index missing")

    settings = console_settings(case_store.url, parse_stand_in.url)
    app = create_app(settings, clauses=ClauseSearch(loader=Broken))
    with TestClient(app) as client:
        client.post("/api/login", json={"name": "kim", "password": PASSWORD})
        clauses = client.post("/api/assist", json={"text": "침수 보상되나요"}).json()["clauses"]
    assert clauses["status"] == "unavailable"


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\x00\x01\u200b"])
def test_empty_text_is_422_in_both_languages(agent: TestClient, text: str) -> None:
    response = agent.post("/api/assist", json={"text": text})
    assert response.status_code == 422
    assert response.json()["error"] == "text_empty"
    assert bilingual(response.json())


def test_huge_text_is_422_in_both_languages(agent: TestClient) -> None:
    response = agent.post("/api/assist", json={"text": "보험 " * 1500})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "text_too_long" and body["max_chars"] == 2000
    assert bilingual(body)
    exactly = agent.post("/api/assist", json={"text": "가" * 2000})
    assert exactly.status_code == 200


def test_oversized_body_is_refused_before_parsing(agent: TestClient) -> None:
    response = agent.post("/api/assist", json={"text": "가" * 300_000})
    assert response.status_code == 413
    assert response.json()["error"] == "request_too_large" and bilingual(response.json())


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {}},
        {"json": {"text": 42}},
        {"json": {"message": "CLM-2026-000123 010-2345-6789"}},
        {"content": "not json", "headers": {"Content-Type": "application/json"}},
    ],
)
def test_malformed_requests_are_422_without_echoing_input(agent: TestClient, kwargs) -> None:
    response = agent.post("/api/assist", **kwargs)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request" and bilingual(response.json())
    assert "2345-6789" not in response.text


# ---------------------------------------------------------------------------------- cases


def test_case_lookup_returns_history_and_writes_an_audit_row(
    agent: TestClient, case_store: CaseStore
) -> None:
    response = agent.get("/api/cases/CLM-2026-000123")
    assert response.status_code == 200
    claim = response.json()
    assert claim["kind"] == "claim" and claim["status"] == "under_investigation"
    assert len(claim["history"]) == 3
    assert claim["policy"]["product_label"]["ko"] == "자동차보험"
    assert ("get_claim", "CLM-2026-000123") in audit_rows(case_store, "agent:kim")


def test_policy_lookup_lists_its_claims(agent: TestClient, case_store: CaseStore) -> None:
    policy = agent.get("/api/cases/au20250001").json()
    assert policy["kind"] == "policy" and policy["id"] == "AU20250001"
    assert [c["id"] for c in policy["claims"]] == ["CLM-2026-000123"]
    rows = audit_rows(case_store, "agent:kim")
    assert ("claims_for_policy", "CLM-2026-000123") in rows


def test_complaint_lookup_masks_phone_numbers(agent: TestClient, case_store: CaseStore) -> None:
    complaint_id = case_store.console_records["complaint"].id  # type: ignore[attr-defined]
    response = agent.get(f"/api/cases/{complaint_id}")
    complaint = response.json()
    assert complaint["kind"] == "complaint" and complaint["overdue"] is True
    assert "010-****-0192" in complaint["description"]
    assert "5555" not in response.text


def test_unknown_ids_are_404_and_all_read_the_same(agent: TestClient) -> None:
    bodies = []
    for unknown in ("CLM-2026-999999", "CMP-2030-000001", "HE99999999", "CHG-2026-000999"):
        response = agent.get(f"/api/cases/{unknown}")
        assert response.status_code == 404, unknown
        bodies.append(response.json())
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["error"] == "not_found" and bilingual(bodies[0])
    assert not any(word in str(bodies[0]) for word in ("CLM", "HE9", "exist"))


@pytest.mark.parametrize("bad", ["hello", "CLM-2026-12", "1; DROP TABLE claims", "C001"])
def test_things_that_are_not_case_ids_are_422(agent: TestClient, bad: str) -> None:
    response = agent.get(f"/api/cases/{bad}")
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_case_id" and bilingual(response.json())


# ---------------------------------------------------------------------------------- queues


def test_open_handoffs_with_masked_summary(agent: TestClient, case_store: CaseStore) -> None:
    response = agent.get("/api/handoffs")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    handoff = body["items"][0]
    assert handoff["sender_id"] == "web-7f3a" and handoff["reason"] == "request_human"
    assert handoff["reason_label"]["ko"] == "상담원 연결"
    assert "010-****-6789" in handoff["summary"]
    assert "2345-6789" not in response.text
    assert ("open_handoffs", str(handoff["id"])) in audit_rows(case_store, "agent:kim")
    case_store.close_handoff(handoff["id"])
    assert agent.get("/api/handoffs").json() == {"count": 0, "items": []}


def test_overdue_complaints_on_the_pinned_day(agent: TestClient, case_store: CaseStore) -> None:
    body = agent.get("/api/complaints/overdue").json()
    assert body["today"] == "2026-11-25"
    ids = [c["id"] for c in body["items"]]
    overdue_id = case_store.console_records["complaint"].id  # type: ignore[attr-defined]
    assert ids == [overdue_id]  # the demo complaint is due 2026-11-26: not overdue yet
    assert body["items"][0]["due_date"] == "2026-11-03"
    assert ("overdue_complaints", overdue_id) in audit_rows(case_store, "agent:kim")


def test_overdue_follows_today(agent: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BODAM_TODAY", "2026-11-27")
    ids = [c["id"] for c in agent.get("/api/complaints/overdue").json()["items"]]
    assert "CMP-2026-000045" in ids


# ------------------------------------------------------------------------- identity locks


def test_the_hotline_sees_locks_and_bursts_and_unlocks(
    agent: TestClient, case_store: CaseStore
) -> None:
    for n in range(5):
        case_store.check_identity(
            conversation=f"rest:attacker-{n}", subject_id="AU20250001",
            birth_date=date(1999, 9, 9), actor="bot",
        )  # fmt: skip
    body = agent.get("/api/identity-locks").json()
    assert [(lock["subject_id"], lock["failures"]) for lock in body["locks"]] == [
        ("AU20250001", 5)
    ]
    assert [(b["subject_id"], b["conversations"], b["locked"]) for b in body["bursts"]] == [
        ("AU20250001", 5, True)
    ]
    unlocked = agent.post("/api/identity-locks/au20250001/unlock")
    assert unlocked.json() == {"subject_id": "AU20250001", "unlocked": True}
    assert agent.get("/api/identity-locks").json()["locks"] == []
    assert ("unlock_identity", "AU20250001") in audit_rows(case_store, "agent:kim")
    right = case_store.check_identity(
        conversation="web:customer", subject_id="AU20250001", birth_date=date(1985, 3, 14),
        actor="bot",
    )  # fmt: skip
    assert right.status == "verified"


def test_identity_locks_need_an_agent_and_a_real_number(agent: TestClient) -> None:
    refused = agent.post("/api/identity-locks/CHG-2026-000001/unlock")
    assert refused.status_code == 422
    assert refused.json()["error"] == "invalid_subject_id"
    agent.post("/api/logout")
    assert agent.get("/api/identity-locks").status_code == 401
    assert agent.post("/api/identity-locks/AU20250001/unlock").status_code == 401


# ------------------------------------------------------------------------------ the pages


def test_chat_page_is_public_and_points_at_rasa(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<meta name="bodam-rasa-url" content="http://127.0.0.1:5005">' in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert "ws://127.0.0.1:5005" in csp
    assert page.headers["x-content-type-options"] == "nosniff"


def test_socket_io_client_is_served_locally(client: TestClient) -> None:
    response = client.get("/vendor/socket.io.min.js")
    assert response.status_code == 200, "run `make console-web` (npm ci in console/web)"
    assert "io" in response.text[:2000]


def test_unknown_pages_are_404(client: TestClient) -> None:
    assert client.get("/nope").status_code == 404
    assert client.get("/api/nope").json()["error"] == "not_found"
    assert client.get("/static/../app.py").status_code == 404
