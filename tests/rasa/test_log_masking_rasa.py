"""Rasa's own logging (structlog rendered as JSON through stdlib logging) comes out masked."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog
from rasa.utils.log_utils import configure_structlog

import bot.tracker_store  # noqa: F401 - `rasa run` installs the masking by loading the store

CLEAR = ("2345", "２３４５", "2345678", "minji@")


@pytest.fixture()
def rasa_logging() -> Iterator[None]:
    configure_structlog(logging.DEBUG)
    yield
    structlog.reset_defaults()


def _fail(tracker: dict) -> None:
    raise ValueError(f"could not predict for tracker {tracker}")


def test_structlog_events_and_tracebacks_are_masked(
    rasa_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    log = structlog.get_logger()
    tracker = {
        "slots": {"contact": "０１０\u00a0２３４５\u00a0６７８９"},
        "latest_message": {"text": "주민번호 850314.2345678, 메일 minji@example.com"},
    }
    log.debug("processor.message", user_message="번호는 010\u20092345\u20096789 입니다")
    try:
        _fail(tracker)
    except ValueError:
        log.error("processor.failed", tracker=tracker, exc_info=True)
    text = caplog.text
    assert "processor.failed" in text and "_fail" in text  # the traceback is there
    assert "010-****-6789" in text and "850314-*******" in text
    # The JSON escapes non-ASCII characters, and the repr inside it escapes them once more:
    # read the line the way a person (or a script) would.
    for reading in (text, _unescaped(text), _unescaped(_unescaped(text))):
        for clear in CLEAR:
            assert clear not in reading, (clear, reading)


def _unescaped(text: str) -> str:
    return text.encode("ascii", "backslashreplace").decode("unicode_escape")
