"""An insurer's own policy wording -> ``policies_kb/clauses/<product>.yml``.

``python -m knowledge ingest FILE --product NAME`` reads plain text, Markdown, DOCX or PDF and
finds the structure of Korean standard terms: ``제N장 제목`` chapters, ``제N조(제목)`` articles,
①② paragraphs and 1. 2. / 가. 나. items, and the English equivalents (``Chapter N Title``,
``Article N (Title)`` or ``Article N Title``, (1) (2) paragraphs). A bilingual document may
give both languages, article after article or one whole version after the other; articles are
paired by their number (and by their rider: numbering restarting at 1 starts a new section).

Only the wording is filled in. The explanations (plain, example, action) and the topic tags are
left empty and listed under ``gaps`` for an editor; retrieval works before they exist (see
``knowledge.passages``) and ``python -m knowledge lint`` lists what is still missing.

PDF text comes from pypdf, which gives every printed line as a line: page numbers and the
header and footer lines repeated on most pages are dropped, and lines are joined back into
paragraphs unless the next one opens a heading, a paragraph or an item.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge import settings
from knowledge.policy_data import GAP_FIELDS
from knowledge.wording import split_paragraphs

EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
# Every ingested clause lacks these: the explanations and the topic tags.
EDITORIAL_GAPS = GAP_FIELDS[: GAP_FIELDS.index("action_en") + 1]
_PRODUCT_KEY = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[A-Za-z]")

# Headings. A cross-reference that a PDF line break put at the start of a line ("제37조(보험기간의
# 변경)에 따릅니다", "Article 37 applies") must not read as one, hence the checks on what follows.
_CHAPTER_KO = re.compile(r"^제\s*(?P<number>\d+)\s*장(?:\s+(?P<title>.*))?$")
_CHAPTER_EN = re.compile(
    r"^CHAPTER\s+(?P<number>\d+|[IVXLC]+)(?:\s*[.:\-–—]?\s+(?P<title>.*))?$", re.IGNORECASE
)
_RIDER_KO = re.compile(r"^(?P<title>특별약관\s*\d+\s+\S.*)$")
_RIDER_EN = re.compile(r"^(?P<title>Special Terms\s+\d+\s+[A-Z].*)$")
_ARTICLE_KO = re.compile(
    r"^제\s*(?P<number>\d+)\s*조(?:\s*의\s*(?P<sub>\d+))?\s*"
    r"(?:[(（](?P<title>[^)）]*)[)）])?(?:\s+(?P<rest>.*))?$"
)
_ARTICLE_EN = re.compile(
    r"^ARTICLE\s+(?P<number>\d+)(?:-(?P<sub>\d+))?"
    r"(?:\s*\((?P<title>[^)]*)\)(?:\s+(?P<rest>.*))?|\s*[.:\-–—]?\s+(?P<bare>.*))?$",
    re.IGNORECASE,
)
_PARAGRAPH_KO = re.compile(r"^(?P<marker>[①-⑳])")
_PARAGRAPH_EN = re.compile(r"^\((?P<number>[1-9]|1[0-9]|20)\)(?:\s|$)")
_ITEM = re.compile(r"^(?P<marker>\d{1,2}|[가-하])[.)]\s")
_ITEM_LETTERS = "가나다라마바사아자차카타파하"

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*\d+\s*[-–—]|\d+\s*/\s*\d+|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?"
    r"|\d+\s*(?:쪽|페이지|면)|\d+)$",
    re.IGNORECASE,
)
_CONTENTS_LINE = re.compile(r"(?:\.{3,}|[·…‥]{2,}|\. \. \.)\s*\d+$")
_SENTENCE_END = (".", "?", "!", "。", ":")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_MARKDOWN_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


class IngestError(Exception):
    """A document that cannot be turned into clauses; the message says why."""


# --------------------------------------------------------------------------- reading


def _read_text(path: Path) -> str:
    """UTF-8 (with or without BOM), else CP949: Korean text files from Windows still use it."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(f"{path}: not UTF-8 or CP949 text")


