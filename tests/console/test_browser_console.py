"""The agent console in Chromium: sign-in, analysis of a caller's sentence, case panel,
copy button, queues, language toggle, and that injected HTML stays text."""

from __future__ import annotations

import pytest

from tests.console.conftest import ARTIFACTS, PASSWORD, new_page

CLAIM_SENTENCE = (
    "CLM-2026-000123 청구 건 어떻게 됐어요? 증권번호 AU20250001, 생년월일 1985년 3월 14일이에요"
)


@pytest.fixture()
def console(browser, live_console: str):
    context, page = new_page(
        browser, width=1440, height=1000, permissions=["clipboard-read", "clipboard-write"]
    )
    page.goto(live_console + "/console")
    page.fill("#agent-name", "kim")
    page.fill("#agent-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(live_console + "/console")
    yield page
    context.close()


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
