"""Reading free-text answers to form questions (yes/no, categories, new values)."""

from __future__ import annotations

import re

from bot.nlp.input_guard import sanitize
from bot.nlp.normalize import normalize_phone, parse_amount, parse_date

NEGATIVE = re.compile(
    r"아니|없|않|안\s*(?:해|돼|다쳤|함)|싫|거절|비동의|ㄴㄴ|\bno\b|\bnope\b|\bnot\b|\bnone\b|"
    r"\bnobody\b|\bdon'?t\b|\bdo not\b|\bdisagree\b",
    re.IGNORECASE,
)
POSITIVE = re.compile(
    r"네|예|응|ㅇㅇ|있어|있습|다쳤|동의|좋아|괜찮|그래|\byes\b|\byeah\b|\byep\b|\bsure\b|"
    r"\bok(?:ay)?(?![a-z])|오케이|ㅇㅋ|\bagree\b|\bsubmit\b|\bgo ahead\b|\bfile it\b|"
    r"\bproceed\b|\blooks good\b|접수해|진행해|넣어\s*주|\binjured\b|\bhurt\b",
    re.IGNORECASE,
)


# Words that make a sentence about people being hurt (or not): "다친 사람은 없어요".
INJURY_WORDS = re.compile(
    r"다치|다쳤|다친|부상|병원|응급실|입원|골절|아파(?!트)|아프|통증|뻐근|삐었|피가|injur|hurt|hospital|"
    r"broke (?:his|her|my|their) \w+|bleed|pain|whiplash|a&e|emergency room",
    re.IGNORECASE,
)


# Whether the customer agrees to be contacted, said in passing ("연락 주셔도 돼요").
CONSENT_WORDS = re.compile(
    r"연락\s*(?:은|는)?\s*(?:\S+\s+)?(?:주셔도|주세요|주시면|줘도|해\s*주세요|주시는\s*거)|"
    r"전화\s*(?:주셔도|주세요|주시면)|문자로|"
    r"\b(?:call|ring|phone|contact|text) me\b|happy (?:for you )?to (?:be )?(?:called|contacted)|"
    r"contacting me (?:is )?(?:fine|ok)|fine to (?:call|contact|ring)",
    re.IGNORECASE,
)
NO_CONSENT = re.compile(
    r"연락\s*(?:은|는)?\s*(?:하지\s*마|안\s*(?:주셔도|하셔도|해도)|사양)|"
    r"\b(?:don'?t|do not) (?:call|ring|phone|contact)",
    re.IGNORECASE,
)


def parse_yes_no(text: str | None) -> str | None:
    """ "yes", "no" or None; negation wins because "동의 안 해요" contains "동의"."""
    if text in ("yes", "no"):
        return text
    cleaned = sanitize(text)
    if NEGATIVE.search(cleaned):
        return "no"
    if POSITIVE.search(cleaned):
        return "yes"
    return None


COMPLAINT_KEYWORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "claim_delay",
        re.compile(
            r"지연|늦|안\s*나와|오래|(?:주|달|개월)\s*(?:넘|지났|째)|아직도|연락(?:이|도)\s*없|"
            r"delay|slow|late|waiting|weeks|months|still no|no word",
            re.I,
        ),
    ),
    (
        "claim_decision",
        re.compile(
            r"부지급|거절|결정|삭감|적게|이의|denied|declin|decision|amount|turned down|"
            r"rejected|refused|wouldn'?t pay|won'?t pay",
            re.I,
        ),
    ),
    (
        "sales_conduct",
        re.compile(r"설계사|판매|가입\s*시|설명\s*없|불완전|mis-?sold|sale|agent", re.I),
    ),
    ("staff_conduct", re.compile(r"직원|상담원|불친절|태도|staff|rude|employee", re.I)),
    ("billing", re.compile(r"보험료|수납|이체|결제|출금|청구서|bill|charge|premium|debit", re.I)),
]


def complaint_category(text: str | None) -> str:
    """A category for any description; "other" when nothing fits (never refuse)."""
    cleaned = sanitize(text)
    if cleaned in {key for key, _ in COMPLAINT_KEYWORDS} | {"other"}:
        return cleaned
    for category, pattern in COMPLAINT_KEYWORDS:
        if pattern.search(cleaned):
            return category
    return "other"


PAYMENT_METHODS: list[tuple[str, re.Pattern[str]]] = [
    ("card", re.compile(r"카드|card", re.I)),
    ("auto_debit", re.compile(r"자동\s*이체|계좌|출금|direct\s*debit|bank|account", re.I)),
    ("virtual_account", re.compile(r"가상\s*계좌|무통장|virtual", re.I)),
]


def change_value(change_type: str, text: str | None, today) -> str | None:  # noqa: ANN001
    """The canonical new value for a change request, or None when it cannot be used."""
    cleaned = sanitize(text)
    if change_type == "sum_insured":
        money = parse_amount(cleaned)
        return f"{money.amount} {money.currency}" if money and money.amount > 0 else None
    if change_type == "period":
        result = parse_date(cleaned, today)
        return result.value.isoformat() if result.value and result.value > today else None
    if change_type == "contact":
        return normalize_phone(cleaned)
    if change_type == "payment_method":
        for method, pattern in sorted(
            PAYMENT_METHODS, key=lambda item: item[0] != "virtual_account"
        ):
            if pattern.search(cleaned):
                return method
        return None
    if change_type == "beneficiary":
        return cleaned if 2 <= len(cleaned) <= 50 else None
    if change_type == "address":
        return cleaned if 5 <= len(cleaned) <= 200 else None
    return None
