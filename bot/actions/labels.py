"""Bilingual labels for the values the actions show to customers."""

from __future__ import annotations

Label = dict[str, str]

INCIDENT_TYPES: dict[str, Label] = {
    "collision": {"ko": "교통사고(충돌·접촉)", "en": "collision"},
    "theft": {"ko": "도난", "en": "theft"},
    "fire": {"ko": "화재", "en": "fire"},
    "water_damage": {"ko": "누수·침수", "en": "water damage"},
    "natural_disaster": {"ko": "자연재해", "en": "natural disaster"},
    "injury": {"ko": "상해(다침)", "en": "injury"},
    "illness": {"ko": "질병", "en": "illness"},
    "baggage": {"ko": "수하물·휴대품", "en": "baggage"},
    "flight_delay": {"ko": "항공기 지연·결항", "en": "flight delay"},
    "other": {"ko": "기타", "en": "other"},
}

CLAIM_STATUSES: dict[str, Label] = {
    "received": {"ko": "접수 완료", "en": "received"},
    "awaiting_documents": {"ko": "서류 보완 대기", "en": "waiting for documents"},
    "under_investigation": {"ko": "사고 조사 중", "en": "under investigation"},
    "loss_assessment": {"ko": "손해사정 중", "en": "loss assessment"},
    "approved": {"ko": "지급 승인", "en": "approved"},
    "paid": {"ko": "지급 완료", "en": "paid"},
    "denied": {"ko": "부지급 결정", "en": "declined"},
    "disputed": {"ko": "이의 제기 검토 중", "en": "under review after a dispute"},
}

CLAIM_NEXT_STEPS: dict[str, Label] = {
    "received": {
        "ko": "담당자가 배정되면 1영업일 안에 연락드립니다.",
        "en": "A claims handler will contact you within one business day.",
    },
    "awaiting_documents": {
        "ko": "필요한 서류를 앱이나 이메일(help@bodam.example)로 보내 주시면 "
        "바로 심사가 이어집니다.",
        "en": "Send the missing documents by app or e-mail (help@bodam.example) "
        "and the review continues.",
    },
    "under_investigation": {
        "ko": "사고 경위를 확인하고 있습니다. 조사가 필요한 경우 서류 접수 후 "
        "최대 30영업일이 걸릴 수 있으며, 늦어지면 이유를 알려 드립니다.",
        "en": "We are checking how the loss happened. An investigation can take up to 30 "
        "business days after the documents arrive; we tell you why if it takes longer.",
    },
    "loss_assessment": {
        "ko": "손해액을 산정하고 있습니다. 결과가 나오면 금액과 근거를 안내해 드립니다.",
        "en": "We are assessing the loss and will explain the amount and how it was worked out.",
    },
    "approved": {
        "ko": "지급이 승인되었습니다. 3영업일 안에 등록하신 계좌로 입금됩니다.",
        "en": "Payment is approved and reaches your account within 3 business days.",
    },
    "paid": {
        "ko": "보험금 지급이 끝났습니다. 금액에 이의가 있으시면 재심사를 요청하실 수 있어요.",
        "en": "The claim has been paid. If you disagree with the amount you can ask for a review.",
    },
    "denied": {
        "ko": "결정 사유서를 확인하시고, 이의가 있으시면 재심사나 분쟁조정을 신청하실 수 있어요.",
        "en": "Please read the decision letter; you can ask for a review or mediation.",
    },
    "disputed": {
        "ko": "이의 제기 내용을 검토하고 있습니다. 14일 안에 결과를 알려 드립니다.",
        "en": "We are reviewing your objection and will reply within 14 days.",
    },
}

COMPLAINT_CATEGORIES: dict[str, Label] = {
    "claim_delay": {"ko": "보험금 지급 지연", "en": "claim delay"},
    "claim_decision": {"ko": "보상 결정 불만", "en": "claim decision"},
    "sales_conduct": {"ko": "불완전 판매", "en": "how the policy was sold"},
    "staff_conduct": {"ko": "직원·설계사 응대", "en": "staff conduct"},
    "billing": {"ko": "보험료·수납", "en": "billing"},
    "other": {"ko": "기타", "en": "other"},
}

COMPLAINT_STATUSES: dict[str, Label] = {
    "received": {"ko": "접수", "en": "received"},
    "in_review": {"ko": "검토 중", "en": "in review"},
    "resolved": {"ko": "처리 완료", "en": "resolved"},
    "escalated": {"ko": "상위 부서 이관", "en": "escalated"},
}

CHANGE_TYPES: dict[str, Label] = {
    "beneficiary": {"ko": "보험수익자", "en": "beneficiary"},
    "sum_insured": {"ko": "보험가입금액", "en": "sum insured"},
    "period": {"ko": "보험기간", "en": "period of cover"},
    "address": {"ko": "주소", "en": "address"},
    "contact": {"ko": "연락처", "en": "contact details"},
    "payment_method": {"ko": "보험료 납입 방법", "en": "payment method"},
}

PAYMENT_METHODS: dict[str, Label] = {
    "card": {"ko": "카드", "en": "card"},
    "auto_debit": {"ko": "계좌 자동이체", "en": "direct debit"},
    "virtual_account": {"ko": "가상계좌", "en": "virtual account"},
}

YES_NO: dict[str, Label] = {
    "yes": {"ko": "예", "en": "yes"},
    "no": {"ko": "아니요", "en": "no"},
}

