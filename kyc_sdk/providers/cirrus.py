"""Adapter for the ``cirrus`` style: applicant on a level, typed document uploads,
GREEN/RED review (modelled on Sumsub).

Spec: docs/styles/cirrus.md. Every request carries ``X-App-Token``,
``X-App-Access-Ts`` (Unix seconds) and ``X-App-Access-Sig`` = lowercase hex
HMAC-SHA256(secret, ts + METHOD + path_with_query + body); cirrus refuses a stamp more
than 60 s off (errorCode 4004). Documents go as multipart with a ``metadata`` part
(``idDocType``, ``idDocSubType``, ``country``): FRONT_SIDE always before BACK_SIDE,
since cirrus never completes a step whose back came first. After ``status/pending``
the review is polled with ``GET …/status``.

Decisions: ``completed`` + GREEN → APPROVED; RED + RETRY → RETRY; RED + FINAL →
DECLINED; ``onHold`` → REVIEW; the reject labels become our reasons (lower case).
Sandbox control: ``options["cirrus"]["test_completed"]`` makes the adapter call the
sandbox-only ``POST …/status/testCompleted`` after requesting the check (refused unless
``sandbox=True``). Cirrus has no idempotency keys, so the flow first looks the applicant up
by our reference (``GET …/-;externalUserId={reference}/one``) and continues what an
earlier attempt made: uploads only if it never asked for the review. ``options["cirrus"]["applicant_id"]`` continues an applicant (the
person's new upload after RETRY); a FINAL rejection is returned as it stands.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    InputError,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import Check, CheckKind, Decision, DocumentType, VerificationRequest, VerificationResult
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers._signing import hmac_hex, matches_any
from kyc_sdk.providers.base import Flow, Provider, ProviderSettings, SubFlow, Wait, WebhookEvent
from kyc_sdk.redact import redact

#: ``X-Payload-Digest-Alg`` values → hashlib names.
DIGESTS = {"HMAC_SHA1_HEX": "sha1", "HMAC_SHA256_HEX": "sha256", "HMAC_SHA512_HEX": "sha512"}


@dataclass(frozen=True, kw_only=True)
class CirrusSettings(ProviderSettings):
    app_token: str
    secret_key: str
    #: The webhook secret, or several (current first) while one is rotated out.
    webhook_secret: str | tuple[str, ...] = ""
    level_name: str = "basic-kyc"
    poll_interval: float = 5.0
    max_polls: int = 120
    sandbox: bool = False

    def __repr__(self) -> str:
        return f"CirrusSettings(base_url={self.base_url!r}, level_name={self.level_name!r}, app_token=…)"


class CirrusProvider(Provider):
    style = "cirrus"
    settings_class = CirrusSettings
    capabilities = frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS})
    cost = 1.0
    idempotent = True  # no idempotency keys, but a repeat finds the applicant by our reference
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "init": None,
        "pending": None,
        "prechecked": None,
        "queued": None,
        "awaitingService": None,
        "onHold": Decision.REVIEW,
        "completed": Decision.APPROVED,  # refined by reviewResult below
        "GREEN": Decision.APPROVED,
        "RED/RETRY": Decision.RETRY,
        "RED/FINAL": Decision.DECLINED,
    }
    error_map: ClassVar[Mapping[str, type[ProviderError]]] = {
        "1002": ProviderProtocolError,  # file too big
        "1006": ProviderProtocolError,  # applicant is being checked: no uploads while pending
        "1008": ProviderProtocolError,  # Farsi documents not enabled on this level (farsiDocs)
        "1009": ProviderProtocolError,  # FINAL rejection: the applicant takes nothing more
        "4001": AuthenticationFailed,  # unknown token, or a sandbox token on production
        "4003": AuthenticationFailed,  # signature mismatch
        "4004": AuthenticationFailed,  # X-App-Access-Ts outside ±60 s
        "429": RateLimited,
    }

    def __init__(self, settings: ProviderSettings, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(settings)
        self.clock = clock  # the stamp's source; tests skew it

    @property
    def conf(self) -> CirrusSettings:
        assert isinstance(self.settings, CirrusSettings)
        return self.settings

    # Requests and answers ----------------------------------------------------------------

    def _req(self, method: str, path: str, **kwargs: Any) -> httpx.Request:
        request = self.build(method, path, **kwargs)
        body = request.read()
        ts = str(int(self.clock()))
        signed = ts.encode() + method.encode() + request.url.raw_path + body
        request.headers.update(
            {
                "X-App-Token": self.conf.app_token,
                "X-App-Access-Ts": ts,
                "X-App-Access-Sig": hmac_hex(self.conf.secret_key, signed),
            }
        )
        return request

    def _json(self, response: httpx.Response | None) -> dict[str, Any]:
        assert response is not None
        if response.status_code >= 400:
            raise self._error(response)
        body = self.decode_json(response)
        if not isinstance(body, dict):
            raise self.protocol_error("answer is not a JSON object", response)
        return body

    def _error(self, response: httpx.Response) -> ProviderError:
        status = response.status_code
        try:
            body = json.loads(response.content)
            code = str(body.get("errorCode") or body["code"])
            correlation = body.get("correlationId")
        except (ValueError, KeyError, TypeError, AttributeError):
            code, correlation = None, None
        cls = self.error_map.get(code) if code else None
        if cls is None:
            cls = {401: AuthenticationFailed, 403: AuthenticationFailed, 429: RateLimited}.get(status)
        if cls is None and status >= 500:
            cls = ProviderUnavailable
        if cls is None:
            return self.protocol_error(f"HTTP {status} without a known cirrus errorCode", response)
        message = f"{self.name}: errorCode {code or '-'} (HTTP {status})"
        kw = {"provider": self.name, "status": status, "vendor_code": code, "correlation_id": correlation}
        if cls is RateLimited:
            return RateLimited(message, retry_after=self.retry_after(response), **kw)
        return cls(message, **kw)

    # The flow ----------------------------------------------------------------------------

    def flow(self, request: VerificationRequest, *, wait: bool = True) -> Flow:
        options = dict(request.options_for(self.name))
        forced = options.pop("test_completed", None)
        if forced is not None and not self.conf.sandbox:
            raise InputError("test_completed is a sandbox control; this account is not a sandbox")
        applicant = options.pop("applicant_id", None)
        if applicant is not None:  # a new upload for an applicant cirrus reviewed before
            status = self._json((yield self._req("GET", f"/resources/applicants/{applicant}/status")))
            if status.get("reviewStatus") == "completed" and _answer(status) == "RED/FINAL":
                return self._result(applicant, status)
            word = "init"
        else:
            applicant, word = yield from self._find_or_create(request)
        if word == "init":  # new, or an earlier attempt stopped before asking for the review
            for metadata, content in self._documents(request):
                files = {
                    "content": (
                        f"{metadata.get('idDocSubType', 'SELFIE').lower()}.jpg",
                        content,
                        "image/jpeg",
                    )
                }
                data = {"metadata": json.dumps(metadata)}
                self._json(
                    (
                        yield self._req(
                            "POST", f"/resources/applicants/{applicant}/info/idDoc", data=data, files=files
                        )
                    )
                )
            self._json((yield self._req("POST", f"/resources/applicants/{applicant}/status/pending")))
        if forced is not None and word in ("init", "pending", "queued"):
            self._json(
                (
                    yield self._req(
                        "POST", f"/resources/applicants/{applicant}/status/testCompleted", json=forced
                    )
                )
            )
        if not wait:
            return VerificationResult(Decision.PENDING, self.name, reference=applicant, raw_status="pending")
        for _ in range(self.conf.max_polls):
            status = self._json((yield self._req("GET", f"/resources/applicants/{applicant}/status")))
            if self.map_status(status.get("reviewStatus")) is not None:
                return self._result(applicant, status)
            yield Wait(self.conf.poll_interval)
        raise ProviderUnavailable(
            f"{self.name}: review not done after {self.conf.max_polls} polls", provider=self.name
        )

    def _find_or_create(self, request: VerificationRequest) -> SubFlow:
        """(applicant id, its reviewStatus): the one an earlier attempt made for this
        reference (cirrus has no idempotency keys: a second POST makes a second
        applicant), else a new one."""
        if request.reference:
            path = f"/resources/applicants/-;externalUserId={quote(request.reference, safe='')}/one"
            found = yield self._req("GET", path)
            if found is not None and found.status_code != 404:
                existing = self._json(found)
                if not isinstance(existing.get("reviewStatus"), str):
                    raise self.protocol_error("applicant without a reviewStatus")
                return self.vendor_id(existing.get("id"), "applicant id"), existing["reviewStatus"]
        return (yield from self._create(request)), "init"

    def _create(self, request: VerificationRequest) -> SubFlow:
        s = request.subject
        body = {
            "externalUserId": request.reference,
            "info": {
                "firstName": s.first_name,
                "lastName": s.last_name,
                "dob": s.birth_date,
                "country": s.nationality,
            },
        }
        params = {"levelName": self.conf.level_name}
        created = self._json((yield self._req("POST", "/resources/applicants", params=params, json=body)))
        return self.vendor_id(created.get("id"), "applicant id")

    def _documents(self, request: VerificationRequest) -> list[tuple[dict[str, str], bytes]]:
        ev = request.evidence
        kind = "PASSPORT" if ev.document_type is DocumentType.PASSPORT else "ID_CARD"
        country = request.subject.nationality
        # FRONT_SIDE first: cirrus never completes an ID step whose back came first.
        sides = [
            ("FRONT_SIDE", ev.document_front),
            ("BACK_SIDE", ev.document_back if kind == "ID_CARD" else None),
        ]
        docs = [
            ({"idDocType": kind, "idDocSubType": side, "country": country}, image)
            for side, image in sides
            if image
        ]
        if ev.selfie:
            docs.append(({"idDocType": "SELFIE", "country": country}, ev.selfie))
        return docs

    def _result(self, applicant: str, status: Mapping[str, Any]) -> VerificationResult:
        word = status.get("reviewStatus")
        decision = self.map_status(word)
        answer = _answer(status) if word == "completed" else None
        if word == "completed":  # the word says done; only reviewResult says how
            decision = self.map_status(answer)
        assert decision is not None
        found = status.get("reviewResult")
        review: Mapping[str, Any] = found if isinstance(found, dict) else {}
        found_labels = review.get("rejectLabels")
        labels = [x for x in found_labels if isinstance(x, str)] if isinstance(found_labels, list) else []
        reasons = tuple(label.lower() for label in labels)
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=applicant,
            checks=(Check(CheckKind.DOCUMENT, decision, self.name, reasons=reasons),),
            reasons=reasons,
            raw_status=f"{word}/{answer}" if answer else str(word),
            raw_codes=tuple(labels),
            raw=redact(dict(status)),
            vendor={
                "applicant_id": applicant,
                "level": status.get("levelName"),
                "moderation_comment": review.get("moderationComment"),
            },
        )

    # Webhooks ----------------------------------------------------------------------------

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Check ``X-Payload-Digest`` with the algorithm ``X-Payload-Digest-Alg`` names,
        under any configured webhook secret (rotation).

        Events carry ``createdAtMs`` (kept in ``payload``): the newest event of an
        applicant is its state, so reordering changes nothing. ``event_id`` is the body's
        digest; ``createdAtMs`` (signed with the body) bounds a replay's age.
        """
        lowered = _webhooks.lowered(headers)
        algorithm = DIGESTS.get(lowered.get("x-payload-digest-alg", ""))
        secrets = _webhooks.secrets_of(self.conf.webhook_secret)
        if not secrets or algorithm is None:
            raise WebhookRejected(f"{self.name}: no webhook secret, or unknown digest algorithm")
        _webhooks.check_size(body, self.name)
        if not matches_any(lowered.get("x-payload-digest"), secrets, body, algorithm):
            raise WebhookRejected(f"{self.name}: bad or missing X-Payload-Digest")
        payload = _webhooks.read_json(body, self.name)
        fields = (
            [payload.get(k) for k in ("type", "applicantId", "reviewStatus")]
            if isinstance(payload, dict)
            else []
        )
        if not fields or not all(isinstance(f, str) for f in fields):
            raise WebhookRejected(f"{self.name}: webhook body is not a cirrus event")
        event, applicant, word = fields
        if word not in self.status_map:
            raise WebhookRejected(f"{self.name}: unknown reviewStatus in webhook")
        decision = self.status_map[word]
        if word == "completed":
            decision = self.status_map.get(_answer(payload) or "")
            if decision is None:
                raise WebhookRejected(f"{self.name}: completed event without a known reviewResult")
        sent_at = _webhooks.signed_time(payload.get("createdAtMs"))
        return WebhookEvent(
            self.name,
            event,
            applicant,
            status=word,
            decision=decision,
            event_id=_webhooks.digest(body),
            payload=redact(payload),
            keep_until=_webhooks.keep_until(self.name, sent_at, now),
        )


def _answer(status: Mapping[str, Any]) -> str | None:
    """``GREEN``, ``RED/RETRY`` or ``RED/FINAL`` from a ``reviewResult``."""
    review = status.get("reviewResult")
    if not isinstance(review, dict):
        return None
    if review.get("reviewAnswer") == "GREEN":
        return "GREEN"
    return f"{review.get('reviewAnswer')}/{review.get('reviewRejectType')}"
