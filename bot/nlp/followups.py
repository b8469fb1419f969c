"""Follow-up questions about something just shown: "그럼 돈은 언제 들어와요?"."""

from __future__ import annotations

import re

_PAYMENT = re.compile(
    r"돈|입금|지급|받을\s*수|받나요|받아요|들어와|들어오|언제\s*(?:나와|나오)|"
    r"\bpaid\b|\bpay(?:ment|out)?\b|\bmoney\b|\breceive\b|\bget\s+(?:my\s+)?(?:money|paid)\b",
    re.IGNORECASE,
)


def asks_about_payment(text: str) -> bool:
    """True for "when do I get the money?" kinds of questions."""
    return bool(_PAYMENT.search(text))
