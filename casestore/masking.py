"""Masking of personal data shown to callers."""

import re

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


_PHONE_IN_TEXT = re.compile(r"(?<!\d)(0\d{1,2})([-. ]?)(\d{3,4})([-. ]?)(\d{4})(?!\d)")


def mask_phones_in_text(text: str) -> str:
    """Mask every Korean phone number found inside free text."""
    return _PHONE_IN_TEXT.sub(lambda m: m[1] + m[2] + "*" * len(m[3]) + m[4] + m[5], text)
