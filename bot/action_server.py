"""The action server, answering only Rasa: `python -m bot.action_server --port 5055`.

rasa-sdk's own server answers anyone who reaches its port. This one refuses every request
but `/health` without `Authorization: Bearer <BODAM_ACTION_TOKEN>` (endpoints.yml makes
Rasa send it), binds to `BODAM_BIND` (default 127.0.0.1), allows no cross-origin callers
and never echoes a request body back in an error.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from functools import partial

from rasa_sdk.endpoint import create_app_for_serve
from rasa_sdk.executor import ActionExecutor
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse
from sanic.worker.loader import AppLoader

from bot.logging_masking import install_log_masking

logger = logging.getLogger(__name__)

TOKEN_ENV = "BODAM_ACTION_TOKEN"
BIND_ENV = "BODAM_BIND"
DEFAULT_BIND = "127.0.0.1"
OPEN_PATHS = frozenset({"/health"})


def token_matches(header: str | None, token: str) -> bool:
    scheme, _, given = (header or "").partition(" ")
    given_token = given.strip().encode()
    return scheme.lower() == "bearer" and hmac.compare_digest(given_token, token.encode())


def create_app(executor: ActionExecutor, token: str) -> Sanic:
    app = create_app_for_serve(executor, cors_origins=[])

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if token_matches(request.headers.get("authorization"), token):
            return None
        return response.json({"error": "unauthorized"}, status=401)

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("action server error on %s", request.path, exc_info=exception)
        return response.json({"error": "internal error"}, status=500)

    # Replaces rasa-sdk's handler, which sends the request body (a whole tracker) back.
    app.error_handler.cached_handlers[(Exception, None)] = failed
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", default="bot.actions")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        sys.exit(f"{TOKEN_ENV} is not set: `make run` writes one to var/secrets.env")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_log_masking()
    executor = ActionExecutor()
    executor.register_package(args.actions)
    loader = AppLoader(factory=partial(create_app, executor, token))
    app = loader.load()
    host = os.environ.get(BIND_ENV, "").strip() or DEFAULT_BIND
    app.prepare(host=host, port=args.port, workers=1, single_process=True)
    logger.info("action server on http://%s:%s (token required)", host, args.port)
    Sanic.serve_single(primary=app)


if __name__ == "__main__":
    main()
