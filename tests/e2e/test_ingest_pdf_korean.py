"""A Korean policy wording printed to PDF by Chromium (Hangul needs the CJK fonts that
`make chromium` installs), then ``python -m knowledge ingest`` and ``lint`` on it.

The page has a running header and "n / N" page numbers, as printed wordings do, and a narrow
column so that paragraphs wrap and go on over a page; ingest must drop the first two and join
the wrapped lines back. The wording is the one of tests/unit/knowledge/test_ingest.py.
"""

from __future__ import annotations

import html
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from knowledge.settings import REPO_ROOT
from tests.unit.knowledge.test_ingest import (
    ARTICLES,
    CHAPTERS,
    PARAGRAPHS,
    PRODUCT,
    TITLE_KO,
    assert_structure,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]
HEADER = "에이크미손해보험 약관 (2026년 판)"


@pytest.fixture(autouse=True)
def one_customer_per_test() -> Iterator[None]:
    """This suite's conftest resets the case store of the running stack after each test;
    this test needs no stack, so it must not start one."""
    yield


def _page_html() -> str:
    parts = [f"<h1>{html.escape(TITLE_KO)}</h1>"]
    chapter = None
    for article in ARTICLES:
        if article.chapter != chapter:
            chapter = article.chapter
            parts.append(f"<h2>{html.escape(CHAPTERS[chapter][0])}</h2>")
        parts.append(f"<h3>제{article.number}조({html.escape(article.title_ko)})</h3>")
        parts += [f"<p>{html.escape(line)}</p>" for line in article.ko]
    # keep-all: Korean documents wrap between words, as the joining of lines assumes
    style = (
        "body { font-family: 'Noto Sans CJK KR', sans-serif; font-size: 15px; width: 300px;"
        " word-break: keep-all; } h1 { font-size: 20px; } h2, h3 { font-size: 16px; }"
        " p { margin: 0 0 4px 0; }"
    )
    return f"<html lang='ko'><head><meta charset='utf-8'><style>{style}</style></head>" \
           f"<body>{''.join(parts)}</body></html>"


def _print_pdf(path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed at /usr/bin/chromium: run `make chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True, timeout=30_000)
        try:
            page = browser.new_page()
            page.set_content(_page_html())
            page.pdf(
                path=str(path),
                width="110mm",
                height="150mm",
                margin={"top": "18mm", "bottom": "18mm", "left": "10mm", "right": "10mm"},
                display_header_footer=True,
                header_template=f"<div style='font-size:8px;width:100%;text-align:center'>"
                                f"{html.escape(HEADER)}</div>",
                footer_template="<div style='font-size:8px;width:100%;text-align:center'>"
                                "<span class='pageNumber'></span> / "
                                "<span class='totalPages'></span></div>",
            )
        finally:
            browser.close()


def _knowledge(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "knowledge", *map(str, args)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def test_korean_pdf_is_ingested_like_the_text_version(tmp_path):
    source = tmp_path / "약관.pdf"
    _print_pdf(source)
    from pypdf import PdfReader

    pages = [page.extract_text().splitlines() for page in PdfReader(str(source)).pages]
    assert len(pages) >= 2
    assert all(any("에이크미손해보험" in line for line in page) for page in pages)
    assert [page[-1] for page in pages] == [f"{n} / {len(pages)}" for n in range(1, len(pages) + 1)]
    assert sum(len(page) for page in pages) > sum(len(a.ko) + 1 for a in ARTICLES) + 5  # wrapped

    kb_dir = tmp_path / "kb"
    out = kb_dir / "clauses" / f"{PRODUCT}.yml"
    completed = _knowledge("ingest", source, "--product", PRODUCT, "--out", out)
    assert completed.returncode == 0, completed.stderr
    assert f"5 articles, {sum(PARAGRAPHS)} paragraphs, gaps: plain_ko" in completed.stdout
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert document["title_ko"] == TITLE_KO
    assert "에이크미손해보험" not in out.read_text(encoding="utf-8")
    assert_structure(document["clauses"], ("ko",))

    linted = _knowledge("lint", "--kb", kb_dir)
    assert linted.returncode == 1
    assert linted.stdout.splitlines()[-1] == "5 of 5 clauses have gaps"
    assert f"{PRODUCT} {PRODUCT}-001: missing plain_ko, plain_en, topics" in linted.stdout