def _markdown_line(line: str) -> str:
    """A Markdown line as plain text: heading marks, bold and backslash escapes removed."""
    if _MARKDOWN_RULE.match(line):
        return ""
    line = _MARKDOWN_HEADING.sub("", line)
    line = _MARKDOWN_EMPHASIS.sub(r"\2", line)
    return _MARKDOWN_ESCAPE.sub(r"\1", line)


def _docx_lines(path: Path) -> list[str]:
    from docx import Document

    try:
        document = Document(str(path))
    except Exception as error:  # python-docx raises zipfile, lxml and its own errors
        raise IngestError(f"{path}: not a readable DOCX file ({error})") from error
    lines: list[str] = []
    for paragraph in document.paragraphs:
        lines.extend(paragraph.text.split("\n"))  # soft line breaks come back as "\n"
        lines.append("")  # a Word paragraph ends a line for good
    return lines


def _pdf_pages(path: Path) -> list[list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(f"{path}: the PDF is encrypted")
        return [(page.extract_text() or "").splitlines() for page in reader.pages]
    except IngestError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError) as error:
        raise IngestError(f"{path}: not a readable PDF file ({error})") from error


def _repeated_edges(pages: list[list[str]]) -> set[str]:
    """Header and footer lines: among the first and last two lines of each page, those that
    (digits aside) come back on at least half of the pages, and on two at least."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        content = [line.strip() for line in lines if line.strip()]
        seen.update({_edge_key(line) for line in content[:2] + content[-2:]})
    needed = max(2, math.ceil(len(pages) / 2))
    return {key for key, count in seen.items() if count >= needed}


def _edge_key(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line.strip()))


def _pdf_lines(path: Path) -> list[str]:
    pages = _pdf_pages(path)
    repeated = _repeated_edges(pages)
    lines: list[str] = []
    for page in pages:
        content = [line for line in page if line.strip()]
        edges = set(range(min(2, len(content)))) | set(range(max(0, len(content) - 2),
                                                            len(content)))
        for index, line in enumerate(content):
            if index in edges and _edge_key(line) in repeated:
                continue
            if _PAGE_NUMBER.match(line.strip()):
                continue
            lines.append(line)
    return lines


def read_lines(path: Path) -> tuple[list[str], bool]:
    """The document's lines, and whether its line breaks are only the printer's (PDF)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise IngestError(f"{path}: unknown extension {suffix or '(none)'}; "
                          f"give one of {', '.join(EXTENSIONS)}")
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    try:
        if suffix == ".pdf":
            return _pdf_lines(path), True
        if suffix == ".docx":
            return _docx_lines(path), False
        text = _read_text(path)
    except OSError as error:
        raise IngestError(f"{path}: cannot read it ({error.strerror or error})") from error
    lines = text.splitlines()
    if suffix == ".md":
        lines = [_markdown_line(line) for line in lines]
    # Plain text is often copied out of a PDF: a page number line is never wording.
    return [line for line in lines if not _PAGE_NUMBER.match(line.strip())], False


# --------------------------------------------------------------------------- structure


@dataclass
class Article:
    language: str
    number: int | str
    base: tuple[int, int]  # (5, 2) for 제5조의2 / Article 5-2, (5, 0) for 제5조
    title: str
    chapter: str
    lines: list[str] = field(default_factory=list)
    open_line: bool = False  # the last line may be continued by the next one
    item: str = ""  # the last item marker, for the next one to follow
    paragraph: int = 0  # the last paragraph number
    title_pending: bool = False  # "Article 3" alone: the title is on the next line
    section: int = 0  # rises when the numbering starts again (a rider)

    @property
    def key(self) -> tuple[int, int, int]:
        """The same in both languages: (section, number, sub-number)."""
        return (self.section, *self.base)

    @property
    def text(self) -> str:
        return "\n".join(line for line in self.lines if line).strip()


@dataclass
class _LanguageState:
    chapter: str = ""
    chapter_pending: bool = False
    articles: list[Article] = field(default_factory=list)


@dataclass
class ParsedWording:
    title_ko: str
    title_en: str
    articles: dict[str, list[Article]]  # by language

    def languages(self) -> list[str]:
        return [language for language in ("ko", "en") if self.articles[language]]


def _article_number(number: str, sub: str | None, language: str) -> int | str:
    if not sub:
        return int(number)
    return f"{int(number)}의{int(sub)}" if language == "ko" else f"{int(number)}-{int(sub)}"


