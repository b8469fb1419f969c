"""OpenAPI documentation of the agent console API: response models and descriptions."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from console.errors import MESSAGES

API_DESCRIPTION = """\
The agent console of bodam: what a hotline agent needs beside a live call.

**Sign-in.** `POST /api/login` with the agent's account name and password sets an HttpOnly
session cookie holding a random session id; the session ends after 30 minutes without a request,
8 hours after sign-in, or at `POST /api/logout`. API clients may instead send
`Authorization: Bearer <BODAM_AGENT_TOKEN>` and name the agent in `X-Agent-Name`.
Without either, every endpoint here answers **401**; this schema and `/docs` need sign-in too.

**Audit.** Every read of case data is written to the case store's audit log with the actor
`agent:<name>`.

**Errors** have one shape, with the message in Korean and English:
`{"error": "text_empty", "message": {"ko": "...", "en": "..."}}`.
"""

ASSIST_DESCRIPTION = """\
For one sentence of the caller (Korean or English, 1-2,000 characters):

- `intents`: the three likeliest intents with confidence, from Rasa `POST /model/parse`
  (`low_confidence` is true when Rasa's fallback fired); `nlu.status` is `unavailable`
  when Rasa cannot be reached, and the rest of the answer is still given;
- `entities`: every entity with its canonical value (dates as ISO dates, amounts in KRW);
- `suggestion`: a reply in the caller's language, from the assistant's bilingual responses,
  from case data (claim or complaint status) or from the best clause;
- `clauses`: the three best clauses with a plain explanation, the paragraph citation and the
  sentence that decides the question, and the `decision` of the confidence rule the chat uses
  too (`answer`, `choose` between the two `chosen` clauses, `ask_product`, `not_found`);
  `status` is `loading` or `unavailable` when clause search is not ready;
- `cases`: the claims, complaints, change requests and policies mentioned, with history;
  `identity`: whether the policy number and birth date in the text match.
"""

CLAUSE_DESCRIPTION = """\
The whole article of one clause (`clause_id` as in `clauses.hits`), split into paragraphs, the
one numbered `paragraph` (the quoted one) with `highlight: true`. `lang` is `ko` or `en`. An
unknown clause is **404** (`clause_not_found`); **503** while clause search is not ready.
"""

CASE_DESCRIPTION = """\
`case_id` is a claim (`CLM-2026-000123`), complaint (`CMP-2026-000045`), change request
(`CHG-2026-000007`) or policy number (`AU20250001`). Anything else is **422**; an id that
does not exist is **404** with the same message whatever the id.
"""

SECURITY_SCHEMES = {
    "session": {"type": "apiKey", "in": "cookie", "name": "bodam_agent"},
    "bearer": {"type": "http", "scheme": "bearer"},
}


class Bilingual(BaseModel):
    ko: str
    en: str


class ErrorOut(BaseModel):
    error: str = Field(description="A stable error code.", examples=["text_empty"])
    message: Bilingual


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    described: dict[int, list[str]] = {}
    for name, (status, _, _) in MESSAGES.items():
        described.setdefault(status, []).append(name)
    return {
        code: {"model": ErrorOut, "description": "error codes: " + ", ".join(described[code])}
        for code in codes
    }


class AgentOut(BaseModel):
    agent: str = Field(examples=["kim"])
    actor: str = Field(examples=["agent:kim"])


class IntentOut(BaseModel):
    name: str = Field(examples=["claim_status"])
    confidence: float = Field(ge=0, le=1)
    label: Bilingual | None = Field(description="what the intent means, for people")


class StatusOut(BaseModel):
    status: str = Field(description="ok, loading or unavailable")
    message: Bilingual | None = None


class EntityOut(BaseModel):
    entity: str = Field(examples=["claim_id"])
    value: str = Field(description="canonical value (phones masked)", examples=["CLM-2026-000123"])
    text: str = Field(description="as written in the text (phones masked)")
    start: int
    end: int


class SuggestionOut(BaseModel):
    intent: str | None
    language: Literal["ko", "en"]
    source: Literal["domain", "case", "clause", "console"] = Field(
        description="domain: a bot/domain response; case: filled with case data; "
        "clause: the best clause; console: a line written for agents"
    )
    response: str | None = Field(description="the domain response name, if any")
    text: str


class QuoteOut(BaseModel):
    label: str | None = Field(description="the paragraph's label", examples=["제17조 ②"])
    paragraph: int | None = Field(description="the paragraph number (None: not numbered)")
    sentence: str | None = Field(description="the sentence that decides the question, as written")
    paragraph_text: str | None = Field(description="the whole paragraph it belongs to")
    lead: str | None = Field(
        default=None,
        description="when the sentence is a numbered item, the paragraph's sentence it completes",
    )


class ClauseOut(BaseModel):
    clause_id: str | None
    product: str | None
    article: str | None = None
    title: str | None
    plain: str | None = Field(description="the plain explanation; None when not written yet")
    has_plain: bool = False
    gaps: list[str] = Field(default_factory=list, description="what an editor has still to write")
    citation: str | None
    paragraph_citation: str | None = Field(
        default=None, examples=["개인용 자동차보험 제17조(침수로 인한 손해) ②"]
    )
    quote: QuoteOut | None = None
    score: float | None
    probability: float | None = Field(default=None, description="the second stage's probability")
    language: str


class ProductChoiceOut(BaseModel):
    key: str = Field(examples=["auto"])
    name: str = Field(examples=["개인용 자동차보험"])


class ClausesOut(StatusOut):
    decision: Literal["answer", "choose", "ask_product", "not_found"] | None = Field(
        default=None,
        description="the confidence rule the chat uses too: answer from the first clause; "
        "choose: the top two disagree, ask which fits; ask_product: ask which product; "
        "not_found",
    )
    chosen: list[str] = Field(
        default_factory=list, description="the clause ids of the answer, or the two to choose from"
    )
    products: list[ProductChoiceOut] = Field(
        default_factory=list, description="ask_product: the products to ask about"
    )
    hits: list[ClauseOut]


class ParagraphOut(BaseModel):
    number: int | None = Field(description="1 for ① or (1); None before the first marker")
    marker: str = Field(examples=["②"])
    text: str
    highlight: bool = Field(description="the paragraph asked for (the quoted one)")


class ClauseArticleOut(BaseModel):
    clause_id: str
    product: str | None
    product_name: str | None
    article: str | None
    chapter: str | None
    title: str | None
    citation: str | None
    language: Literal["ko", "en"] = Field(description="the language of the text shown")
    paragraph: int | None = Field(description="the paragraph asked to highlight")
    highlighted: bool = Field(description="that paragraph exists and is highlighted")
    paragraphs: list[ParagraphOut]


class CaseOut(BaseModel):
    """A claim, complaint, change request or policy; fields depend on ``kind``."""

    model_config = ConfigDict(extra="allow")

    kind: Literal["claim", "complaint", "change", "policy"]
    id: str
    status: str
    status_label: Bilingual | None = None


class CasesOut(StatusOut):
    ids: list[str] = Field(description="case ids and policy numbers found in the text")
    found: list[CaseOut]
    missing: list[str] = Field(description="ids from the text that do not exist")


class CustomerOut(BaseModel):
    id: str
    name: str
    phone_masked: str | None
    language: str


class IdentityOut(BaseModel):
    policy_number: str
    matched: bool
    customer: CustomerOut | None


class AssistOut(BaseModel):
    language: Literal["ko", "en"]
    intents: list[IntentOut]
    low_confidence: bool
    nlu: StatusOut
    entities: list[EntityOut]
    suggestion: SuggestionOut | None
    clauses: ClausesOut
    cases: CasesOut
    identity: IdentityOut | None
    elapsed_ms: int


class HandoffOut(BaseModel):
    id: int
    sender_id: str
    channel: str
    language: str
    reason: str
    reason_label: Bilingual | None
    summary: str = Field(description="the conversation summary, personal data masked")
    customer_id: str | None
    status: str
    created_at: str


class HandoffList(BaseModel):
    count: int
    items: list[HandoffOut]


class ComplaintOut(CaseOut):
    due_date: str
    overdue: bool


class ComplaintList(BaseModel):
    today: str
    count: int
    items: list[ComplaintOut]


class IdentityLockOut(BaseModel):
    subject_type: Literal["policy", "claim", "complaint"]
    subject_id: str
    locked_at: str
    failures: int


class FailureBurstOut(BaseModel):
    subject_type: Literal["policy", "claim", "complaint"]
    subject_id: str
    failures: int = Field(description="failed checks in the last 24 hours")
    conversations: int = Field(description="distinct conversations they came from")
    last_failed_at: str
    locked: bool


class IdentityLocksOut(BaseModel):
    locks: list[IdentityLockOut]
    bursts: list[FailureBurstOut]


class UnlockOut(BaseModel):
    subject_id: str
    unlocked: bool = Field(description="a lock was lifted (failures are forgiven either way)")
