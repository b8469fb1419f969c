"""Errors the API returns: a stable code and a message in Korean and English.

Every error body has the same shape::

    {"error": "text_empty", "message": {"ko": "...", "en": "..."}}
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[int, str, str]] = {
    "unauthorized": (
        401,
        "로그인이 필요합니다. 상담원 콘솔에 다시 로그인해 주세요.",
        "Sign-in required. Please sign in to the agent console.",
    ),
    "login_failed": (
        401,
        "이름 또는 비밀번호가 올바르지 않습니다.",
        "Wrong name or password.",
    ),
    "too_many_attempts": (
        429,
        "로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.",
        "Too many sign-in attempts. Please wait a moment and try again.",
    ),
    "invalid_agent_name": (
        422,
        "상담원 이름은 1~40자의 한글, 영문, 숫자, '.', '_', '-'로 입력해 주세요.",
        "The agent name must be 1-40 letters (Hangul or Latin), digits, '.', '_' or '-'.",
    ),
    "text_empty": (
        422,
        "고객 발화가 비어 있습니다. 고객이 말한 내용을 입력해 주세요.",
        "The caller's text is empty. Please type or paste what the caller said.",
    ),
    "text_too_long": (
        422,
        "고객 발화가 너무 깁니다. 2,000자 이내로 입력해 주세요.",
        "The caller's text is too long. Please keep it under 2,000 characters.",
    ),
    "invalid_request": (
        422,
        '요청 형식이 올바르지 않습니다. JSON 본문 {"text": "..."}을 보내 주세요.',
        'The request is not valid. Send a JSON body like {"text": "..."}.',
    ),
    "request_too_large": (
        413,
        "요청이 너무 큽니다. 고객 발화는 2,000자 이내로 입력해 주세요.",
        "The request is too large. Keep the caller's text under 2,000 characters.",
    ),
    "invalid_case_id": (
        422,
        "조회할 수 없는 번호 형식입니다. 예: CLM-2026-000123, CMP-2026-000045, AU20250001",
        "That is not a case id. Examples: CLM-2026-000123, CMP-2026-000045, AU20250001",
    ),
    "invalid_subject_id": (
        422,
        "증권번호, 청구번호 또는 민원번호 형식이 아닙니다. 예: AU20250001, CLM-2026-000123",
        "That is not a policy, claim or complaint number. Examples: AU20250001, CLM-2026-000123",
    ),
    "not_found": (
        404,
        "해당 번호로 조회되는 건이 없습니다.",
        "No record was found for that id.",
    ),
    "clause_not_found": (
        404,
        "해당 약관 조항을 찾을 수 없습니다. 약관 검색 결과에서 다시 열어 주세요.",
        "No clause was found for that id. Open it again from the clause results.",
    ),
    "clause_search_unavailable": (
        503,
        "약관 검색을 사용할 수 없습니다. 잠시 후 다시 시도해 주세요.",
        "Clause search is unavailable. Please try again shortly.",
    ),
    "page_not_found": (
        404,
        "페이지를 찾을 수 없습니다.",
        "Page not found.",
    ),
    "case_store_unavailable": (
        503,
        "고객 정보 시스템에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.",
        "The case store cannot be reached. Please try again shortly.",
    ),
    "vendor_missing": (
        503,
        "웹 클라이언트 파일이 설치되지 않았습니다. make console-web 을 실행해 주세요.",
        "Web client files are not installed. Run `make console-web`.",
    ),
}


class ApiError(Exception):
    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.status = MESSAGES[code][0]
        self.extra = extra


def error_body(code: str, **extra: Any) -> dict[str, Any]:
    _, ko, en = MESSAGES[code]
    return {"error": code, "message": {"ko": ko, "en": en}, **extra}
