"""Stand-ins for the services around the web server, all on 127.0.0.1.

- ``ParseStandIn``: Rasa's ``POST /model/parse`` answering from a small keyword script;
- ``FakeKnowledgeBase``: what ``knowledge.KnowledgeBase.load()`` returns, with three clauses;
- ``LiveServer``: the FastAPI app under uvicorn on a thread, for the browser tests.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import uvicorn

from knowledge.confidence import decide

BOUNDED_WAIT_SECONDS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# (pattern, ranking): the first pattern found in the text decides the answer.
SCRIPT: list[tuple[re.Pattern[str], list[tuple[str, float]]]] = [
    (
        re.compile(r"mumble|웅얼", re.I),
        [("nlu_fallback", 0.45), ("claim_status", 0.31), ("contact_info", 0.22)],
    ),
    (
        re.compile(r"CMP-|민원|complaint", re.I),
        [("complaint_status", 0.88), ("file_complaint", 0.09), ("claim_status", 0.02)],
    ),
    (
        re.compile(r"CLM-|청구|claim", re.I),
        [("claim_status", 0.93), ("claim_documents", 0.04), ("report_claim", 0.02)],
    ),
    (
        re.compile(r"침수|보상되|covered|cover\b", re.I),
        [("ask_coverage", 0.81), ("ask_exclusion", 0.12), ("report_claim", 0.05)],
    ),
    (
        re.compile(r"phone number|전화번호|연락처|운영시간", re.I),
        [("contact_info", 0.95), ("request_human", 0.03), ("help", 0.01)],
    ),
    (
        re.compile(r"안녕|hello|\bhi\b", re.I),
        [("greet", 0.97), ("thank", 0.02), ("goodbye", 0.01)],
    ),
]
DEFAULT_RANKING = [("out_of_scope", 0.62), ("help", 0.2), ("contact_info", 0.1)]


def parse_answer(text: str) -> dict[str, Any]:
    ranking = next((r for pattern, r in SCRIPT if pattern.search(text)), DEFAULT_RANKING)
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    # Rasa lists more candidates than three; the console must cut the list itself.
    intents.append({"name": "goodbye", "confidence": 0.001})
    return {"text": text, "intent": intents[0], "intent_ranking": intents, "entities": []}


class ParseStandIn:
    """A local HTTP server answering ``POST /model/parse`` like Rasa's HTTP API."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                if self.path.split("?")[0] != "/model/parse":
                    self.send_error(404)
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stand_in.texts.append(body.get("text", ""))
                payload = json.dumps(parse_answer(body.get("text", ""))).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ParseStandIn:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


@dataclass(frozen=True)
class FakeQuote:
    label: str
    paragraph: int | None
    sentence: str
    paragraph_text: str


@dataclass(frozen=True)
class FakeHit:
    clause_id: str
    product: str
    title_ko: str
    title_en: str
    plain_ko: str
    plain_en: str
    score: float
    article: int
    probability: float = 0.9
    topics: tuple[str, ...] = ()
    text_ko: str = ""
    text_en: str = ""
    quoted: int | None = None  # the paragraph whose first sentence is quoted
    language: str = "ko"
    gaps: tuple[str, ...] = ()
    product_name_ko: str = "개인용자동차보험"
    product_name_en: str = "Car insurance"

    def citation(self, language: str) -> str:
        if language == "en":
            return f"{self.product_name_en} wording, Article {self.article}"
        return f"{self.product_name_ko} 보통약관 제{self.article}조"

    def paragraph_citation(self, language: str) -> str:
        if self.quoted is None:
            return self.citation(language)
        if language == "en":
            return self.citation(language) + f"({self.quoted})"
        return self.citation(language) + " " + "①②③④⑤"[self.quoted - 1]

    @property
    def quote(self) -> FakeQuote | None:
        if self.quoted is None:
            return None
        text = self.text_ko if self.language == "ko" else self.text_en
        paragraph = text.splitlines()[self.quoted - 1][1:].strip()
        if self.language == "en":
            paragraph = text.splitlines()[self.quoted - 1][3:].strip()
            label = f"Article {self.article}({self.quoted})"
        else:
            label = f"제{self.article}조 " + "①②③④⑤"[self.quoted - 1]
        sentence = paragraph.split(". ")[0].rstrip(".") + "."
        return FakeQuote(label, self.quoted, sentence, paragraph)

    def in_language(self, language: str) -> FakeHit:
        return replace(self, language=language)


FLOOD_KO = (
    "① 회사는 피보험자동차를 소유·사용·관리하는 동안 생긴 사고로 인한 손해를 보상합니다.\n"
    "② 태풍, 홍수 등으로 피보험자동차가 물에 잠겨 생긴 손해는 보상합니다. "
    "다만 자기차량손해에 가입한 경우에 한합니다.\n"
    "③ 제2항의 손해는 보험가입금액을 한도로 보상합니다."
)
FLOOD_EN = (
    "(1) The Company pays for loss from accidents while the insured car is owned or used.\n"
    "(2) Loss from the insured car being submerged by a typhoon or flood is paid. "
    "This applies only with own-vehicle damage cover.\n"
    "(3) Loss under paragraph (2) is paid up to the sum insured."
)
WINDOW_KO = (
    "① 다음 손해는 보상하지 않습니다.\n"
    "② 창문이나 선루프를 열어 두어 빗물이 들어와 생긴 손해는 보상하지 않습니다."
)
WINDOW_EN = (
    "(1) The following loss is not paid.\n"
    "(2) Loss from rain coming in through a window or sunroof left open is not paid."
)

