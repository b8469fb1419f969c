from __future__ import annotations

import pytest

from bot.nlp.input_guard import MAX_MESSAGE_CHARS, classify_input, sanitize


def test_max_message_chars() -> None:
    assert MAX_MESSAGE_CHARS == 2000


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("안녕하세요", "안녕하세요"),
        ("  안녕하세요  ", "안녕하세요"),
        ("어제\n사고가\t났어요", "어제 사고가 났어요"),
        ("line one\r\nline two", "line one line two"),
        ("a   b\u00a0\u00a0c\u3000d", "a b c d"),
        ("접수\u200b해\u200c주\u200d세요\ufeff", "접수해주세요"),
        ("\u2060hello\u00ad", "hello"),
        ("bell\x07 and null\x00 and esc\x1b[31m", "bell and null and esc[31m"),
        ("\x7f\x80\x9f", ""),
        ("rtl \u202eevil\u202c text", "rtl evil text"),
        ("\u3164", ""),
        ("\u115f\u1160 ㅤ", ""),
        ("para\u2028graph\u2029end", "para graph end"),
        ("\u1112\u1161\u11ab\u1100\u1173\u11af", "한글"),  # jamo typed separately (NFD)
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("'; DROP TABLE claims;--", "'; DROP TABLE claims;--"),
        ("😀 👍🏽", "😀 👍🏽"),
    ],
)
def test_sanitize(raw: str | None, clean: str) -> None:
    assert sanitize(raw) == clean


def test_sanitize_is_idempotent() -> None:
    raw = " \u200b어제\t\t사고 \x00났어요\n\n "
    once = sanitize(raw)
    assert sanitize(once) == once == "어제 사고 났어요"


@pytest.mark.parametrize(
    ("raw", "verdict"),
    [
        (None, "empty"),
        ("", "empty"),
        ("   \n\t  ", "empty"),
        ("\x00\x01\x02", "empty"),
        ("\u200b\u200c\ufeff", "empty"),
        ("\u3164", "empty"),
        ("a", None),
        ("ㅇㅇ", None),
        ("가" * MAX_MESSAGE_CHARS, None),
        ("가" * (MAX_MESSAGE_CHARS + 1), "too_long"),
        ("a " * 1500, "too_long"),
        # what counts is the sanitized length: runs of spaces and zero-width characters
        (" " * 5000 + "hi" + "\u200b" * 5000, None),
        ("a" + " " * 3000 + "b", None),
        ("x" * 20_000, "too_long"),
    ],
)
def test_classify_input(raw: str | None, verdict: str | None) -> None:
    assert classify_input(raw) == verdict
