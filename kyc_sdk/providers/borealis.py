"""Adapter for the ``borealis`` style: one session, HMAC on every request and response
(modelled on Veriff's API).

Spec: docs/styles/borealis.md. Requests carry ``X-AUTH-CLIENT`` and
``X-HMAC-SIGNATURE`` = hex HMAC-SHA256(shared secret, body) for POST/PATCH, or of the
session id for GET/DELETE; answers are signed the same way over their body, and the
adapter refuses a success answer whose signature does not verify under any of the (up
to two, during rotation) active secrets (``AuthenticationFailed``). Error answers are
read unverified: they only ever stop a flow, never decide one. Images go one per request as base64 JSON (≤ 24 MB).
After ``PATCH {"status": "submitted"}`` the decision is polled: ``GET …/decision``
answers ``{"verification": null}`` until decided.

Status words are read by word first and code second, because borealis' own code table
lists 9104 for both ``expired`` and ``abandoned`` (the word tells them apart; either
way the person may start again → RETRY). Reason 539 (resubmission limit reached) is a
final decline. Sandbox control: ``options["borealis"]["force_decision"]`` makes the
adapter call the sandbox-only ``POST /sim/sessions/{id}/force-decision`` after submit
(a tester's "force decision in portal"); it is refused unless ``sandbox=True``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    ImageRejected,
    InputError,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import Check, CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers._signing import hmac_hex, matches_any
from kyc_sdk.providers.base import Flow, Provider, ProviderSettings, Wait, WebhookEvent
from kyc_sdk.redact import redact

MAX_MEDIA_B64 = 24 * 1024 * 1024

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
    102: CheckKind.DOCUMENT,
    201: CheckKind.DOCUMENT,
    204: CheckKind.DOCUMENT,
    105: CheckKind.FACE_MATCH,
}


@dataclass(frozen=True, kw_only=True)
class BorealisSettings(ProviderSettings):
    api_key: str
    #: Active shared secrets; the first signs requests, any verifies (key rotation).
    shared_secrets: tuple[str, ...]
    poll_interval: float = 5.0
    max_polls: int = 120
    sandbox: bool = False

    def __repr__(self) -> str:
        return f"BorealisSettings(base_url={self.base_url!r}, api_key=…)"


class BorealisProvider(Provider):
    style = "borealis"
    settings_class = BorealisSettings
    capabilities = frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS})
    cost = 1.2
    idempotent = False  # no idempotency keys: a repeated POST opens a second session
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "created": None,
        "started": None,
        "submitted": None,
        "7001": None,
        "7002": None,
        "approved": Decision.APPROVED,
        "9001": Decision.APPROVED,
        "declined": Decision.DECLINED,
        "9102": Decision.DECLINED,
        "resubmission_requested": Decision.RETRY,
        "9103": Decision.RETRY,
        "expired": Decision.RETRY,
        "abandoned": Decision.RETRY,
        "9104": Decision.RETRY,
        "9121": Decision.RETRY,
        "review": Decision.REVIEW,
    }
    error_map: ClassVar[Mapping[str, type[ProviderError]]] = {
        "1001": AuthenticationFailed,  # X-AUTH-CLIENT missing or unknown
        "1002": AuthenticationFailed,  # X-HMAC-SIGNATURE does not match
        "1102": ProviderProtocolError,  # mandatory parameters missing
        "1104": ProviderProtocolError,  # media too large
        "1201": ProviderProtocolError,  # session not found
        "1301": ProviderProtocolError,  # 409: media or submit after the session was submitted
        "1429": RateLimited,
        "1500": ProviderUnavailable,
    }

    @property
    def conf(self) -> BorealisSettings:
        assert isinstance(self.settings, BorealisSettings)
        return self.settings

    # Requests and answers ----------------------------------------------------------------

    def _req(self, method: str, path: str, *, body: Any = None, session: str = "") -> httpx.Request:
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        signed = content if method in ("POST", "PATCH") else session.encode()
        headers = {
            "X-AUTH-CLIENT": self.conf.api_key,
            "X-HMAC-SIGNATURE": hmac_hex(self.conf.shared_secrets[0], signed),
            "Content-Type": "application/json",
        }
        return self.build(method, path, content=content, headers=headers)

    def _json(self, response: httpx.Response | None) -> dict[str, Any]:
        assert response is not None
        if response.status_code >= 400:
            raise self._error(response)
        if not matches_any(
            response.headers.get("x-hmac-signature"), self.conf.shared_secrets, response.content
        ):
            raise AuthenticationFailed(
                f"{self.name}: answer signature does not verify",
                provider=self.name,
                status=response.status_code,
            )
        body = self.decode_json(response)
        if not isinstance(body, dict) or body.get("status") != "success":
            raise self.protocol_error("answer is not a borealis success envelope", response)
        return body

    def _error(self, response: httpx.Response) -> ProviderError:
        status = response.status_code
        try:
            body = json.loads(response.content)
            code = str(body["code"]) if body.get("status") == "fail" else None
        except (ValueError, KeyError, TypeError, AttributeError):
            code = None
        cls = self.error_map.get(code) if code else None
        if cls is None and status in (401, 403):
            cls = AuthenticationFailed
        if cls is None and (status == 429 or status >= 500):
            cls = RateLimited if status == 429 else ProviderUnavailable
        if cls is None:
            return self.protocol_error(f"HTTP {status} without borealis' error envelope", response)
        message = f"{self.name}: error {code or status} (HTTP {status})"
        if cls is RateLimited:
            return RateLimited(
                message,
                retry_after=self.retry_after(response),
                provider=self.name,
                status=status,
                vendor_code=code,
            )
        return cls(message, provider=self.name, status=status, vendor_code=code)

    def _verification(self, body: Mapping[str, Any]) -> dict[str, Any] | None:
        found = body.get("verification", "missing")
        if found is None or isinstance(found, dict):
            return found
        raise self.protocol_error("answer has no 'verification' object")

    # The flow ----------------------------------------------------------------------------

    def flow(self, request: VerificationRequest, *, wait: bool = True) -> Flow:
        options = dict(request.options_for(self.name))
        forced = options.pop("force_decision", None)
        if forced is not None and not self.conf.sandbox:
            raise InputError("force_decision is a sandbox control; this account is not a sandbox")
        media = self._media(request)  # refuse oversized images before anything is created
        session = options.pop("session_id", None)  # resubmission: a new attempt in the same session
        if session is None:
            created = self._verification(
                self._json((yield self._req("POST", "/v1/sessions", body=self._session(request, options))))
            )
            session = self.vendor_id(_text(created, "id", self), "session id")
        for context, image in media:
            body = {"image": {"context": context, "content": base64.b64encode(image).decode()}}
            self._json((yield self._req("POST", f"/v1/sessions/{session}/media", body=body)))
        submitted = {"verification": {"status": "submitted"}}
        self._json((yield self._req("PATCH", f"/v1/sessions/{session}", body=submitted)))
        if forced is not None:
            self._json((yield self._req("POST", f"/sim/sessions/{session}/force-decision", body=forced)))
        if not wait:
            return VerificationResult(Decision.PENDING, self.name, reference=session, raw_status="submitted")
        for _ in range(self.conf.max_polls):
            decided = self._verification(
                self._json((yield self._req("GET", f"/v1/sessions/{session}/decision", session=session)))
            )
            if decided is not None:
                return self._result(session, decided, request)
            yield Wait(self.conf.poll_interval)
        raise ProviderUnavailable(
            f"{self.name}: no decision after {self.conf.max_polls} polls", provider=self.name
        )

    def _session(self, request: VerificationRequest, options: Mapping[str, Any]) -> dict[str, Any]:
        s = request.subject
        person = {
            "firstName": s.first_name,
            "lastName": s.last_name,
            "idNumber": s.national_code,
            "dateOfBirth": s.birth_date,
        }
        return {"verification": {"vendorData": request.reference, "person": person, **options}}

    def _media(self, request: VerificationRequest) -> list[tuple[str, bytes]]:
        ev = request.evidence
        found = [
            ("document-front", ev.document_front),
            ("document-back", ev.document_back),
            ("face", ev.selfie),
        ]
        media = [(context, image) for context, image in found if image]
        for _, image in media:  # refuse before sending what borealis would refuse with 1104
            if (len(image) + 2) // 3 * 4 > MAX_MEDIA_B64:
                raise ImageRejected("image exceeds borealis' 24 MB base64 limit", reason="too_large")
        return media

    def _result(
        self, session: str, decided: Mapping[str, Any], request: VerificationRequest
    ) -> VerificationResult:
        word, code = decided.get("status"), decided.get("code")
        decision = self.status_map.get(word) if isinstance(word, str) else None
        if decision is None:  # tolerant: an unknown or missing word falls back to the code
            decision = self.map_status(str(code))
        if decision is None:
            raise self.protocol_error(f"decision {word!r}/{code!r} is not final")
        reason_code = decided.get("reasonCode")
        reasons = (
            (REASONS.get(reason_code, f"borealis_{reason_code}"),) if isinstance(reason_code, int) else ()
        )
        if reason_code == 539:  # nine resubmissions used up: borealis declines for good
            decision = Decision.DECLINED
        kinds = [
            k
            for k in (CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS)
            if k is CheckKind.DOCUMENT or request.evidence.selfie
        ]
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=session,
            checks=tuple(self._check(k, decision, reason_code, reasons) for k in kinds),
            reasons=reasons,
            raw_status=f"{word}/{code}",
            raw_codes=tuple(str(c) for c in (code, reason_code) if c is not None),
            raw=redact(dict(decided)),
            vendor={"session_id": session, "reason_code": reason_code, "attempt": decided.get("attemptId")},
        )

    def _check(self, kind: CheckKind, decision: Decision, code: Any, reasons: tuple[str, ...]) -> Check:
        """Borealis decides a session as a whole; a reason about one check stays on it
        (the others carry the session's outcome without it)."""
        about = REASON_KIND.get(code) if isinstance(code, int) else None
        return Check(kind, decision, self.name, reasons=reasons if about in (None, kind) else ())

    # Webhooks ----------------------------------------------------------------------------

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Check ``X-HMAC-SIGNATURE`` (HMAC-SHA256 of the body, either active secret).

        A decision event carries the session's final word; reordering is harmless because
        a session is decided once (``decisionTime`` orders attempts). ``event_id`` is the
        body's digest; ``decisionTime`` (signed with the body) bounds a replay's age.
        """
        _webhooks.check_size(body, self.name)
        if not matches_any(
            _webhooks.lowered(headers).get("x-hmac-signature"), self.conf.shared_secrets, body
        ):
            raise WebhookRejected(f"{self.name}: bad or missing X-HMAC-SIGNATURE")
        payload = _webhooks.read_json(body, self.name)
        verification = payload.get("verification") if isinstance(payload, dict) else None
        if not isinstance(verification, dict) or not isinstance(verification.get("id"), str | int):
            raise WebhookRejected(f"{self.name}: webhook body is not a borealis decision")
        ident, word = verification["id"], verification.get("status")
        if not isinstance(word, str) or word not in self.status_map:
            raise WebhookRejected(f"{self.name}: unknown status in webhook")
        decision = Decision.DECLINED if verification.get("reasonCode") == 539 else self.status_map[word]
        sent_at = _webhooks.signed_time(verification.get("decisionTime"))
        return WebhookEvent(
            self.name,
            "decision",
            str(ident),
            status=word,
            decision=decision,
            event_id=_webhooks.digest(body),
            payload=redact(payload),
            keep_until=_webhooks.keep_until(self.name, sent_at, now),
        )


def _text(obj: Mapping[str, Any] | None, key: str, provider: Provider) -> str:
    value = obj.get(key) if obj else None
    if not isinstance(value, str) or not value:
        raise provider.protocol_error(f"field {key!r} missing")
    return value