HITS = [
    FakeHit(
        "auto-own-damage-flood",
        "auto",
        "자기차량손해 - 침수",
        "Own vehicle damage - flooding",
        "태풍이나 홍수로 차가 물에 잠겨 생긴 손해는 자기차량손해 담보에 가입했다면 보상돼요.",
        "Damage from a typhoon or flood is paid if you have own-vehicle damage cover.",
        0.82,
        21,
        probability=0.91,
        topics=("auto.flood_damage",),
        text_ko=FLOOD_KO,
        text_en=FLOOD_EN,
        quoted=2,
    ),
    FakeHit(
        "auto-exclusion-window",
        "auto",
        "보상하지 않는 손해 - 창문 개방",
        "Not covered - open windows",
        "창문이나 선루프를 열어 두어 빗물이 들어온 손해는 보상되지 않아요.",
        "Rain coming in through windows or a sunroof left open is not covered.",
        0.61,
        23,
        probability=0.05,
        topics=("auto.exclusions",),
        text_ko=WINDOW_KO,
        text_en=WINDOW_EN,
        quoted=2,
    ),
    FakeHit(
        "auto-claim-notice",
        "auto",
        "사고 발생 시 의무",
        "Duties after an accident",
        "사고가 나면 지체 없이 회사에 알려야 해요.",
        "Tell us about an accident without delay.",
        0.44,
        31,
        probability=0.02,
        topics=("common.accident_notice",),
        text_ko="① 사고가 생긴 것을 안 때에는 지체 없이 회사에 알려야 합니다.",
        text_en="(1) You must tell the Company about an accident without delay.",
        quoted=1,
    ),
]
# "창문 열어놨는데 침수": the window exclusion and the flood cover, neither sure: choose.
CHOOSE_HITS = [
    replace(HITS[1], score=0.7, probability=0.41),
    replace(HITS[0], score=0.66, probability=0.38),
    HITS[2],
]
# "해지하고 싶어요" without a product: two products' cancellation clauses alike.
CANCEL_HITS = [
    FakeHit(
        "auto-cancel",
        "auto",
        "계약의 해지",
        "Cancelling the contract",
        "언제든 해지할 수 있어요.",
        "You can cancel at any time.",
        0.7,
        40,
        probability=0.3,
        topics=("common.cancellation",),
        text_ko="① 계약자는 언제든지 계약을 해지할 수 있습니다.",
        text_en="(1) The policyholder may cancel the contract at any time.",
        quoted=1,
    ),
    FakeHit(
        "travel-cancel",
        "travel",
        "계약의 해지",
        "Cancelling the contract",
        "출국 전에는 해지할 수 있어요.",
        "You can cancel before you leave.",
        0.68,
        18,
        probability=0.28,
        topics=("common.cancellation",),
        text_ko="① 계약자는 출국 전에 계약을 해지할 수 있습니다.",
        text_en="(1) The policyholder may cancel the contract before departure.",
        quoted=1,
        product_name_ko="해외여행보험",
        product_name_en="Overseas travel insurance",
    ),
]
# An ingested clause whose plain explanation is not written yet.
GAP_HIT = FakeHit(
    "auto-041",
    "auto",
    "대리운전 중 사고",
    "Accidents with a hired driver",
    "",
    "",
    0.75,
    41,
    probability=0.8,
    topics=(),
    text_ko="① 대리운전업자가 운전하는 동안 생긴 사고는 대리운전업자의 보험으로 먼저 보상합니다.",
    text_en="(1) Accidents while a hired driver drives are first paid by the driver's insurer.",
    quoted=1,
    gaps=("plain_ko", "plain_en", "topics"),
)


@dataclass(frozen=True)
class FakeProduct:
    key: str
    name_ko: str
    name_en: str
    policy_prefix: str

    def name(self, language: str) -> str:
        return self.name_ko if language == "ko" else self.name_en


PRODUCTS = {
    "auto": FakeProduct("auto", "개인용 자동차보험", "Personal auto insurance", "AU"),
    "travel": FakeProduct("travel", "해외여행보험", "Overseas travel insurance", "TR"),
}


class FakeKnowledgeBase:
    """Three auto clauses, and a few scripted questions for the other decisions; the decision
    itself is made by the real rule (``knowledge.confidence.decide``)."""

    def __init__(self) -> None:
        self.queries: list[str] = []
        self.products_asked: list[str | None] = []

    def search(self, text: str, top_k: int = 3, **_options: Any) -> list[FakeHit]:
        self.queries.append(text)
        return HITS[:top_k]

    def answer(
        self,
        text: str,
        *,
        product: str | None = None,
        language: str | None = None,
        top_k: int = 3,
    ) -> tuple[Any, list[FakeHit]]:
        self.queries.append(text)
        self.products_asked.append(product)
        if re.search(r"날씨|weather", text, re.I):
            hits: list[FakeHit] = []
        elif re.search(r"창문|window", text, re.I):
            hits = CHOOSE_HITS
        elif re.search(r"해지|cancel", text, re.I):
            hits = [h for h in CANCEL_HITS if product in (None, h.product)]
        elif re.search(r"대리운전|hired driver", text, re.I):
            hits = [GAP_HIT]
        else:
            hits = HITS
        hits = [hit.in_language(language or "ko") for hit in hits[:top_k]]
        return decide(hits, product_known=bool(product)), hits

    def clause(self, clause_id: str) -> FakeHit | None:
        every = [*HITS, *CANCEL_HITS, GAP_HIT]
        return next((hit for hit in every if hit.clause_id == clause_id), None)

    def product(self, key: str) -> FakeProduct | None:
        return PRODUCTS.get(key)

    def products(self) -> list[FakeProduct]:
        return list(PRODUCTS.values())


class LiveServer:
    """The app under uvicorn on a daemon thread; ``stop`` waits a bounded time."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + BOUNDED_WAIT_SECONDS
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
