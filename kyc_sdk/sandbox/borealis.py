"""Sandbox of the ``borealis`` style: sessions, signed requests and answers, base64
media, a decision that is ``null`` until made (modelled on Veriff).

Spec: docs/styles/borealis.md. Choices the style leaves to us, written down there and
in ``scenario_data/borealis.json``:

- Two shared secrets are active (rotation): requests verify under either; answers and
  webhooks are signed with the *second*, so a client that knows only the old one fails.
- Error codes: 1001 unknown client, 1002 bad signature (401), 1102 missing parameters
  (400), 1104 media over 24 MB base64 (413), 1201 no such session (404), 1301 media or
  submit after submit (409), 1429 rate limit (429), 1500 internal (5xx).
- After ``PATCH {"status": "submitted"}`` the first ``GET …/decision`` answers
  ``{"verification": null}`` and the second the decision (approved unless forced).
  ``POST /sim/sessions/{id}/force-decision {"decision", "reasonCode"?}`` picks the
  scenario whose vendor words match; it is visible on the next read, except
  ``resubmission_requested``, which borealis delays 5 min (``resubmission_delay`` here).
- ``resubmission_requested`` lets the same session take new media and be submitted
  again; the tenth request for resubmission becomes a decline with reason 539.
- A decision is sent once as a webhook (``X-HMAC-SIGNATURE`` over the body) when it
  becomes visible; ``billed`` counts sessions that reached a decision (billing rule).
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from kyc_sdk.sandbox._crypto import hex_matches_any, hmac_hex
from kyc_sdk.sandbox.base import SandboxApp
from kyc_sdk.sandbox.scenarios import scenarios

API_KEY = "bor_sandbox_client_7c1d"
SECRETS = ("bor_sandbox_secret_2025", "bor_sandbox_secret_2026")
CONTEXTS = ("document-front", "document-back", "face")
MAX_RESUBMISSIONS = 9
MAX_MEDIA_B64 = 24 * 1024 * 1024  # the style's media limit, counted on the base64 text
OPEN = ("created", "started", "resubmission_requested")


def credentials(base_url: str) -> dict[str, Any]:
    """What a client of this sandbox is configured with (public test values)."""
    return {
        "base_url": base_url,
        "api_key": API_KEY,
        "shared_secrets": SECRETS,
        "poll_interval": 0.01,
        "sandbox": True,
    }


def signed_content(method: str, body: bytes, session: str) -> bytes:
    """What ``X-HMAC-SIGNATURE`` covers: the body of a POST or PATCH, else the session id."""
    return body if method in ("POST", "PATCH") else session.encode()


def sign(content: bytes, secret: str = SECRETS[-1]) -> str:
    """``X-HMAC-SIGNATURE``: hex HMAC-SHA256 under a shared secret (answers and webhooks
    use the newer one)."""
    return hmac_hex(secret, content)


def vendor_words(decision: str, reason_code: int | None = None) -> dict[str, Any] | None:
    """The scenario file's vendor words for a forced decision (reason code if given)."""
    for item in scenarios("borealis"):
        words = item.vendor
        if words.get("status") == decision and (
            reason_code is None or words.get("reasonCode") == reason_code
        ):
            return dict(words)
    return None


