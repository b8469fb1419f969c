"""What a customer wants to change on a policy, mapped to the change types of the spec."""

from __future__ import annotations

from bot.nlp.terms import Forms, TermMatch, Vocabulary

CHANGE_TYPES = (
    "beneficiary", "sum_insured", "period", "address", "contact", "payment_method",
)  # fmt: skip

CHANGE_VOCABULARY = Vocabulary(
    (
        Forms(
            "beneficiary",
            3,
            korean=("보험 수익자", "수익자", "수혜자", "보험금 수령인", "수령인"),
            english=("beneficiary", "beneficiaries", "payee"),
        ),
        Forms(
            "sum_insured",
            3,
            korean=(
                "보험 가입 금액", "가입 금액", "보장 금액", "보험 금액", "보상 한도", "보장 한도",
                "가입 한도",
            ),
            english=(
                "sums? insured", "insured amount", "amount insured", "coverage amount",
                "cover amount", "amount of cover(?:age)?", "coverage limit", "cover limit",
                "policy limit",
            ),
        ),
        Forms("sum_insured", 1, korean=("한도",), english=("limit",)),
        Forms(
            "period",
            3,
            korean=(
                "보험 기간", "계약 기간", "보장 기간", "보험 종료일", "종료일", "만기일", "만기",
                "기간 연장", "연장",
            ),
            english=(
                "policy period", "period of (?:cover|insurance)", "coverage period",
                "insurance period", "end date", "expiry date", "expiration date",
                "extend(?:ed|ing)?", "extension",
            ),
        ),
        Forms("period", 1, korean=("기간",), english=("period",)),
        Forms(
            "address",
            3,
            korean=("집 주소", "주소", "이사(?![님회장])", "거주지", "사는 곳"),
            english=(
                "address", "moved house", "moving house", "moved to",
                "relocat(?:e|ed|ing|ion)",
            ),
        ),
        Forms(
            "contact",
            3,
            korean=(
                "연락처", "전화 번호", "휴대폰 번호", "핸드폰 번호", "휴대 전화 번호", "폰 번호",
                "이메일 주소", "메일 주소", "이메일",
            ),
            english=(
                "phone number", "mobile number", "cell number", "telephone number",
                "contact (?:details|number|info(?:rmation)?)", "e-?mail address", "e-?mail",
            ),
        ),
        Forms(
            "payment_method",
            3,
            korean=(
                "납입 방법", "납부 방법", "결제 방법", "결제 수단", "납입 수단", "자동 이체",
                "결제 계좌", "이체 계좌", "납입 계좌", "출금 계좌", "카드 결제", "결제 카드",
                "카드 납부", "카드로 납부", "계좌 이체", "카카오 페이",
            ),
            english=(
                "payment method", "method of payment", "payment details", "direct debit",
                r"auto[\s\-]?debit", r"auto[\s\-]?pay", "standing order", "bank account",
                "credit card", "debit card", "card payment", "pay by card", "bank transfer",
                r"kakao[\s\-]?pay",
            ),
        ),
        Forms("payment_method", 1, korean=("카드", "계좌", "이체"), english=("card",)),
    )
)  # fmt: skip


def find_change_types(text: str) -> list[TermMatch]:
    return CHANGE_VOCABULARY.find(text)
