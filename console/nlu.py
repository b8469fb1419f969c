"""Intent ranking from the running Rasa server (HTTP API ``POST /model/parse``)."""

from __future__ import annotations

from typing import Any, Protocol

import httpx

FALLBACK_INTENT = "nlu_fallback"
TOP_INTENTS = 3


class NluUnavailable(Exception):
    """Rasa could not be asked (down, timed out, no model loaded, unexpected answer)."""


class Parser(Protocol):
    async def parse(self, text: str) -> dict[str, Any]: ...

    async def aclose(self) -> None: ...


class RasaParser:
    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 2.5) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            # trust_env=False: a proxy from the environment must not see callers' words.
            self._client = httpx.AsyncClient(timeout=self.timeout, trust_env=False)
        return self._client

    async def parse(self, text: str) -> dict[str, Any]:
        params = {"token": self.token} if self.token else None
        try:
            response = await self._http().post(
                f"{self.base_url}/model/parse", json={"text": text}, params=params
            )
        except httpx.HTTPError as exc:
            raise NluUnavailable(type(exc).__name__) from None
        if response.status_code != 200:
            raise NluUnavailable(f"HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            raise NluUnavailable("not JSON") from None
        if not isinstance(data, dict):
            raise NluUnavailable("unexpected answer")
        return data

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def top_intents(parsed: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """The three likeliest real intents and whether Rasa fell back (low confidence).

    The FallbackClassifier puts ``nlu_fallback`` first when no intent is confident enough;
    the agent still wants to see the candidates behind it, so it is reported as a flag.
    """
    ranking = parsed.get("intent_ranking")
    if not isinstance(ranking, list) or not ranking:
        intent = parsed.get("intent")
        ranking = [intent] if isinstance(intent, dict) else []
    top = parsed.get("intent") if isinstance(parsed.get("intent"), dict) else {}
    fell_back = top.get("name") == FALLBACK_INTENT
    intents: list[dict[str, Any]] = []
    for item in ranking:
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        confidence = item.get("confidence")
        if not isinstance(name, str) or name == FALLBACK_INTENT:
            if name == FALLBACK_INTENT:
                fell_back = True
            continue
        if not isinstance(confidence, int | float):
            continue
        intents.append({"name": name, "confidence": round(float(confidence), 4)})
    intents.sort(key=lambda item: item["confidence"], reverse=True)
    return intents[:TOP_INTENTS], fell_back
