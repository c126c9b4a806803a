"""What every vendor sandbox shares: an ASGI app, faults on demand, webhooks, scenarios.

A style's sandbox subclasses ``SandboxApp``: it lists its Starlette routes, keeps its
state in memory, renders its own error envelopes for ``auth`` and ``rate_limited``, and
sends webhooks through ``send_webhook``. The base applies faults before routing:

- ``unavailable``: 503 from the "load balancer" (plain text, as a real one sends);
- ``slow``: the answer comes after ``slow_seconds``;
- ``rate_limited`` / ``auth``: the style's own 429 (or quota) and 401 envelopes;
- ``edge_rate_limited``: a plain-text 429 from a limiter in front of the vendor;
- ``malformed``: 200 with a truncated JSON body;
- ``webhook_drop`` / ``webhook_duplicate`` / ``webhook_reorder``: applied to deliveries.

A fault is active for every request (count ``None``) or for the next *n* requests.
Faults are set at construction or at run time with ``POST /_sim/faults``
(``{"faults": {"slow": null, "unavailable": 1}, "slow_seconds": 2}``); ``retry_after``
(a string: seconds, ``1.5`` or an HTTP-date) replaces the ``Retry-After`` header of
both rate-limit faults, so a client's reading of every form can be tried; ``DELETE
/_sim/faults`` clears them; ``GET /_sim/outbox`` lists the webhooks sent. Paths under
``/_sim`` are never faulted.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import anyio
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

log = logging.getLogger("kyc_sdk.sandbox")

REQUEST_FAULTS = ("unavailable", "slow", "rate_limited", "edge_rate_limited", "malformed", "auth")
WEBHOOK_FAULTS = ("webhook_drop", "webhook_duplicate", "webhook_reorder")
FAULTS = REQUEST_FAULTS + WEBHOOK_FAULTS
# When several are active, the one a real vendor's edge would answer first wins.
_ORDER = ("edge_rate_limited", "auth", "rate_limited", "unavailable", "slow", "malformed")


@dataclass
class FaultPlan:
    """Active faults: name → remaining count (None: every request)."""

    active: dict[str, int | None] = field(default_factory=dict)
    slow_seconds: float = 5.0
    retry_after: str | None = None  # the rate-limit faults' Retry-After, when set

    @classmethod
    def of(
        cls,
        faults: Iterable[str] | Mapping[str, int | None],
        slow_seconds: float = 5.0,
        retry_after: str | None = None,
    ) -> FaultPlan:
        items = dict(faults) if isinstance(faults, Mapping) else dict.fromkeys(faults)
        unknown = sorted(set(items) - set(FAULTS))
        if unknown:
            raise ValueError(f"unknown fault {unknown[0]!r}; known: {', '.join(FAULTS)}")
        if retry_after is not None and not (
            isinstance(retry_after, str) and retry_after.isascii() and retry_after.isprintable()
        ):
            raise TypeError("retry_after must be a printable ASCII string")
        return cls(items, slow_seconds, retry_after)

    def take(self, names: Iterable[str]) -> str | None:
        """The first active fault among ``names``, spending one of its count."""
        for name in names:
            if name in self.active:
                left = self.active[name]
                if left is not None:
                    if left <= 1:
                        del self.active[name]
                    else:
                        self.active[name] = left - 1
                return name
        return None


@dataclass(frozen=True)
class Delivery:
    """A webhook the sandbox sent (kept in ``outbox`` for in-process tests)."""

    url: str | None
    headers: dict[str, str]
    body: bytes

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "headers": self.headers, "body": self.body.decode("utf-8", "replace")}


class SandboxApp:
    """Base of the eight style sandboxes. Subclasses set ``style`` and ``routes()``."""

    style: ClassVar[str]

    def __init__(
        self,
        *,
        faults: Iterable[str] | Mapping[str, int | None] = (),
        slow_seconds: float = 5.0,
        clock: Callable[[], float] = time.time,
        webhook_url: str | None = None,
        webhook_source: str | None = None,
    ) -> None:
        self.faults = FaultPlan.of(faults, slow_seconds)
        self.clock = clock
        self.webhook_url = webhook_url
        self.webhook_source = webhook_source  # loopback address to send from (IP allowlists)
        self.outbox: list[Delivery] = []
        self._held: Delivery | None = None
        self.app = Starlette(routes=[*self.routes(), *self._control_routes()])

    # Subclasses --------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        raise NotImplementedError

    def auth_failed(self) -> Response:
        return JSONResponse({"message": "Unauthorized"}, status_code=401)

    def rate_limited(self) -> Response:
        return JSONResponse({"message": "Too Many Requests"}, status_code=429)

    def unavailable(self) -> Response:
        return PlainTextResponse("503 Service Unavailable", status_code=503)

    def edge_rate_limited(self) -> Response:
        return PlainTextResponse("429 Too Many Requests", status_code=429, headers={"Retry-After": "1"})

    def malformed(self) -> Response:
        return Response(b'{"status": "ok", "data": {"id": ', media_type="application/json")

    # ASGI ----------------------------------------------------------------------------

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/_sim"):
            fault = self.faults.take(_ORDER)
            if fault == "slow":
                await anyio.sleep(self.faults.slow_seconds)
            elif fault is not None:
                response = {
                    "auth": self.auth_failed,
                    "rate_limited": self.rate_limited,
                    "edge_rate_limited": self.edge_rate_limited,
                    "unavailable": self.unavailable,
                    "malformed": self.malformed,
                }[fault]()
                if "rate_limited" in fault and self.faults.retry_after is not None:
                    response.headers["Retry-After"] = self.faults.retry_after
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    # Webhooks ------------------------------------------------------------------------

    async def send_webhook(self, body: bytes, headers: Mapping[str, str], url: str | None = None) -> None:
        """Deliver a webhook (to ``url`` or ``webhook_url``), applying webhook faults."""
        delivery = Delivery(url or self.webhook_url, dict(headers), body)
        fault = self.faults.take(WEBHOOK_FAULTS)
        if fault == "webhook_drop":
            return
        if fault == "webhook_reorder" and self._held is None:
            self._held = delivery  # goes out after the next one
            return
        batch = [delivery, delivery] if fault == "webhook_duplicate" else [delivery]
        if self._held is not None:
            batch.append(self._held)
            self._held = None
        for item in batch:
            await self._post(item)

    async def flush_webhooks(self) -> None:
        """Send a held (reordered) webhook that no later one released."""
        if self._held is not None:
            held, self._held = self._held, None
            await self._post(held)

    async def _post(self, delivery: Delivery) -> None:
        self.outbox.append(delivery)
        if not delivery.url:
            return
        transport = (
            httpx.AsyncHTTPTransport(local_address=self.webhook_source) if self.webhook_source else None
        )
        try:
            async with httpx.AsyncClient(transport=transport, timeout=5.0) as client:
                await client.post(delivery.url, content=delivery.body, headers=delivery.headers)
        except httpx.HTTPError as exc:  # a receiver that is down loses the event, as in life
            log.warning("%s webhook to %s failed: %s", self.style, delivery.url, type(exc).__name__)

    # Control -------------------------------------------------------------------------

    def _control_routes(self) -> list[BaseRoute]:
        return [
            Route("/_sim/faults", self._set_faults, methods=["POST"]),
            Route("/_sim/faults", self._clear_faults, methods=["DELETE"]),
            Route("/_sim/outbox", self._get_outbox, methods=["GET"]),
            Route("/_sim/webhook", self._set_webhook, methods=["POST"]),
            Route("/_sim/webhooks/flush", self._flush, methods=["POST"]),
        ]

    async def _set_faults(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
            slow = float(body.get("slow_seconds", self.faults.slow_seconds))
            plan = FaultPlan.of(body.get("faults", {}), slow, body.get("retry_after"))
        except (ValueError, TypeError, AttributeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        self.faults = plan
        return JSONResponse(
            {"faults": plan.active, "slow_seconds": plan.slow_seconds, "retry_after": plan.retry_after}
        )

    async def _set_webhook(self, request: Request) -> Response:
        try:
            url = json.loads(await request.body())["url"]
            if url is not None and not isinstance(url, str):
                raise TypeError("url must be a string or null")
        except (ValueError, TypeError, KeyError) as exc:
            return JSONResponse({"error": f"expected {{'url': ...}}: {exc}"}, status_code=400)
        self.webhook_url = url
        return JSONResponse({"url": url})

    async def _clear_faults(self, request: Request) -> Response:
        self.faults = FaultPlan(slow_seconds=self.faults.slow_seconds)
        return Response(status_code=204)

    async def _get_outbox(self, request: Request) -> Response:
        return JSONResponse([d.to_dict() for d in self.outbox])

    async def _flush(self, request: Request) -> Response:
        await self.flush_webhooks()
        return Response(status_code=204)
