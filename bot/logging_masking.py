"""Masks phone, resident-registration, card numbers and e-mails in every log record."""

from __future__ import annotations

import logging

from bot.nlp.pii import mask_pii

_installed = False


def install_log_masking() -> None:
    """Wraps the log record factory once, so records from every library are masked."""
    global _installed
    if _installed:
        return
    original = logging.getLogRecordFactory()

    def masked_record(*args, **kwargs) -> logging.LogRecord:  # noqa: ANN002, ANN003
        record = original(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the caller's bug; leave it as it is
            return record
        masked = mask_pii(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return record

    logging.setLogRecordFactory(masked_record)
    _installed = True
