"""The policy knowledge base as read from disk: clauses, glossary terms, products, topic tags.

Files (see policies_kb/SCHEMA.md): ``clauses/<product>.yml`` (one per product), and the optional
``glossary.yml`` and ``products.yml``. Colleagues may still be writing some of them, so a file
that is missing or does not parse is skipped with a warning instead of failing the whole base.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from knowledge import settings
from knowledge.situations import question_files

log = logging.getLogger(__name__)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10x faster

LANGUAGES = ("ko", "en")
# What an editor may still have to write for a clause, in the order gaps are listed. A clause
# file made by ``python -m knowledge ingest`` names them in its ``gaps`` list.
GAP_FIELDS = (
    "plain_ko", "plain_en", "topics", "example_ko", "example_en", "action_ko", "action_en",
    "chapter_ko", "chapter_en", "title_ko", "title_en", "text_ko", "text_en",
)  # fmt: skip
_RIDER_CHAPTER_KO = re.compile(r"^특별약관\s*\d*\s*")
_RIDER_CHAPTER_EN = re.compile(r"^Special Terms\s*\d*\s*", re.IGNORECASE)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _texts(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(_text(item) for item in value if _text(item))


@dataclass(frozen=True)
class ProductInfo:
    key: str
    name_ko: str
    name_en: str
    wording_title_ko: str = ""
    wording_title_en: str = ""
    policy_prefix: str = ""
    summary_ko: str = ""
    summary_en: str = ""
    details: dict = field(default_factory=dict, compare=False, hash=False)

    def name(self, language: str) -> str:
        return self.name_ko if language == "ko" else self.name_en

    def summary(self, language: str) -> str:
        return self.summary_ko if language == "ko" else self.summary_en


@dataclass(frozen=True)
class Clause:
    clause_id: str
    product: str
    article: int | str
    chapter_ko: str
    chapter_en: str
    title_ko: str
    title_en: str
    topics: tuple[str, ...]
    text_ko: str
    text_en: str
    plain_ko: str
    plain_en: str
    example_ko: str
    example_en: str
    action_ko: str
    action_en: str
    related: tuple[str, ...]
    product_name_ko: str = ""
    product_name_en: str = ""
    # What is still to be written (see _gaps); () for a finished clause.
    gaps: tuple[str, ...] = ()

    def get(self, name: str, language: str) -> str:
        """``get("plain", "ko")`` is ``plain_ko``."""
        return getattr(self, f"{name}_{'ko' if language == 'ko' else 'en'}")

    def citation(self, language: str) -> str:
        return citation(self, language)


def rider_name(chapter: str, language: str) -> str:
    """The rider a chapter heading names ("특별약관 1 급배수설비누출손해 특별약관"), or ""."""
    pattern = _RIDER_CHAPTER_KO if language == "ko" else _RIDER_CHAPTER_EN
    if not pattern.match(chapter or ""):
        return ""
    return pattern.sub("", chapter).strip()


class Citable(Protocol):
    product: str
    product_name_ko: str
    product_name_en: str
    chapter_ko: str
    chapter_en: str
    article: int | str
    title_ko: str
    title_en: str


def citation(record: Citable, language: str) -> str:
    """"해외여행보험 제12조(휴대품 손해)" / "Overseas travel insurance, Article 12 (Baggage loss)".

    Riders number their articles from 1 again, so their name is part of the citation.
    """
    if language == "ko":
        name = record.product_name_ko or record.product
        rider = rider_name(record.chapter_ko, "ko")
        where = f"{name} {rider}" if rider else name
        return f"{where} 제{record.article}조({record.title_ko})"
    name = record.product_name_en or record.product
    name = name[:1].upper() + name[1:]
    rider = rider_name(record.chapter_en, "en")
    where = f"{name}, {rider}" if rider else name
    return f"{where}, Article {record.article} ({record.title_en})"


@dataclass(frozen=True)
class GlossaryEntry:
    term_id: str
    term_ko: str
    term_en: str
    definition_ko: str
    definition_en: str
    aliases_ko: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    example_ko: str = ""
    example_en: str = ""
    related: tuple[str, ...] = ()  # clause ids
    related_topics: tuple[str, ...] = ()
    products: tuple[str, ...] = ()  # () when the term matters for every product

    def term(self, language: str) -> str:
        return self.term_ko if language == "ko" else self.term_en

    def definition(self, language: str) -> str:
        return self.definition_ko if language == "ko" else self.definition_en

    def names(self, language: str) -> tuple[str, ...]:
        aliases = self.aliases_ko if language == "ko" else self.aliases_en
        return tuple(name for name in (self.term(language), *aliases) if name)


@dataclass(frozen=True)
class PolicyData:
    clauses: tuple[Clause, ...]
    products: dict[str, ProductInfo]
    glossary: tuple[GlossaryEntry, ...]
    topics: dict[str, dict]
    files: tuple[Path, ...]
    # sha256 of the bytes that were actually parsed (names and contents), for cache keys
    content_hash: str

    def clause_by_id(self) -> dict[str, Clause]:
        return {clause.clause_id: clause for clause in self.clauses}


def kb_files(kb_dir: Path) -> list[Path]:
    """Every file whose content shapes the index, in a stable order."""
    files = sorted((kb_dir / "clauses").glob("*.yml"))
    files += [path for path in (kb_dir / "glossary.yml", kb_dir / "products.yml") if path.is_file()]
    files += question_files(kb_dir)  # the second stage's training questions
    if settings.TOPICS_FILE.is_file():
        files.append(settings.TOPICS_FILE)
    return files


def files_state(kb_dir: Path | None = None) -> tuple:
    """(name, size, mtime) of every KB file: a cheap test of whether anything changed."""
    state = []
    for path in kb_files(Path(kb_dir or settings.kb_dir())):
        try:
            stat = path.stat()
        except OSError:
            continue
        state.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(state)


class _HashingReader:
    """Reads YAML files and hashes exactly the bytes it parsed."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()

    def read(self, path: Path) -> Any:
        try:
            raw = path.read_bytes()
        except OSError as error:
            log.warning("skipping %s: %s", path, error)
            return None
        self.digest.update(f"{path.parent.name}/{path.name}\0".encode())
        self.digest.update(raw)
        self.digest.update(b"\0")
        try:
            return yaml.load(raw.decode("utf-8"), Loader=_YAML_LOADER)
        except (UnicodeDecodeError, yaml.YAMLError) as error:
            log.warning("skipping %s: %s", path, error)
            return None