def _next_item(previous: str, marker: str) -> bool:
    """Items follow one another (1. 2. 3. or 가. 나. 다.); a number a line break put at the start
    of a line ("20. ") seldom does."""
    if marker.isdigit():
        return int(marker) == 1 or (previous.isdigit() and int(marker) == int(previous) + 1)
    position = _ITEM_LETTERS.find(marker)
    return position == 0 or (previous in _ITEM_LETTERS and
                             _ITEM_LETTERS.find(previous) + 1 == position)


class _Parser:
    """Reads lines in order; each body line goes to the last article of the language whose
    heading came last."""

    def __init__(self, pdf: bool) -> None:
        self.pdf = pdf
        self.states = {"ko": _LanguageState(), "en": _LanguageState()}
        self.current: Article | None = None
        self.titles: dict[str, str] = {}
        self.blank = False

    def feed(self, raw: str) -> None:
        line = re.sub(r"\s+", " ", raw).strip()
        if _CONTENTS_LINE.search(line):
            return  # a table of contents: "제1조(목적) ······ 3"
        if not line:
            self.blank = True
            if self.current:
                self.current.open_line = False
            return
        if not (self._chapter(line) or self._article(line)):
            self._body(line)
        self.blank = False

    def _chapter(self, line: str) -> bool:
        for language, pattern, rider in (("ko", _CHAPTER_KO, _RIDER_KO),
                                         ("en", _CHAPTER_EN, _RIDER_EN)):
            state = self.states[language]
            match = pattern.match(line)
            if match:
                title = (match["title"] or "").strip()
                if language == "en" and title and not title[0].isupper():
                    continue  # "Chapter 2 of these Terms"
                word = "제{}장" if language == "ko" else "Chapter {}"
                state.chapter = f"{word.format(match['number'])} {title}".strip()
                state.chapter_pending = not title
            elif rider.match(line):
                state.chapter, state.chapter_pending = line, False
            else:
                continue
            self.current = None
            return True
        return False

    def _article(self, line: str) -> bool:
        found = self._article_ko(line) or self._article_en(line)
        if found is None:
            return False
        language, number, base, title, rest, pending = found
        state = self.states[language]
        if state.articles and base <= state.articles[-1].base and base[0] != 1:
            return False  # out of order: a cross-reference, not a heading
        article = Article(language, number, base, title, state.chapter, title_pending=pending)
        state.articles.append(article)
        self.current = article
        if rest:
            self._body(rest)
        return True

    @staticmethod
    def _article_ko(line: str) -> tuple | None:
        match = _ARTICLE_KO.match(line)
        if not match or match["title"] is None:
            return None
        number = _article_number(match["number"], match["sub"], "ko")
        base = (int(match["number"]), int(match["sub"] or 0))
        return "ko", number, base, match["title"].strip(), (match["rest"] or "").strip(), False

    @staticmethod
    def _article_en(line: str) -> tuple | None:
        match = _ARTICLE_EN.match(line)
        if not match:
            return None
        number = _article_number(match["number"], match["sub"], "en")
        base = (int(match["number"]), int(match["sub"] or 0))
        if match["title"] is not None:
            rest = (match["rest"] or "").strip()
            if rest and not (rest[0].isupper() or rest[0] in "(“\""):
                return None  # "Article 37 (Changing ...) applies ..."
            return "en", number, base, match["title"].strip(), rest, False
        bare = (match["bare"] or "").strip()
        if not bare:
            return "en", number, base, "", "", True
        if len(bare) > 80 or not bare[0].isupper() or bare.endswith((".", ",", ";")):
            return None  # a sentence, not a title
        return "en", number, base, bare, "", False

    def _body(self, line: str) -> None:
        article = self.current
        if article is None or self._foreign(article, line):
            self._outside(line)
            return
        opens = self._opens_block(article, line)
        if article.title_pending and not opens:
            article.title, article.title_pending = line, False
            return
        article.title_pending = False
        if opens or not article.lines:
            article.lines.append(line)
        elif self._continues(article):
            article.lines[-1] = _join(article.lines[-1], line)
        else:
            article.lines.append(line)
        article.open_line = not line.endswith(_SENTENCE_END) or self.pdf

    @staticmethod
    def _foreign(article: Article, line: str) -> bool:
        """A line in the other language (the title of the English version after the last
        Korean article): not this article's, unless it is one of its numbered items."""
        if article.language == "ko":
            foreign = not _HANGUL.search(line) and bool(_LATIN.search(line))
        else:
            foreign = bool(_HANGUL.search(line))
        return foreign and not (_ITEM.match(line) or _PARAGRAPH_KO.match(line)
                                or _PARAGRAPH_EN.match(line))

    def _continues(self, article: Article) -> bool:
        return article.open_line and not self.blank

    def _opens_block(self, article: Article, line: str) -> bool:
        """A paragraph marker or an item that follows the previous one (so that a line break
        before "(2) of this Article" or "20. " does not cut a sentence)."""
        paragraph = _PARAGRAPH_KO.match(line) or _PARAGRAPH_EN.match(line)
        if paragraph:
            number = (ord(paragraph["marker"]) - ord("①") + 1 if paragraph.re is _PARAGRAPH_KO
                      else int(paragraph["number"]))
            if number in (1, article.paragraph + 1):
                article.paragraph, article.item = number, ""
                return True
            return False
        item = _ITEM.match(line)
        if item and _next_item(article.item, item["marker"]):
            article.item = item["marker"]
            return True
        return False

    def _outside(self, line: str) -> None:
        """Text before any article: the document's titles, or a chapter's title on its own
        line."""
        for state in self.states.values():
            if state.chapter_pending:
                state.chapter = f"{state.chapter} {line}"
                state.chapter_pending = False
                return
        language = "ko" if _HANGUL.search(line) else "en" if _LATIN.search(line) else ""
        if language and language not in self.titles and not self.states[language].articles:
            self.titles[language] = line


