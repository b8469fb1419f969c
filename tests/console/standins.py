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
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import uvicorn

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
class FakeHit:
    clause_id: str
    product: str
    title_ko: str
    title_en: str
    plain_ko: str
    plain_en: str
    score: float
    article: int

    def citation(self, language: str) -> str:
        if language == "en":
            return f"Car insurance wording, Article {self.article}"
        return f"개인용자동차보험 보통약관 제{self.article}조"


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
    ),
]


class FakeKnowledgeBase:
    def __init__(self) -> None:
        self.queries: list[str] = []

    def search(self, text: str, top_k: int = 3) -> list[FakeHit]:
        self.queries.append(text)
        return HITS[:top_k]


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
