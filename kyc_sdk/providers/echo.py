"""Adapter for the ``echo`` style (docs/styles/echo.md; modelled on Persona and Stripe
Identity): JSON:API inquiries → documents → selfies → submit, polled until final. Every
POST carries ``Idempotency-Key`` = hash(reference, step): a flow may run again safely.
The inquiry's status decides; ``completed`` (the template decided nothing) is read
through the verifications, and a human looks (REVIEW) when none failed.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, ClassVar

import httpx

from kyc_sdk import errors
from kyc_sdk.models import Check, CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers._signing import matches_any
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

API_VERSION = "2025-12-08"


@dataclass(frozen=True, kw_only=True)
class EchoSettings(ProviderSettings):
    api_key: str = credential()
    version: str = API_VERSION
    template_id: str = "itmpl_sana_v1"
    webhook_secrets: tuple[str, ...] = field(default=(), repr=False)
    webhook_tolerance: float = 300.0
    poll_interval: float = 2.0
    max_polls: int = 60


#: Sub-verification words → the check's outcome.
VERIFICATION_OUTCOMES: Mapping[str, Decision] = {
    "passed": Decision.APPROVED,
    "failed": Decision.DECLINED,
    "requires_retry": Decision.RETRY,
}
WORDS = {decision: word for word, decision in VERIFICATION_OUTCOMES.items()}
#: The inquiry's fields for the subject's first and last name, birth date, code, mobile.
SUBJECT_FIELDS = ("name-first", "name-last", "birthdate", "identification-number", "phone-number")
KINDS = {"government-id": CheckKind.DOCUMENT, "selfie": CheckKind.FACE_MATCH}


def idempotency_key(reference: str, step: str) -> str:
    """Stable per (reference, step), so a retried flow replays instead of duplicating."""
    return hashlib.sha256(f"echo\x00{reference}\x00{step}".encode()).hexdigest()[:40]


class EchoProvider(Provider[EchoSettings]):
    style = "echo"
    settings_class = EchoSettings
    capabilities = frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS})
    cost = 1.2
    idempotent = True  # Idempotency-Key on every POST (see module docstring)
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "created": None,
        "pending": None,
        "completed": Decision.REVIEW,  # refined by the verifications
        "approved": Decision.APPROVED,
        "declined": Decision.DECLINED,
        "expired": Decision.RETRY,
        "failed": Decision.DECLINED,
    }
    #: ``errors[0].code`` of echo's JSON:API error document.
    error_table: ClassVar[Mapping[str, VendorError]] = {
        "unauthorized": VendorError(errors.AuthenticationFailed),
        "forbidden": VendorError(errors.AuthenticationFailed),
        "rate_limited": VendorError(errors.RateLimited),
        "idempotency_error": VendorError(errors.ProviderProtocolError, "idempotency key reused otherwise"),
        "record_invalid": VendorError(errors.ProviderProtocolError, "our request was invalid"),
        "not_found": VendorError(errors.ProviderProtocolError, "no such inquiry"),
        "conflict": VendorError(errors.ProviderProtocolError, "inquiry in another state"),
        "invalid_version": VendorError(errors.ProviderProtocolError, "API version refused"),
        "internal_error": VendorError(errors.ProviderUnavailable),
    }
    kit = KitFacts(retry_signal=True)

    def _call(self, method: str, path: str, body: Any = None, key: str = "") -> SubFlow[dict[str, Any]]:
        """One call; the answer must be a JSON:API document with a ``data`` object."""
        headers = {
            "Authorization": f"Bearer {self.settings.api_key}",
            "Echo-Version": self.settings.version,
            "Accept": "application/vnd.api+json",
        }
        if key:
            headers["Idempotency-Key"] = key
        doc = self.answer((yield self.build(method, f"/api/v1/{path}", headers=headers, json=body)))
        self.field(doc, "data", dict)
        return doc

    def error_code(self, response: httpx.Response, body: Any) -> str | None:
        errors = body.get("errors") if isinstance(body, dict) and response.status_code >= 400 else None
        first = errors[0] if isinstance(errors, list) and errors else None
        code = first.get("code") if isinstance(first, dict) else None
        return code if isinstance(code, str) else None

    def retry_hint(self, response: httpx.Response, body: Any) -> float | None:
        # RateLimit-Reset is echo's own signal; an edge limiter in front sends Retry-After.
        reset = self.retry_after(response, "RateLimit-Reset")
        return reset if reset is not None else self.retry_after(response)

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        key = idempotency_key(request.reference, "create")
        created = yield from self._call("POST", "inquiries", self._create_body(request), key)
        inquiry = self.vendor_id(created["data"].get("id"), "inquiry id")
        if self._attr(created["data"], "status") == "created":
            yield from self._submit(request, inquiry)
        schedule = repeat(self.settings.poll_interval, self.settings.max_polls)
        doc = yield from self.poll(lambda: self._final(inquiry), schedule=schedule, wait=wait)
        return self._result(doc) if doc is not None else self.pending(inquiry, "pending")

    def _final(self, inquiry: str) -> SubFlow[dict[str, Any] | None]:
        """One look at an inquiry: its document once final, else None."""
        doc = yield from self._call("GET", f"inquiries/{inquiry}")
        return doc if self.map_status(self._attr(doc["data"], "status")) is not None else None

    def _create_body(self, request: VerificationRequest) -> dict[str, Any]:
        s = request.subject
        values = (s.first_name, s.last_name, s.birth_date, s.national_code, s.mobile)
        attributes = {
            "inquiry-template-id": self.settings.template_id,
            "reference-id": request.reference,
            "fields": {k: v for k, v in zip(SUBJECT_FIELDS, values, strict=True) if v},
        }
        body: dict[str, Any] = {"data": {"type": "inquiry", "attributes": attributes}}
        if meta := {**request.options_for(self.style), **request.options_for(self.name)}:
            body["meta"] = meta
        return body

    def _submit(self, request: VerificationRequest, inquiry: str) -> SubFlow[None]:
        ev, ref, path = request.evidence, request.reference, f"inquiries/{inquiry}"
        sides = {"front-photo": ev.document_front, "back-photo": ev.document_back}
        files = {k: base64.b64encode(v).decode() for k, v in sides.items() if v}
        if files:
            body = {"data": {"type": "document", "attributes": {"kind": "national-id", **files}}}
            yield from self._call("POST", f"{path}/documents", body, idempotency_key(ref, "doc"))
        if ev.selfie:
            photo = {"center-photo": base64.b64encode(ev.selfie).decode()}
            body = {"data": {"type": "selfie", "attributes": photo}}
            yield from self._call("POST", f"{path}/selfies", body, idempotency_key(ref, "selfie"))
        yield from self._call("POST", f"{path}/submit", {}, idempotency_key(ref, "submit"))

    def _attr(self, obj: Any, key: str) -> str:
        """A JSON:API object's attribute, a string."""
        return str(self.field(_webhooks.dig(obj, "attributes"), key))

    def _result(self, doc: dict[str, Any]) -> VerificationResult:
        data = doc["data"]
        status = self._attr(data, "status")
        checks = self._checks(doc)
        decision = self.map_status(status) or Decision.REVIEW
        if status == "completed":  # the template decided nothing: the verifications say
            worst = Decision.worst((c.outcome for c in checks), Decision.REVIEW)
            decision = Decision.REVIEW if worst is Decision.APPROVED else worst
        reasons = tuple(r for c in checks if c.outcome is not Decision.APPROVED for r in c.reasons)
        reference_id = _webhooks.dig(data, "attributes", "reference-id")
        if status in ("expired", "failed"):
            reasons = (f"inquiry_{status}", *reasons)
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=self.field(data, "id"),
            checks=checks,
            reasons=reasons,
            raw_status=status,
            raw_codes=tuple(f"{c.kind}:{WORDS[c.outcome]}" for c in checks),
            raw=redact(doc),
            vendor={"reference-id": reference_id, "version": self.settings.version},
        )

    def _checks(self, doc: dict[str, Any]) -> tuple[Check, ...]:
        included = doc.get("included", [])
        if not isinstance(included, list):
            raise self.protocol_error("'included' is not a list")
        checks = []
        for item in included:
            kind = KINDS.get(str(item.get("type"))) if isinstance(item, dict) else None
            if kind is None:
                continue
            word = self._attr(item, "status")
            if word not in VERIFICATION_OUTCOMES:
                raise self.protocol_error(f"unknown verification status {word!r}")
            outcome = VERIFICATION_OUTCOMES[word]
            tag = f"{item['type'].replace('-', '_')}_{word}"
            reasons = () if outcome is Decision.APPROVED else (tag,)
            checks.append(Check(kind, outcome, self.name, reasons=reasons))
        return tuple(checks)

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Verify ``Echo-Signature`` (any ``t=…,v1=…`` pair, any configured secret, within
        the tolerance) and read the event. Its status decides, except ``completed`` (which
        needs the verifications: fetch); ``event_id`` is echo's own."""
        secrets = _webhooks.configured(self.settings.webhook_secrets, self.name)
        _webhooks.check_size(body, self.name)
        tolerance = self.settings.webhook_tolerance
        header = _webhooks.lowered(headers).get("echo-signature", "")
        stamps = _signed_times(header, body, secrets, now, tolerance)
        if not stamps:
            raise errors.WebhookRejected(f"{self.name}: bad, stale or missing Echo-Signature")
        found = _webhooks.sized_json(body, self.name)
        attributes = _webhooks.dig(found, "data", "attributes")
        name, inquiry = _webhooks.dig(attributes, "name"), _webhooks.dig(attributes, "payload", "data")
        ident, status = _webhooks.dig(inquiry, "id"), _webhooks.dig(inquiry, "attributes", "status")
        if not (isinstance(name, str) and isinstance(ident, str) and isinstance(status, str)):
            raise errors.WebhookRejected(f"{self.name}: webhook body is not an echo event")
        event_id = _webhooks.dig(found, "data", "id")
        return WebhookEvent(
            self.name,
            name,
            ident,
            status=status,
            decision=self.status_map.get(status) if status != "completed" else None,
            event_id=event_id if isinstance(event_id, str) else _webhooks.digest(body),
            payload=redact(attributes),
            keep_until=_webhooks.keep_until(self.name, max(stamps), now, window=tolerance, ahead=tolerance),
        )


def _signed_times(header: str, body: bytes, secrets: list[str], now: float, tolerance: float) -> list[float]:
    """The times of the ``t=…,v1=…`` pairs (several while a secret rotates) that are
    within the tolerance and sign ``t.body`` under a secret (compared in constant time)."""
    times = []
    for chunk in header.split():
        pair = dict(p.split("=", 1) for p in chunk.split(",") if "=" in p)
        t, sig, stamp = pair.get("t", ""), pair.get("v1"), _webhooks.signed_time(pair.get("t"))
        fresh = stamp is not None and abs(now - stamp) <= tolerance
        if fresh and stamp is not None and matches_any(sig, secrets, f"{t}.".encode() + body):
            times.append(stamp)
    return times
