"""What the agent sees for one caller sentence: intents, entities, a reply, clauses, cases."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.actions.labels import INTENT_TOPICS
from bot.nlp import clock
from bot.nlp.entities import EntitySpan, extract_entities
from bot.nlp.input_guard import sanitize
from bot.nlp.language import detect_language
from bot.nlp.pii import mask_pii
from casestore import CaseStoreError
from console.auth import Agent
from console.cases import Cases
from console.clauses import ANSWER, ASK_PRODUCT, CHOOSE, NOT_FOUND, READY, ClauseSearch
from console.clauses import MESSAGES as CLAUSE_MESSAGES
from console.nlu import NluUnavailable, Parser, top_intents
from console.replies import ResponseBook
from console.settings import Settings

log = logging.getLogger(__name__)

CASE_ENTITIES = ("claim_id", "complaint_id", "change_id", "policy_number")
MAX_CASES = 3
KNOWLEDGE_INTENTS = {
    "ask_coverage",
    "ask_exclusion",
    "ask_term",
    "ask_product_info",
    "ask_premium",
    "recommend_product",
}
INTENT_LABELS: dict[str, dict[str, str]] = {
    **INTENT_TOPICS,
    "greet": {"ko": "인사", "en": "Greeting"},
    "goodbye": {"ko": "작별 인사", "en": "Goodbye"},
    "thank": {"ko": "감사 표현", "en": "Thanks"},
    "affirm": {"ko": "긍정", "en": "Yes"},
    "deny": {"ko": "부정", "en": "No"},
    "bot_challenge": {"ko": "챗봇 여부 질문", "en": "Asks if it's a bot"},
    "cancel": {"ko": "취소", "en": "Cancel"},
    "inform": {"ko": "정보 제공", "en": "Gives details"},
    "out_of_scope": {"ko": "업무 범위 밖", "en": "Out of scope"},
}
# Lines for a person on the phone, where the assistant's own words would not fit.
AGENT_LINES: dict[str, dict[str, str]] = {
    "greet": {
        "ko": "안녕하세요, 보담손해보험 고객센터입니다. 무엇을 도와드릴까요?",
        "en": "Hello, this is Bodam Insurance customer service. How can I help you today?",
    },
    "bot_challenge": {
        "ko": "네, 저는 보담손해보험 고객센터 상담원입니다. 편하게 말씀해 주세요.",
        "en": "Yes, you're speaking with a Bodam Insurance customer service agent. How can I help?",
    },
    "request_human": {
        "ko": "네, 제가 직접 도와드리겠습니다. 어떤 내용인지 말씀해 주시겠어요?",
        "en": "Of course, I'll help you personally. Could you tell me what it's about?",
    },
    "knowledge": {
        "ko": "약관 내용을 확인해서 정확히 안내해 드리겠습니다. 가입하신 상품과 증권번호를 "
        "알려주시겠어요?",
        "en": "Let me check the policy wording so I can give you an exact answer. Which product "
        "do you have, and what is your policy number?",
    },
    # The top two clauses disagree and neither is sure (knowledge.confidence CHOOSE).
    "clause_choose": {
        "ko": "정확히 안내해 드리려고 여쭙겠습니다. 고객님 상황이 「{first}」에 해당하나요, "
        "아니면 「{second}」에 해당하나요?",
        "en": "So I give you the right answer: is your situation about “{first}”, "
        "or about “{second}”?",
    },
    # The question fits several products' clauses alike (ASK_PRODUCT).
    "clause_ask_product": {
        "ko": "상품마다 약관 내용이 달라서 여쭙겠습니다. {products} 중 어떤 상품에 대한 "
        "문의이신가요?",
        "en": "The answer depends on the product. Is this about {products}?",
    },
}
# The reply from the clause the confidence rule answers from, read out to the caller: the
# plain explanation, then the sentence of the wording that decides it, with its paragraph.
CLAUSE_REPLY = {
    "ko": "문의하신 내용은 「{title}」 조항에 해당합니다. {plain}\n(근거: {citation})",
    "en": "This falls under “{title}”. {plain}\n(Source: {citation})",
}
CLAUSE_QUOTE = {
    "ko": "약관 {reference}에는 “{sentence}”라고 되어 있습니다.",
    "en": "{reference} of the wording says: “{sentence}”",
}
CLAUSE_NO_PLAIN = {
    "ko": "이 조항은 아직 쉬운 설명이 준비되어 있지 않아 약관 문구를 그대로 읽어 드리겠습니다.",
    "en": "There is no plain-language summary of this clause yet, so I'll read you the wording.",
}
PRODUCT_JOIN = {"ko": ("{first}, {last}", ", "), "en": ("{first} or {last}", ", ")}
NLU_UNAVAILABLE = {
    "ko": "의도 분석(Rasa)을 사용할 수 없습니다",
    "en": "intent analysis (Rasa) unavailable",
}
CASES_UNAVAILABLE = {
    "ko": "고객 정보 시스템에 연결할 수 없습니다",
    "en": "the case store cannot be reached",
}


@dataclass
class Services:
    settings: Settings
    parser: Parser
    cases: Cases
    clauses: ClauseSearch
    book: ResponseBook


def entity_view(span: EntitySpan) -> dict[str, Any]:
    # A phone number the caller gave is shown masked, like every phone number in the console.
    masked = span.entity == "phone"
    return {
        "entity": span.entity,
        "value": mask_pii(span.value) if masked else span.value,
        "text": mask_pii(span.text) if masked else span.text,
        "start": span.start,
        "end": span.end,
    }


def intent_view(intent: dict[str, Any]) -> dict[str, Any]:
    return {**intent, "label": INTENT_LABELS.get(intent["name"])}


def mentioned_ids(entities: list[EntitySpan]) -> list[str]:
    """Case ids in the text, cases before policy numbers, at most MAX_CASES."""
    spans = sorted(
        (span for span in entities if span.entity in CASE_ENTITIES),
        key=lambda span: CASE_ENTITIES.index(span.entity),
    )
    found: list[str] = []
    for span in spans:
        if span.value not in found:
            found.append(span.value)
    return found[:MAX_CASES]


async def _intents(services: Services, text: str) -> dict[str, Any]:
    try:
        parsed = await asyncio.wait_for(
            services.parser.parse(text), timeout=services.settings.parse_timeout + 0.5
        )
    except (NluUnavailable, TimeoutError) as exc:
        log.warning("Rasa /model/parse failed: %s", type(exc).__name__)
        return {"status": "unavailable", "message": NLU_UNAVAILABLE, "intents": [], "low": False}
    intents, low = top_intents(parsed)
    return {"status": "ok", "message": None, "intents": intents, "low": low}


def _no_clauses(status: str, message: dict[str, str] | None) -> dict[str, Any]:
    return {
        "status": status,
        "message": message,
        "decision": None,
        "chosen": [],
        "products": [],
        "hits": [],
    }


def product_hints(entities: list[EntitySpan]) -> tuple[str | None, str | None]:
    """The product the caller named and the policy number they gave, as the chat uses them
    to narrow a clause question (``bot.actions.clauses.customer_product``)."""
    product = next((span.value for span in entities if span.entity == "product"), None)
    policy = next((span.value for span in entities if span.entity == "policy_number"), None)
    return product, policy


async def _clauses(
    services: Services,
    text: str,
    language: str,
    product: str | None = None,
    policy_number: str | None = None,
) -> dict[str, Any]:
    state = await asyncio.to_thread(services.clauses.wait, 0.3)
    if state != READY:
        return _no_clauses(state, CLAUSE_MESSAGES[state])
    try:
        found = await asyncio.wait_for(
            asyncio.to_thread(
                lambda: services.clauses.search(
                    text, language, product=product, policy_number=policy_number
                )
            ),
            timeout=services.settings.clause_timeout,
        )
    except Exception as exc:  # the console keeps working without clauses
        log.warning("clause search failed: %s", type(exc).__name__)
        return _no_clauses("unavailable", CLAUSE_MESSAGES["unavailable"])
    return {"status": "ok", "message": None, **found}


def _lookup_cases(
    cases: Cases, identifiers: list[str], entities: list[EntitySpan], actor: str
) -> dict[str, Any]:
    found: list[dict[str, Any]] = []
    missing: list[str] = []
    for identifier in identifiers:
        if any(case.get("policy_number") == identifier for case in found):
            continue  # the policy of a claim already shown: it is inside that claim's card
        summary = cases.lookup(identifier, actor)
        if summary is None:
            missing.append(identifier)
        else:
            found.append(summary)
    identity = None
    birth = next((span.value for span in entities if span.entity == "birth_date"), None)
    policy = next((span.value for span in entities if span.entity == "policy_number"), None)
    if policy is None:
        policy = next((c.get("policy_number") for c in found if c.get("policy_number")), None)
    if birth and policy:
        identity = cases.verify(policy, date.fromisoformat(birth), actor)
    return {
        "status": "ok",
        "message": None,
        "found": found,
        "missing": missing,
        "identity": identity,
    }


async def _cases(
    services: Services, identifiers: list[str], entities: list[EntitySpan], actor: str
) -> dict[str, Any]:
    try:
        return await asyncio.to_thread(_lookup_cases, services.cases, identifiers, entities, actor)
    except CaseStoreError as exc:
        log.warning("case store lookup failed: %s", type(exc).__name__)
        return {
            "status": "unavailable",
            "message": CASES_UNAVAILABLE,
            "found": [],
            "missing": [],
            "identity": None,
        }


def _claim_reply(book: ResponseBook, claim: dict[str, Any], language: str) -> str | None:
    return book.render(
        "utter_claim_status",
        language,
        claim_id=claim["id"],
        incident_type=claim["incident_type_label"][language],
        incident_date=claim["incident_date"],
        status=claim["status_label"][language],
        updated=(claim["updated_at"] or "")[:10],
        next_step=claim["next_step"][language],
    )


def _complaint_reply(book: ResponseBook, complaint: dict[str, Any], language: str) -> str | None:
    overdue = complaint["overdue"]
    note = "utter_complaint_overdue_note" if overdue else "utter_complaint_on_time_note"
    return book.render(
        "utter_complaint_status",
        language,
        complaint_id=complaint["id"],
        category=complaint["category_label"][language],
        status=complaint["status_label"][language],
        opened=(complaint["opened_at"] or "")[:10],
        due_date=complaint["due_date"],
        overdue_note=book.render(note, language) or "",
    )


def _case_reply(
    book: ResponseBook, intent: str | None, language: str, cases: list[dict[str, Any]]
) -> tuple[str, str] | None:
    """The status reply for the claim or complaint the caller asks about, if one was found."""
    claim = next((c for c in cases if c["kind"] == "claim"), None)
    complaint = next((c for c in cases if c["kind"] == "complaint"), None)
    if complaint is not None and (intent == "complaint_status" or claim is None):
        text = _complaint_reply(book, complaint, language)
        return None if text is None else ("utter_complaint_status", text)
    if claim is not None:
        text = _claim_reply(book, claim, language)
        return None if text is None else ("utter_claim_status", text)
    return None


CASE_INTENTS = {"claim_status", "complaint_status", "inform", None}


def suggest(
    book: ResponseBook,
    intent: str | None,
    language: str,
    cases: list[dict[str, Any]],
    clauses: dict[str, Any] | list[dict[str, Any]],
) -> dict[str, Any] | None:
    """The reply the agent could read out, and where it came from.

    ``clauses``: the clause result of ``_clauses`` (a bare list of hits is read as hits
    without a decision: the first one with a title answers).
    """

    def made(source: str, response: str | None, text: str) -> dict[str, Any]:
        return {
            "intent": intent,
            "language": language,
            "source": source,
            "response": response,
            "text": text,
        }

    if intent in CASE_INTENTS:
        from_case = _case_reply(book, intent, language, cases)
        if from_case is not None:
            return made("case", *from_case)
    if intent is None:
        return None
    if intent in KNOWLEDGE_INTENTS:
        return _knowledge_reply(clauses, language, made)
    if intent in AGENT_LINES:
        return made("console", None, AGENT_LINES[intent][language])
    found = book.for_intent(intent, language)
    return None if found is None else made("domain", *found)


def spoken_reference(hit: dict[str, Any], language: str) -> str | None:
    """The paragraph as said aloud: "제17조 제2항" (not "②"), "Article 17(2)"."""
    quote = hit.get("quote") or {}
    article, paragraph = hit.get("article"), quote.get("paragraph")
    if article is None:
        return quote.get("label")
    if language == "ko":
        return f"제{article}조" + (f" 제{paragraph}항" if paragraph else "")
    return f"Article {article}" + (f"({paragraph})" if paragraph else "")


def clause_reply(hit: dict[str, Any], language: str) -> str | None:
    """What the agent reads out for the clause answered from: the plain explanation (or, not
    written yet, a note and the paragraph itself), the deciding sentence, the citation."""
    title = hit.get("title")
    if not title:
        return None
    quote = hit.get("quote") or {}
    sentence = (quote.get("sentence") or "").strip()
    if sentence and quote.get("lead"):  # an item is read after the sentence it completes
        sentence = f"{quote['lead'].strip()} … {sentence}"
    reference = spoken_reference(hit, language)
    citation = hit.get("paragraph_citation") or hit.get("citation") or "-"
    if hit.get("plain"):
        plain = hit["plain"]
        if sentence and reference:
            plain += " " + CLAUSE_QUOTE[language].format(reference=reference, sentence=sentence)
    else:
        wording = (quote.get("paragraph_text") or sentence).strip()
        if not wording or not reference:
            return None
        plain = (
            CLAUSE_NO_PLAIN[language]
            + " "
            + CLAUSE_QUOTE[language].format(reference=reference, sentence=" ".join(wording.split()))
        )
    return CLAUSE_REPLY[language].format(title=title, plain=plain, citation=citation)


def _joined(names: list[str], language: str) -> str:
    pair, comma = PRODUCT_JOIN[language]
    if len(names) < 2:
        return "".join(names)
    return pair.format(first=comma.join(names[:-1]), last=names[-1])


def _knowledge_reply(
    clauses: dict[str, Any] | list[dict[str, Any]], language: str, made: Any
) -> dict[str, Any]:
    """The clause reply that follows the confidence rule's decision (knowledge.confidence)."""
    if isinstance(clauses, list):
        clauses = {"decision": ANSWER if clauses else NOT_FOUND, "chosen": [], "hits": clauses}
    hits = clauses.get("hits") or []
    decision = clauses.get("decision")
    by_id = {hit.get("clause_id"): hit for hit in hits}
    chosen = [by_id[c] for c in clauses.get("chosen") or [] if c in by_id] or hits
    if decision == ANSWER and chosen:
        text = clause_reply(chosen[0], language)
        if text is not None:
            return made("clause", None, text)
    if (
        decision == CHOOSE
        and len(chosen) >= 2
        and chosen[0].get("title")
        and chosen[1].get("title")
    ):
        text = AGENT_LINES["clause_choose"][language].format(
            first=chosen[0]["title"], second=chosen[1]["title"]
        )
        return made("clause", None, text)
    products = [p.get("name") or p.get("key") for p in clauses.get("products") or []]
    if decision == ASK_PRODUCT and len(products) >= 2:
        text = AGENT_LINES["clause_ask_product"][language].format(
            products=_joined([str(name) for name in products], language)
        )
        return made("console", None, text)
    return made("console", None, AGENT_LINES["knowledge"][language])