class BorealisSandbox(SandboxApp):
    style = "borealis"

    def __init__(self, *, resubmission_delay: float = 0.05, **kw: Any) -> None:
        self.sessions: dict[str, dict[str, Any]] = {}
        self.resubmission_delay = resubmission_delay
        self.billed = 0
        super().__init__(**kw)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/v1/sessions", self.create, methods=["POST"]),
            Route("/v1/sessions/{id}", self.patch, methods=["PATCH"]),
            Route("/v1/sessions/{id}/media", self.upload, methods=["POST"]),
            Route("/v1/sessions/{id}/media", self.list_media, methods=["GET"]),
            Route("/v1/sessions/{id}/decision", self.decision, methods=["GET"]),
            Route("/sim/sessions/{id}/force-decision", self.force, methods=["POST"]),
        ]

    # Envelopes ---------------------------------------------------------------------------

    def reply(self, body: Any, status: int = 200) -> Response:
        content = json.dumps(body, ensure_ascii=False).encode()
        return Response(
            content,
            status_code=status,
            media_type="application/json",
            headers={"X-HMAC-SIGNATURE": sign(content), "X-AUTH-CLIENT": API_KEY},
        )

    def fail(self, code: str, message: str, status: int) -> Response:
        return self.reply({"status": "fail", "code": code, "message": message}, status)

    def auth_failed(self) -> Response:
        return self.fail("1002", "Signature is not valid.", 401)

    def rate_limited(self) -> Response:
        answer = self.fail("1429", "Too many requests.", 429)
        answer.headers["Retry-After"] = "2"
        return answer

    def malformed(self) -> Response:  # signed, so the client meets the broken JSON itself
        content = b'{"status": "success", "verification": {"id": '
        return Response(
            content,
            media_type="application/json",
            headers={"X-HMAC-SIGNATURE": sign(content)},
        )

    async def _check(self, request: Request, session: str = "") -> tuple[bytes, Response | None]:
        """The body, or the error answer for a bad client id or signature."""
        body = await request.body()
        if request.headers.get("x-auth-client") != API_KEY:
            return body, self.fail(
                "1001", "Mandatory X-AUTH-CLIENT header containing the API key is missing.", 401
            )
        signed = signed_content(request.method, body, session)
        if not hex_matches_any(request.headers.get("x-hmac-signature"), SECRETS, signed):
            return body, self.auth_failed()
        return body, None

    def _load(self, body: bytes, *keys: str) -> Any:
        try:
            value = json.loads(body)
            for key in keys:
                value = value[key]
            return value
        except (ValueError, KeyError, TypeError):
            return None

    # Routes ------------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        body, denied = await self._check(request)
        if denied:
            return denied
        verification = self._load(body, "verification")
        if not isinstance(verification, dict) or not isinstance(verification.get("person"), dict):
            return self.fail("1102", "Mandatory parameters are missing from the request.", 400)
        sid = str(uuid.uuid4())
        self.sessions[sid] = {
            "id": sid,
            "status": "created",
            "vendorData": verification.get("vendorData"),
            "person": verification["person"],
            "media": [],
            "attempt": 0,
            "resubmissions": 0,
            "pending": None,
            "visible_at": 0.0,
            "decision": None,
        }
        return self.reply(
            {
                "status": "success",
                "verification": {
                    "id": sid,
                    "url": f"https://alchemy.borealis.sim/v/{sid}",
                    "sessionToken": uuid.uuid4().hex,
                    "status": "created",
                    "vendorData": verification.get("vendorData"),
                },
            },
            201,
        )

    async def upload(self, request: Request) -> Response:
        session, denied = await self._session(request)
        if denied:
            return denied
        image = self._load(await request.body(), "image")
        if session["status"] not in OPEN:
            return self.fail("1301", "Session has already been submitted.", 409)
        if (
            not isinstance(image, dict)
            or image.get("context") not in CONTEXTS
            or not isinstance(image.get("content"), str)
        ):
            return self.fail("1102", "Mandatory parameters are missing from the request.", 400)
        if len(image["content"]) > MAX_MEDIA_B64:
            return self.fail("1104", "Media file is too large.", 413)
        try:
            size = len(base64.b64decode(image["content"], validate=True))
        except (binascii.Error, ValueError):
            return self.fail("1102", "Media content is not base64.", 400)
        media = {
            "id": str(uuid.uuid4()),
            "context": image["context"],
            "size": size,
            "attempt": session["attempt"],
        }
        session["media"].append(media)
        session["status"] = "started"  # 7001
        return self.reply({"status": "success", "image": media})

    async def list_media(self, request: Request) -> Response:
        session, denied = await self._session(request)
        return denied or self.reply({"status": "success", "images": session["media"]})

    async def patch(self, request: Request) -> Response:
        session, denied = await self._session(request)
        if denied:
            return denied
        if self._load(await request.body(), "verification", "status") != "submitted":
            return self.fail("1102", "Only status 'submitted' may be set.", 400)
        if session["status"] not in OPEN:
            return self.fail("1301", "Session has already been submitted.", 409)
        if not any(m["attempt"] == session["attempt"] for m in session["media"]):
            return self.fail("1102", "No media uploaded for this attempt.", 400)
        session.update(status="submitted", pending=None, decision=None, attempt=session["attempt"] + 1)
        return self.reply(
            {"status": "success", "verification": {"id": session["id"], "status": "submitted", "code": 7002}}
        )

    async def force(self, request: Request) -> Response:
        session, denied = await self._session(request)
        if denied:
            return denied
        body = self._load(await request.body()) or {}
        decision = body.get("decision") if isinstance(body, dict) else None
        words = vendor_words(decision, body.get("reasonCode")) if isinstance(decision, str) else None
        if words is None:
            return self.fail("1102", "Unknown decision for this sandbox.", 400)
        if session["status"] != "submitted":
            return self.fail("1301", "Only a submitted session can be decided.", 409)
        if words["status"] == "resubmission_requested" and session["resubmissions"] >= MAX_RESUBMISSIONS:
            words = {
                "status": "declined",
                "code": 9102,
                "reason": "Resubmission limit reached",
                "reasonCode": 539,
            }
        delay = self.resubmission_delay if words["status"] == "resubmission_requested" else 0.0
        session.update(pending=words, visible_at=self.clock() + delay)
        return self.reply({"status": "success"})

    async def decision(self, request: Request) -> Response:
        session, denied = await self._session(request, signed_by_id=True)
        if denied:
            return denied
        if session["status"] == "submitted" and session["pending"] is None:
            session.update(pending=vendor_words("approved"), visible_at=self.clock())  # seen on the next read
            return self.reply({"status": "success", "verification": None})
        if session["status"] == "submitted" and self.clock() >= session["visible_at"]:
            await self._decide(session)
        return self.reply({"status": "success", "verification": session["decision"]})

    async def _decide(self, session: dict[str, Any]) -> None:
        words = session["pending"]
        if session["decision"] is None and not session.get("billed"):
            session["billed"] = True
            self.billed += 1
        session["status"] = words["status"]
        if words["status"] == "resubmission_requested":
            session["resubmissions"] += 1
        session["decision"] = {
            "id": session["id"],
            "attemptId": f"{session['id']}-{session['attempt']}",
            "vendorData": session["vendorData"],
            "person": session["person"],
            "decisionTime": self.clock(),
            **{k: words.get(k) for k in ("status", "code", "reason", "reasonCode")},
        }
        body = json.dumps(
            {"status": "success", "verification": session["decision"]}, ensure_ascii=False
        ).encode()
        await self.send_webhook(
            body,
            {
                "Content-Type": "application/json",
                "X-AUTH-CLIENT": API_KEY,
                "X-HMAC-SIGNATURE": sign(body),
            },
        )

    async def _session(
        self, request: Request, signed_by_id: bool = False
    ) -> tuple[dict[str, Any], Response | None]:
        sid = request.path_params["id"]
        _, denied = await self._check(request, sid)
        if denied:
            return {}, denied
        if sid not in self.sessions:
            return {}, self.fail("1201", "Session not found.", 404)
        return self.sessions[sid], None
