"""Sandbox of the ``gilan`` style: hosted video-ident, client-chosen transaction numbers,
login tokens, two-phase results, automated-testing endpoints (modelled on IDnow's
``api.test`` environment).

Spec: docs/styles/gilan.md. Choices the spec leaves open, written down there:
- ``POST /api/v1/{cid}/login {"apiKey"}`` → ``{"authToken"}``, valid ``token_ttl`` seconds
  on the sandbox clock; afterwards reads answer 401 ``INVALID_LOGIN_TOKEN``.
- ``…/identifications/{tn}/start`` (``X-API-KEY``) registers the person; a reused ``tn``
  is 409 ``TRANSACTIONNUMBER_ALREADY_USED``. ``result`` is ``null`` until the person has
  been through the video call.
- Automated testing (``X-API-KEY``): ``POST /sim/identifications/{tn}/start`` (the person
  opens the link), ``/requestVideoChat`` with ``{"result", "reason"}``: the automatic
  result the call will produce (default ``SUCCESS``), which must be one of the scenario
  file's (``scenario_data/gilan.json``; the scenario also says which fields the agent
  changed). The result is ``CHECK_PENDING`` until the next read, then the automatic word.
  ``/agent-decision {"result", "reason"}`` is phase two: an agent changes a
  ``*_PENDING`` result.
- Each result (not ``CHECK_PENDING``) is POSTed to the webhook URL with
  ``X-Gilan-Timestamp`` and ``X-Gilan-Signature: sha256=<hex HMAC-SHA256(secret,
  f"{ts}.{body}")>``.
- The sim ``start`` answers the random Persian phrase the person must read aloud
  (``readaloudtext``, also in the identification); ``VIDEO_TEXT_MISMATCH`` is the reason
  when they did not.
- ``GET …/identifications?pending=true|failed=true`` lists; ``GET /files/{tn}.zip`` is the
  result archive (stands in for SFTP).
"""

from __future__ import annotations

import io
import json
import re
import secrets
import zipfile
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kyc_sdk.sandbox._crypto import hmac_hex, same
from kyc_sdk.sandbox.base import SandboxApp
from kyc_sdk.sandbox.scenarios import scenarios

COMPANY_ID = "sana42"  # public (it is in the redirect URL), so short and not a secret
API_KEY = "gilan_sandbox_api_key_3e4d5c6b"
WEBHOOK_SECRET = "gilan_webhook_sandbox_secret"
FIELDS = ("firstname", "lastname", "birthday", "nationality", "mobilephone")
FAILED = frozenset({"CANCELED", "ABORTED", "FRAUD_SUSPICION_CONFIRMED"})
#: The ``…_PENDING`` results: listed by ``?pending=true``; an agent may still change them.
PENDING = frozenset({"CHECK_PENDING", "REVIEW_PENDING", "FRAUD_SUSPICION_PENDING"})
#: The read-aloud step: the person reads a random phrase on camera (SANA-like liveness).
PHRASES = ("امروز هوا آفتابی است", "کتاب روی میز است", "شماره من را تایید کنید", "باران بهاری می‌بارد")
_TN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def credentials(base_url: str) -> dict[str, Any]:
    """What a client of this sandbox is configured with (public test values)."""
    return {
        "base_url": base_url,
        "company_id": COMPANY_ID,
        "api_key": API_KEY,
        "webhook_secret": WEBHOOK_SECRET,
        "poll_interval": 0.05,
        "simulate_user": True,
    }


def error(status: int, cause: str, message: str, key: str = "") -> JSONResponse:
    return JSONResponse(
        {"errors": [{"cause": cause, "id": secrets.token_hex(4), "key": key, "message": message}]},
        status_code=status,
    )


def sign(body: bytes, timestamp: int, secret: str = WEBHOOK_SECRET) -> str:
    """``X-Gilan-Signature``: ``sha256=`` + hex HMAC-SHA256 of ``"{timestamp}.{body}"``."""
    return "sha256=" + hmac_hex(secret, f"{timestamp}.".encode() + body)