# When a claim is paid, by the standard terms of the product (the clauses list exceptions:
# lawsuits, mediation, investigations by authorities).
PAYMENT_RULES: dict[str, Label] = {
    "amount_agreed": {
        "ko": "자동차·주택화재보험은 보험금이 정해진 날부터 원칙적으로 7일 안에 지급해 드려요.",
        "en": "For motor and home cover we pay, as a rule, within 7 days of the amount "
        "being settled.",
    },
    "documents_complete": {
        "ko": "서류가 모두 접수된 날부터 원칙적으로 3영업일 안에 지급해 드려요. 조사가 필요하면 "
        "그 이유와 예상 시기를 미리 알려 드려요.",
        "en": "We pay, as a rule, within 3 business days of receiving all the documents. If "
        "an investigation is needed we tell you why and when to expect an answer.",
    },
}


def payment_rule_of(product: str | None) -> str:
    return "amount_agreed" if product in ("auto", "home") else "documents_complete"


PARTS_OF_DAY: dict[str, Label] = {
    "dawn": {"ko": "새벽", "en": "early morning"},
    "morning": {"ko": "오전", "en": "morning"},
    "noon": {"ko": "점심때", "en": "around noon"},
    "afternoon": {"ko": "오후", "en": "afternoon"},
    "evening": {"ko": "저녁", "en": "evening"},
    "night": {"ko": "밤", "en": "night"},
}

RELATIONSHIPS: dict[str, Label] = {
    "spouse": {"ko": "배우자", "en": "spouse"},
    "child": {"ko": "자녀", "en": "child"},
    "parent": {"ko": "부모", "en": "parent"},
    "sibling": {"ko": "형제자매", "en": "brother or sister"},
    "grandchild": {"ko": "손자녀", "en": "grandchild"},
    "grandparent": {"ko": "조부모", "en": "grandparent"},
}

# What each form value is called when it is shown back or corrected.
SLOT_NAMES: dict[str, Label] = {
    "policy_number": {"ko": "증권번호", "en": "policy number"},
    "birth_date": {"ko": "생년월일", "en": "date of birth"},
    "claim_id": {"ko": "청구번호", "en": "claim number"},
    "complaint_id": {"ko": "민원번호", "en": "complaint number"},
    "incident_type": {"ko": "사고 유형", "en": "what happened"},
    "incident_date": {"ko": "사고 날짜", "en": "date"},
    "incident_time": {"ko": "사고 시각", "en": "time"},
    "incident_place": {"ko": "사고 장소", "en": "place"},
    "incident_description": {"ko": "사고 내용", "en": "description"},
    "injuries": {"ko": "다친 사람", "en": "anyone hurt"},
    "contact_consent": {"ko": "담당자 연락 동의", "en": "handler may contact you"},
    "complaint_category": {"ko": "민원 유형", "en": "complaint about"},
    "complaint_description": {"ko": "민원 내용", "en": "what happened"},
    "complaint_desired_outcome": {"ko": "바라시는 처리", "en": "what you would like us to do"},
    "change_type": {"ko": "변경 항목", "en": "change"},
    "change_new_value": {"ko": "새 내용", "en": "new details"},
}

# Button titles for the topics the fallback offers.
INTENT_TOPICS: dict[str, Label] = {
    "report_claim": {"ko": "사고 접수", "en": "Report a claim"},
    "claim_status": {"ko": "청구 진행 조회", "en": "Claim status"},
    "claim_documents": {"ko": "청구 서류 안내", "en": "Claim documents"},
    "claim_dispute": {"ko": "보상 결과 이의 제기", "en": "Dispute a claim decision"},
    "change_policy": {"ko": "계약 내용 변경", "en": "Change my policy"},
    "cancel_policy": {"ko": "계약 해지·청약철회", "en": "Cancel a policy"},
    "pay_premium": {"ko": "보험료 납입", "en": "Paying premiums"},
    "file_complaint": {"ko": "민원 접수", "en": "Make a complaint"},
    "complaint_status": {"ko": "민원 처리 조회", "en": "Complaint status"},
    "loss_prevention": {"ko": "사고 예방 안내", "en": "Safety advice"},
    "value_added_services": {"ko": "부가 서비스", "en": "Extra services"},
    "contact_info": {"ko": "고객센터 안내", "en": "Contact details"},
    "ask_coverage": {"ko": "보장 여부 문의", "en": "Is it covered?"},
    "ask_exclusion": {"ko": "보상하지 않는 손해 문의", "en": "What is not covered"},
    "ask_product_info": {"ko": "상품 안내", "en": "Our products"},
    "ask_premium": {"ko": "보험료 문의", "en": "Premiums"},
    "recommend_product": {"ko": "상품 추천", "en": "Which cover fits me"},
    "ask_term": {"ko": "보험 용어 설명", "en": "Insurance terms"},
    "application_help": {"ko": "가입·고지 안내", "en": "Applying and disclosure"},
    "request_human": {"ko": "상담원 연결", "en": "Talk to a person"},
    "help": {"ko": "도움말", "en": "Help"},
}


def label(table: dict[str, Label], key: str | None, language: str) -> str:
    """The label in `language`, falling back to the raw key for unknown values."""
    if key is None:
        return "-"
    entry = table.get(key)
    return entry.get(language, entry["ko"]) if entry else key