def _join(line: str, continuation: str) -> str:
    """Two pieces of one printed sentence: an English word hyphenated at the line end is
    mended, anything else is joined with a space."""
    if re.search(r"[A-Za-z]-$", line) and continuation[:1].islower():
        return line[:-1] + continuation
    return f"{line} {continuation}"


def _with_sections(articles: list[Article]) -> list[Article]:
    """The articles that have text (a table of contents has none), numbered by section:
    numbering that starts again at 1 is a new section (a rider)."""
    kept = [article for article in articles if article.text]
    section = 0
    for index, article in enumerate(kept):
        if index and article.base <= kept[index - 1].base:
            section += 1
        article.section = section
    return kept


def parse_lines(lines: Iterable[str], pdf: bool = False) -> ParsedWording:
    parser = _Parser(pdf)
    for line in lines:
        parser.feed(line)
    return ParsedWording(
        title_ko=parser.titles.get("ko", ""),
        title_en=parser.titles.get("en", ""),
        articles={language: _with_sections(state.articles)
                  for language, state in parser.states.items()},
    )


# --------------------------------------------------------------------------- clauses


def _paired(parsed: ParsedWording) -> list[tuple[Article | None, Article | None]]:
    """(Korean, English) article pairs in the order of the wording: by (section, number),
    following the Korean version when there is one; unpaired ones keep their place."""
    korean, english = parsed.articles["ko"], parsed.articles["en"]
    primary, other = (korean, english) if korean else (english, korean)
    others = {article.key: article for article in other}
    order: list[tuple[Article | None, Article | None]] = [
        (article, others.get(article.key)) for article in primary
    ]
    paired = {article.key for article in primary}
    for index, article in enumerate(other):
        if article.key in paired:
            continue
        # right after the pair holding the other-language article before it, if any
        before = other[index - 1].key if index else None
        position = next((i + 1 for i, pair in enumerate(order)
                         if any(a is not None and a.key == before for a in pair)), 0)
        order.insert(position, (None, article))
    return order if primary is korean else [(ko, en) for en, ko in order]


def _gaps(ko: Article | None, en: Article | None) -> list[str]:
    gaps = list(EDITORIAL_GAPS)
    for language, article, other in (("ko", ko, en), ("en", en, ko)):
        if article is None:
            if other is not None and other.chapter:
                gaps.append(f"chapter_{language}")
            gaps += [f"title_{language}", f"text_{language}"]
    return gaps


