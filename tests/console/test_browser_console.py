"""The agent console in Chromium: sign-in, analysis of a caller's sentence, case panel,
copy button, queues, identity-check locks, language toggle, and that injected HTML stays
text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from casestore import CaseStore
from console.app import create_app
from console.clauses import ClauseSearch
from tests.console.conftest import ARTIFACTS, PASSWORD, console_settings, new_page
from tests.console.standins import FakeKnowledgeBase, LiveServer, ParseStandIn

CLAIM_SENTENCE = (
    "CLM-2026-000123 청구 건 어떻게 됐어요? 증권번호 AU20250001, 생년월일 1985년 3월 14일이에요"
)


def sign_in(page, base_url: str) -> None:
    page.goto(base_url + "/console")
    page.fill("#agent-name", "kim")
    page.fill("#agent-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(base_url + "/console")


@pytest.fixture()
def console(browser, live_console: str):
    context, page = new_page(
        browser, width=1440, height=1000, permissions=["clipboard-read", "clipboard-write"]
    )
    sign_in(page, live_console)
    yield page
    context.close()


@pytest.fixture()
def store_console(case_store: CaseStore, parse_stand_in: ParseStandIn) -> Iterator[str]:
    """The web server on this test's own case store, so the test can change its records
    (``live_console`` is shared by the module and keeps its store to itself)."""
    knowledge = FakeKnowledgeBase()
    app = create_app(
        console_settings(case_store.url, parse_stand_in.url),
        clauses=ClauseSearch(loader=lambda: knowledge),
    )
    with LiveServer(app) as server:
        yield server.url


def analyse(page, text: str) -> None:
    page.fill("#caller-text", text)
    page.wait_for_selector("#intents .intent")
    # Locator waits, not wait_for_function: the page's CSP forbids the eval() it polls with.
    page.locator("#timing", has_text="ms").wait_for()


def test_console_redirects_to_the_login_page(browser, live_console: str) -> None:
    context, page = new_page(browser, width=1280, height=800)
    try:
        page.goto(live_console + "/console")
        assert page.url == live_console + "/console/login"
        assert page.inner_text("h1") == "상담원 콘솔 로그인"
        page.fill("#agent-name", "kim")
        page.fill("#agent-password", "wrong")
        page.click("#login-submit")
        page.wait_for_selector("#login-error:not([hidden])")
        assert "올바르지 않습니다" in page.inner_text("#login-error")
        assert page.url.endswith("/console/login")
        page.screenshot(path=str(ARTIFACTS / "console-login.png"))
    finally:
        context.close()


def test_sign_in_and_analyse_a_caller_sentence(console) -> None:
    assert console.inner_text("#agent-name") == "kim"
    console.fill("#caller-text", CLAIM_SENTENCE)
    # No click: the console analyses as the agent types.
    console.wait_for_selector("#intents .intent")
    intents = console.locator("#intents .intent")
    assert intents.count() == 3
    assert "claim_status" in intents.first.inner_text()
    assert "93%" in intents.first.inner_text()

    entities = console.inner_text("#entities")
    for value in ("CLM-2026-000123", "AU20250001", "1985-03-14"):
        assert value in entities

    suggestion = console.inner_text("#suggestion-text")
    assert "CLM-2026-000123" in suggestion and "사고 조사 중" in suggestion
    assert console.is_enabled("#copy-reply")
    assert "고객 건 기반" in console.inner_text("#suggestion-source")

    case = console.inner_text("#case-panel")
    assert "CLM-2026-000123" in case and "사고 조사 중" in case
    assert "김민지" in case and "010-****-6789" in case
    assert console.locator("#case-panel .timeline li").count() == 3
    assert console.locator("#clauses .clause").count() == 3
    assert "제21조" in console.inner_text("#clauses")
    console.screenshot(path=str(ARTIFACTS / "console-claim.png"), full_page=True)


def test_clause_answer_cites_the_paragraph_and_shows_the_wording(console) -> None:
    analyse(console, "태풍으로 차가 침수되면 보상되나요?")
    console.locator("#clauses .clause").first.wait_for()
    top = console.locator("#clauses .clause").first
    assert "answer" in (top.get_attribute("class") or "")
    assert top.locator(".paragraph-citation").inner_text() == "개인용자동차보험 보통약관 제21조 ②"
    quote = top.locator(".clause-quote").inner_text()
    assert "태풍, 홍수 등으로 피보험자동차가 물에 잠겨 생긴 손해는 보상합니다." in quote
    assert "제21조 ②" in quote
    suggestion = console.inner_text("#suggestion-text")
    assert "제21조 제2항에는 “태풍, 홍수 등으로" in suggestion

    toggle = top.locator(".wording-toggle")
    assert toggle.inner_text() == "원문 보기"
    toggle.click()
    highlighted = top.locator(".wording-paragraph.highlight")
    highlighted.wait_for()
    assert highlighted.count() == 1
    assert highlighted.get_attribute("data-paragraph") == "2"
    assert highlighted.get_attribute("aria-current") == "true"
    assert "②" in highlighted.inner_text() and "태풍, 홍수 등으로" in highlighted.inner_text()
    assert top.locator(".wording-paragraph").count() == 3
    assert toggle.get_attribute("aria-expanded") == "true"
    console.screenshot(path=str(ARTIFACTS / "console-clause-wording.png"), full_page=True)
    toggle.click()
    assert top.locator(".clause-wording").is_hidden()

    # The top two disagree and neither is sure: the panel says so, and no answer is offered.
    analyse(console, "창문 열어 뒀는데 비가 들이쳐서 침수됐어요, 보상되나요?")
    console.locator("#clauses .clause-decision").wait_for()
    assert "두 조항 중 확인 필요" in console.inner_text("#clauses .clause-decision")
    assert console.locator("#clauses .clause.option").count() == 2
    assert "창문 개방" in console.inner_text("#suggestion-text")
    console.click("#lang-toggle")
    assert "Check which clause fits" in console.inner_text("#clauses .clause-decision")
    assert console.locator("#clauses .wording-toggle").first.inner_text() == "Show wording"
    console.click("#lang-toggle")


def test_copy_button_copies_the_suggested_reply(console) -> None:
    analyse(console, "고객센터 전화번호 알려주세요")
    console.click("#copy-reply")
    console.locator("#copy-label", has_text="복사됨").wait_for()
    copied = console.evaluate("navigator.clipboard.readText()")
    assert copied == console.inner_text("#suggestion-text")


def test_english_caller_and_english_console(console) -> None:
    analyse(console, "Any update on complaint CMP-2026-000045? It's been two weeks.")
    suggestion = console.inner_text("#suggestion-text")
    assert "CMP-2026-000045" in suggestion and "Here's where your complaint stands" in suggestion
    console.click("#lang-toggle")
    assert console.inner_text("#suggestion-title") == "Suggested reply"
    assert console.locator("html").get_attribute("lang") == "en"
    assert "Complaint" in console.inner_text("#case-panel")
    console.screenshot(path=str(ARTIFACTS / "console-english.png"), full_page=True)
    console.click("#lang-toggle")


def test_queues_show_handoffs_and_overdue_complaints(console) -> None:
    console.wait_for_selector("#handoffs .queue-item")
    handoff = console.locator("#handoffs .queue-item").first
    assert "상담원 연결" in handoff.inner_text()
    handoff.locator("summary").click()
    summary = handoff.locator("pre").inner_text()
    assert "010-****-6789" in summary
    assert "<script>window.__xss = 1</script>" in summary  # shown, not run
    assert console.evaluate("window.__xss") is None

    overdue = console.locator("#overdue .queue-item").first
    assert "CMP-2026-000046" in overdue.inner_text()
    overdue.locator(".link-button").click()
    console.locator("#case-panel .case-id", has_text="CMP-2026-000046").wait_for()
    assert "기한 초과" in console.inner_text("#case-panel")

    assert console.inner_text("#locks-title [data-i18n]") == "본인 확인 잠금"
    assert console.inner_text("#locks") == "잠긴 번호가 없습니다."
    assert console.inner_text("#bursts") == "최근 24시간 동안 실패가 몰린 번호가 없습니다."


def fail_identity_checks(case_store: CaseStore, subject_id: str, times: int) -> None:
    """Wrong birth dates for `subject_id`, each from another conversation."""
    for n in range(times):
        case_store.check_identity(
            conversation=f"rest:{subject_id}-{n}", subject_id=subject_id,
            birth_date=date(1999, 9, 9), actor="bot",
        )  # fmt: skip


def test_an_agent_unlocks_a_locked_policy_number(
    browser, store_console: str, case_store: CaseStore
) -> None:
    fail_identity_checks(case_store, "AU20250001", 5)
    # Three failures on another policy: a burst, not (yet) a lock.
    fail_identity_checks(case_store, "HO20240077", 3)
    context, page = new_page(browser, width=1440, height=1000)
    try:
        dialogs: list[str] = []

        def accept(dialog) -> None:
            dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", accept)
        sign_in(page, store_console)
        lock = page.locator("#locks .queue-item")
        lock.first.wait_for()
        assert lock.count() == 1
        text = lock.inner_text()
        assert "AU20250001" in text and "증권번호" in text and "5번 실패" in text
        assert "잠김" in text
        assert page.inner_text("#locks-count") == "1"
        # Only the burst that is not locked is listed under repeated failures.
        burst = page.locator("#bursts .queue-item")
        assert burst.count() == 1
        assert "HO20240077" in burst.inner_text()
        assert "3번 실패" in burst.inner_text() and "대화 3건" in burst.inner_text()
        page.screenshot(path=str(ARTIFACTS / "console-identity-locks.png"))

        page.click("#lang-toggle")
        assert page.inner_text("#locks-title [data-i18n]") == "Identity check locks"
        assert "5 failed checks" in lock.inner_text()
        assert page.inner_text("#bursts-title [data-i18n]") == "Repeated failures"
        page.click("#lang-toggle")
        assert page.inner_text("#locks-title [data-i18n]") == "본인 확인 잠금"

        lock.get_by_role("button", name="AU20250001 잠금 해제").click()
        page.locator("#locks li.empty", has_text="잠긴 번호가 없습니다.").wait_for()
        assert len(dialogs) == 1
        assert "AU20250001" in dialogs[0] and "본인인지" in dialogs[0]
        assert page.locator("#locks .queue-item").count() == 0
        assert page.inner_text("#locks-count") == "0"
        assert case_store.identity_locks(actor="t") == []
    finally:
        context.close()


def test_declining_the_unlock_question_keeps_the_lock(
    browser, store_console: str, case_store: CaseStore
) -> None:
    fail_identity_checks(case_store, "AU20250001", 5)
    context, page = new_page(browser, width=1440, height=1000)
    try:
        page.on("dialog", lambda dialog: dialog.dismiss())
        sign_in(page, store_console)
        page.click("#lang-toggle")
        page.locator("#locks .queue-item").wait_for()
        page.get_by_role("button", name="Unlock AU20250001").click()
        page.click("#refresh")
        page.locator("#locks .queue-item", has_text="AU20250001").wait_for()
        assert [lock.subject_id for lock in case_store.identity_locks(actor="t")] == ["AU20250001"]
    finally:
        context.close()


def test_injected_html_in_the_callers_words_stays_text(console) -> None:
    injected = (
        '<img src=x onerror="window.__xss_console=1"><b>굵게</b> CLM-2026-000123 어떻게 됐나요'
    )
    analyse(console, injected)
    assert console.evaluate("window.__xss_console") is None
    for selector in ("#entities img", "#case-panel img", "#suggestion-text b", "#entities b"):
        assert console.locator(selector).count() == 0, selector
    assert console.input_value("#caller-text") == injected


def test_empty_and_huge_text_show_a_message(console) -> None:
    console.fill("#caller-text", "   ")
    console.click("#analyse")
    console.wait_for_selector("#assist-error:not([hidden])")
    assert "입력해 주세요" in console.inner_text("#assist-error")
    # The text box stops at 2,000 characters; an API client sending more gets a 422.
    console.fill("#caller-text", "가" * 2500)
    assert len(console.input_value("#caller-text")) == 2000
    status = console.evaluate(
        "fetch('/api/assist', {method: 'POST', headers: {'Content-Type': 'application/json'},"
        " body: JSON.stringify({text: '가'.repeat(2500)})}).then(r => r.status)"
    )
    assert status == 422


def test_sign_out(console, live_console: str) -> None:
    console.click("#logout")
    console.wait_for_url(live_console + "/console/login")
    console.goto(live_console + "/console")
    assert console.url.endswith("/console/login")


def test_api_docs_render_offline_after_sign_in(console, live_console: str) -> None:
    errors: list[str] = []
    console.on("pageerror", lambda error: errors.append(str(error)))
    console.goto(live_console + "/docs")
    console.wait_for_selector(".swagger-ui .info .title")
    assert "bodam agent console API" in console.inner_text(".swagger-ui .info .title")
    console.wait_for_selector('.opblock-summary-path[data-path="/api/assist"]')
    assert errors == []
    console.screenshot(path=str(ARTIFACTS / "console-api-docs.png"))
