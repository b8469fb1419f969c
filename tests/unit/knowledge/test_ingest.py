"""``python -m knowledge ingest`` and ``lint`` on a small pet-insurance wording written for these
tests, as text, Markdown, DOCX and an English PDF, each made here with the real libraries; then
loaded, embedded and searched like the shipped wordings.

The Korean PDF, which needs a browser to lay out Hangul, is in tests/e2e/test_ingest_pdf_korean.py
and uses the wording below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from knowledge.cli import main
from knowledge.ingest import IngestError, ingest
from knowledge.passages import clause_passages
from knowledge.policy_data import load_policy_data
from knowledge.wording import split_paragraphs

PRODUCT = "acme_pet"
TITLE_KO = "에이크미 반려동물보험 보통약관"
TITLE_EN = "Acme Pet Insurance - General Terms"
CHAPTERS = (
    ("제1장 일반사항", "Chapter 1 General provisions"),
    ("제2장 보상하는 손해와 보상하지 않는 손해", "Chapter 2 What is paid and what is not"),
)


@dataclass(frozen=True)
class SampleArticle:
    chapter: int  # index into CHAPTERS
    number: int
    title_ko: str
    title_en: str
    ko: tuple[str, ...]  # lines as printed: ①② paragraphs, 1. 2. items
    en: tuple[str, ...]


ARTICLES = (
    SampleArticle(0, 1, "목적", "Purpose", (
        "이 약관은 보험계약자가 보험료를 내고, 회사가 반려동물의 질병이나 상해로 생긴 치료비를 "
        "보상하는 데 필요한 사항을 정합니다.",
    ), (
        "These terms set out what is needed for the policyholder to pay premiums and for the "
        "Company to pay vet bills arising from an illness or injury of the pet.",
    )),
    SampleArticle(0, 2, "용어의 정의", "Definitions", (
        "① 이 약관에서 쓰는 말의 뜻은 다음과 같습니다.",
        "1. 반려동물: 보험증권에 등록번호가 적힌 개 또는 고양이를 말합니다.",
        "2. 동물병원: 「수의사법」에 따라 개설된 동물병원을 말합니다.",
        "② 이 약관에서 정하지 않은 말은 일반적인 뜻에 따릅니다.",
    ), (
        "(1) In these terms the following words have the meanings below.",
        "1. Pet: the dog or cat whose registration number is shown on the policy certificate.",
        "2. Animal hospital: a veterinary clinic opened under the Veterinarians Act.",
        "(2) Words not defined here have their ordinary meaning.",
    )),
    SampleArticle(0, 3, "보험기간", "Period of insurance", (
        "① 보험기간은 보험증권에 적힌 첫날 0시부터 마지막 날 24시까지입니다. 다만, 보험료를 "
        "받기 전에 생긴 사고는 보상하지 않습니다.",
        "② 반려동물이 보험기간 중에 죽으면 그때 계약이 끝납니다.",
    ), (
        "(1) Cover runs from 00:00 on the first day to 24:00 on the last day shown on the "
        "certificate. However, nothing is paid for an event before the premium is received.",
        "(2) If the pet dies during the period of insurance, the contract ends at that time.",
    )),
    SampleArticle(1, 4, "보상하는 손해", "Covered losses", (
        "① 회사는 반려동물이 보험기간 중에 질병이나 상해로 동물병원에서 치료를 받으면 "
        "치료비의 70%를 보상합니다.",
        "② 1회 통원 치료비는 15만원을 한도로 합니다.",
    ), (
        "(1) The Company pays 70% of vet bills when the pet is treated at an animal hospital "
        "for an illness or injury during the period of insurance.",
        "(2) Each outpatient visit is paid up to KRW 150,000.",
    )),
    SampleArticle(1, 5, "보상하지 않는 손해", "Exclusions", (
        "① 회사는 다음 중 어느 하나로 생긴 치료비는 보상하지 않습니다.",
        "1. 예방접종, 건강검진, 중성화 수술",
        "2. 미용 목적의 처치와 발톱 손질",
        "3. 보험기간이 시작되기 전부터 앓고 있던 질병",
        "② 치과 치료는 사고로 이가 부러진 경우에만 보상합니다.",
    ), (
        "(1) The Company does not pay for treatment arising from any of the following.",
        "1. Vaccinations, health check-ups and neutering",
        "2. Grooming and nail trimming",
        "3. An illness the pet already had before cover started",
        "(2) Dental treatment is paid only when a tooth is broken in an accident.",
    )),
)  # fmt: skip
PARAGRAPHS = [1, 2, 2, 2, 2]


def korean_lines(heading: str = "") -> list[str]:
    """The Korean version as lines; ``heading`` is put before chapter and article lines
    (Markdown "## ")."""
    lines, chapter = [], None
    for article in ARTICLES:
        if article.chapter != chapter:
            chapter = article.chapter
            lines += ["", f"{heading}{CHAPTERS[chapter][0]}"]
        lines.append(f"{heading}제{article.number}조({article.title_ko})")
        lines += article.ko
    return lines


def english_lines(bare_titles: bool = False) -> list[str]:
    lines, chapter = [], None
    for article in ARTICLES:
        if article.chapter != chapter:
            chapter = article.chapter
            lines += ["", CHAPTERS[chapter][1]]
        title = article.title_en if bare_titles else f"({article.title_en})"
        lines.append(f"Article {article.number} {title}")
        lines += article.en
    return lines


def korean_text() -> str:
    return "\n".join([TITLE_KO, *korean_lines()]) + "\n"


def english_text() -> str:
    return "\n".join([TITLE_EN, *english_lines()]) + "\n"


def clauses_of(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["clauses"]


def expected_text(lines: tuple[str, ...]) -> str:
    return "\n".join(lines) + "\n"


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    (folder / "clauses").mkdir(parents=True)
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main([*map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def ingested(capsys, source: Path, kb_dir: Path, *options: str) -> tuple[Path, str]:
    out = kb_dir / "clauses" / f"{PRODUCT}.yml"
    status, stdout, stderr = run(capsys, "ingest", source, "--product", PRODUCT,
                                 "--out", out, *options)
    assert status == 0, stderr
    return out, stdout


def assert_structure(clauses: list[dict], languages: tuple[str, ...]) -> None:
    """Everything the sample wording says, in the given languages; the others empty."""
    assert [c["id"] for c in clauses] == [f"{PRODUCT}-{n:03d}" for n in range(1, 6)]
    assert [c["article"] for c in clauses] == [1, 2, 3, 4, 5]
    for clause, article, paragraphs in zip(clauses, ARTICLES, PARAGRAPHS, strict=True):
        for index, language in enumerate(("ko", "en")):
            if language in languages:
                assert clause[f"title_{language}"] == getattr(article, f"title_{language}")
                assert clause[f"chapter_{language}"] == CHAPTERS[article.chapter][index]
                assert clause[f"text_{language}"] == expected_text(getattr(article, language))
                assert len(split_paragraphs(clause[f"text_{language}"])) == paragraphs
            else:
                assert clause[f"title_{language}"] == clause[f"text_{language}"] == ""
                assert {f"title_{language}", f"text_{language}"} <= set(clause["gaps"])
        for name in ("plain", "example", "action"):
            assert clause[f"{name}_ko"] == clause[f"{name}_en"] == ""
        assert clause["topics"] == [] and clause["related"] == []
        assert clause["gaps"][:7] == ["plain_ko", "plain_en", "topics", "example_ko",
                                      "example_en", "action_ko", "action_en"]


# --------------------------------------------------------------------------- formats


def test_bilingual_text_file_one_version_after_the_other(capsys, kb_dir, tmp_path):
    source = tmp_path / "wording.txt"
    source.write_text(korean_text() + "\n" + english_text(), encoding="utf-8")
    out, stdout = ingested(capsys, source, kb_dir)
    assert f"wrote {out}" in stdout
    assert "5 articles, 9 paragraphs, gaps: plain_ko, plain_en, topics" in stdout
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert (document["product"], document["title_ko"], document["title_en"]) == (
        PRODUCT, TITLE_KO, TITLE_EN)
    assert_structure(document["clauses"], ("ko", "en"))
    assert document["clauses"][0]["gaps"] == ["plain_ko", "plain_en", "topics", "example_ko",
                                             "example_en", "action_ko", "action_en"]


def test_markdown_with_headings_article_after_article_in_both_languages(capsys, kb_dir,
                                                                        tmp_path):
    lines = [f"# {TITLE_KO}", f"# {TITLE_EN}"]
    for article in ARTICLES:
        if article.number in (1, 4):
            lines += ["", f"## {CHAPTERS[article.chapter][0]}",
                      f"## {CHAPTERS[article.chapter][1]}"]
        lines += ["", f"### **제{article.number}조({article.title_ko})**", *article.ko]
        lines += ["", f"### Article {article.number} ({article.title_en})", *article.en]
    source = tmp_path / "wording.md"
    source.write_text("\n".join(lines) + "\n\n---\n", encoding="utf-8")
    out, _ = ingested(capsys, source, kb_dir)
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert (document["title_ko"], document["title_en"]) == (TITLE_KO, TITLE_EN)
    assert_structure(document["clauses"], ("ko", "en"))


def test_docx_english_only_with_bare_article_titles(capsys, kb_dir, tmp_path):
    from docx import Document

    document = Document()
    document.add_heading(TITLE_EN, level=0)
    for line in english_lines(bare_titles=True):
        if line.startswith(("Chapter", "Article")):
            document.add_heading(line, level=1 if line.startswith("Chapter") else 2)
        elif line:
            document.add_paragraph(line)
    source = tmp_path / "wording.docx"
    document.save(str(source))
    out, stdout = ingested(capsys, source, kb_dir)
    assert "gaps: plain_ko, plain_en, topics, example_ko, example_en, action_ko, action_en, " \
           "chapter_ko, title_ko, text_ko" in stdout
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert (saved["title_ko"], saved["title_en"]) == (PRODUCT, TITLE_EN)
    assert_structure(saved["clauses"], ("en",))


class _WordingPdf:
    """An English wording as fpdf2 prints it: a running header, "- n -" page numbers and the
    text wrapped to a narrow column over small pages, so that paragraphs go on over a page."""

    FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

    @classmethod
    def write(cls, path: Path) -> None:
        from fpdf import FPDF

        class Printed(FPDF):
            def header(self) -> None:
                self.set_font("DejaVu", size=8)
                self.cell(0, 6, "Acme Pet Insurance / policy wording (edition 2026)")
                self.ln(10)

            def footer(self) -> None:
                self.set_y(-15)
                self.set_font("DejaVu", size=8)
                self.cell(0, 6, f"- {self.page_no()} -", align="C")

        pdf = Printed(format=(105, 148))  # A6
        pdf.add_font("DejaVu", fname=str(cls.FONT))
        pdf.set_margins(12, 12, 12)
        pdf.set_auto_page_break(True, margin=18)
        pdf.add_page()
        pdf.set_font("DejaVu", size=11)
        for line in [TITLE_EN, *english_lines()]:
            if not line:
                continue
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.output(str(path))


def test_english_pdf_drops_headers_and_page_numbers_and_joins_lines(capsys, kb_dir, tmp_path):
    source = tmp_path / "wording.pdf"
    _WordingPdf.write(source)
    from pypdf import PdfReader

    pages = [page.extract_text().splitlines() for page in PdfReader(str(source)).pages]
    assert len(pages) >= 3
    assert all(page[0].startswith("Acme Pet Insurance / policy") for page in pages)
    assert [page[-1] for page in pages] == [f"- {n} -" for n in range(1, len(pages) + 1)]
    printed = sum(len(page) for page in pages)
    assert printed > len(english_lines()) + 3 * len(pages)  # lines were wrapped
    out, _ = ingested(capsys, source, kb_dir)
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert saved["title_en"] == TITLE_EN
    assert_structure(saved["clauses"], ("en",))
    assert "edition" not in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- options, errors


def test_language_option_keeps_one_version_and_titles_can_be_given(capsys, kb_dir, tmp_path):
    source = tmp_path / "wording.txt"
    source.write_text(korean_text() + english_text(), encoding="utf-8")
    out, _ = ingested(capsys, source, kb_dir, "--language", "ko", "--title-en", "Acme Pet")
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert (saved["title_ko"], saved["title_en"]) == (TITLE_KO, "Acme Pet")
    assert_structure(saved["clauses"], ("ko",))


def test_default_output_is_the_kb_clauses_folder_and_force_is_needed_to_overwrite(
    capsys, kb_dir, tmp_path, monkeypatch
):
    monkeypatch.setenv("BODAM_KB_DIR", str(kb_dir))
    source = tmp_path / "wording.txt"
    source.write_text(korean_text(), encoding="utf-8")
    target = kb_dir / "clauses" / f"{PRODUCT}.yml"
    assert run(capsys, "ingest", source, "--product", PRODUCT)[0] == 0
    first = target.read_text(encoding="utf-8")
    target.write_text(first.replace("목적", "손질한 제목"), encoding="utf-8")

    status, _, stderr = run(capsys, "ingest", source, "--product", PRODUCT)
    assert status == 1 and "exists" in stderr and "--force" in stderr
    assert "손질한 제목" in target.read_text(encoding="utf-8")

    assert run(capsys, "ingest", source, "--product", PRODUCT, "--force")[0] == 0
    assert target.read_text(encoding="utf-8") == first


def test_dry_run_prints_the_articles_and_writes_nothing(capsys, kb_dir, tmp_path):
    source = tmp_path / "wording.txt"
    source.write_text(korean_text(), encoding="utf-8")
    out = kb_dir / "clauses" / f"{PRODUCT}.yml"
    status, stdout, _ = run(capsys, "ingest", source, "--product", PRODUCT, "--out", out,
                            "--dry-run")
    assert status == 0 and not out.exists()
    assert f"{PRODUCT}-002  제2조(용어의 정의)  2 paragraphs" in stdout
    assert "5 articles, 9 paragraphs, gaps:" in stdout


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("wording.rtf", b"{\\rtf1 text}", "unknown extension .rtf"),
        ("wording.pdf", b"%PDF-1.7 this is not really a PDF", "not a readable PDF"),
        ("wording.docx", b"PK not a zip archive", "not a readable DOCX"),
        ("wording.txt", "보험에 관한 안내문일 뿐 조문이 없습니다.\n".encode(), "no article found"),
        ("wording.txt", b"\xff\xfe\xfa\xfb\x80\x81", "not UTF-8 or CP949"),
    ],
)
def test_unreadable_or_empty_documents_fail_with_a_clear_message(capsys, kb_dir, tmp_path, name,
                                                                 content, message):
    source = tmp_path / name
    source.write_bytes(content)
    out = kb_dir / "clauses" / f"{PRODUCT}.yml"
    status, _, stderr = run(capsys, "ingest", source, "--product", PRODUCT, "--out", out)
    assert status == 1
    assert message in stderr and stderr.startswith("ingest: ")
    assert not out.exists()


def test_missing_file_english_only_request_and_bad_product_key(kb_dir, tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        ingest(tmp_path / "absent.txt", PRODUCT, out=kb_dir / "x.yml")
    source = tmp_path / "wording.txt"
    source.write_text(korean_text(), encoding="utf-8")
    with pytest.raises(IngestError, match="no English article found"):
        ingest(source, PRODUCT, language="en", out=kb_dir / "x.yml")
    with pytest.raises(IngestError, match="lower-case"):
        ingest(source, "Acme Pet", out=kb_dir / "x.yml")


def test_cp949_text_page_numbers_and_a_cross_reference_at_a_line_start(kb_dir, tmp_path):
    lines = korean_lines()
    at = lines.index("② 1회 통원 치료비는 15만원을 한도로 합니다.")
    lines[at:at + 1] = ["② 1회 통원 치료비의 한도는", "- 2 -", "2 / 3",
                        "제3조(보험기간)에서 정한 기간마다 15만원으로 합니다."]
    source = tmp_path / "wording.txt"
    source.write_bytes(("\n".join(lines) + "\n").encode("cp949"))
    result = ingest(source, PRODUCT, out=kb_dir / "clauses" / "x.yml", dry_run=True)
    clause = result.document["clauses"][3]
    assert result.articles == 5
    assert clause["text_ko"].splitlines()[1] == (
        "② 1회 통원 치료비의 한도는 제3조(보험기간)에서 정한 기간마다 15만원으로 합니다.")
    assert result.document["title_ko"] == PRODUCT  # no title line: the product name


# --------------------------------------------------------------------------- loading and lint


def test_ingested_file_loads_with_gaps_and_its_own_product_name(capsys, kb_dir, tmp_path):
    source = tmp_path / "wording.txt"
    source.write_text(korean_text(), encoding="utf-8")
    ingested(capsys, source, kb_dir)
    data = load_policy_data(kb_dir)
    assert [c.clause_id for c in data.clauses] == [f"{PRODUCT}-{n:03d}" for n in range(1, 6)]
    product = data.products[PRODUCT]
    assert product.name_ko == TITLE_KO and product.name_en == PRODUCT
    clause = data.clauses[1]
    assert clause.citation("ko") == f"{TITLE_KO} 제2조(용어의 정의)"
    assert clause.gaps[:3] == ("plain_ko", "plain_en", "topics")
    assert "text_en" in clause.gaps and clause.topics == ()

    korean, = [p for p in clause_passages(clause) if p.language == "ko"]
    assert korean.text.startswith(f"{TITLE_KO} · 제1장 일반사항 · 용어의 정의. ① 이 약관에서")
    assert "1. 반려동물:" in korean.text
    assert [p.language for p in clause_passages(clause)] == ["ko"]  # nothing English to embed


def test_a_written_gap_stops_counting_and_plain_counts_even_when_not_listed(kb_dir):
    (kb_dir / "clauses" / "mini.yml").write_text(
        "product: mini\ntitle_ko: 미니보험\nclauses:\n"
        "  - {id: mini-001, article: 1, title_ko: 목적, text_ko: 본문, plain_ko: 설명,"
        " topics: [], gaps: [plain_ko, topics, review by legal]}\n",
        encoding="utf-8",
    )
    clause, = load_policy_data(kb_dir).clauses
    assert clause.gaps == ("plain_en", "topics", "review by legal")
    assert clause.product_name_en == "미니보험"


def test_lint_lists_the_ingested_gaps_and_exits_1(capsys, kb_dir, tmp_path):
    source = tmp_path / "wording.txt"
    source.write_text(korean_text() + english_text(), encoding="utf-8")
    ingested(capsys, source, kb_dir)
    clauses_file = kb_dir / "clauses" / f"{PRODUCT}.yml"
    document = yaml.safe_load(clauses_file.read_text(encoding="utf-8"))
    finished = document["clauses"][0]
    finished.update({f"{name}_{language}": "쓴 내용" if language == "ko" else "written"
                     for name in ("plain", "example", "action") for language in ("ko", "en")})
    finished.update(topics=["common.war_riot"], related=[f"{PRODUCT}-002"], gaps=[])
    document["clauses"][1].update(topics=["pet.no_such_topic"], related=["acme_pet-999"])
    clauses_file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    status, stdout, _ = run(capsys, "lint", "--kb", kb_dir)
    lines = stdout.splitlines()
    assert status == 1
    assert f"{PRODUCT}-001" not in stdout
    assert lines[0] == (f"{PRODUCT} {PRODUCT}-002: missing plain_ko, plain_en, example_ko, "
                        "example_en, action_ko, action_en; unknown topics pet.no_such_topic; "
                        "unknown related acme_pet-999")
    assert lines[1] == (f"{PRODUCT} {PRODUCT}-003: missing plain_ko, plain_en, topics, "
                        "example_ko, example_en, action_ko, action_en")
    assert lines[-1] == "4 of 5 clauses have gaps"


def test_lint_reports_an_unreadable_clause_file(capsys, kb_dir):
    (kb_dir / "clauses" / "broken.yml").write_text("clauses: [unclosed\n", encoding="utf-8")
    status, stdout, _ = run(capsys, "lint", "--kb", kb_dir)
    assert status == 1 and "broken.yml: unreadable" in stdout


def test_the_shipped_knowledge_base_lints_clean(capsys):
    status, stdout, _ = run(capsys, "lint")
    assert status == 0, stdout
    assert stdout.strip().endswith("clauses in 5 products: no gaps")


# --------------------------------------------------------------------------- retrieval


def test_a_customer_question_finds_the_ingested_clause_before_any_explanation(capsys, tmp_path):
    from knowledge import KnowledgeBase

    kb_dir = tmp_path / "kb"
    (kb_dir / "clauses").mkdir(parents=True)
    source = tmp_path / "wording.txt"
    source.write_text(korean_text() + english_text(), encoding="utf-8")
    ingested(capsys, source, kb_dir)
    kb = KnowledgeBase.load(kb_dir=kb_dir, cache_dir=tmp_path / "cache", progress=False)
    korean = kb.search("강아지 중성화 수술비도 보험금으로 받을 수 있나요?", top_k=3)
    assert korean[0].clause_id == f"{PRODUCT}-005"
    english = kb.search("Will you pay for getting my dog neutered?", top_k=3)
    assert english[0].clause_id == f"{PRODUCT}-005"
    assert english[0].product == PRODUCT
