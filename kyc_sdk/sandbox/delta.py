"""Sandbox of the ``delta`` style: OAuth2 tokens, accounts with workflow executions,
per-part uploads, finalisation, thin callbacks and retrieval (modelled on Jumio).

Spec: docs/styles/delta.md. Choices the style leaves to us, written down there and in
``scenario_data/delta.json``:

- Every call (the token one too) needs ``User-Agent: <Company> <App>/<ver>``, else 403.
  Errors are bare statuses with an empty body (400, 401, 403, 404; 429 with Retry-After).
- ``POST /oauth2/token`` (Basic client credentials) gives a Bearer token living
  ``token_ttl`` seconds; uploads use the account's own ``api.token``.
- An execution is INITIATED at creation, ACQUIRED when finalised (``PUT``), PROCESSED
  ``processing_delay`` seconds later (seen on the next read). One never finalised turns
  SESSION_EXPIRED after ``session_timeout`` (delta: 15 min), silently until read; one
  that never received a part turns TOKEN_EXPIRED when its ``tokenLifetime`` ("5m" to
  "60d", times ``lifetime_scale``) runs out, and its upload token stops working.
- Sandbox control: the outcome is chosen by the test images (as Jumio's test IDs): a
  PNG ``tEXt`` chunk ``sim-outcome=<OUTCOME>`` in any part picks the scenario whose
  ``vendor.outcome`` it names; untagged images are APPROVED_VERIFIED.
  ``apply_control`` renders such a tagged front image into a request.
- When an execution is processed or expires, a callback without a verdict goes to the
  account's ``callbackUrl`` (or ``webhook_url``), from ``webhook_source`` (by default
  the allowlisted ``CALLBACK_IPS[0]``, as the vendor sends from its published address); with
  ``legacy_callbacks=True`` it is form-encoded with ``verificationStatus`` and a
  JSON-in-form ``rejectReason`` (outcomes with no legacy word still go as JSON).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import struct
import uuid
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kyc_sdk.models import VerificationRequest
from kyc_sdk.sandbox._crypto import same
from kyc_sdk.sandbox.base import SandboxApp
from kyc_sdk.sandbox.samples import png
from kyc_sdk.sandbox.scenarios import scenarios

CLIENT_ID = "delta-sandbox-client"
CLIENT_SECRET = "delta-sandbox-secret-6a0c"
USER_AGENT = "KycSdk Sandbox/1.0"
CALLBACK_IPS = ("127.0.0.2",)
UA_RULE = re.compile(r"^[A-Za-z0-9][\w.-]* [\w.-]+/[\w.+-]+$")
PARTS = {"FRONT": "ID", "BACK": "ID", "FACE": "SELFIE"}
DEFAULT_OUTCOME = "APPROVED_VERIFIED"
MAX_PART = 5 * 1024 * 1024  # the style's limit for one uploaded image


def credentials(base_url: str) -> dict[str, Any]:
    """What a client of this sandbox is configured with (public test values)."""
    return {
        "base_url": base_url,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "user_agent": USER_AGENT,
        "callback_ips": CALLBACK_IPS,
        "schedule_scale": 0.001,
        "sandbox": True,
    }


def basic_authorization(client_id: str, secret: str) -> str:
    """The token request's ``Authorization``: HTTP Basic over ``client_id:secret``."""
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def apply_control(request: VerificationRequest, control: dict[str, Any]) -> VerificationRequest:
    """``request`` whose document front carries ``control["image_tag"]`` as sim-outcome."""
    tag = control.get("image_tag")
    if not tag:
        return request
    front = png(rgb=(120, 160, 200), text={"sim-outcome": str(tag)})
    return dataclasses.replace(request, evidence=dataclasses.replace(request.evidence, document_front=front))


def image_tag(image: bytes) -> str | None:
    """The ``sim-outcome`` tEXt value of a PNG, if any (bounded walk over its chunks)."""
    if not image.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    pos = 8
    while pos + 8 <= len(image):
        length, kind = struct.unpack(">I4s", image[pos : pos + 8])
        data = image[pos + 8 : pos + 8 + length]
        if kind == b"tEXt" and data.partition(b"\x00")[0] == b"sim-outcome":
            return data.partition(b"\x00")[2].decode("latin-1")
        if kind == b"IEND":
            return None
        pos += 12 + length
    return None


def outcome_words(outcome: str) -> dict[str, Any] | None:
    for item in scenarios("delta"):
        if item.vendor.get("outcome") == outcome:
            return item.vendor
    return None


