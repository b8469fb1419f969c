"""Run the web server: ``python -m console --port 8080`` (localhost only by default)."""

from __future__ import annotations

import argparse
import os

import uvicorn

from console.settings import DEFAULT_RASA_URL, DEMO_PASSWORD


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m console", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    rasa = os.environ.get("BODAM_RASA_URL") or DEFAULT_RASA_URL
    print(f"bodam web: chat http://{args.host}:{args.port}/  console /console  (Rasa {rasa})")
    if not os.environ.get("BODAM_AGENT_PASSWORD"):
        print(f"agent password: the demo default '{DEMO_PASSWORD}' (set BODAM_AGENT_PASSWORD)")
    uvicorn.run(
        "console.app:app",
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        proxy_headers=False,
        server_header=False,
    )


if __name__ == "__main__":
    main()