class GilanSandbox(SandboxApp):
    style = "gilan"

    def __init__(self, *, token_ttl: float = 900.0, **kw: Any) -> None:
        self.token_ttl = token_ttl
        self.tokens: dict[str, float] = {}  # token → expiry
        self.idents: dict[str, dict[str, Any]] = {}
        self.outcomes = {(s.vendor["result"], s.vendor.get("reason")): s.vendor for s in scenarios("gilan")}
        super().__init__(**kw)

    def routes(self) -> list[BaseRoute]:
        base = "/api/v1/{cid}"
        return [
            Route(f"{base}/login", self.login, methods=["POST"]),
            Route(f"{base}/identifications/{{tn}}/start", self.start, methods=["POST"]),
            Route(f"{base}/identifications", self.listing, methods=["GET"]),
            Route(f"{base}/identifications/{{tn}}", self.get, methods=["GET"]),
            Route("/files/{tn}.zip", self.archive, methods=["GET"]),
            Route("/sim/identifications/{tn}/{step}", self.simulate, methods=["POST"]),
        ]

    def auth_failed(self) -> Response:
        return error(401, "UNAUTHORIZED", "Authentication failed")

    def rate_limited(self) -> Response:
        response = error(429, "TOO_MANY_REQUESTS", "Too many requests")
        response.headers["Retry-After"] = "1"
        return response

    # Auth ------------------------------------------------------------------------------

    def _key_error(self, request: Request) -> Response | None:
        if request.path_params.get("cid", COMPANY_ID) != COMPANY_ID:
            return error(404, "OBJECT_NOT_FOUND", "Unknown company")
        if not same(request.headers.get("x-api-key"), API_KEY):
            return error(401, "INVALID_API_KEY", "The API key is not valid for this company")
        return None

    def _token_error(self, request: Request) -> Response | None:
        if request.path_params.get("cid", COMPANY_ID) != COMPANY_ID:
            return error(404, "OBJECT_NOT_FOUND", "Unknown company")
        expiry = self.tokens.get(request.headers.get("x-api-login-token", ""))
        if expiry is None or self.clock() > expiry:
            return error(401, "INVALID_LOGIN_TOKEN", "The login token is missing, unknown or expired")
        return None

    async def login(self, request: Request) -> Response:
        body = await _json(request)
        if request.path_params["cid"] != COMPANY_ID or not same(body.get("apiKey"), API_KEY):
            return error(401, "INVALID_API_KEY", "The API key is not valid for this company")
        token = secrets.token_urlsafe(24)
        self.tokens[token] = self.clock() + self.token_ttl
        return JSONResponse({"authToken": token})

    # Identifications --------------------------------------------------------------------

    async def start(self, request: Request) -> Response:
        refused = self._key_error(request)
        if refused is not None:
            return refused
        tn, body = request.path_params["tn"], await _json(request)
        if not _TN.match(tn):
            return error(400, "INVALID_PARAMETER", "transactionnumber must be 1-64 of A-Z a-z 0-9 _ -", "tn")
        missing = [f for f in ("firstname", "lastname") if not body.get(f)]
        if missing:
            return error(400, "MISSING_PARAMETER", f"{missing[0]} is required", missing[0])
        if tn in self.idents:
            return error(
                409, "TRANSACTIONNUMBER_ALREADY_USED", "This transaction number was used before", "tn"
            )
        self.idents[tn] = {
            "tn": tn,
            "result": None,
            "reason": None,
            "agentname": None,
            "time": None,
            "opened": False,
            "pending": None,
            "userdata": {f: {"status": "MATCH", "value": body[f]} for f in FIELDS if body.get(f)},
        }
        return JSONResponse({"id": tn})

    async def get(self, request: Request) -> Response:
        refused = self._token_error(request)
        if refused is not None:
            return refused
        ident = self.idents.get(request.path_params["tn"])
        if ident is None:
            return error(404, "OBJECT_NOT_FOUND", "No identification with this transaction number")
        if ident["result"] == "CHECK_PENDING" and ident["pending"] is not None:
            outcome, ident["pending"] = ident["pending"], None
            await self._set(ident, outcome["result"], outcome.get("reason"))
        return JSONResponse(self._public(ident))

    async def listing(self, request: Request) -> Response:
        refused = self._token_error(request)
        if refused is not None:
            return refused
        q = request.query_params
        chosen = [
            i
            for i in self.idents.values()
            if (q.get("pending") == "true" and (i["result"] is None or i["result"] in PENDING))
            or (q.get("failed") == "true" and i["result"] in FAILED)
        ]
        return JSONResponse({"identifications": [self._public(i) for i in chosen]})

    async def archive(self, request: Request) -> Response:
        refused = self._token_error(request)
        ident = self.idents.get(request.path_params["tn"])
        if refused is not None or ident is None or ident["result"] in (None, "CHECK_PENDING"):
            return refused or error(404, "OBJECT_NOT_FOUND", "No result archive for this transaction number")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            package.writestr(f"{ident['tn']}.json", json.dumps(self._public(ident)))
        return Response(buffer.getvalue(), media_type="application/zip")

    # Automated testing -------------------------------------------------------------------

    async def simulate(self, request: Request) -> Response:
        refused = self._key_error(request)
        if refused is not None:
            return refused
        ident = self.idents.get(request.path_params["tn"])
        if ident is None:
            return error(404, "OBJECT_NOT_FOUND", "No identification with this transaction number")
        step, body = request.path_params["step"], await _json(request)
        if step == "start":
            ident["opened"] = True
            ident["phrase"] = ident.get("phrase") or secrets.choice(PHRASES)
            return JSONResponse({"id": ident["tn"], "readaloudtext": ident["phrase"]})
        outcome = self.outcomes.get((body.get("result", "SUCCESS"), body.get("reason")))
        if step == "requestVideoChat" and outcome is not None and ident["result"] is None:
            if not ident["opened"]:
                return error(409, "INVALID_PARAMETER", "The person has not opened the identification yet")
            ident["pending"] = outcome
            self._changes(ident, outcome.get("changes", {}))
            ident["result"] = "CHECK_PENDING"
            return JSONResponse({"id": ident["tn"]})
        if step == "agent-decision" and body.get("result") and ident["result"] in PENDING - {"CHECK_PENDING"}:
            await self._set(ident, body["result"], body.get("reason"), agent="sim-agent")
            return JSONResponse(self._public(ident))
        return error(400, "INVALID_PARAMETER", f"{step} is not possible now or with these values")

    @staticmethod
    def _changes(ident: dict[str, Any], changes: dict[str, str]) -> None:
        for field, value in changes.items():
            old = ident["userdata"].get(field)
            ident["userdata"][field] = (
                {"status": "CHANGE", "value": value, "original": old["value"]}
                if old
                else {"status": "NEW", "value": value}
            )

    async def _set(
        self, ident: dict[str, Any], result: str, reason: str | None, agent: str | None = None
    ) -> None:
        ident.update(
            result=result,
            reason=reason,
            agentname=agent,
            time=datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds"),
        )
        body = json.dumps(self._public(ident)).encode()
        stamp = int(self.clock())
        await self.send_webhook(
            body,
            {
                "Content-Type": "application/json",
                "X-Gilan-Timestamp": str(stamp),
                "X-Gilan-Signature": sign(body, stamp),
            },
        )

    @staticmethod
    def _public(ident: dict[str, Any]) -> dict[str, Any]:
        return {
            "identificationprocess": {
                "result": ident["result"],
                "reason": ident["reason"],
                "transactionnumber": ident["tn"],
                "companyid": COMPANY_ID,
                "identificationtime": ident["time"],
                "agentname": ident["agentname"],
                "readaloudtext": ident.get("phrase"),
            },
            "userdata": ident["userdata"],
        }


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
