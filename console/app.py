"""The bodam web server: customer chat page, agent console and its JSON API.

Public: ``/`` (chat page), ``/static/*``, ``/vendor/socket.io.min.js``, ``/healthz``,
``/console/login``, ``POST /api/login``. Everything else needs a signed-in agent (session
cookie) or the API bearer token: the JSON API answers 401, HTML pages redirect to the
sign-in page. The OpenAPI schema (``/openapi.json``) and Swagger UI (``/docs``) need
sign-in too.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlsplit

from fastapi import Depends, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.nlp import clock
from bot.nlp.input_guard import classify_input
from casestore import CaseStoreError
from casestore.clock import utcnow
from console import schemas
from console.assist import Services, assist
from console.auth import COOKIE_NAME, Agent, ConsoleAuth
from console.cases import Cases, kind_of
from console.clauses import READY, ClauseSearch
from console.errors import ApiError, error_body
from console.nlu import Parser, RasaParser
from console.replies import ResponseBook
from console.settings import (
    MAX_TEXT_CHARS,
    SESSION_HOURS,
    SOCKET_IO_JS,
    STATIC_DIR,
    SWAGGER_DIR,
    WEB_DIR,
    Settings,
)

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
CLAUSE_ID = re.compile(r"\w[\w.-]*")  # clause ids: "auto-017", ingested ones alike
SWAGGER_FILES = {"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"}


class AssistRequest(BaseModel):
    text: str = Field(
        description="What the caller said, in Korean or English (at most 2,000 characters).",
        examples=["CLM-2026-000123 청구 건 어떻게 됐어요?"],
    )


class LoginRequest(BaseModel):
    name: str = Field(description="The agent's account name, recorded as actor agent:<name>.")
    password: str = Field(description="The agent's own password.")


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes (413) before anything parses them."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0
        refused = False

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not refused:  # once refused, whatever the app answers is replaced by 413
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:
                raise
        if refused:
            await self._refuse(send)

    @staticmethod
    async def _refuse(send: Send) -> None:
        response = JSONResponse(error_body("request_too_large"), status_code=413)
        await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def _csp(settings: Settings, path: str) -> str:
    connect = ["'self'"]
    frame = "'none'"
    style = "'self'"
    script = "'self'"
    if path == "/":
        origin = urlsplit(settings.rasa_public_url)
        if origin.scheme in ("http", "https") and origin.netloc:
            ws = "wss" if origin.scheme == "https" else "ws"
            connect += [f"{origin.scheme}://{origin.netloc}", f"{ws}://{origin.netloc}"]
        frame = "'self'"
    if path == "/docs":
        style = "'self' 'unsafe-inline'"  # Swagger UI sets inline styles
    return (
        f"default-src 'self'; script-src {script}; style-src {style}; "
        f"img-src 'self' data:; connect-src {' '.join(connect)}; font-src 'self'; "
        f"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {frame}"
    )


def _page(name: str, **values: str) -> str:
    text = (WEB_DIR / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", html.escape(value, quote=True))
    return text


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def agent_or_none(request: Request) -> Agent | None:
    # A plain def: FastAPI runs it in a worker thread, and it reads the session table.
    return request.app.state.auth.current_agent(request)


def require_agent(request: Request) -> Agent:
    agent = agent_or_none(request)
    if agent is None:
        raise ApiError("unauthorized")
    return agent


AgentDep = Annotated[Agent, Depends(require_agent)]
MaybeAgent = Annotated[Agent | None, Depends(agent_or_none)]


def create_app(
    settings: Settings | None = None,
    *,
    parser: Parser | None = None,
    cases: Cases | None = None,
    clauses: ClauseSearch | None = None,
    book: ResponseBook | None = None,
) -> FastAPI:
    settings = settings or Settings.from_env()
    services = Services(
        settings=settings,
        parser=parser
        or RasaParser(settings.rasa_url, token=settings.rasa_token, timeout=settings.parse_timeout),
        cases=cases or Cases(settings.database_url),
        clauses=clauses or ClauseSearch(enabled=settings.clause_search),
        book=book or ResponseBook(),
    )
    auth = ConsoleAuth(settings, services.cases)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        services.clauses.start()
        await asyncio.to_thread(auth.prepare)
        yield
        await services.parser.aclose()
        auth.close()
        services.cases.close()

    app = FastAPI(
        title="bodam agent console API",
        version="1.0.0",
        description=schemas.API_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.auth = auth
    app.add_middleware(BodyLimit)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", _csp(settings, request.url.path))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.url.path.startswith(("/api/", "/console")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    # ------------------------------------------------------------------- error handling

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(error_body(exc.code, **exc.extra), exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # The input itself is not echoed: it may be a caller's personal data.
        problems = [
            {"loc": list(error.get("loc", ())), "msg": error.get("msg", "")}
            for error in exc.errors()
        ]
        return JSONResponse(error_body("invalid_request", detail=jsonable_encoder(problems)), 422)

    @app.exception_handler(CaseStoreError)
    async def store_error(_request: Request, exc: CaseStoreError) -> JSONResponse:
        log.warning("case store error: %s", type(exc).__name__)
        return JSONResponse(error_body("case_store_unavailable"), 503)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            if request.url.path.startswith("/api/"):
                return JSONResponse(error_body("not_found"), 404)
            return JSONResponse(error_body("page_not_found"), 404)
        return JSONResponse({"error": "http_error", "detail": str(exc.detail)}, exc.status_code)

    # ----------------------------------------------------------------------------- auth

    def set_session_cookie(cookie: str, response: Response) -> None:
        response.set_cookie(
            COOKIE_NAME,
            cookie,
            max_age=SESSION_HOURS * 3600,
            httponly=True,
            samesite="strict",
            secure=settings.cookie_secure,
            path="/",
        )

    async def sign_in(request: Request, name: object, password: object) -> tuple[str, str]:
        return await _in_thread(auth.sign_in, name, password, _client(request))

    def to_login() -> RedirectResponse:
        return RedirectResponse("/console/login", status_code=303)

    # ---------------------------------------------------------------------------- pages

    @app.get("/", include_in_schema=False)
    async def chat_page() -> HTMLResponse:
        return HTMLResponse(_page("chat.html", RASA_URL=settings.rasa_public_url))

    @app.get(
        "/healthz",
        tags=["service"],
        summary="Liveness check (public)",
        openapi_extra={"security": []},
    )
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/console/login", include_in_schema=False)
    async def login_page(agent: MaybeAgent) -> Response:
        if agent is not None:
            return RedirectResponse("/console", status_code=303)
        return HTMLResponse(_page("login.html"))

    @app.post("/console/login", include_in_schema=False)
    async def login_form(request: Request) -> Response:
        """The sign-in form without JavaScript: urlencoded body, redirects either way."""
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        try:
            _name, cookie = await sign_in(
                request, (fields.get("name") or [""])[0], (fields.get("password") or [""])[0]
            )
        except ApiError as exc:
            return RedirectResponse(f"/console/login?error={exc.code}", status_code=303)
        response = RedirectResponse("/console", status_code=303)
        set_session_cookie(cookie, response)
        return response

    @app.get("/console", include_in_schema=False)
    async def console_page(agent: MaybeAgent) -> Response:
        if agent is None:
            return to_login()
        return HTMLResponse(_page("console.html", AGENT=agent.name))

    @app.get("/docs", include_in_schema=False)
    async def docs_page(agent: MaybeAgent) -> Response:
        if agent is None:
            return to_login()
        return HTMLResponse(_page("docs.html"))

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_schema(_agent: AgentDep) -> JSONResponse:
        if app.openapi_schema is None:
            app.openapi_schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema["components"].setdefault("securitySchemes", {}).update(
                schemas.SECURITY_SCHEMES
            )
            app.openapi_schema["security"] = [{"session": []}, {"bearer": []}]
        return JSONResponse(app.openapi_schema)

    @app.get("/vendor/socket.io.min.js", include_in_schema=False)
    async def socket_io_client() -> Response:
        return _vendor_file(SOCKET_IO_JS)

    @app.get("/vendor/swagger-ui/{name}", include_in_schema=False)
    async def swagger_files(name: str, _agent: AgentDep) -> Response:
        if name not in SWAGGER_FILES:
            raise ApiError("not_found")
        return _vendor_file(SWAGGER_DIR / name)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # ------------------------------------------------------------------------------ API

    @app.post(
        "/api/login",
        tags=["auth"],
        summary="Sign in an agent (sets the session cookie)",
        response_model=schemas.AgentOut,
        responses=schemas.error_responses(401, 422, 429),
        openapi_extra={"security": []},
    )
    async def login(body: LoginRequest, request: Request) -> JSONResponse:
        name, cookie = await sign_in(request, body.name, body.password)
        response = JSONResponse({"agent": name, "actor": f"agent:{name}"})
        set_session_cookie(cookie, response)
        return response

    @app.post(
        "/api/logout",
        tags=["auth"],
        summary="Sign out (ends the session on the server and clears the cookie)",
    )
    async def logout(request: Request) -> JSONResponse:
        await _in_thread(auth.sign_out, request)
        response = JSONResponse({"signed_out": True})
        response.delete_cookie(COOKIE_NAME, path="/")
        return response

    @app.get(
        "/api/me",
        tags=["auth"],
        summary="The signed-in agent",
        response_model=schemas.AgentOut,
        responses=schemas.error_responses(401),
    )
    async def me(agent: AgentDep) -> dict[str, str]:
        return {"agent": agent.name, "actor": agent.actor}

    @app.post(
        "/api/assist",
        tags=["assist"],
        summary="Analyse what the caller said",
        description=schemas.ASSIST_DESCRIPTION,
        response_model=schemas.AssistOut,
        responses=schemas.error_responses(401, 413, 422),
    )
    async def assist_endpoint(body: AssistRequest, agent: AgentDep) -> dict[str, Any]:
        problem = classify_input(body.text)
        if problem == "empty":
            raise ApiError("text_empty")
        if problem == "too_long":
            raise ApiError("text_too_long", max_chars=MAX_TEXT_CHARS)
        return await assist(services, body.text, agent)

    @app.get(
        "/api/cases/{case_id}",
        tags=["cases"],
        summary="One claim, complaint, change request or policy with its history",
        description=schemas.CASE_DESCRIPTION,
        response_model=schemas.CaseOut,
        responses=schemas.error_responses(401, 404, 422),
    )
    async def case(case_id: str, agent: AgentDep) -> dict[str, Any]:
        if len(case_id) > 40 or kind_of(case_id) is None:
            raise ApiError("invalid_case_id")
        summary = await _in_thread(services.cases.lookup, case_id, agent.actor)
        if summary is None:
            raise ApiError("not_found")
        return summary

    @app.get(
        "/api/clauses/{clause_id}",
        tags=["clauses"],
        summary="One clause's whole article, the quoted paragraph highlighted",
        description=schemas.CLAUSE_DESCRIPTION,
        response_model=schemas.ClauseArticleOut,
        responses=schemas.error_responses(401, 404, 422, 503),
    )
    async def clause_article(
        clause_id: str,
        agent: AgentDep,
        paragraph: Annotated[int | None, Query(ge=1, le=99)] = None,
        lang: Annotated[Literal["ko", "en"], Query()] = "ko",
    ) -> dict[str, Any]:
        if len(clause_id) > 100 or not CLAUSE_ID.fullmatch(clause_id):
            raise ApiError("clause_not_found")
        if services.clauses.state != READY:
            services.clauses.start()
            raise ApiError("clause_search_unavailable")
        try:
            view = await _in_thread(services.clauses.article, clause_id, lang, paragraph)
        except RuntimeError as exc:
            raise ApiError("clause_search_unavailable") from exc
        if view is None:
            raise ApiError("clause_not_found")
        # Policy wording holds no personal data: logged, not written to the case audit log.
        log.info("clause %s viewed by %s", clause_id, agent.actor)
        return view

    @app.get(
        "/api/handoffs",
        tags=["queues"],
        summary="Open hand-off requests with their conversation summaries",
        response_model=schemas.HandoffList,
        responses=schemas.error_responses(401),
    )
    async def handoffs(agent: AgentDep) -> dict[str, Any]:
        items = await _in_thread(services.cases.open_handoffs, agent.actor)
        return {"count": len(items), "items": items}

    @app.get(
        "/api/complaints/overdue",
        tags=["queues"],
        summary="Unresolved complaints past their 14-day answer date",
        response_model=schemas.ComplaintList,
        responses=schemas.error_responses(401),
    )
    async def overdue(agent: AgentDep) -> dict[str, Any]:
        today = clock.today()
        items = await _in_thread(services.cases.overdue_complaints, today, agent.actor)
        return {"today": today.isoformat(), "count": len(items), "items": items}

    @app.get(
        "/api/identity-locks",
        tags=["identity"],
        summary="Locked policies and case ids, and the last day's bursts of failed checks",
        response_model=schemas.IdentityLocksOut,
        responses=schemas.error_responses(401),
    )
    async def identity_locks(agent: AgentDep) -> dict[str, Any]:
        return await _in_thread(services.cases.identity_locks, agent.actor, utcnow())

    @app.post(
        "/api/identity-locks/{subject_id}/unlock",
        tags=["identity"],
        summary="Unlock identity checks on a policy or case id (after checking the caller)",
        response_model=schemas.UnlockOut,
        responses=schemas.error_responses(401, 422),
    )
    async def unlock_identity(subject_id: str, agent: AgentDep) -> dict[str, Any]:
        subject = subject_id.strip().upper()
        if kind_of(subject) not in ("policy", "claim", "complaint"):
            raise ApiError("invalid_subject_id")
        unlocked = await _in_thread(services.cases.unlock_identity, subject, agent.actor)
        return {"subject_id": subject, "unlocked": unlocked}

    return app


async def _in_thread(function: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(function, *args)


def _vendor_file(path: Path) -> Response:
    if not path.is_file():
        return JSONResponse(error_body("vendor_missing"), 503)
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})


app = create_app()
