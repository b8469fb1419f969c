"""The typed API for the action server and the agent console.

    kb = KnowledgeBase.load()
    decision, hits = kb.answer("주차해 둔 차가 태풍 때 물에 잠겼는데 보상돼요?", product="auto")
    decision.kind                           # "answer", "choose", "ask_product" or "not_found"
    hits[0].paragraph_citation("ko")        # "개인용 자동차보험 제17조(침수로 인한 손해) ②"
    hits[0].quote.quoted()                  # the sentence of the wording that decides it
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from knowledge import lexical, settings, situations
from knowledge.confidence import DEFAULT_SURE_RULE, Decision, SureRule, decide
from knowledge.glossary_bridge import GlossaryBridge
from knowledge.index import DEFAULT_SETTINGS, PassageIndex, Scored, SearchSettings, open_index
from knowledge.language import normalise_language
from knowledge.model import Embedder, load_embedder
from knowledge.passages import CLAUSE, TERM
from knowledge.policy_data import (
    Clause,
    GlossaryEntry,
    PolicyData,
    ProductInfo,
    citation,
    files_state,
    load_policy_data,
)
from knowledge.quotes import Quote, paragraph_citation
from knowledge.reranker import FirstStage, candidate_features
from knowledge.second_stage import SecondStage, open_second_stage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hit:
    clause_id: str
    product: str
    article: int | str
    title_ko: str
    title_en: str
    topics: tuple[str, ...]
    score: float
    text_ko: str
    text_en: str
    plain_ko: str
    plain_en: str
    example_ko: str
    example_en: str
    action_ko: str
    action_en: str
    related: tuple[str, ...]
    chapter_ko: str = ""
    chapter_en: str = ""
    product_name_ko: str = ""
    product_name_en: str = ""
    dense_score: float = 0.0  # best passage cosine
    bm25_score: float = 0.0  # best passage BM25 (raw)
    matched_field: str = ""  # summary, example or text: the passage that matched best
    # The second stage's probability that this clause is the one asked about (softmax over
    # the candidates); the first stage's fused score when there is no second stage.
    probability: float = 0.0
    memory_score: float = 0.0  # best cosine to a situation question of this clause
    quote: Quote | None = None  # the paragraph and sentence that decide the question
    gaps: tuple[str, ...] = ()  # what an editor has still to write (ingested wordings)

    @classmethod
    def from_clause(
        cls,
        clause: Clause,
        scored: Scored,
        matched_field: str,
        *,
        probability: float | None = None,
        memory_score: float = 0.0,
        quote: Quote | None = None,
    ) -> Hit:
        return cls(
            clause_id=clause.clause_id,
            product=clause.product,
            article=clause.article,
            title_ko=clause.title_ko,
            title_en=clause.title_en,
            topics=clause.topics,
            score=round(scored.score, 4),
            text_ko=clause.text_ko,
            text_en=clause.text_en,
            plain_ko=clause.plain_ko,
            plain_en=clause.plain_en,
            example_ko=clause.example_ko,
            example_en=clause.example_en,
            action_ko=clause.action_ko,
            action_en=clause.action_en,
            related=clause.related,
            chapter_ko=clause.chapter_ko,
            chapter_en=clause.chapter_en,
            product_name_ko=clause.product_name_ko,
            product_name_en=clause.product_name_en,
            dense_score=round(scored.dense, 4),
            bm25_score=round(scored.bm25, 4),
            matched_field=matched_field,
            probability=round(scored.score if probability is None else probability, 4),
            memory_score=round(memory_score, 4),
            quote=quote,
            gaps=clause.gaps,
        )

    def get(self, name: str, language: str) -> str:
        return getattr(self, f"{name}_{'ko' if language == 'ko' else 'en'}")

    def title(self, language: str) -> str:
        return self.get("title", language)

    def citation(self, language: str) -> str:
        return citation(self, language)

    def paragraph_citation(self, language: str) -> str:
        """The citation with the deciding paragraph: "해외여행보험 제12조(휴대품 손해) ②",
        "Overseas travel insurance, Article 12(2) (Baggage loss)"."""
        return paragraph_citation(self, self.quote, language)


class KnowledgeBase:
    """Policy clauses, glossary and products with hybrid search. Thread-safe once loaded."""

    _instances: dict[tuple, KnowledgeBase] = {}
    _load_lock = threading.Lock()

    def __init__(
        self,
        data: PolicyData,
        index: PassageIndex,
        embedder: Embedder,
        *,
        built: bool = False,
        state: tuple = (),
    ) -> None:
        self.data = data
        self.index = index
        self.embedder = embedder
        self.built = built  # whether this load had to build the index
        self._state = state
        self._clauses = data.clause_by_id()
        self._terms = {entry.term_id: entry for entry in data.glossary}
        self._bridge = GlossaryBridge(data.glossary)
        self.second: SecondStage | None = None

    @classmethod
    def load(
        cls,
        *,
        kb_dir: Path | str | None = None,
        cache_dir: Path | str | None = None,
        model: str | None = None,
        progress: bool = True,
        rebuild: bool = False,
    ) -> KnowledgeBase:
        """The knowledge base for the current KB files, cached per process.

        A later call notices changed KB files (size or mtime) and loads, or builds, the index
        for the new content; callers that keep the returned object keep the old one.
        """
        kb_dir = Path(kb_dir or settings.kb_dir())
        cache_root = Path(cache_dir) if cache_dir else settings.index_cache_root()
        key = (str(kb_dir), str(cache_root), model or settings.embedding_model_setting())
        with cls._load_lock:
            state = files_state(kb_dir)
            cached = cls._instances.get(key)
            if cached is not None and cached._state == state and not rebuild:
                return cached
            data = load_policy_data(kb_dir)
            embedder = load_embedder(model)
            index, built = open_index(data, embedder, cache_root, progress=progress,
                                      rebuild=rebuild)
            instance = cls(data, index, embedder, built=built, state=state)
            instance.second = open_second_stage(
                index.folder, situations.files_digest(kb_dir), kb_dir, list(data.clauses),
                embedder, instance.first_stage, progress=progress,
            )
            cls._instances[key] = instance
            return instance

    @classmethod
    def clear_cache(cls, kb_dir: Path | str | None = None) -> None:
        """Forget loaded instances (those of one KB folder when given) so that the next
        ``load`` reads the index cache from disk again."""
        with cls._load_lock:
            for key in list(cls._instances):
                if kb_dir is None or key[0] == str(Path(kb_dir)):
                    del cls._instances[key]

    # ------------------------------------------------------------------ search
    def rank(
        self,
        question: str,
        *,
        language: str | None = None,
        product: str | None = None,
        kind: str = CLAUSE,
        method: str = "hybrid",
        search_settings: SearchSettings = DEFAULT_SETTINGS,
        query_vector=None,
        tokens: list[str] | None = None,
        use_glossary: bool = True,
    ) -> list[Scored]:
        """Refs of ``kind`` ranked by ``method`` (see ``PassageIndex.rank``); the query vector
        and tokens may be given when they were computed already."""
        language = normalise_language(language, question)
        if query_vector is None and method != "bm25":
            query_vector = self.embedder.embed_queries([question])[0]
        if tokens is None:
            tokens = lexical.tokenize(question, language)
        expansion = self._bridge.expansion(tokens, language) if use_glossary else []
        return self.index.rank(
            query_vector,
            tokens,
            language,
            product=product or None,
            kind=kind,
            method=method,
            search_settings=search_settings,
            expansion=tuple(expansion),
        )

    def first_stage(
        self, question: str, language: str, query_vector, product: str | None = None,
        tokens: list[str] | None = None,
    ) -> FirstStage:
        return FirstStage(self.rank(question, language=language, product=product,
                                    query_vector=query_vector, tokens=tokens))

    def rerank(
        self,
        question: str,
        *,
        language: str,
        product: str | None = None,
        query_vector=None,
        tokens: list[str] | None = None,
        first: FirstStage | None = None,
    ) -> list[tuple[str, float, float]]:
        """(clause id, probability, best situation-question cosine), best first: the first
        stage's candidates re-ranked by the second stage (the first stage's order and fused
        scores when there is no second stage)."""
        if query_vector is None:
            query_vector = self.embedder.embed_queries([question])[0]
        if first is None:
            first = self.first_stage(question, language, query_vector, product, tokens)
        model = self.second.model if self.second else None
        if model is None:
            return [(s.ref, s.score, 0.0) for s in first.ranked]
        closeness = self.second.memory.closeness(query_vector, language)
        classifier = self.second.classifier
        shares = classifier.probabilities(query_vector) if classifier else {}
        candidates = candidate_features(question, language, first, closeness, shares,
                                        self._clauses, product=product)
        return [
            (ref, probability, closeness.get(ref, (0.0,))[0])
            for ref, _logit, probability in model.rank(candidates)
        ]

    def search(
        self,
        question: str,
        *,
        top_k: int = 3,
        product: str | None = None,
        language: str | None = None,
    ) -> list[Hit]:
        """The ``top_k`` clauses that best answer ``question``, best first, each with the
        sentence that decides it. ``product`` restricts the search to one product."""
        if not question or not question.strip():
            return []
        language = normalise_language(language, question)
        vector = self.embedder.embed_queries([question])[0]
        tokens = lexical.tokenize(question, language)
        first = self.first_stage(question, language, vector, product, tokens)
        hits = []
        for ref, probability, memory_score in self.rerank(
            question, language=language, product=product, query_vector=vector, first=first
        )[:top_k]:
            clause = self._clauses[ref]
            scored = first.by_ref.get(ref) or Scored(ref, 0.0, 0.0, 0.0, -1)
            field = self.index.passages[scored.passage].field if scored.passage >= 0 else ""
            quote = self.second.sentences.quote(clause, language, vector) if self.second else None
            hits.append(Hit.from_clause(clause, scored, field, probability=probability,
                                        memory_score=memory_score, quote=quote))
        return hits

    def explain(self, clause_id: str, question: str, language: str | None = None) -> Hit | None:
        """A hit for a clause the customer picked ("which of these?"), with the sentence of
        it closest to their question; None for an unknown id."""
        clause = self._clauses.get(clause_id or "")
        if clause is None:
            return None
        language = normalise_language(language, question)
        vector = self.embedder.embed_queries([question])[0] if question.strip() else None
        quote = self.second.sentences.quote(clause, language, vector) if self.second else None
        return Hit.from_clause(clause, Scored(clause.clause_id, 1.0, 0.0, 0.0, -1), "",
                               probability=1.0, quote=quote)

    @property
    def sure_rule(self) -> SureRule:
        model = self.second.model if self.second else None
        return model.sure_rule if model else DEFAULT_SURE_RULE

    def answer(
        self,
        question: str,
        *,
        product: str | None = None,
        language: str | None = None,
        top_k: int = 3,
    ) -> tuple[Decision, list[Hit]]:
        """Search, then the one confidence rule (``knowledge.confidence.decide``) that the
        chat and the agent console share: answer, "which of these two?", "which product?",
        or not found. ``product``: the one the customer named or holds, if any."""
        hits = self.search(question, top_k=top_k, product=product, language=language)
        decision = decide(hits, product_known=bool(product), rule=self.sure_rule)
        return decision, hits

    # ------------------------------------------------------------------ look-ups
    def clause(self, clause_id: str) -> Clause | None:
        return self._clauses.get(clause_id)

    def product(self, key: str) -> ProductInfo | None:
        return self.data.products.get(key)

    def products(self) -> list[ProductInfo]:
        return list(self.data.products.values())

    def term(self, query: str, language: str | None = None) -> GlossaryEntry | None:
        """The glossary entry ``query`` asks about ("자차가 뭐예요?", "excess"): a name given
        exactly, else a name whose words all occur in the query (the longest wins), else the
        closest term definition if it is close enough. None without a glossary."""
        if not self._terms or not query or not query.strip():
            return None
        language = normalise_language(language, query)
        wanted = query.strip().lower()
        for entry in self._terms.values():
            names = entry.names("ko") + entry.names("en")
            if any(name.lower() == wanted for name in names):
                return entry
        matched = self._bridge.matched_terms(lexical.tokenize(query, language), language)
        if matched:
            return self._terms[matched[0]]
        ranked = self.rank(query, language=language, kind=TERM, method="dense")
        if ranked and ranked[0].dense >= _TERM_MIN_COSINE:
            return self._terms.get(ranked[0].ref)
        return None

    @property
    def topics(self) -> dict[str, dict]:
        return self.data.topics


# e5 cosines run high: off-topic questions reached 0.84 against the closest term definition,
# questions about a term 0.86-0.91.
_TERM_MIN_COSINE = 0.86
