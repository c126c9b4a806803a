"""Adapter for the ``fjord`` style: body-signed job upload, presigned ZIP, polling,
stringly typed results (modelled on Smile ID).

Spec: docs/styles/fjord.md; wire helpers in ``_fjord_wire``. No auth header:
every body is signed (``partner_id``, ``timestamp``, ``signature``). A job is
``POST /v1/upload`` → ``PUT <upload_url>`` (a ZIP with ``info.json``) → polled with
``POST /v1/job_status`` on the client policy (2 s × 3, then 4 s, at most 20 polls;
scaled down in the sandbox through the settings). A registry-only request uses the
synchronous ``POST /v1/id_verification``.

Choices:
- Answers carry their own ``timestamp`` + ``signature``. A missing or wrong one, or a
  timestamp more than ``answer_tolerance`` (1 h) from our clock, is
  ``AuthenticationFailed`` (not a protocol error): the answer did not come from someone
  holding our key, and retrying will not help.
- The ``job_id`` is derived from the request reference, so the flow is repeatable
  (``idempotent = True``): a second ``/v1/upload`` of a job whose ZIP arrived answers
  ``2215`` (job exists) and the adapter polls it; one whose ZIP did not arrive gets a
  fresh upload URL. An expired upload URL (403 on the PUT) is asked for again once.
- Decide on ``ResultCode`` (``RESULT_CODES``); ``Actions`` become per-check outcomes.
  ``0814`` is REVIEW with ``vendor["provisional"] = True``: a later poll or callback may
  carry a final code, with the earlier one in ``history``.
- A callback's signature does not cover its body, so a callback is a hint without a
  decision; ``fetch`` (``KYC.fetch_result``) reads the job it names from fjord.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

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
from kyc_sdk.models import Check, CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers import _fjord_wire as wire
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers.base import Flow, Provider, ProviderSettings, SubFlow, Wait, WebhookEvent
from kyc_sdk.redact import redact


@dataclass(frozen=True, kw_only=True)
class FjordSettings(ProviderSettings):
    partner_id: str
    api_key: str
    callback_url: str = ""
    job_type: int = 1  # biometric KYC: selfie + ID
    #: Client polling policy: ``first_polls`` polls ``first_interval`` apart, then ``interval``.
    first_interval: float = 2.0
    first_polls: int = 3
    interval: float = 4.0
    max_polls: int = 20
    webhook_tolerance: float = 300.0
    #: How far an answer's own timestamp may be from our clock (replayed answers are refused).
    answer_tolerance: float = 3600.0

    def __repr__(self) -> str:
        return f"FjordSettings(base_url={self.base_url!r}, partner_id=…, api_key=…)"


class FjordProvider(Provider):
    style = "fjord"
    settings_class = FjordSettings
    capabilities = frozenset(
        {CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS, CheckKind.REGISTRY}
    )
    cost = 0.8
    idempotent = True  # job_id derived from the reference (see module docstring)
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        code: decision for code, (decision, _) in wire.RESULT_CODES.items()
    } | {"job_pending": None}
    error_map: ClassVar[Mapping[str, type[ProviderError]]] = {
        "2203": AuthenticationFailed,  # invalid signature
        "2204": AuthenticationFailed,  # partner not authorised
        "2205": AuthenticationFailed,  # not authorised for this product
        "2209": AuthenticationFailed,  # timestamp outside the window (clock skew)
        "2213": ProviderProtocolError,  # missing required keys
        "2214": ProviderProtocolError,  # invalid job type / value
        "2215": ProviderProtocolError,  # job exists (handled in the flow)
        "2231": ProviderProtocolError,  # unknown job
        "2220": RateLimited,  # partner-wide
        "2222": RateLimited,  # per ID number: 30 / rolling 3 days
        "2299": ProviderUnavailable,  # vendor's internal error
    }

    @property
    def _s(self) -> FjordSettings:
        assert isinstance(self.settings, FjordSettings)
        return self.settings

    # Requests ---------------------------------------------------------------------------

    def _post(self, path: str, body: Mapping[str, Any]) -> httpx.Request:
        return self.build("POST", path, json=wire.signed(self._s.api_key, self._s.partner_id, body))

    def _answer(self, response: httpx.Response | None) -> dict[str, Any]:
        """A verified answer body, or the error it stands for."""
        assert response is not None
        if response.status_code >= 400:
            raise self._error(response)
        body = self.decode_json(response)
        if not isinstance(body, dict):
            raise self.protocol_error("answer is not a JSON object", response)
        if not wire.signature_ok(self._s.api_key, self._s.partner_id, body):
            raise AuthenticationFailed(
                f"{self.name}: answer's signature does not verify",
                provider=self.name,
                status=response.status_code,
                vendor_code="response_signature",
            )
        age = wire.seconds_since(body["timestamp"], time.time())
        if age is None or abs(age) > self._s.answer_tolerance:  # a replayed old answer, or a wrong clock
            raise AuthenticationFailed(
                f"{self.name}: answer's timestamp is outside the window",
                provider=self.name,
                status=response.status_code,
                vendor_code="response_timestamp",
            )
        return body

    def _error(self, response: httpx.Response) -> ProviderError:
        status, code = response.status_code, _code(response)
        cls = self.error_map.get(code or "")
        if cls is RateLimited or (cls is None and status == 429):
            return RateLimited(
                f"{self.name}: rate limited ({code})",
                provider=self.name,
                status=status,
                vendor_code=code,
                retry_after=self.retry_after(response),
            )
        if cls is None and status >= 500:
            cls = ProviderUnavailable
        if cls is None and status in (401, 403):
            cls = AuthenticationFailed
        if cls is None:
            return self.protocol_error(f"HTTP {status} without fjord's error envelope", response)
        return cls(
            f"{self.name}: error {code} (HTTP {status})", provider=self.name, status=status, vendor_code=code
        )

    def _ids(self, request: VerificationRequest) -> dict[str, Any]:
        digest = hashlib.sha256(f"fjord\x00{request.reference}".encode()).hexdigest()
        return {
            "job_id": f"job-{digest[:24]}",
            "user_id": f"usr-{digest[24:48]}",
            "job_type": self._s.job_type,
        }

    def _id_info(self, request: VerificationRequest) -> dict[str, Any]:
        s = request.subject
        info = {
            "country": "IR",
            "id_type": "NATIONAL_ID",
            "id_number": s.national_code,
            "first_name": s.first_name,
            "last_name": s.last_name,
            "dob": s.birth_date,
        }
        return {k: v for k, v in info.items() if v}

    # The flow ---------------------------------------------------------------------------

    def flow(self, request: VerificationRequest, *, wait: bool = True) -> Flow:
        if request.checks and request.checks <= {CheckKind.REGISTRY}:
            return (yield from self._registry(request))
        params = self._ids(request)
        job = yield from self._upload(request, params)
        status = self._answer((yield self._status_request(params)))
        polls = 0
        while wire.truth(status.get("job_complete")) is not True:
            if wire.truth(status.get("job_complete")) is None:
                raise self.protocol_error("job_complete is neither true nor false")
            if not wait:
                return VerificationResult(
                    Decision.PENDING,
                    self.name,
                    reference=job,
                    raw_status="job_pending",
                    raw=redact(status),
                    vendor={"job_id": params["job_id"]},
                )
            if polls >= self._s.max_polls:
                raise ProviderUnavailable(
                    f"{self.name}: job not complete after {polls} polls", provider=self.name
                )
            yield Wait(self._s.first_interval if polls < self._s.first_polls else self._s.interval)
            status = self._answer((yield self._status_request(params)))
            polls += 1
        return self._result(status, job, params["job_id"])

    def _upload(self, request: VerificationRequest, params: dict[str, Any]) -> SubFlow:
        """Create the job and PUT its ZIP; returns fjord's job id (``smile_job_id``)."""
        body = {
            "file_name": "selfie.zip",
            "partner_params": params,
            "callback_url": self._s.callback_url,
            "id_number": request.subject.national_code,
        }
        package = self._zip(request)
        for _ in range(2):  # a second time only when the presigned URL had expired
            response = yield self._post("/v1/upload", body)
            if response is not None and response.status_code >= 400 and _code(response) == "2215":
                return _text(self.decode_json(response), "smile_job_id")
            created = self._answer(response)
            upload_url = self.vendor_url(created.get("upload_url"), "upload_url")
            put = yield httpx.Request(
                "PUT", upload_url, content=package, headers={"Content-Type": "application/zip"}
            )
            assert put is not None
            if put.status_code < 300:
                return _text(created, "smile_job_id")
            if put.status_code != 403:
                raise self._error(put)
        raise AuthenticationFailed(f"{self.name}: upload URL refused twice", provider=self.name, status=403)

    def _zip(self, request: VerificationRequest) -> bytes:
        ev = request.evidence
        images = [
            (kind, name, data)
            for kind, name, data in (
                (wire.SELFIE_FILE, "selfie.jpg", ev.selfie),
                (wire.ID_FRONT_FILE, "id_front.jpg", ev.document_front),
                (wire.ID_BACK_FILE, "id_back.jpg", ev.document_back),
            )
            if data
        ]
        return wire.job_zip(images, self._id_info(request))

    def _status_request(self, params: dict[str, Any]) -> httpx.Request:
        return self._post(
            "/v1/job_status",
            {"job_id": params["job_id"], "user_id": params["user_id"], "image_links": False, "history": True},
        )

    def _registry(self, request: VerificationRequest) -> Flow:
        body = {**self._id_info(request), "partner_params": {**self._ids(request), "job_type": 5}}
        answer = self._answer((yield self._post("/v1/id_verification", body)))
        return self._result(
            {"job_complete": True, "job_success": True, "result": answer},
            answer.get("SmileJobID"),
            body["partner_params"]["job_id"],
        )

    def _result(self, status: dict[str, Any], job: Any, job_id: str) -> VerificationResult:
        result = status.get("result")
        if not isinstance(result, dict):
            raise self.protocol_error("complete job without a result")
        code = str(result.get("ResultCode"))
        if code not in wire.RESULT_CODES:
            raise self.protocol_error(f"unknown ResultCode {code!r}")
        decision, reason = wire.RESULT_CODES[code]
        final = wire.truth(result.get("IsFinalResult", "true"))
        if final is None:
            raise self.protocol_error("IsFinalResult is neither 'true' nor 'false'")
        history = _list(status.get("history"))
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=str(job or result.get("SmileJobID") or job_id),
            checks=self._checks(result.get("Actions")),
            reasons=(reason,) if reason else (),
            raw_status=code,
            raw_codes=tuple(str(h.get("ResultCode")) for h in history if isinstance(h, dict)),
            raw=redact(status),
            vendor={
                "job_id": job_id,
                "provisional": not final or code == "0814",
                "result_text": result.get("ResultText"),
            },
        )

    def _checks(self, actions: Any) -> tuple[Check, ...]:
        if not isinstance(actions, dict):
            return ()
        checks = []
        for key, kind in wire.ACTIONS.items():
            word = actions.get(key)
            if word is None:
                continue
            if not isinstance(word, str) or word not in wire.ACTION_WORDS:
                raise self.protocol_error(f"unknown Actions word for {key}")
            outcome = wire.ACTION_WORDS[word]
            if outcome is not None:
                reasons = (key.lower(),) if outcome is not Decision.APPROVED else ()
                checks.append(Check(kind, outcome, self.name, reasons=reasons))
        return tuple(checks)

    # Webhooks ---------------------------------------------------------------------------

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Verify the signature inside the callback body and its timestamp's age.

        That signature covers the timestamp and our partner id, not the body: anyone who
        saw one signed callback could send, within the window, another ``ResultCode`` for
        any job. So a callback is only a hint (``hint=True``, no decision, no status) that
        names a job (``payload["job_id"]``, ``payload["user_id"]``); ``fetch`` reads that
        job's result from fjord. ``event_id`` is the body's digest."""
        payload = _webhooks.read_json(body, self.name)
        if not isinstance(payload, dict) or not wire.signature_ok(
            self._s.api_key, self._s.partner_id, payload
        ):
            raise WebhookRejected(f"{self.name}: bad or missing signature in the callback")
        tolerance = self._s.webhook_tolerance
        sent_at = _webhooks.signed_time(payload.get("timestamp"))
        if sent_at is None or abs(now - sent_at) > tolerance:
            raise WebhookRejected(f"{self.name}: callback timestamp outside the tolerance")
        params, final = payload.get("PartnerParams"), wire.truth(payload.get("IsFinalResult"))
        job_id, user_id = (
            (params.get("job_id"), params.get("user_id")) if isinstance(params, dict) else (None, None)
        )
        if not (isinstance(job_id, str) and job_id and isinstance(user_id, str) and user_id) or final is None:
            raise WebhookRejected(f"{self.name}: callback is not a fjord result")
        job = payload.get("SmileJobID")
        return WebhookEvent(
            self.name,
            "job_result" if final else "job_result_provisional",
            job if isinstance(job, str) and job else None,
            event_id=_webhooks.digest(body),
            payload={"job_id": job_id, "user_id": user_id},
            hint=True,
            keep_until=_webhooks.keep_until(self.name, sent_at, now, window=tolerance, ahead=tolerance),
        )

    def fetch(self, event: WebhookEvent) -> Flow:
        """The result of the job a callback names, read with one ``job_status`` call."""
        job_id, user_id = event.payload.get("job_id"), event.payload.get("user_id")
        if not (isinstance(job_id, str) and isinstance(user_id, str)):
            raise InputError(f"{self.name}: the event names no job to read")
        status = self._answer((yield self._status_request({"job_id": job_id, "user_id": user_id})))
        complete = wire.truth(status.get("job_complete"))
        if complete is None:
            raise self.protocol_error("job_complete is neither true nor false")
        if not complete:
            return VerificationResult(
                Decision.PENDING,
                self.name,
                reference=event.reference,
                raw_status="job_pending",
                raw=redact(status),
                vendor={"job_id": job_id},
            )
        return self._result(status, None, job_id)


def _code(response: httpx.Response) -> str | None:
    try:
        code = json.loads(response.content)["code"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
    return code if isinstance(code, str) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(body: Any, key: str) -> str:
    value = body.get(key) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value:
        raise ProviderProtocolError(f"fjord: field {key!r} missing or not a string", provider="fjord")
    return value
