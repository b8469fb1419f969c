"""Quotes: the sentence closest to the question, its paragraph, and the lead of an item."""

from __future__ import annotations

import numpy as np

from knowledge.policy_data import Clause
from knowledge.quotes import Quote, Sentence, SentenceIndex, paragraph_citation, paragraph_marker

TEXT = (
    "① 회사는 보험료를 받은 때부터 보장합니다.\n"
    "② 회사는 다음 중 어느 하나에 해당하면 계약을 해지할 수 없습니다.\n"
    "1. 회사가 계약 당시에 그 사실을 알았던 경우\n"
    "2. 보험설계사가 사실대로 알릴 기회를 주지 않은 경우"
)


def clause() -> Clause:
    return Clause(
        clause_id="x-001", product="auto", article=12, title_ko="해지", title_en="Cancelling",
        topics=(), text_ko=TEXT, text_en="", plain_ko="", plain_en="", example_ko="",
        example_en="", action_ko="", action_en="", related=(), chapter_ko="", chapter_en="",
        product_name_ko="개인용 자동차보험", product_name_en="personal auto insurance",
    )


def index(query_row: int) -> tuple[SentenceIndex, np.ndarray]:
    lines = [line[2:] if line[0] in "①②" else line for line in TEXT.splitlines()]
    sentences = [Sentence("x-001", "ko", 1 if i == 0 else 2, line) for i, line in enumerate(lines)]
    vectors = np.eye(4, dtype=np.float32)
    return SentenceIndex(sentences, vectors), vectors[query_row]


def test_the_closest_sentence_is_quoted_with_its_paragraph():
    sentences, query = index(0)
    quote = sentences.quote(clause(), "ko", query)
    assert (quote.paragraph, quote.label, quote.lead) == (1, "제12조 ①", "")
    assert quote.quoted() == "회사는 보험료를 받은 때부터 보장합니다."


def test_an_item_is_quoted_after_the_sentence_it_completes():
    sentences, query = index(3)
    quote = sentences.quote(clause(), "ko", query)
    assert quote.paragraph == 2 and quote.sentence.startswith("2. 보험설계사")
    assert quote.lead == "회사는 다음 중 어느 하나에 해당하면 계약을 해지할 수 없습니다."
    assert quote.quoted() == f"{quote.lead} … {quote.sentence}"
    assert "1. 회사가" in quote.paragraph_text and "2. 보험설계사" in quote.paragraph_text


def test_without_a_question_the_first_sentence_is_quoted():
    sentences, _query = index(0)
    assert sentences.quote(clause(), "ko", None).paragraph == 1


def test_paragraph_citations_in_both_languages():
    quote = Quote("x-001", "ko", 2, "제12조 ②", "…", "…")
    assert paragraph_citation(clause(), quote, "ko") == "개인용 자동차보험 제12조(해지) ②"
    assert paragraph_citation(clause(), quote, "en") == (
        "Personal auto insurance, Article 12(2) (Cancelling)"
    )
    assert paragraph_citation(clause(), None, "ko") == "개인용 자동차보험 제12조(해지)"
    assert paragraph_marker(3, "ko") == "③" and paragraph_marker(3, "en") == "(3)"