def load_topics() -> dict[str, dict]:
    return _HashingReader().read(settings.TOPICS_FILE) or {}


def _spec_products(topics_spec: dict) -> dict[str, ProductInfo]:
    products = {}
    for key, names in (topics_spec.get("products") or {}).items():
        products[key] = ProductInfo(
            key=key,
            name_ko=_text(names.get("ko")) or key,
            name_en=_text(names.get("en")) or key,
            policy_prefix=_text(names.get("policy_prefix")),
        )
    return products


def _product_entries(data: Any) -> list[tuple[str, dict]]:
    """products.yml as (key, entry): a ``products:`` list or mapping, or a bare one."""
    if isinstance(data, dict) and "products" in data:
        data = data["products"]
    if isinstance(data, dict):
        return [(str(key), entry or {}) for key, entry in data.items() if isinstance(entry, dict)]
    if isinstance(data, list):
        return [
            (_text(entry.get("key") or entry.get("product") or entry.get("id")), entry)
            for entry in data
            if isinstance(entry, dict)
        ]
    return []


def _first(entry: dict, *names: str) -> str:
    for name in names:
        if _text(entry.get(name)):
            return _text(entry.get(name))
    return ""


def _merge_product(base: ProductInfo | None, key: str, entry: dict) -> ProductInfo:
    base = base or ProductInfo(key=key, name_ko=key, name_en=key)
    return ProductInfo(
        key=key,
        name_ko=_first(entry, "name_ko", "ko") or base.name_ko,
        name_en=_first(entry, "name_en", "en") or base.name_en,
        wording_title_ko=base.wording_title_ko or _first(entry, "title_ko"),
        wording_title_en=base.wording_title_en or _first(entry, "title_en"),
        policy_prefix=_first(entry, "policy_prefix") or base.policy_prefix,
        summary_ko=_first(entry, "summary_ko", "plain_ko", "description_ko", "overview_ko"),
        summary_en=_first(entry, "summary_en", "plain_en", "description_en", "overview_en"),
        details=dict(entry),
    )


def _glossary_entries(data: Any) -> list[GlossaryEntry]:
    if isinstance(data, dict):
        data = data.get("terms") or data.get("glossary") or data.get("entries") or []
    entries = []
    for number, entry in enumerate(data or [], start=1):
        if not isinstance(entry, dict):
            continue
        term_ko = _first(entry, "term_ko", "ko", "name_ko")
        term_en = _first(entry, "term_en", "en", "name_en")
        if not term_ko and not term_en:
            continue
        entries.append(
            GlossaryEntry(
                term_id=_text(entry.get("id")) or f"term-{number:03d}",
                term_ko=term_ko,
                term_en=term_en,
                definition_ko=_first(entry, "definition_ko", "plain_ko", "explanation_ko"),
                definition_en=_first(entry, "definition_en", "plain_en", "explanation_en"),
                aliases_ko=_texts(entry.get("aliases_ko") or entry.get("synonyms_ko")),
                aliases_en=_texts(entry.get("aliases_en") or entry.get("synonyms_en")),
                example_ko=_first(entry, "example_ko"),
                example_en=_first(entry, "example_en"),
                related=_texts(entry.get("related") or entry.get("clauses")),
                related_topics=_texts(entry.get("related_topics") or entry.get("topics")),
                products=_texts(entry.get("products") or entry.get("product")),
            )
        )
    return entries


