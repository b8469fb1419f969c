"""Masking of personal data shown to callers."""

import re

from bot.nlp.pii import mask_pii

_DIGITS = re.compile(r"\d")


def mask_phone(phone: str | None) -> str | None:
    """``010-2345-6789`` -> ``010-****-6789``: keep the first 3 and last 4 digits only."""
    if phone is None:
        return None
    digits = _DIGITS.findall(phone)
    if len(digits) < 8:
        return "*" * len(phone)
    keep_head, keep_tail = 3, len(digits) - 4
    out: list[str] = []
    index = 0
    for char in phone:
        if char.isdigit():
            out.append(char if index < keep_head or index >= keep_tail else "*")
            index += 1
        else:
            out.append(char)
    return "".join(out)


def mask_phones_in_text(text: str) -> str:
    """Mask every phone number (and any other personal number or e-mail) in free text.

    The same masking as the bot's logs and tracker store (bot/nlp/pii.py): numbers are read
    by ``phonenumbers`` over normalised text, so spaced, dotted or full-width numbers count.
    """
    return mask_pii(text)
