"""Policy data -> the units that are searched.

Dense search embeds one short passage per clause and language: product, chapter and title,
then the plain-language explanation. Glossary terms and product summaries are passages of their
own kinds. BM25 reads one document per clause and language with every field, the full wording
included.

Chosen on the dev questions (dense-only top-3, ko / en): heading + plain 0.887 / 0.876;
+ action 0.855 / 0.887; title + plain 0.806 / 0.796; example passages alone 0.731 / 0.731 and
adding them as second passages lowered hybrid MRR; the wording cut into paragraph and sentence
chunks (spaCy's blank ko/xx sentencizer) 0.785 / 0.780, and adding those chunks left hybrid
top-3 unchanged while tripling the passages to embed, so wordings are left to BM25 and no
sentence splitting is needed.

A clause ingested from an insurer's own wording (``knowledge.ingest``) has no plain explanation
until an editor writes one: its summary passage then takes the start of the wording instead.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from knowledge.policy_data import Clause, GlossaryEntry, PolicyData, ProductInfo

CLAUSE, TERM, PRODUCT = "clause", "term", "product"
KINDS = (CLAUSE, TERM, PRODUCT)


@dataclass(frozen=True)
class Passage:
    kind: str  # CLAUSE, TERM or PRODUCT
    ref: str  # clause id, glossary term id or product key
    product: str  # "" for a glossary term that is not tied to one product
    language: str
    field: str  # summary, term or product; "all" for a BM25 document
    text: str

    def to_json(self) -> dict:
        return asdict(self)


def _heading(clause: Clause, language: str) -> str:
    product = clause.product_name_ko if language == "ko" else clause.product_name_en
    parts = [product, clause.get("chapter", language), clause.get("title", language)]
    return " · ".join(part for part in parts if part)


# How much of the wording stands in for a missing plain explanation: about the length of one
# (e5 reads 512 tokens at most, and the start of a clause says what it is about).
WORDING_STAND_IN_CHARS = 400


def _wording_start(text: str, limit: int = WORDING_STAND_IN_CHARS) -> str:
    """The start of a clause's wording on one line, cut at a space near ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit]


def _summary_body(clause: Clause, language: str) -> str:
    """The plain explanation; for a clause ingested from an insurer's wording that has none
    yet, the start of its wording, so that it can be found before an editor writes one."""
    return clause.get("plain", language) or _wording_start(clause.get("text", language))


def clause_passages(clause: Clause) -> list[Passage]:
    passages = []
    for language in ("ko", "en"):
        body = _summary_body(clause, language)
        if not body and not clause.get("title", language):
            continue  # a language the wording was not given in: nothing of its own to embed
        text = f"{_heading(clause, language)}. {body}".strip(" .")
        if text:
            passages.append(Passage(CLAUSE, clause.clause_id, clause.product, language, "summary",
                                    text))
    return passages


def clause_document(clause: Clause, language: str) -> Passage:
    parts = [
        _heading(clause, language),
        *(clause.get(name, language) for name in ("plain", "example", "action", "text")),
    ]
    text = "\n".join(part for part in parts if part)
    return Passage(CLAUSE, clause.clause_id, clause.product, language, "all", text)


def _term_product(entry: GlossaryEntry) -> str:
    return entry.products[0] if len(entry.products) == 1 else ""


def term_passages(entry: GlossaryEntry) -> list[Passage]:
    passages = []
    for language in ("ko", "en"):
        names = entry.names(language)
        definition = entry.definition(language)
        if names and definition:
            passages.append(Passage(TERM, entry.term_id, _term_product(entry), language, "term",
                                    f"{', '.join(names)}: {definition}"))
    return passages


def term_document(entry: GlossaryEntry, language: str) -> Passage:
    example = entry.example_ko if language == "ko" else entry.example_en
    text = "\n".join(
        part for part in (", ".join(entry.names(language)), entry.definition(language), example)
        if part
    )
    return Passage(TERM, entry.term_id, _term_product(entry), language, "all", text)


def product_passages(product: ProductInfo) -> list[Passage]:
    passages = []
    for language in ("ko", "en"):
        summary = product.summary(language)
        if summary:
            passages.append(Passage(PRODUCT, product.key, product.key, language, "product",
                                    f"{product.name(language)}: {summary}"))
    return passages


def build_passages(data: PolicyData) -> list[Passage]:
    """The passages to embed."""
    passages: list[Passage] = []
    for clause in data.clauses:
        passages.extend(clause_passages(clause))
    for entry in data.glossary:
        passages.extend(term_passages(entry))
    for product in data.products.values():
        passages.extend(product_passages(product))
    return passages


def product_document(product: ProductInfo, language: str) -> Passage:
    text = "\n".join(part for part in (product.name(language), product.summary(language)) if part)
    return Passage(PRODUCT, product.key, product.key, language, "all", text)


def build_documents(data: PolicyData) -> list[Passage]:
    """The BM25 documents: one per clause, glossary term or product and language."""
    documents = []
    for language in ("ko", "en"):
        documents.extend(clause_document(clause, language) for clause in data.clauses)
        documents.extend(term_document(entry, language) for entry in data.glossary)
        documents.extend(product_document(product, language)
                         for product in data.products.values())
    return [document for document in documents if document.text.strip()]
