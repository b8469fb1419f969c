"""Documents each kind of claim needs, in both languages."""

from __future__ import annotations

COMMON: dict[str, list[str]] = {
    "ko": ["보험금 청구서", "신분증 사본", "보험금을 받을 통장 사본"],
    "en": ["claim form", "copy of your ID", "copy of the bank book for the payment"],
}

BY_INCIDENT_TYPE: dict[str, dict[str, list[str]]] = {
    "collision": {
        "ko": [
            "사고 현장 사진",
            "블랙박스 영상(있는 경우)",
            "수리 견적서",
            "교통사고사실확인원(경찰 신고 시)",
        ],
        "en": [
            "photos of the scene",
            "dashcam video if any",
            "repair estimate",
            "police accident report if the police were called",
        ],
    },
    "theft": {
        "ko": ["경찰 도난 신고 접수증", "도난품 구입 영수증 또는 사진"],
        "en": ["police theft report", "receipts or photos of the stolen items"],
    },
    "fire": {
        "ko": ["화재증명원(소방서 발급)", "피해 사진", "복구 견적서"],
        "en": ["fire certificate from the fire station", "photos of the damage", "repair estimate"],
    },
    "water_damage": {
        "ko": ["누수·침수 부위 사진", "누수 원인 확인서(수리업체)", "수리 견적서 또는 영수증"],
        "en": [
            "photos of the leak or flooding",
            "plumber's note on the cause",
            "repair estimate or invoice",
        ],
    },
    "natural_disaster": {
        "ko": ["피해 사진", "피해사실확인서(주민센터)", "복구 견적서"],
        "en": [
            "photos of the damage",
            "damage confirmation from the local office",
            "repair estimate",
        ],
    },
    "injury": {
        "ko": ["진단서", "진료비 영수증과 세부내역서", "입원 시 입퇴원확인서"],
        "en": [
            "medical certificate",
            "hospital receipts with itemised bill",
            "admission and discharge record if admitted",
        ],
    },
    "illness": {
        "ko": ["진료비 영수증", "진료비 세부내역서", "처방전 또는 진단서(질병코드 포함)"],
        "en": [
            "medical receipts",
            "itemised bill",
            "prescription or diagnosis with the disease code",
        ],
    },
    "baggage": {
        "ko": [
            "현지 경찰 도난 신고서 또는 항공사 사고 확인서(PIR)",
            "물품 구입 영수증",
            "여권·항공권 사본",
        ],
        "en": [
            "local police report or the airline's property irregularity report",
            "receipts for the items",
            "copies of passport and ticket",
        ],
    },
    "flight_delay": {
        "ko": ["항공사 지연·결항 확인서", "항공권·탑승권 사본", "지연으로 쓴 식비·숙박비 영수증"],
        "en": [
            "airline delay or cancellation letter",
            "ticket and boarding pass",
            "receipts for meals and hotel caused by the delay",
        ],
    },
    "other": {
        "ko": ["사고 내용을 보여 주는 자료(사진·영수증 등)"],
        "en": ["anything that shows what happened (photos, receipts)"],
    },
}


def documents_for(incident_type: str | None, language: str) -> list[str]:
    specific = BY_INCIDENT_TYPE.get(incident_type or "", {}).get(language, [])
    return COMMON[language] + specific


def documents_text(incident_type: str | None, language: str) -> str:
    return "\n".join(f"- {item}" for item in documents_for(incident_type, language))