async def assist(services: Services, text: str, agent: Agent) -> dict[str, Any]:
    """Everything for one caller sentence; ``text`` must already be checked (not empty)."""
    started = time.perf_counter()
    cleaned = sanitize(text)
    language = detect_language(cleaned)
    entities = extract_entities(cleaned, clock.today())
    identifiers = mentioned_ids(entities)
    product, policy_number = product_hints(entities)
    nlu, clauses, cases = await asyncio.gather(
        _intents(services, cleaned),
        _clauses(services, cleaned, language, product, policy_number),
        _cases(services, identifiers, entities, agent.actor),
    )
    best = nlu["intents"][0]["name"] if nlu["intents"] else None
    return {
        "language": language,
        "intents": [intent_view(intent) for intent in nlu["intents"]],
        "low_confidence": nlu["low"],
        "nlu": {"status": nlu["status"], "message": nlu["message"]},
        "entities": [entity_view(span) for span in entities],
        "suggestion": suggest(services.book, best, language, cases["found"], clauses),
        "clauses": clauses,
        "cases": {
            "status": cases["status"],
            "message": cases["message"],
            "ids": identifiers,
            "found": cases["found"],
            "missing": cases["missing"],
        },
        "identity": cases["identity"],
        "elapsed_ms": round((time.perf_counter() - started) * 1000),
    }
