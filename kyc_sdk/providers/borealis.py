"""Adapter for the ``borealis`` style (docs/styles/borealis.md; modelled on Veriff's API):
one session, HMAC on every request and response. Requests carry ``X-AUTH-CLIENT`` and
``X-HMAC-SIGNATURE`` = hex HMAC-SHA256(shared secret, body) for POST/PATCH, or of the
session id for GET/DELETE. Answers are signed the same way: a success answer whose
signature verifies under none of the (up to two, during rotation) active secrets is
``AuthenticationFailed``; error answers are read unverified, as they only ever stop a
flow. Images go one per request as base64 JSON (≤ 24 MB). After ``PATCH {"status":
"submitted"}`` the decision is polled: ``GET …/decision`` answers ``{"verification":
null}`` until decided.

Status words are read by word first and code second: borealis lists 9104 for both
``expired`` and ``abandoned`` (either way the person may start again → RETRY). Reason
539 (resubmission limit reached) is a final decline. ``options["borealis"]
["force_decision"]`` calls the sandbox-only ``POST /sim/sessions/{id}/force-decision``
after submit; it is refused unless ``sandbox=True``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import repeat
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    ImageRejected,
    InputError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import Check, CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers._signing import hmac_hex, matches_any, with_header_spoiled
from kyc_sdk.providers.base import (
    Clock,
    Flow,
    KitFacts,
    Provider,
    ProviderSettings,
    SubFlow,
    VendorError,
    WebhookEvent,
    credential,
)
from kyc_sdk.redact import redact

MAX_MEDIA_B64 = 24 * 1024 * 1024
CONTEXTS = ("document-front", "document-back", "face")
SESSION_CHECKS = (CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS)
SIGNATURE = "X-HMAC-SIGNATURE"

#: Reason codes we name; others surface as ``borealis_<code>``.
REASONS: Mapping[int, str] = {
    102: "document_suspected",
    103: "person_mismatch",
    105: "face_mismatch",
    201: "document_unreadable",
    204: "document_missing",
    539: "resubmission_limit",
}
#: The check a reason code is about (others concern the whole session).
REASON_KIND: Mapping[int, CheckKind] = {
    **dict.fromkeys((102, 201, 204), CheckKind.DOCUMENT),
    105: CheckKind.FACE_MATCH,
}
#: ``{"status": "fail", "code": …}`` codes.
ERRORS: Mapping[str, VendorError] = {
    "1001": VendorError(AuthenticationFailed, "X-AUTH-CLIENT missing or unknown"),
    "1002": VendorError(AuthenticationFailed, "X-HMAC-SIGNATURE does not match"),
    "1102": VendorError(ProviderProtocolError, "mandatory parameters missing"),
    "1104": VendorError(ProviderProtocolError, "media too large"),
    "1201": VendorError(ProviderProtocolError, "session not found"),
    "1301": VendorError(ProviderProtocolError, "the session was already submitted"),
    "1429": VendorError(RateLimited, "rate limited"),
    "1500": VendorError(ProviderUnavailable, "internal error"),
}


@dataclass(frozen=True, kw_only=True)
class BorealisSettings(ProviderSettings):
    api_key: str = credential()
    #: Active shared secrets; the first signs requests, any verifies (key rotation).
    shared_secrets: tuple[str, ...] = credential()
    poll_interval: float = 5.0
    max_polls: int = 120
    sandbox: bool = False


class BorealisProvider(Provider[BorealisSettings]):
    style = "borealis"
    settings_class = BorealisSettings
    capabilities = frozenset(SESSION_CHECKS)
    cost = 1.2
    idempotent = False  # no idempotency keys: a repeated POST opens a second session
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        **dict.fromkeys(("created", "started", "submitted", "7001", "7002")),
        **dict.fromkeys(("approved", "9001"), Decision.APPROVED),
        **dict.fromkeys(("declined", "9102"), Decision.DECLINED),
        **dict.fromkeys(
            ("resubmission_requested", "9103", "expired", "abandoned", "9104", "9121"), Decision.RETRY
        ),
        "review": Decision.REVIEW,
    }
    error_table = ERRORS
    kit = KitFacts(
        request_signature=f"{SIGNATURE} over body or session id",
        signed_answer_header=SIGNATURE,
        retry_signal=True,
    )

    def _req(self, method: str, path: str, *, body: Any = None, session: str = "") -> httpx.Request:
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        signed = content if method in ("POST", "PATCH") else session.encode()
        headers = {
            "X-AUTH-CLIENT": self.settings.api_key,
            SIGNATURE: hmac_hex(self.settings.shared_secrets[0], signed),
            "Content-Type": "application/json",
        }
        return self.build(method, path, content=content, headers=headers)

    def tamper_signature(self, request: httpx.Request) -> httpx.Request:
        return with_header_spoiled(request, SIGNATURE)

    def error_code(self, response: httpx.Response, body: Any) -> str | None:
        """Errors come as ``{"status": "fail", "code": …}``, whatever the HTTP status."""
        code = body.get("code") if isinstance(body, dict) and body.get("status") == "fail" else None
        return str(code) if isinstance(code, str | int) and not isinstance(code, bool) else None

    def unwrap(self, body: Any, response: httpx.Response) -> dict[str, Any]:
        """A success envelope whose signature verifies under an active secret."""
        if not matches_any(response.headers.get(SIGNATURE), self.settings.shared_secrets, response.content):
            text = f"{self.name}: answer signature does not verify"
            raise AuthenticationFailed(text, provider=self.name, status=response.status_code)
        if not isinstance(body, dict) or body.get("status") != "success":
            raise self.protocol_error("answer is not a borealis success envelope", response)
        return body

    def _verification(self, body: Mapping[str, Any]) -> dict[str, Any] | None:
        found = body.get("verification", "missing")
        if found is None or isinstance(found, dict):
            return found
        raise self.protocol_error("answer has no 'verification' object")

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        options = dict(request.options_for(self.name))
        forced = options.pop("force_decision", None)
        if forced is not None and not self.settings.sandbox:
            raise InputError("force_decision is a sandbox control; this account is not a sandbox")
        media = self._media(request)  # refuse oversized images before anything is created

        def call(method: str, path: str, **kwargs: Any) -> SubFlow[dict[str, Any]]:
            return self.answer((yield self._req(method, path, **kwargs)))

        session = options.pop("session_id", None)  # resubmission: a new attempt in the same session
        if session is None:
            created = yield from call("POST", "/v1/sessions", body=self._session(request, options))
            session = self.vendor_id((self._verification(created) or {}).get("id"), "session id")
        for context, image in media:
            body = {"image": {"context": context, "content": base64.b64encode(image).decode()}}
            yield from call("POST", f"/v1/sessions/{session}/media", body=body)
        yield from call("PATCH", f"/v1/sessions/{session}", body={"verification": {"status": "submitted"}})
        if forced is not None:
            yield from call("POST", f"/sim/sessions/{session}/force-decision", body=forced)

        def read() -> SubFlow[VerificationResult | None]:
            answer = yield from call("GET", f"/v1/sessions/{session}/decision", session=session)
            decided = self._verification(answer)
            return self._result(session, decided, request) if decided is not None else None

        if not wait:
            return VerificationResult(Decision.PENDING, self.name, reference=session, raw_status="submitted")
        polls = repeat(self.settings.poll_interval, max(self.settings.max_polls - 1, 0))
        return (yield from self.poll(read, schedule=polls))

    def _session(self, request: VerificationRequest, options: Mapping[str, Any]) -> dict[str, Any]:
        s = request.subject
        names = ("firstName", "lastName", "idNumber", "dateOfBirth")
        person = dict(zip(names, (s.first_name, s.last_name, s.national_code, s.birth_date), strict=True))
        return {"verification": {"vendorData": request.reference, "person": person, **options}}

    def _media(self, request: VerificationRequest) -> list[tuple[str, bytes]]:
        ev = request.evidence
        images = zip(CONTEXTS, (ev.document_front, ev.document_back, ev.selfie), strict=True)
        media = [(context, image) for context, image in images if image]
        for _, image in media:  # refuse before sending what borealis would refuse with 1104
            if (len(image) + 2) // 3 * 4 > MAX_MEDIA_B64:
                raise ImageRejected("image exceeds borealis' 24 MB base64 limit", reason="too_large")
        return media

    def _result(
        self, session: str, decided: Mapping[str, Any], request: VerificationRequest
    ) -> VerificationResult:
        word, code = decided.get("status"), decided.get("code")
        decision = self.status_map.get(word) if isinstance(word, str) else None
        decision = decision or self.map_status(str(code))  # an unknown or missing word: the code
        if decision is None:
            raise self.protocol_error(f"decision {word!r}/{code!r} is not final")
        reason_code = decided.get("reasonCode")
        coded = reason_code if isinstance(reason_code, int) else None
        reasons = () if coded is None else (REASONS.get(coded, f"borealis_{coded}"),)
        if reason_code == 539:  # nine resubmissions used up: borealis declines for good
            decision = Decision.DECLINED
        # borealis decides a session as a whole; a reason about one check stays on it alone
        about = None if coded is None else REASON_KIND.get(coded)
        kinds = SESSION_CHECKS[: 3 if request.evidence.selfie else 1]
        checks = tuple(
            Check(k, decision, self.name, reasons=reasons if about in (None, k) else ()) for k in kinds
        )
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=session,
            checks=checks,
            reasons=reasons,
            raw_status=f"{word}/{code}",
            raw_codes=tuple(str(c) for c in (code, reason_code) if c is not None),
            raw=redact(dict(decided)),
            vendor={"session_id": session, "reason_code": reason_code, "attempt": decided.get("attemptId")},
        )

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Check ``X-HMAC-SIGNATURE`` (HMAC-SHA256 of the body, either active secret). An
        event carries the session's final word, so reordering is harmless (``decisionTime``
        orders attempts and, signed with the body, bounds a replay's age)."""
        payload = _webhooks.signed_json(
            self.name, body, _webhooks.lowered(headers).get(SIGNATURE.lower()), self.settings.shared_secrets
        )
        verification = payload.get("verification") if isinstance(payload, dict) else None
        if not isinstance(verification, dict) or not isinstance(verification.get("id"), str | int):
            raise WebhookRejected(f"{self.name}: webhook body is not a borealis decision")
        ident, word = verification["id"], verification.get("status")
        if not isinstance(word, str) or word not in self.status_map:
            raise WebhookRejected(f"{self.name}: unknown status in webhook")
        decision = Decision.DECLINED if verification.get("reasonCode") == 539 else self.status_map[word]
        sent_at, shown = verification.get("decisionTime"), redact(payload)
        return _webhooks.body_event(
            self.name, "decision", str(ident), word, decision, body, shown, sent_at, now
        )
