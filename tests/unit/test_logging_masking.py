"""Log masking: finished lines, tracebacks and stacks, whoever configures the handlers."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import logging_masking
from bot.logging_masking import MaskingFormatter, install_log_masking

REPO = Path(__file__).resolve().parents[2]
PHONE, RRN = "010 2345 6789", "850314.2345678"
CLEAR = ("2345 6789", "2345678", "2345", "２３４５")


def _tracker_like() -> dict:
    return {
        "sender_id": "kakao:1",
        "slots": {"contact": "０１０\u00a0２３４５\u00a0６７８９"},
        "events": [{"event": "user", "text": f"번호 {PHONE}, 주민번호 {RRN}"}],
    }


def _fail_with_tracker() -> None:
    tracker = _tracker_like()
    raise ValueError(f"could not handle tracker {tracker}")


def _assert_masked(text: str) -> None:
    for clear in CLEAR:
        assert clear not in text, text
    assert "6789" in text  # the masked forms are there, not dropped
    assert "850314-*******" in text


@pytest.fixture()
def logger() -> Iterator[logging.Logger]:
    install_log_masking()
    log = logging.getLogger(f"bodam.test.{id(object())}")
    log.propagate = False
    log.setLevel(logging.DEBUG)
    yield log
    for handler in list(log.handlers):
        log.removeHandler(handler)


def _stream_handler(log: logging.Logger, formatter: logging.Formatter | None = None) -> io.StringIO:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter or logging.Formatter("%(levelname)s %(name)s %(message)s"))
    log.addHandler(handler)
    return stream


def test_a_real_traceback_is_masked_in_a_handler_added_after_installing(
    logger: logging.Logger,
) -> None:
    stream = _stream_handler(logger)
    try:
        _fail_with_tracker()
    except ValueError:
        logger.exception("action failed for %s", PHONE)
    output = stream.getvalue()
    assert "Traceback (most recent call last)" in output
    assert "_fail_with_tracker" in output
    _assert_masked(output)
    assert "010-****-6789" in output.splitlines()[0]


def test_handlers_from_dict_config_are_masked(logger: logging.Logger) -> None:
    stream = io.StringIO()
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"plain": {"format": "%(message)s"}},
            "handlers": {
                "memory": {"class": "logging.StreamHandler", "stream": stream, "formatter": "plain"}
            },
            "loggers": {logger.name: {"handlers": ["memory"], "level": "DEBUG"}},
        }
    )
    try:
        _fail_with_tracker()
    except ValueError as error:
        logger.error("failed: %s", error, exc_info=True)
    _assert_masked(stream.getvalue())


def test_stack_info_is_masked(logger: logging.Logger) -> None:
    stream = _stream_handler(logger)
    logger.info("checking", stack_info=True)  # 010 2345 6789 / 850314.2345678 in the stack
    output = stream.getvalue()
    assert "Stack (most recent call last)" in output
    _assert_masked(output)


def test_records_read_directly_are_masked(logger: logging.Logger) -> None:
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger.addHandler(Collect())
    try:
        _fail_with_tracker()
    except ValueError:
        logger.exception("tracker %s", _tracker_like())
    (record,) = records
    _assert_masked(record.getMessage() + "\n" + (record.exc_text or ""))
    assert "Traceback" in record.exc_text


def test_masking_formatter_on_its_own() -> None:
    try:
        _fail_with_tracker()
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "tracker dump", (), exc_info)
    record.exc_text = None  # a record made without the factory
    formatter = MaskingFormatter("%(message)s")
    _assert_masked(formatter.format(record))
    _assert_masked(formatter.formatException(exc_info))
    _assert_masked(formatter.formatStack(f"line with {PHONE} and {RRN}"))


def test_uncaught_exceptions_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        _fail_with_tracker()
    except ValueError:
        logging_masking._masked_excepthook(*sys.exc_info())
    _assert_masked(capsys.readouterr().err)


def test_uncaught_exceptions_in_threads_are_masked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threading, "excepthook", logging_masking._masked_thread_excepthook)
    thread = threading.Thread(target=_fail_with_tracker, name="worker")
    thread.start()
    thread.join()
    err = capsys.readouterr().err
    assert "Exception in thread worker" in err
    _assert_masked(err)


def test_installing_twice_wraps_once() -> None:
    install_log_masking()
    wrapped = logging.Handler.format
    logging_masking._installed = False
    try:
        install_log_masking()
        assert logging.Handler.format is wrapped
    finally:
        logging_masking._installed = True


def test_ordinary_lines_are_unchanged(logger: logging.Logger) -> None:
    stream = _stream_handler(logger, logging.Formatter("%(message)s"))
    line = "claim CLM-2026-000123 for AU20250001 on 2026-11-25, 1,200,000원, 1588-1234"
    logger.info(line)
    assert stream.getvalue() == line + "\n"


def test_json_with_ascii_escapes_is_masked(logger: logging.Logger) -> None:
    stream = _stream_handler(logger, logging.Formatter("%(message)s"))
    try:
        _fail_with_tracker()
    except ValueError as error:
        logger.error(json.dumps({"tracker": _tracker_like(), "error": repr(error)}))
    output = stream.getvalue()
    decoded = output.encode("ascii", "backslashreplace").decode("unicode_escape")
    for reading in (output, decoded):
        _assert_masked(reading)


def test_a_process_that_crashes_leaves_no_clear_number_on_stderr() -> None:
    script = "\n".join(
        [
            "import logging, threading",
            "from bot.logging_masking import install_log_masking",
            "install_log_masking()",
            "logging.basicConfig(format='%(levelname)s %(message)s')",
            f"logging.getLogger('bodam').warning('caller %s', {PHONE!r})",
            f"def worker(tracker={_tracker_like()!r}):",
            "    raise KeyError(tracker)",
            "thread = threading.Thread(target=worker, name='worker')",
            "thread.start(); thread.join()",
            f"raise ValueError({_tracker_like()!r})",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    err = result.stderr
    assert "WARNING caller 010-****-6789" in err
    assert "Exception in thread worker" in err and "KeyError" in err
    assert "ValueError" in err and "Traceback" in err
    _assert_masked(err)