def _block(text: str) -> str:
    """Text for a YAML literal block (kept with a final line break, as the shipped files)."""
    return f"{text}\n" if text else ""


def build_clauses(parsed: ParsedWording, product: str) -> list[dict]:
    clauses = []
    for index, (ko, en) in enumerate(_paired(parsed), start=1):
        first = ko or en
        assert first is not None
        clauses.append({
            "id": f"{product}-{index:03d}",
            "chapter_ko": ko.chapter if ko else "",
            "chapter_en": en.chapter if en else "",
            "article": first.number,
            "title_ko": ko.title if ko else "",
            "title_en": en.title if en else "",
            "topics": [],
            "text_ko": _block(ko.text) if ko else "",
            "text_en": _block(en.text) if en else "",
            "plain_ko": "", "plain_en": "",
            "example_ko": "", "example_en": "",
            "action_ko": "", "action_en": "",
            "related": [],
            "gaps": _gaps(ko, en),
        })  # fmt: skip
    return clauses


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, short lists in flow style, keys in schema order."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    flow = all(isinstance(item, str | int) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def to_yaml(document: dict) -> str:
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)


# --------------------------------------------------------------------------- the command


@dataclass(frozen=True)
class IngestResult:
    path: Path
    document: dict
    articles: int
    paragraphs: int
    gaps: tuple[str, ...]
    written: bool

    def summary(self) -> str:
        gaps = ", ".join(self.gaps) or "none"
        return f"{self.articles} articles, {self.paragraphs} paragraphs, gaps: {gaps}"


def _paragraph_count(clauses: list[dict]) -> int:
    total = 0
    for clause in clauses:
        text = clause["text_ko"] or clause["text_en"]
        total += len(split_paragraphs(text))
    return total


def ingest(
    source: Path,
    product: str,
    *,
    language: str = "auto",
    title_ko: str | None = None,
    title_en: str | None = None,
    out: Path | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> IngestResult:
    """Read ``source`` and write (unless ``dry_run``) the product's clause file."""
    if not _PRODUCT_KEY.match(product):
        raise IngestError(f"product {product!r}: use lower-case letters, digits and _ "
                          "(it starts every clause id)")
    if language not in ("ko", "en", "auto"):
        raise IngestError(f"language {language!r}: give ko, en or auto")
    lines, pdf = read_lines(Path(source))
    parsed = parse_lines(lines, pdf=pdf)
    if language != "auto":
        other = "en" if language == "ko" else "ko"
        parsed.articles[other] = []
    if not parsed.languages():
        wanted = {"ko": "Korean ", "en": "English "}.get(language, "")
        raise IngestError(f"{source}: no {wanted}article found (expected headings like "
                          "'제1조(목적)' or 'Article 1 (Purpose)')")
    clauses = build_clauses(parsed, product)
    document = {
        "product": product,
        "title_ko": title_ko or parsed.title_ko or product,
        "title_en": title_en or parsed.title_en or product,
        "clauses": clauses,
    }
    target = Path(out) if out else settings.kb_dir() / "clauses" / f"{product}.yml"
    gaps = tuple(dict.fromkeys(gap for clause in clauses for gap in clause["gaps"]))
    result = IngestResult(target, document, len(clauses), _paragraph_count(clauses), gaps,
                          written=False)
    if dry_run:
        return result
    if target.exists() and not force:
        raise IngestError(f"{target} exists: give --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_yaml(document), encoding="utf-8")
    return IngestResult(target, document, result.articles, result.paragraphs, gaps,
                        written=True)


def describe(result: IngestResult) -> list[str]:
    """One line per clause, for --dry-run."""
    lines = []
    for clause in result.document["clauses"]:
        heading = " / ".join(
            part for part in (
                f"제{clause['article']}조({clause['title_ko']})" if clause["text_ko"] else "",
                f"Article {clause['article']} ({clause['title_en']})" if clause["text_en"] else "",
            ) if part
        )
        count = len(split_paragraphs(clause["text_ko"] or clause["text_en"]))
        lines.append(f"{clause['id']}  {heading}  {count} paragraph{'s' * (count != 1)}")
    return lines
