"""How customers name the five products of spec/topics.yml, in Korean and English."""

from __future__ import annotations

from bot.nlp.terms import Forms, TermMatch, Vocabulary

PRODUCTS = ("auto", "home", "travel", "health", "accident")

PRODUCT_VOCABULARY = Vocabulary(
    (
        Forms(
            "auto",
            3,
            korean=(
                "개인용 자동차 보험", "자동차 보험", "차 보험", "운전자 보험", "오토바이 보험",
                "(?<![가-힣])자보", "자동차", "차량", "(?<![가-힣])자차",
            ),
            english=(
                "car insurance", "auto insurance", "motor insurance", "vehicle insurance",
                "car cover", "motor cover", "car policy", "auto policy", "motor policy",
                "automobile", "vehicle", "car", "cars", "motor",
                r"auto(?![\s\-]*(?:debit|pay|transfer|renew))",
            ),
        ),
        Forms(
            "home",
            3,
            korean=(
                "주택 화재 보험", "주택 종합 보험", "주택 화재", "화재 보험", "주택 보험",
                "집 보험", "홈 보험", "가정 보험", "주택",
            ),
            english=(
                "home fire insurance", "home insurance", "house insurance",
                "homeowners? insurance", "homeowner's insurance", "fire insurance",
                "property insurance", "contents insurance", "buildings insurance",
                "household insurance", "home cover", "house cover", "home policy",
            ),
        ),
        Forms(
            "travel",
            3,
            korean=(
                "해외 여행자 보험", "해외 여행 보험", "여행자 보험", "여행 보험", "해외 여행",
                "해외 출장", "여행",
            ),
            english=(
                "overseas travel insurance", "travel insurance", "travel cover", "travel policy",
                "trip insurance", "holiday insurance", "travel",
            ),
        ),
        Forms(
            "health",
            3,
            korean=(
                "실손 의료 보험", "실손 의료비 보험", "실손 의료비", "의료 실비", "실손 보험",
                "실비 보험", "의료비 보험", "의료 보험", "건강 보험", "실손", "실비",
            ),
            english=(
                "medical expenses? insurance", "health insurance", "medical insurance",
                "indemnity insurance", "medical cover", "health cover", "health plan",
                "medical", "health",
            ),
        ),
        Forms(
            "accident",
            3,
            korean=("상해 보험", "재해 보험", "상해"),
            english=(
                "personal accident insurance", "personal accident", "accident insurance",
                "accident cover", "accident policy", "injury insurance", "injury policy",
                "injury cover", "injury insurer",
            ),
        ),
    )
)  # fmt: skip


def find_products(text: str) -> list[TermMatch]:
    return PRODUCT_VOCABULARY.find(text)
