"""The chat page in Chromium, against Rasa's own socket.io channel with a scripted bot
(tests/console/fake_rasa.py): rendering, escaping, buttons, typing, reload, language."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from console.app import create_app
from console.clauses import ClauseSearch
from tests.console.conftest import ARTIFACTS, ROOT, console_settings, new_page
from tests.console.standins import FakeKnowledgeBase, LiveServer, free_port

RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
FAKE_RASA = Path(__file__).with_name("fake_rasa.py")
START_TIMEOUT_SECONDS = 90
INJECTED = '<img src=x onerror="window.__xss_user=1"><script>window.__xss_user=2</script>'


@pytest.fixture(scope="module")
def fake_rasa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not RASA_PYTHON.exists():
        pytest.fail(f"{RASA_PYTHON} is missing: run `make setup` (the Rasa venv runs the stand-in)")
    port = free_port()
    log = tmp_path_factory.mktemp("fake_rasa") / "fake_rasa.log"
    process = subprocess.Popen(
        [str(RASA_PYTHON), str(FAKE_RASA), "--port", str(port)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"the stand-in Rasa exited:\n{log.read_text()[-2000:]}")
            try:
                if requests.get(f"{url}/status", timeout=2).ok:
                    break
            except requests.RequestException:  # not up yet, or busy loading
                pass
            if time.monotonic() > deadline:
                pytest.fail("the stand-in Rasa did not start in time")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def chat_url(fake_rasa: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("chat") / "cases.db"
    settings = console_settings(f"sqlite:///{database}", fake_rasa)
    settings = replace(settings, rasa_public_url=fake_rasa)
    app = create_app(settings, clauses=ClauseSearch(loader=FakeKnowledgeBase))
    with LiveServer(app) as server:
        yield server.url


@pytest.fixture()
def chat(browser, chat_url: str):
    context, page = new_page(browser)
    page.goto(chat_url + "/")
    page.wait_for_selector('#status[data-state="online"]')
    yield page
    context.close()


def send(page, text: str) -> None:
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")


def bot_bubbles(page) -> list[str]:
    return page.locator(".message.from-bot:not(.intro) .bubble").all_inner_texts()


def wait_for_bot(page, count: int) -> None:
    # Locator waits, not wait_for_function: the page's CSP forbids the eval() it polls with.
    page.locator(".message.from-bot:not(.intro)").nth(count - 1).wait_for()


def test_page_connects_and_greets_with_starters(chat) -> None:
    assert chat.locator("html").get_attribute("lang") == "ko"
    assert chat.locator(".intro .quick-reply").count() == 4
    assert chat.locator("#messages").get_attribute("role") == "log"
    assert chat.get_attribute("#chat-input", "placeholder") == "메시지를 입력하세요"
    chat.screenshot(path=str(ARTIFACTS / "chat-welcome.png"))


def test_injected_html_from_user_and_bot_is_shown_as_text(chat) -> None:
    send(chat, INJECTED)
    wait_for_bot(chat, 1)
    user = chat.locator(".message.from-user .bubble").last
    assert user.inner_text().endswith(INJECTED)
    bot = chat.locator(".message.from-bot:not(.intro) .bubble").last
    text = bot.inner_text()
    assert "<b>bold</b>" in text and "<script>window.__xss_bot=2</script>" in text
    assert INJECTED in text  # the echo of the user's words, still text
    for selector in ("img", "script", "b", "i"):
        assert chat.locator(f"#messages .bubble {selector}").count() == 0, selector
    assert chat.locator(".quick-reply", has_text="<i>청구 진행 조회</i>").count() == 1
    assert chat.evaluate("[window.__xss_user, window.__xss_bot]") == [None, None]


def test_links_are_clickable_and_safe(chat) -> None:
    send(chat, "링크 보여주세요")
    wait_for_bot(chat, 1)
    bubble = chat.locator(".message.from-bot:not(.intro) .bubble").last
    web = bubble.locator('a[href="https://bodam.example/claims?id=1"]')
    assert web.count() == 1
    assert web.get_attribute("target") == "_blank"
    assert set(web.get_attribute("rel").split()) >= {"noopener", "noreferrer"}
    assert bubble.locator('a[href="mailto:help@bodam.example"]').count() == 1
    assert bubble.locator('a[href="tel:1588-0000"]').count() == 1
    assert chat.locator('a[href^="javascript"]').count() == 0
    assert "javascript:alert(1)" in bubble.inner_text()


def test_button_sends_its_payload_and_shows_its_title(chat) -> None:
    send(chat, "안녕하세요")
    wait_for_bot(chat, 1)
    chat.locator(".quick-reply", has_text="상담원 연결").last.click()
    wait_for_bot(chat, 2)
    assert chat.locator(".message.from-user .bubble").last.inner_text().endswith("상담원 연결")
    assert bot_bubbles(chat)[-1].endswith("payload received: /request_human")
    # An answered question's buttons are switched off.
    assert chat.locator(".quick-reply:enabled").count() == 0


def test_typing_indicator_while_waiting(chat) -> None:
    send(chat, "slow")
    chat.wait_for_selector("#typing:not([hidden])", timeout=1000)
    wait_for_bot(chat, 1)
    assert chat.locator("#typing").is_hidden()


def test_conversation_survives_a_reload(chat) -> None:
    send(chat, "session?")
    wait_for_bot(chat, 1)
    session = chat.evaluate("JSON.parse(localStorage.getItem('bodam.chat.v1')).sessionId")
    assert bot_bubbles(chat)[-1].endswith(f"session: {session}")
    before = chat.locator("#messages .message").count()
    chat.reload()
    chat.wait_for_selector('#status[data-state="online"]')
    assert chat.locator("#messages .message").count() == before
    assert chat.locator(".intro").count() == 0
    send(chat, "session?")
    wait_for_bot(chat, 2)
    assert bot_bubbles(chat)[-1].endswith(f"session: {session}")


def test_new_conversation_gets_a_new_session(chat) -> None:
    send(chat, "session?")
    wait_for_bot(chat, 1)
    first = chat.evaluate("JSON.parse(localStorage.getItem('bodam.chat.v1')).sessionId")
    chat.click("#new-chat")
    chat.wait_for_selector('#status[data-state="online"]')
    assert chat.locator(".intro").count() == 1
    send(chat, "session?")
    wait_for_bot(chat, 1)
    second = chat.evaluate("JSON.parse(localStorage.getItem('bodam.chat.v1')).sessionId")
    assert second and second != first
    assert bot_bubbles(chat)[-1].endswith(f"session: {second}")


def test_ui_follows_the_bots_language_and_the_toggle(chat) -> None:
    send(chat, "english please")
    wait_for_bot(chat, 1)
    chat.locator("html[lang=en]").wait_for(state="attached")
    assert chat.get_attribute("#chat-input", "placeholder") == "Type your message"
    assert chat.inner_text("#chat-title") == "Bodam chat"
    chat.click("#lang-toggle")
    assert chat.locator("html").get_attribute("lang") == "ko"
    assert chat.inner_text("#chat-title") == "보담 채팅 상담"


def test_mobile_layout_fits_the_screen(browser, chat_url: str) -> None:
    context, page = new_page(browser, width=390, height=844, is_mobile=True, has_touch=True)
    try:
        page.goto(chat_url + "/")
        page.wait_for_selector('#status[data-state="online"]')
        send(page, "안녕하세요")
        wait_for_bot(page, 1)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert page.locator(".hero").is_hidden()
        box = page.locator("#chat-input").bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844
        page.screenshot(path=str(ARTIFACTS / "chat-mobile.png"))
    finally:
        context.close()


def test_rasa_unreachable_shows_status_and_hotline(browser, tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    settings = replace(
        console_settings(f"sqlite:///{tmp_path / 'cases.db'}", dead), rasa_public_url=dead
    )
    with LiveServer(create_app(settings, clauses=ClauseSearch(enabled=False))) as server:
        context, page = new_page(browser)
        try:
            page.goto(server.url + "/")
            page.wait_for_selector('#status[data-state="offline"]')
            page.wait_for_selector("#banner:not([hidden])")
            assert "1588-0000" in page.inner_text("#banner")
            send(page, "안녕하세요")  # kept, and sent once the server is back
            assert page.locator(".message.from-user").count() == 1
            assert page.evaluate("window.io !== undefined")
        finally:
            context.close()