def token_lifetime(text: Any) -> float | None:
    """Seconds of a ``tokenLifetime`` such as "30m" or "2d"; None outside 5m..60d."""
    match = re.fullmatch(r"(\d{1,7})([smhd])", text) if isinstance(text, str) else None
    if match is None:
        return None
    seconds = int(match[1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]
    return float(seconds) if 300 <= seconds <= 60 * 86400 else None


def bare(status: int, **headers: str) -> Response:
    return Response(b"", status_code=status, headers=headers)


class DeltaSandbox(SandboxApp):
    style = "delta"

    def __init__(
        self,
        *,
        token_ttl: int = 3600,
        processing_delay: float = 0.02,
        session_timeout: float = 5.0,
        lifetime_scale: float = 1.0,
        legacy_callbacks: bool = False,
        **kw: Any,
    ) -> None:
        self.lifetime_scale = lifetime_scale
        self.token_ttl, self.processing_delay, self.session_timeout = (
            token_ttl,
            processing_delay,
            session_timeout,
        )
        self.legacy_callbacks = legacy_callbacks
        self.tokens: dict[str, float] = {}
        self.executions: dict[str, dict[str, Any]] = {}
        kw.setdefault("webhook_source", CALLBACK_IPS[0])  # as delta does: from its published address
        super().__init__(**kw)

    def routes(self) -> list[BaseRoute]:
        base = "/api/v1/accounts/{aid}/workflow-executions/{wid}"
        return [
            Route("/oauth2/token", self.token, methods=["POST"]),
            Route("/api/v1/accounts", self.create, methods=["POST"]),
            Route(base + "/credentials/{cid}/parts/{part}", self.upload, methods=["POST"]),
            Route(base, self.finalize, methods=["PUT"]),
            Route(base + "/status", self.status, methods=["GET"]),
            Route(base, self.details, methods=["GET"]),
        ]

    def auth_failed(self) -> Response:
        return bare(401)

    def rate_limited(self) -> Response:
        return bare(429, **{"Retry-After": "1"})

    def revoke_tokens(self) -> None:
        """Forget every issued token (as a key rotation at the vendor would)."""
        self.tokens.clear()

    # Auth ----------------------------------------------------------------------------------

    def _denied(self, request: Request, token: str | None = None) -> Response | None:
        if not UA_RULE.match(request.headers.get("user-agent", "")):
            return bare(403)
        given = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token is not None:
            return None if same(given, token) else bare(401)
        if self.tokens.get(given, 0.0) <= self.clock():
            return bare(401)
        return None

    async def token(self, request: Request) -> Response:
        if not UA_RULE.match(request.headers.get("user-agent", "")):
            return bare(403)
        if not same(request.headers.get("authorization"), basic_authorization(CLIENT_ID, CLIENT_SECRET)):
            return bare(401)
        if (await request.form()).get("grant_type") != "client_credentials":
            return bare(400)
        token = uuid.uuid4().hex + uuid.uuid4().hex
        self.tokens[token] = self.clock() + self.token_ttl
        return JSONResponse({"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl})

    # Accounts and executions ---------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        denied = self._denied(request)
        if denied:
            return denied
        try:
            body = json.loads(await request.body())
            wanted = [c["category"] for c in body["workflowDefinition"]["credentials"]]
            assert "ID" in wanted and set(wanted) <= {"ID", "SELFIE"}
        except (ValueError, KeyError, TypeError, AssertionError):
            return bare(400)
        lifetime = token_lifetime(body.get("tokenLifetime", "30m"))
        if lifetime is None:
            return bare(400)
        aid, wid = str(uuid.uuid4()), str(uuid.uuid4())
        credentials = [{"id": str(uuid.uuid4()), "category": c} for c in wanted]
        root = str(request.base_url).rstrip("/") + f"/api/v1/accounts/{aid}/workflow-executions/{wid}"
        parts = {
            p.lower(): f"{root}/credentials/{c['id']}/parts/{p}"
            for c in credentials
            for p, cat in PARTS.items()
            if cat == c["category"]
        }
        self.executions[wid] = {
            "id": wid,
            "account": aid,
            "status": "INITIATED",
            "credentials": credentials,
            "parts": {},
            "upload_token": uuid.uuid4().hex,
            "created_at": self.clock(),
            "lifetime": lifetime * self.lifetime_scale,
            "finalized_at": None,
            "callback_url": body.get("callbackUrl"),
            "reference": body.get("customerInternalReference"),
            "key": body["workflowDefinition"].get("key", "10011"),
        }
        return JSONResponse(
            {
                "account": {"id": aid},
                "workflowExecution": {"id": wid, "credentials": credentials},
                "api": {"token": self.executions[wid]["upload_token"], "parts": parts},
            },
            status_code=200,
        )

    def _execution(self, request: Request) -> dict[str, Any] | None:
        found = self.executions.get(request.path_params["wid"])
        return found if found and found["account"] == request.path_params["aid"] else None

    async def upload(self, request: Request) -> Response:
        execution = self._execution(request)
        if execution is None:
            return bare(404)
        denied = self._denied(request, token=execution["upload_token"])
        if denied:
            return denied
        await self._advance(execution)
        if execution["status"] == "TOKEN_EXPIRED":
            return bare(401)
        part, cid = request.path_params["part"], request.path_params["cid"]
        credential = next((c for c in execution["credentials"] if c["id"] == cid), None)
        if (
            credential is None
            or PARTS.get(part) != credential["category"]
            or execution["status"] != "INITIATED"
        ):
            return bare(400)
        upload = (await request.form()).get("file")
        content = await upload.read() if upload is not None and not isinstance(upload, str) else b""
        if not content or len(content) > MAX_PART or not content.startswith((b"\xff\xd8\xff", b"\x89PNG")):
            return bare(400)
        execution["parts"][part] = image_tag(content) or ""
        return JSONResponse({"credential": {"id": cid}, "part": part, "size": len(content)})

    async def finalize(self, request: Request) -> Response:
        execution = self._execution(request)
        denied = self._denied(request)
        if denied or execution is None:
            return denied or bare(404)
        await self._advance(execution)
        needed = {"FRONT"} | (
            {"FACE"} if any(c["category"] == "SELFIE" for c in execution["credentials"]) else set()
        )
        if execution["status"] == "INITIATED":
            if not needed <= set(execution["parts"]):
                return bare(400)
            execution.update(status="ACQUIRED", finalized_at=self.clock())
        return JSONResponse({"workflowExecution": self._head(execution)})

    async def status(self, request: Request) -> Response:
        execution = self._execution(request)
        denied = self._denied(request)
        if denied or execution is None:
            return denied or bare(404)
        await self._advance(execution)
        return JSONResponse(
            {"workflowExecution": self._head(execution), "account": {"id": execution["account"]}}
        )

    async def details(self, request: Request) -> Response:
        execution = self._execution(request)
        denied = self._denied(request)
        if denied or execution is None:
            return denied or bare(404)
        await self._advance(execution)
        body: dict[str, Any] = {
            "workflowExecution": self._head(execution),
            "account": {"id": execution["account"]},
        }
        if execution["status"] == "PROCESSED":
            body["capabilities"] = self._capabilities(execution)
        return JSONResponse(body)

    # Time passes on reads ------------------------------------------------------------------

    def _outcome(self, execution: dict[str, Any]) -> dict[str, Any]:
        tags = [t for t in execution["parts"].values() if t]
        found = outcome_words(tags[0]) if tags else None  # an unknown tag processes normally
        return found or outcome_words(DEFAULT_OUTCOME) or {}

    async def _advance(self, execution: dict[str, Any]) -> None:
        now, status = self.clock(), execution["status"]
        age = now - execution["created_at"] if status == "INITIATED" else 0.0
        if age > execution["lifetime"] and not execution["parts"]:
            execution["status"] = "TOKEN_EXPIRED"  # the person never began
        elif age > self.session_timeout and execution["parts"]:
            execution["status"] = "SESSION_EXPIRED"  # begun, never finalised: expires silently
        elif status == "ACQUIRED" and now - execution["finalized_at"] >= self.processing_delay:
            execution["status"] = self._outcome(execution).get("status", "PROCESSED")
        if execution["status"] != status:
            await self._callback(execution)

    def _capabilities(self, execution: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        selfie = "FACE" in execution["parts"]
        found: dict[str, list[dict[str, Any]]] = {}
        for name, (kind, label) in self._outcome(execution).get("capabilities", {}).items():
            if name in ("liveness", "similarity") and not selfie:
                continue
            found[name] = [
                {
                    "id": str(uuid.uuid4()),
                    "credentials": [{"category": "SELFIE" if name in ("liveness", "similarity") else "ID"}],
                    "decision": {"type": kind, "details": {"label": label}},
                }
            ]
        return found

    @staticmethod
    def _head(execution: dict[str, Any]) -> dict[str, Any]:
        return {"id": execution["id"], "status": execution["status"], "definitionKey": execution["key"]}

    async def _callback(self, execution: dict[str, Any]) -> None:
        url = execution["callback_url"] or self.webhook_url
        legacy = self._outcome(execution).get("legacy") if execution["status"] == "PROCESSED" else None
        if self.legacy_callbacks and legacy:
            fields = {
                "transactionReference": execution["id"],
                "verificationStatus": legacy,
                "callbackDate": str(self.clock()),
                "idCountry": "IRN",
                "idType": "ID_CARD",
            }
            if legacy != "APPROVED_VERIFIED":
                fields["rejectReason"] = json.dumps(
                    {"rejectReasonCode": "200", "rejectReasonDescription": legacy}
                )
            await self.send_webhook(
                urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}, url=url
            )
            return
        body = {
            "callbackSentAt": self.clock(),
            "workflowExecution": {
                **self._head(execution),
                "href": f"/api/v1/accounts/{execution['account']}/workflow-executions/{execution['id']}",
            },
            "account": {"id": execution["account"], "href": f"/api/v1/accounts/{execution['account']}"},
        }
        await self.send_webhook(json.dumps(body).encode(), {"Content-Type": "application/json"}, url=url)
