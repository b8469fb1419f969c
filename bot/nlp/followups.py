"""Follow-up questions about something just shown: "그럼 돈은 언제 들어와요?"."""

from __future__ import annotations

import re

_PAYMENT = re.compile(
    r"돈|입금|지급|받을\s*수|받나요|받아요|들어와|들어오|언제\s*(?:나와|나오)|"
    r"\bpaid\b|\bpay(?:ment|out)?\b|\bmoney\b|\breceive\b|\bget\s+(?:my\s+)?(?:money|paid)\b",
    re.IGNORECASE,
)


_CLAIM_HERE = re.compile(
    r"(?:청구|접수)\s*(?:를|도|는)?\s*(?:여기서|여기|바로|지금|챗봇으로)?\s*"
    r"(?:되나요|돼요|되죠|될까요|할\s*수\s*있|가능)|"
    r"\bcan i (?:claim|file|make a claim)\b|\b(?:want|need) to (?:claim|file a claim)\b",
    re.IGNORECASE,
)


def asks_to_claim_here(text: str) -> bool:
    """True for "실비 청구 여기서 되나요?": asking to make the claim, not about it."""
    return bool(_CLAIM_HERE.search(text))


def asks_about_payment(text: str) -> bool:
    """True for "when do I get the money?" kinds of questions."""
    return bool(_PAYMENT.search(text))
