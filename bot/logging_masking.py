"""Masks phone, resident-registration, card numbers and e-mails in everything that is logged.

Exception tracebacks carry whole trackers and messages, so masking the message alone is not
enough: what must be masked is the finished line, traceback and stack included. Handlers are
configured by Rasa, Sanic, uvicorn and coloredlogs at different times, often after this
module is imported, so ``install_log_masking`` does not wrap handlers one by one; it
patches ``logging.Handler.format``, through which every standard handler (stream, file,
rotating, syslog, queue, ``logging.lastResort``) turns a record into text, including those
created later. Two more layers cover what does not go through a handler's ``format``:

- the log record factory masks ``msg``/``args``, the stack and the formatted traceback
  (cached in ``exc_text``, which every ``logging.Formatter`` reuses) as records are made,
  for code that reads records directly (test log capture, custom handlers);
- ``sys.excepthook`` and ``threading.excepthook`` mask uncaught exceptions, which Python
  prints to stderr (the service's log file) without logging.

``MaskingFormatter`` is the same masking as a formatter class, for ``dictConfig`` or
``handler.setFormatter`` where a formatter is wanted explicitly.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

from bot.nlp.pii import mask_pii

_installed = False
_PLAIN_FORMATTER = logging.Formatter()


class MaskingFormatter(logging.Formatter):
    """A ``logging.Formatter`` whose whole output, traceback and stack included, is masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_pii(super().format(record))

    def formatException(self, ei: Any) -> str:
        return mask_pii(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return mask_pii(super().formatStack(stack_info))


def _masking_record_factory(original: Any) -> Any:
    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = original(*args, **kwargs)
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_pii(_PLAIN_FORMATTER.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = mask_pii(record.stack_info)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the caller's bug; leave it as it is
            return record
        masked = mask_pii(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return record

    return masked_record


def _masking_handler_format(original: Any) -> Any:
    def format(self: logging.Handler, record: logging.LogRecord) -> str:
        return mask_pii(original(self, record))

    format._bodam_masking = True  # type: ignore[attr-defined]
    return format


def _print_masked_exception(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    text = "".join(traceback.format_exception(kind, value, tb))
    sys.stderr.write(mask_pii(text))
    sys.stderr.flush()


def _masked_excepthook(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    _print_masked_exception(kind, value, tb)


def _masked_thread_excepthook(args: Any) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else threading.get_ident()
    sys.stderr.write(f"Exception in thread {name}:\n")
    _print_masked_exception(args.exc_type, args.exc_value, args.exc_traceback)


def install_log_masking() -> None:
    """Masks every log line from now on, whoever configures logging later. Idempotent."""
    global _installed
    if _installed:
        return
    if not getattr(logging.Handler.format, "_bodam_masking", False):
        logging.Handler.format = _masking_handler_format(logging.Handler.format)  # type: ignore[method-assign]
    logging.setLogRecordFactory(_masking_record_factory(logging.getLogRecordFactory()))
    sys.excepthook = _masked_excepthook
    threading.excepthook = _masked_thread_excepthook
    _installed = True