def _missing(raw: dict, name: str) -> bool:
    if name == "topics":
        return not _texts(raw.get("topics"))
    return not _text(raw.get(name))


def _gaps(raw: dict) -> tuple[str, ...]:
    """The ``gaps`` a clause file lists that are still empty, plus a missing plain_ko or
    plain_en even when not listed: an explanation is what a customer is answered with.

    A listed gap whose field has since been written no longer counts, so an editor need not
    keep the list in step; a name that is not a field (a note to the editor) always counts.
    ``topics: []`` alone is not a gap: a clause may rightly carry no topic.
    """
    listed = _texts(raw.get("gaps"))
    found = [name for name in listed if name not in GAP_FIELDS or _missing(raw, name)]
    found += [name for name in ("plain_ko", "plain_en") if _missing(raw, name)]
    order = {name: index for index, name in enumerate(GAP_FIELDS)}
    unique = dict.fromkeys(found)
    return tuple(sorted(unique, key=lambda name: order.get(name, len(order))))


def _clause(raw: dict, product: ProductInfo) -> Clause | None:
    clause_id = _text(raw.get("id"))
    if not clause_id:
        return None
    return Clause(
        clause_id=clause_id,
        product=product.key,
        article=raw.get("article") if raw.get("article") is not None else "",
        chapter_ko=_text(raw.get("chapter_ko")),
        chapter_en=_text(raw.get("chapter_en")),
        title_ko=_text(raw.get("title_ko")),
        title_en=_text(raw.get("title_en")),
        topics=_texts(raw.get("topics")),
        text_ko=_text(raw.get("text_ko")),
        text_en=_text(raw.get("text_en")),
        plain_ko=_text(raw.get("plain_ko")),
        plain_en=_text(raw.get("plain_en")),
        example_ko=_text(raw.get("example_ko")),
        example_en=_text(raw.get("example_en")),
        action_ko=_text(raw.get("action_ko")),
        action_en=_text(raw.get("action_en")),
        related=_texts(raw.get("related")),
        product_name_ko=product.name_ko,
        product_name_en=product.name_en,
        gaps=_gaps(raw),
    )


def _own_product(key: str, data: dict) -> ProductInfo:
    """A product that spec/topics.yml does not know (an insurer's own wording, ingested):
    named after its file's titles, one language standing in for the other if need be."""
    title_ko, title_en = _text(data.get("title_ko")), _text(data.get("title_en"))
    return ProductInfo(key=key, name_ko=title_ko or title_en or key,
                       name_en=title_en or title_ko or key)


def load_policy_data(kb_dir: Path | None = None) -> PolicyData:
    kb_dir = Path(kb_dir or settings.kb_dir())
    reader = _HashingReader()
    topics_spec = reader.read(settings.TOPICS_FILE) or {}
    products = _spec_products(topics_spec)
    clauses: list[Clause] = []
    seen: set[str] = set()
    for path in sorted((kb_dir / "clauses").glob("*.yml")):
        data = reader.read(path)
        if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
            if data is not None:
                log.warning("skipping %s: no clauses list", path)
            continue
        key = _text(data.get("product")) or path.stem
        base = products.get(key) or _own_product(key, data)
        product = ProductInfo(
            key=key,
            name_ko=base.name_ko,
            name_en=base.name_en,
            wording_title_ko=_text(data.get("title_ko")),
            wording_title_en=_text(data.get("title_en")),
            policy_prefix=base.policy_prefix,
        )
        products[key] = product
        for raw in data["clauses"]:
            clause = _clause(raw, product) if isinstance(raw, dict) else None
            if clause is None or clause.clause_id in seen:
                if clause is not None:
                    log.warning("%s: duplicate clause id %s skipped", path, clause.clause_id)
                continue
            seen.add(clause.clause_id)
            clauses.append(clause)

    products_file = kb_dir / "products.yml"
    if products_file.is_file():
        for key, entry in _product_entries(reader.read(products_file)):
            if key:
                products[key] = _merge_product(products.get(key), key, entry)

    glossary: list[GlossaryEntry] = []
    glossary_file = kb_dir / "glossary.yml"
    if glossary_file.is_file():
        glossary = _glossary_entries(reader.read(glossary_file))

    return PolicyData(
        clauses=tuple(clauses),
        products=products,
        glossary=tuple(glossary),
        topics=dict(topics_spec.get("topics") or {}),
        files=tuple(kb_files(kb_dir)),
        content_hash=reader.digest.hexdigest(),
    )
