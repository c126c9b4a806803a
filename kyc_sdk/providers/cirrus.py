"""Adapter for the ``cirrus`` style: applicant on a level, typed document uploads,
GREEN/RED review (modelled on Sumsub).

Spec: docs/styles/cirrus.md. Requests carry ``X-App-Token``, ``X-App-Access-Ts`` (Unix
seconds of the driver's clock; more than 60 s off is errorCode 4004) and
``X-App-Access-Sig`` = hex HMAC-SHA256(secret, ts + METHOD + path_with_query + body).
Documents go as multipart with a ``metadata`` part, FRONT_SIDE before BACK_SIDE (cirrus
never completes a step whose back came first). After ``status/pending`` the review is
polled: ``completed`` + GREEN → APPROVED, RED + RETRY → RETRY, RED + FINAL → DECLINED,
``onHold`` → REVIEW; reject labels become our reasons (lower case).

Without idempotency keys, the flow first looks the applicant up by our reference
(``GET …/-;externalUserId={reference}/one``) and uploads only if an earlier attempt
never asked for the review. ``options["cirrus"]`` may name ``applicant_id`` (a new
upload after RETRY; FINAL stays final) and ``test_completed`` (the sandbox's
``…/status/testCompleted``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from kyc_sdk.errors import AuthenticationFailed, InputError, ProviderProtocolError, WebhookRejected
from kyc_sdk.models import Check, CheckKind, Decision, DocumentType, VerificationRequest, VerificationResult
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers._signing import hmac_hex, with_header_spoiled
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

#: ``X-Payload-Digest-Alg`` values → hashlib names.
DIGESTS = {"HMAC_SHA1_HEX": "sha1", "HMAC_SHA256_HEX": "sha256", "HMAC_SHA512_HEX": "sha512"}
SIGNATURE = "X-App-Access-Sig"
APPLICANTS = "/resources/applicants"
INFO = ("firstName", "lastName", "dob", "country")
#: ``errorCode`` values (an answer without one names its HTTP status in ``code``).
ERRORS: Mapping[str, VendorError] = {
    "1002": VendorError(ProviderProtocolError, "file too big"),
    "1006": VendorError(ProviderProtocolError, "no uploads while the applicant is being checked"),
    "1008": VendorError(ProviderProtocolError, "Farsi documents are not enabled on this level"),
    "1009": VendorError(ProviderProtocolError, "the applicant was rejected for good"),
    "4001": VendorError(AuthenticationFailed, "unknown token, or a sandbox token on production"),
    "4003": VendorError(AuthenticationFailed, "signature mismatch"),
    "4004": VendorError(AuthenticationFailed, "X-App-Access-Ts more than 60 s off"),
}


@dataclass(frozen=True, kw_only=True)
class CirrusSettings(ProviderSettings):
    app_token: str = credential()
    secret_key: str = credential()
    #: The webhook secret, or several (current first) while one is rotated out.
    webhook_secret: str | tuple[str, ...] = field(default="", repr=False)
    level_name: str = "basic-kyc"
    poll_interval: float = 5.0
    max_polls: int = 120
    sandbox: bool = False


class CirrusProvider(Provider[CirrusSettings]):
    style = "cirrus"
    settings_class = CirrusSettings
    capabilities = frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS})
    cost = 1.0
    idempotent = True  # no idempotency keys, but a repeat finds the applicant by our reference
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        **dict.fromkeys(("init", "pending", "prechecked", "queued", "awaitingService")),
        "onHold": Decision.REVIEW,
        "completed": Decision.APPROVED,  # refined by reviewResult below
        "GREEN": Decision.APPROVED,
        "RED/RETRY": Decision.RETRY,
        "RED/FINAL": Decision.DECLINED,
    }
    error_table = ERRORS
    kit = KitFacts(
        request_signature=f"{SIGNATURE} over ts+method+path+body",
        webhook_events=("applicantCreated", "applicantPending", "applicantOnHold", "applicantReviewed"),
    )

    def _req(self, method: str, path: str, *, now: Clock, **kwargs: Any) -> httpx.Request:
        request = self.build(method, path, **kwargs)
        ts = str(int(now()))
        signed = ts.encode() + method.encode() + request.url.raw_path + request.read()
        signature = hmac_hex(self.settings.secret_key, signed)
        request.headers.update(
            {"X-App-Token": self.settings.app_token, "X-App-Access-Ts": ts, SIGNATURE: signature}
        )
        return request

    def tamper_signature(self, request: httpx.Request) -> httpx.Request:
        return with_header_spoiled(request, SIGNATURE)

    def error_code(self, response: httpx.Response, body: Any) -> str | None:
        """Errors are HTTP statuses with ``errorCode`` (or only ``code``) in the body."""
        if response.is_success or not isinstance(body, dict):
            return None
        code = body.get("errorCode") or body.get("code")
        return str(code) if isinstance(code, str | int) and not isinstance(code, bool) else None

    def correlation_id(self, response: httpx.Response, body: Any) -> str | None:
        found = body.get("correlationId") if isinstance(body, dict) else None
        return found if isinstance(found, str) else None

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        options = dict(request.options_for(self.name))
        forced = options.pop("test_completed", None)
        if forced is not None and not self.settings.sandbox:
            raise InputError("test_completed is a sandbox control; this account is not a sandbox")
        applicant = options.pop("applicant_id", None)
        if applicant is not None:  # a new upload for an applicant cirrus reviewed before
            status = yield from self._call("GET", f"{APPLICANTS}/{applicant}/status", now=now)
            if status.get("reviewStatus") == "completed" and _answer(status) == "RED/FINAL":
                return self._result(applicant, status)
            word = "init"
        else:
            applicant, word = yield from self._find_or_create(request, now)
        at = f"{APPLICANTS}/{applicant}"
        if word == "init":  # new, or an earlier attempt stopped before asking for the review
            for metadata, content in self._documents(request):
                name = f"{metadata.get('idDocSubType', 'SELFIE').lower()}.jpg"
                files, data = {"content": (name, content, "image/jpeg")}, {"metadata": json.dumps(metadata)}
                yield from self._call("POST", f"{at}/info/idDoc", now=now, data=data, files=files)
            yield from self._call("POST", f"{at}/status/pending", now=now)
        if forced is not None and word in ("init", "pending", "queued"):
            yield from self._call("POST", f"{at}/status/testCompleted", now=now, json=forced)
        if not wait:
            return VerificationResult(Decision.PENDING, self.name, reference=applicant, raw_status="pending")

        def read() -> SubFlow[VerificationResult | None]:
            status = yield from self._call("GET", f"{at}/status", now=now)
            final = self.map_status(status.get("reviewStatus")) is not None
            return self._result(applicant, status) if final else None

        polls = repeat(self.settings.poll_interval, max(self.settings.max_polls - 1, 0))
        return (yield from self.poll(read, schedule=polls))

    def _call(self, method: str, path: str, *, now: Clock, **kwargs: Any) -> SubFlow[dict[str, Any]]:
        return self.answer((yield self._req(method, path, now=now, **kwargs)))

    def _find_or_create(self, request: VerificationRequest, now: Clock) -> SubFlow[tuple[str, str]]:
        """(applicant id, its reviewStatus): the one an earlier attempt made for this
        reference (a second POST would make a second applicant), else a new one."""
        if request.reference:
            path = f"{APPLICANTS}/-;externalUserId={quote(request.reference, safe='')}/one"
            found = yield self._req("GET", path, now=now)
            if found.status_code != 404:
                existing = self.answer(found)
                word = existing.get("reviewStatus")
                if not isinstance(word, str):
                    raise self.protocol_error("applicant without a reviewStatus")
                return self.vendor_id(existing.get("id"), "applicant id"), word
        s = request.subject
        info = dict(zip(INFO, (s.first_name, s.last_name, s.birth_date, s.nationality), strict=True))
        level = {"levelName": self.settings.level_name}
        body = {"externalUserId": request.reference, "info": info}
        created = yield from self._call("POST", APPLICANTS, now=now, params=level, json=body)
        return self.vendor_id(created.get("id"), "applicant id"), "init"

    def _documents(self, request: VerificationRequest) -> list[tuple[dict[str, str], bytes]]:
        ev = request.evidence
        kind = "PASSPORT" if ev.document_type is DocumentType.PASSPORT else "ID_CARD"
        country = request.subject.nationality
        # FRONT_SIDE first: cirrus never completes an ID step whose back came first.
        back = ev.document_back if kind == "ID_CARD" else None
        sides = (("FRONT_SIDE", ev.document_front), ("BACK_SIDE", back))
        meta = {"idDocType": kind, "country": country}
        docs = [({**meta, "idDocSubType": side}, image) for side, image in sides if image]
        return docs + ([({"idDocType": "SELFIE", "country": country}, ev.selfie)] if ev.selfie else [])

    def _result(self, applicant: str, status: Mapping[str, Any]) -> VerificationResult:
        word = status.get("reviewStatus")
        answer = _answer(status) if word == "completed" else None  # done; reviewResult says how
        decision = self.map_status(answer if word == "completed" else word)
        if decision is None:
            raise self.protocol_error("review not done")
        found = status.get("reviewResult")
        review: Mapping[str, Any] = found if isinstance(found, dict) else {}
        found_labels, comment = review.get("rejectLabels"), review.get("moderationComment")
        labels = [x for x in found_labels if isinstance(x, str)] if isinstance(found_labels, list) else []
        reasons, level = tuple(label.lower() for label in labels), status.get("levelName")
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=applicant,
            checks=(Check(CheckKind.DOCUMENT, decision, self.name, reasons=reasons),),
            reasons=reasons,
            raw_status=f"{word}/{answer}" if answer else str(word),
            raw_codes=tuple(labels),
            raw=redact(dict(status)),
            vendor={"applicant_id": applicant, "level": level, "moderation_comment": comment},
        )

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Check ``X-Payload-Digest`` with the algorithm ``X-Payload-Digest-Alg`` names,
        under any webhook secret (rotation). The newest event of an applicant is its state
        (``createdAtMs``, signed with the body, orders them and bounds a replay's age)."""
        lower = _webhooks.lowered(headers)
        algorithm = DIGESTS.get(lower.get("x-payload-digest-alg", ""))
        if algorithm is None:
            raise WebhookRejected(f"{self.name}: unknown digest algorithm")
        given, secrets = lower.get("x-payload-digest"), self.settings.webhook_secret
        payload = _webhooks.signed_json(self.name, body, given, secrets, algorithm=algorithm)
        found = payload if isinstance(payload, dict) else {}
        event, applicant, word = (found.get(k) for k in ("type", "applicantId", "reviewStatus"))
        if not (isinstance(event, str) and isinstance(applicant, str) and isinstance(word, str)):
            raise WebhookRejected(f"{self.name}: webhook body is not a cirrus event")
        if word not in self.status_map:
            raise WebhookRejected(f"{self.name}: unknown reviewStatus in webhook")
        decision = (
            self.status_map.get(_answer(payload) or "") if word == "completed" else self.status_map[word]
        )
        if word == "completed" and decision is None:
            raise WebhookRejected(f"{self.name}: completed event without a known reviewResult")
        sent_at, shown = payload.get("createdAtMs"), redact(payload)
        return _webhooks.body_event(self.name, event, applicant, word, decision, body, shown, sent_at, now)


def _answer(status: Mapping[str, Any]) -> str | None:
    """``GREEN``, ``RED/RETRY`` or ``RED/FINAL`` from a ``reviewResult``."""
    review = status.get("reviewResult")
    if not isinstance(review, dict):
        return None
    if review.get("reviewAnswer") == "GREEN":
        return "GREEN"
    return f"{review.get('reviewAnswer')}/{review.get('reviewRejectType')}"
