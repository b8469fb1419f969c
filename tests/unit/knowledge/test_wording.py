"""Paragraphs and sentences of clause wordings (knowledge.wording), on the shipped clauses and
on edge cases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from knowledge.settings import REPO_ROOT
from knowledge.wording import Paragraph, paragraph_label, split_paragraphs, split_sentences

AUTO = {
    clause["id"]: clause
    for clause in yaml.safe_load(
        (REPO_ROOT / "policies_kb" / "clauses" / "auto.yml").read_text(encoding="utf-8")
    )["clauses"]
}


# --------------------------------------------------------------------------- paragraphs


@pytest.mark.parametrize(("language", "markers"), [("ko", ["①", "②"]), ("en", ["(1)", "(2)"])])
def test_definitions_clause_has_two_paragraphs_with_the_items_inside_the_first(language, markers):
    paragraphs = split_paragraphs(AUTO["auto-002"][f"text_{language}"])
    assert [p.number for p in paragraphs] == [1, 2]
    assert [p.marker for p in paragraphs] == markers
    first = paragraphs[0].text.splitlines()
    assert len(first) == 9  # the lead-in and items 1. to 8.
    assert first[1].startswith("1. ") and first[8].startswith("8. ")
    assert not any(p.text.startswith(tuple(markers)) for p in paragraphs)


def test_every_shipped_auto_clause_splits_into_numbered_paragraphs_in_both_languages():
    for clause_id, clause in AUTO.items():
        korean = split_paragraphs(clause["text_ko"])
        english = split_paragraphs(clause["text_en"])
        assert len(korean) == len(english), clause_id
        numbers = [p.number for p in korean]
        assert numbers == [p.number for p in english], clause_id
        marked = [n for n in numbers if n is not None]
        assert marked == list(range(1, len(marked) + 1)), clause_id


def test_text_before_the_first_marker_and_text_without_markers():
    assert split_paragraphs("머리말입니다.\n① 첫째 항.\n② 둘째 항.") == [
        Paragraph(None, "", "머리말입니다."),
        Paragraph(1, "①", "첫째 항."),
        Paragraph(2, "②", "둘째 항."),
    ]
    assert split_paragraphs("이 약관은 회사가 정한 규칙입니다.") == [
        Paragraph(None, "", "이 약관은 회사가 정한 규칙입니다.")
    ]
    assert split_paragraphs("") == []
    assert split_paragraphs("  \n ") == []


def test_markers_count_only_at_the_start_of_a_line_and_in_one_style():
    text = (
        "① 제3조 ②에 따른 경우를 말합니다.\n"
        "(1) 이 줄은 ①항의 세목입니다.\n"
        "② Article 12(2) and (3) stay inside."
    )
    paragraphs = split_paragraphs(text)
    assert [p.number for p in paragraphs] == [1, 2]
    assert paragraphs[0].text == "제3조 ②에 따른 경우를 말합니다.\n(1) 이 줄은 ①항의 세목입니다."
    english = split_paragraphs("(1) See Article 4(2).\n(2) Second.\n(20) Twentieth.\n(21) Not one.")
    assert [p.number for p in english] == [1, 2, 20]
    assert english[-1].text == "Twentieth.\n(21) Not one."


def test_paragraph_labels():
    assert paragraph_label("12", 2, "ko") == "제12조 ②"
    assert paragraph_label(12, 2, "en") == "Article 12(2)"
    assert paragraph_label(12, None, "ko") == "제12조"
    assert paragraph_label(12, None, "en") == "Article 12"
    assert paragraph_label("5의2", 20, "ko") == "제5의2조 ⑳"
    assert paragraph_label(3, 21, "ko") == "제3조 ㉑"
    assert paragraph_label(3, 60, "ko") == "제3조 제60항"


# --------------------------------------------------------------------------- sentences


def _paragraph(clause_id: str, language: str, number: int) -> str:
    paragraphs = split_paragraphs(AUTO[clause_id][f"text_{language}"])
    return next(p.text for p in paragraphs if p.number == number)


def test_korean_proviso_starts_a_sentence():
    text = _paragraph("auto-003", "ko", 1)
    sentences = split_sentences(text, "ko")
    assert len(sentences) == 2
    assert sentences[0].endswith("끝납니다.")
    assert sentences[1].startswith("다만, ")


def test_english_however_starts_a_sentence():
    sentences = split_sentences(_paragraph("auto-003", "en", 1), "en")
    assert len(sentences) == 2
    assert sentences[1].startswith("However, ")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_numbered_items_are_whole_sentences(language):
    text = _paragraph("auto-002", language, 1)
    sentences = split_sentences(text, language)
    assert len(sentences) == 9
    assert all(sentences[i].startswith(f"{i}. ") for i in range(1, 9))
    first_item = "1. 기명피보험자:" if language == "ko" else "1. Named insured:"
    assert sentences[1].startswith(first_item)
    assert any("0.03%" in sentence for sentence in sentences)


def test_numbers_article_references_and_amounts_do_not_split():
    korean = "혈중알코올농도 0.03% 이상이면 제37조(보험기간의 변경)에 따릅니다. 한도는 1.5배입니다."
    assert split_sentences(korean, "ko") == [
        "혈중알코올농도 0.03% 이상이면 제37조(보험기간의 변경)에 따릅니다.",
        "한도는 1.5배입니다.",
    ]
    english = (
        "The limit is KRW 20 million. However, No. 3 applies to tools, bags, etc. and the "
        "driver (see Art. 5, e.g. a van, etc.) as well."
    )
    assert split_sentences(english, "en") == [
        "The limit is KRW 20 million.",
        "However, No. 3 applies to tools, bags, etc. and the driver (see Art. 5, e.g. a van, "
        "etc.) as well.",
    ]


def test_sentences_are_stripped_substrings_in_order():
    for clause_id in ("auto-001", "auto-002", "auto-003"):
        for language in ("ko", "en"):
            text = AUTO[clause_id][f"text_{language}"]
            position = 0
            for sentence in split_sentences(text, language):
                assert sentence == sentence.strip() and sentence
                found = text.find(sentence, position)
                assert found >= position, (clause_id, language, sentence)
                position = found + len(sentence)


def test_line_breaks_blank_lines_and_empty_text():
    assert split_sentences("", "ko") == []
    assert split_sentences(" \n ", "en") == []
    assert split_sentences("첫 문단입니다\n\n둘째 문단입니다", "ko") == [
        "첫 문단입니다", "둘째 문단입니다",
    ]
    assert split_sentences("다음과 같습니다:\n1. 전쟁\n2. 지진", "ko") == [
        "다음과 같습니다:", "1. 전쟁", "2. 지진",
    ]
    assert split_sentences("Cover for\nflood damage is paid.", "en") == [
        "Cover for\nflood damage is paid."
    ]


def test_every_english_sentence_of_the_auto_wording_opens_like_one():
    for clause_id, clause in AUTO.items():
        for sentence in split_sentences(clause["text_en"], "en"):
            assert sentence[0].isupper() or sentence[0] in "(“\"0123456789", (clause_id, sentence)


def test_concurrent_calls_give_the_same_sentences():
    texts = [(clause[f"text_{lang}"], lang) for clause in AUTO.values() for lang in ("ko", "en")]
    texts = texts[:24]
    expected = [split_sentences(text, language) for text, language in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda item: split_sentences(*item), texts * 3))
    assert results == expected * 3
