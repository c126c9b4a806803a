"""Sandbox of the ``echo`` style: JSON:API inquiries, dated versions, strict idempotency
(modelled on Persona and Stripe Identity).

Spec: docs/styles/echo.md. Choices the spec leaves open, written down there:
- Order of checks on every call: auth (401) → rate limit (429, 300/min fixed window,
  ``RateLimit-*`` headers on every answer) → ``Echo-Version`` (400 ``invalid_version``)
  → idempotency (POST without ``Idempotency-Key`` → 400; a seen key replays the first
  status and body, 5xx included (``internal_errors=n`` makes the next n keyed POSTs
  fail inside the app, to show it); the same key with another path or body → 409
  ``idempotency_error``). Keys live 24 h on the sandbox clock.
- Errors: ``{"errors":[{"status","code","title","details","source":{"pointer"}}]}``;
  ``code`` is our addition so clients need not parse titles.
- An inquiry is ``created``; ``/submit`` makes it ``pending``; the first read after
  that decides it from the scenario file (``scenario_data/echo.json``): sandbox control
  is ``meta.force-outcome`` (pass|fail) per inquiry, plus ``meta.force-status``
  (completed|expired|failed) for the outcomes a template's toggle cannot express; the
  scenario whose ``control.options`` match the meta most closely gives the status and
  the verification words. The sandbox never looks at images.
- On a decision it sends ``inquiry.<status>`` webhooks signed ``Echo-Signature:
  t=<unix>,v1=<hex>``, one pair per active secret (two while rotating).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kyc_sdk.sandbox._crypto import hmac_hex, same
from kyc_sdk.sandbox.base import SandboxApp
from kyc_sdk.sandbox.scenarios import scenarios

API_KEY = "echo_sandbox_5f4e3d2c1b0a9f8e"
#: The one dated ``Echo-Version`` this sandbox knows; any other is 400 ``invalid_version``.
API_VERSION = "2025-12-08"
WEBHOOK_SECRETS = ("echo_whsec_sandbox_current", "echo_whsec_sandbox_previous")
IDEMPOTENCY_TTL = 24 * 3600.0
#: Sandbox control keys in ``meta`` and their values when absent.
CONTROL_DEFAULTS: dict[str, str | None] = {"force-outcome": "pass", "force-status": None}
Handler = Callable[[Request], Awaitable[Response]]


def credentials(base_url: str) -> dict[str, Any]:
    """What a client of this sandbox is configured with (public test values)."""
    return {
        "base_url": base_url,
        "api_key": API_KEY,
        "webhook_secrets": WEBHOOK_SECRETS[:1],
        "poll_interval": 0.05,
    }


def error(
    status: int,
    code: str,
    title: str,
    details: str = "",
    pointer: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    item: dict[str, Any] = {"status": str(status), "code": code, "title": title, "details": details}
    if pointer:
        item["source"] = {"pointer": pointer}
    return JSONResponse({"errors": [item]}, status_code=status, headers=dict(headers or {}))


def sign(body: bytes, t: int, secrets: tuple[str, ...] = WEBHOOK_SECRETS[:1]) -> str:
    """The ``Echo-Signature`` header: one ``t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{body}">``
    pair per secret, space-separated (two while a secret rotates)."""
    return " ".join(f"t={t},v1={hmac_hex(s, f'{t}.'.encode() + body)}" for s in secrets)


class EchoSandbox(SandboxApp):
    style = "echo"

    def __init__(
        self,
        *,
        rate_limit: int = 300,
        signing_secrets: tuple[str, ...] = WEBHOOK_SECRETS[:1],
        internal_errors: int = 0,
        **kw: Any,
    ) -> None:
        self.rate_limit = rate_limit
        self.internal_errors = internal_errors  # the next n keyed POSTs fail inside the app
        self.signing_secrets = signing_secrets
        self.window: tuple[int, int] = (0, 0)  # (minute, requests in it)
        self.keys: dict[str, tuple[str, float, int, bytes]] = {}  # key → (fingerprint, at, status, body)
        self.inquiries: dict[str, dict[str, Any]] = {}
        super().__init__(**kw)

    def routes(self) -> list[BaseRoute]:
        def post(path: str, fn: Handler) -> Route:
            return Route(path, self._guard(fn, idempotent=True), methods=["POST"])

        return [
            post("/api/v1/inquiries", self.create),
            post("/api/v1/inquiries/{id}/documents", self.upload),
            post("/api/v1/inquiries/{id}/selfies", self.upload),
            post("/api/v1/inquiries/{id}/submit", self.submit),
            post("/api/v1/inquiries/{id}/approve", self.decide),
            post("/api/v1/inquiries/{id}/decline", self.decide),
            Route("/api/v1/inquiries/{id}", self._guard(self.get, idempotent=False), methods=["GET"]),
        ]

    # The edge: auth, rate limit, version, idempotency ----------------------------------

    def auth_failed(self) -> Response:
        return error(401, "unauthorized", "Unauthorized", "Must be authenticated to access this endpoint")

    def rate_limited(self) -> Response:
        return error(
            429,
            "rate_limited",
            "Too many requests",
            "Rate limit exceeded",
            headers=self._limit_headers(remaining=0),
        )

    def unavailable(self) -> Response:
        return error(503, "internal_error", "Service unavailable", "Please retry")

    def _limit_headers(self, remaining: int) -> dict[str, str]:
        reset = 60 - int(self.clock()) % 60
        return {
            "RateLimit-Limit": str(self.rate_limit),
            "RateLimit-Remaining": str(max(remaining, 0)),
            "RateLimit-Reset": str(reset),
        }

    def _guard(self, handler: Handler, *, idempotent: bool) -> Handler:
        async def guarded(request: Request) -> Response:
            if not same(request.headers.get("authorization"), f"Bearer {API_KEY}"):
                return self.auth_failed()
            minute, count = self.window
            now_minute = int(self.clock()) // 60
            count = count + 1 if now_minute == minute else 1
            self.window = (now_minute, count)
            if count > self.rate_limit:
                return self.rate_limited()
            response: Response
            if request.headers.get("echo-version") != API_VERSION:
                response = error(
                    400,
                    "invalid_version",
                    "Invalid version",
                    f"Echo-Version must be a known dated version, e.g. {API_VERSION}",
                )
            elif idempotent:
                response = await self._idempotent(handler, request)
            else:
                response = await handler(request)
            response.headers.update(self._limit_headers(self.rate_limit - count))
            return response

        return guarded

    async def _idempotent(self, handler: Handler, request: Request) -> Response:
        key = request.headers.get("idempotency-key")
        if not key:
            return error(400, "idempotency_key_missing", "Idempotency-Key required", "Every POST needs one")
        fingerprint = hashlib.sha256(request.url.path.encode() + b"\x00" + await request.body()).hexdigest()
        stored = self.keys.get(key)
        if stored and self.clock() - stored[1] < IDEMPOTENCY_TTL:
            if stored[0] != fingerprint:
                return error(
                    409,
                    "idempotency_error",
                    "Idempotency key reused",
                    "Keys cannot be reused with different parameters",
                )
            return Response(
                stored[3],
                status_code=stored[2],
                media_type="application/vnd.api+json",
                headers={"Idempotent-Replayed": "true"},
            )
        if self.internal_errors > 0:  # a failure past the edge: stored under the key like any answer
            self.internal_errors -= 1
            response: Response = error(
                500, "internal_error", "Internal server error", "Please contact support"
            )
        else:
            response = await handler(request)
        self.keys[key] = (fingerprint, self.clock(), response.status_code, bytes(response.body))
        return response

    # Inquiries ------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        body = await _json(request)
        attributes = body.get("data", {}).get("attributes") if isinstance(body.get("data"), dict) else None
        if not isinstance(attributes, dict):
            return error(
                422, "record_invalid", "Record invalid", "data.attributes is required", "/data/attributes"
            )
        if not attributes.get("inquiry-template-id"):
            return error(
                422,
                "record_invalid",
                "Record invalid",
                "can't be blank",
                "/data/attributes/inquiry-template-id",
            )
        meta = body["meta"] if isinstance(body.get("meta"), dict) else {}
        vendor = self._scenario(meta)
        if vendor is None:
            return error(422, "record_invalid", "Record invalid", "unknown sandbox control", "/meta")
        inquiry = {
            "id": f"inq_{uuid.uuid4().hex[:20]}",
            "status": "created",
            "vendor": vendor,
            "reference-id": attributes.get("reference-id"),
            "fields": attributes.get("fields", {}),
            "uploads": [],
        }
        self.inquiries[inquiry["id"]] = inquiry
        return JSONResponse(self._doc(inquiry), status_code=201)

    def _scenario(self, meta: Mapping[str, Any]) -> dict[str, Any] | None:
        """The vendor words of the scenario whose control equals ``meta`` (defaults filled)."""
        if set(meta) - set(CONTROL_DEFAULTS):
            return None
        for item in scenarios("echo"):
            wanted = item.control.get("options", {})
            if all(meta.get(k, d) == wanted.get(k, d) for k, d in CONTROL_DEFAULTS.items()):
                return item.vendor
        return None

    async def upload(self, request: Request) -> Response:
        inquiry = self.inquiries.get(request.path_params["id"])
        if inquiry is None:
            return error(404, "not_found", "Record not found", "No such inquiry")
        if inquiry["status"] != "created":
            return error(409, "conflict", "Conflict", "The inquiry was already submitted")
        attributes = (await _json(request)).get("data", {}).get("attributes")
        if not isinstance(attributes, dict) or not attributes:
            return error(422, "record_invalid", "Record invalid", "no photos", "/data/attributes")
        kind = "selfie" if request.url.path.endswith("/selfies") else "document"
        inquiry["uploads"].append(kind)  # the sandbox never looks at the pixels
        return JSONResponse(
            {
                "data": {
                    "type": kind,
                    "id": f"{kind[:3]}_{uuid.uuid4().hex[:12]}",
                    "attributes": {"status": "submitted"},
                }
            },
            status_code=201,
        )

    async def submit(self, request: Request) -> Response:
        inquiry = self.inquiries.get(request.path_params["id"])
        if inquiry is None:
            return error(404, "not_found", "Record not found", "No such inquiry")
        if inquiry["status"] != "created":
            return error(409, "conflict", "Conflict", "The inquiry was already submitted")
        inquiry["status"] = "pending"
        return JSONResponse(self._doc(inquiry))

    async def decide(self, request: Request) -> Response:
        """Client-side decisioning: approve or decline a ``completed`` inquiry."""
        inquiry = self.inquiries.get(request.path_params["id"])
        if inquiry is None:
            return error(404, "not_found", "Record not found", "No such inquiry")
        if inquiry["status"] != "completed":
            return error(409, "conflict", "Conflict", "Only a completed inquiry can be decided")
        inquiry["status"] = "approved" if request.url.path.endswith("/approve") else "declined"
        await self._event(inquiry)
        return JSONResponse(self._doc(inquiry))

    async def get(self, request: Request) -> Response:
        inquiry = self.inquiries.get(request.path_params["id"])
        if inquiry is None:
            return error(404, "not_found", "Record not found", "No such inquiry")
        if inquiry["status"] == "pending":
            if inquiry.pop("_seen", False):  # decided on the second read after submit
                inquiry["status"] = inquiry["vendor"]["status"]
                await self._event(inquiry)
            else:
                inquiry["_seen"] = True
        return JSONResponse(self._doc(inquiry))

    async def _event(self, inquiry: dict[str, Any]) -> None:
        t = int(self.clock())
        event = {
            "data": {
                "type": "event",
                "id": f"evt_{uuid.uuid4().hex[:16]}",
                "attributes": {
                    "name": f"inquiry.{inquiry['status']}",
                    "created-at": t,
                    "payload": self._doc(inquiry),
                },
            }
        }
        body = json.dumps(event).encode()
        await self.send_webhook(
            body, {"Content-Type": "application/json", "Echo-Signature": sign(body, t, self.signing_secrets)}
        )

    def _doc(self, inquiry: dict[str, Any]) -> dict[str, Any]:
        attributes = {
            "status": inquiry["status"],
            "reference-id": inquiry["reference-id"],
            "fields": inquiry["fields"],
        }
        doc: dict[str, Any] = {"data": {"type": "inquiry", "id": inquiry["id"], "attributes": attributes}}
        if inquiry["status"] not in ("created", "pending"):
            doc["included"] = [
                {"type": kind, "id": f"ver_{inquiry['id'][4:12]}_{n}", "attributes": {"status": word}}
                for n, (kind, word) in enumerate(inquiry["vendor"]["verifications"].items())
            ]
        return doc


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
