"""The structure inside one clause of a wording: paragraphs (항) and sentences.

Used by ``knowledge.ingest`` (counting what it found in an insurer's document) and by the answer
code that quotes and cites a single paragraph ("제12조 ②", "Article 12(2)").

- Paragraphs: Korean standard terms number them ①②③ at the start of a line, the English
  versions (1) (2) (3). Numbered items (1. 2. / 가. 나.) belong to the paragraph above them.
- Sentences (``knowledge.sentences``, loaded on first use so that answering a question never
  imports spaCy, and torch with it): spaCy's rule-based ``sentencizer`` over a blank pipeline,
  "ko" with Kiwi morphemes as tokens (the way ``bot/nlp/spacy_spans.py`` builds its Korean
  pipeline, without importing the bot), or "en". The sentencizer alone splits after every full
  stop token, so a small component before it marks the places where a wording's full stop does
  not end a sentence (item numbers "1.", "No. 3", "etc. and") and where a new line must start
  one (a paragraph or item marker). Its own settings are kept: it never overwrites what that
  component set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Beyond ⑳ Unicode goes on with ㉑..㉟ and ㊱..㊿, rare in wordings but cheap to label.
_CIRCLED_MORE = "".join(chr(code) for code in range(0x3251, 0x3260)) + "".join(
    chr(code) for code in range(0x32B1, 0x32C0)
)
_CIRCLED_MARKER = re.compile(rf"^[ \t]*(?P<marker>[{_CIRCLED}])[ \t]*")
_NUMBER_MARKER = re.compile(r"^[ \t]*(?P<marker>\((?P<number>[1-9]|1[0-9]|20)\))[ \t]*")
# A numbered item (호, 목) at the start of a line: "1. ", "12. ", "가. ".
_ITEM_MARKER = re.compile(r"^[ \t]*(?:\d{1,2}|[가-하])\.[ \t]+", re.MULTILINE)


@dataclass(frozen=True)
class Paragraph:
    number: int | None  # 1 for "①" or "(1)"; None for text before the first marker
    marker: str  # the marker as written ("①", "(1)"), "" when none
    text: str  # the paragraph without its marker; its numbered items stay inside


def _marker(line: str, style: str | None) -> tuple[re.Match[str], int, str] | None:
    """The paragraph marker opening ``line`` as (match, number, style), if any.

    Once a text has used one style, the other is read as ordinary text: a Korean paragraph
    may list sub-items as (1) (2) without them being paragraphs of their own.
    """
    if style in (None, "circled"):
        match = _CIRCLED_MARKER.match(line)
        if match:
            return match, _CIRCLED.index(match["marker"]) + 1, "circled"
    if style in (None, "number"):
        match = _NUMBER_MARKER.match(line)
        if match:
            return match, int(match["number"]), "number"
    return None


def split_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs (항) of a clause's text, in order; line breaks inside a paragraph stay."""
    paragraphs: list[Paragraph] = []
    number: int | None = None
    marker = ""
    lines: list[str] = []
    style: str | None = None

    def close() -> None:
        body = "\n".join(lines).strip()
        if body or marker:
            paragraphs.append(Paragraph(number, marker, body))

    for line in (text or "").splitlines():
        found = _marker(line, style)
        if found is None:
            lines.append(line.rstrip())
            continue
        close()
        match, number, style = found
        marker = match["marker"]
        lines = [line[match.end():].rstrip()]
    close()
    return paragraphs


def _circled(number: int) -> str:
    if 1 <= number <= len(_CIRCLED):
        return _CIRCLED[number - 1]
    if number - len(_CIRCLED) <= len(_CIRCLED_MORE):
        return _CIRCLED_MORE[number - len(_CIRCLED) - 1]
    return f"제{number}항"


def paragraph_label(article: int | str, number: int | None, language: str) -> str:
    """"제12조 ②" / "Article 12(2)"; without a paragraph number just the article."""
    if language == "ko":
        label = f"제{article}조"
        return label if number is None else f"{label} {_circled(number)}"
    label = f"Article {article}"
    return label if number is None else f"{label}({number})"


def split_sentences(text: str, language: str) -> list[str]:
    """The sentences of ``text`` (see ``knowledge.sentences.split_sentences``)."""
    from knowledge.sentences import split_sentences as split

    return split(text, language)
