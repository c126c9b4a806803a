"""Wire details of the ``fjord`` style (helpers of ``kyc_sdk.providers.fjord``, and of
its sandbox): the body signature, the job's ids and ZIP, the stringly typed booleans,
the result-code and Actions tables, and the callbacks.

Spec: docs/styles/fjord.md (modelled on Smile ID). A request body carries
``partner_id``, ``timestamp`` (ISO 8601) and ``signature = base64(HMAC-SHA256(api_key,
timestamp + partner_id + "sid_request"))``; answers and callbacks carry their own
``timestamp`` and ``signature`` made the same way, which the client verifies. Nothing
here reads a clock: the time is always passed in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from kyc_sdk.errors import ProviderProtocolError, WebhookRejected
from kyc_sdk.models import Check, CheckKind, Decision, Evidence, Subject
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers.base import WebhookEvent

#: image_type_id values of Smile-style info.json: files we send.
SELFIE_FILE, ID_FRONT_FILE, ID_BACK_FILE = 0, 1, 5
IMAGE_TYPES = range(8)

#: ResultCode → (decision, reason). "0814" is provisional: a later result may replace it.
RESULT_CODES: Mapping[str, tuple[Decision, str | None]] = {
    "1012": (Decision.APPROVED, None),  # ID validated
    "1210": (Decision.APPROVED, None),  # enrolled
    "0814": (Decision.REVIEW, "provisional_under_review"),
    "1013": (Decision.DECLINED, "id_number_invalid"),  # our extension: failures 10xx
    "1016": (Decision.DECLINED, "face_mismatch"),
    "1014": (Decision.DECLINED, "id_type_unsupported"),
    "0911": (Decision.RETRY, "no_face_found"),
    "0921": (Decision.RETRY, "image_quality_too_low"),
}

#: Actions keys → our check kinds; words → outcome (None: the action did not run).
ACTIONS: Mapping[str, CheckKind] = {
    "Liveness_Check": CheckKind.LIVENESS,
    "Selfie_To_ID_Card_Compare": CheckKind.FACE_MATCH,
    "Verify_Document": CheckKind.DOCUMENT,
    "Verify_ID_Number": CheckKind.REGISTRY,
}
ACTION_WORDS: Mapping[str, Decision | None] = {
    "Passed": Decision.APPROVED,
    "Verified": Decision.APPROVED,
    "Approved": Decision.APPROVED,
    "Failed": Decision.DECLINED,
    "Not Verified": Decision.DECLINED,
    "Rejected": Decision.DECLINED,
    "Under Review": Decision.REVIEW,
    "Not Applicable": None,
    "Not Done": None,
}


def iso_stamp(now: float) -> str:
    """``now`` (Unix seconds) as fjord writes a timestamp: ISO 8601 UTC, milliseconds, ``Z``."""
    return datetime.fromtimestamp(now, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def signature(api_key: str, timestamp: str, partner_id: str) -> str:
    mac = hmac.new(api_key.encode(), f"{timestamp}{partner_id}sid_request".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def signed(api_key: str, partner_id: str, body: Mapping[str, Any], timestamp: str) -> dict[str, Any]:
    """``body`` with ``partner_id``, ``timestamp`` (``iso_stamp``) and ``signature`` added."""
    return {
        **body,
        "partner_id": partner_id,
        "timestamp": timestamp,
        "signature": signature(api_key, timestamp, partner_id),
    }


def signature_ok(api_key: str, partner_id: str, body: Mapping[str, Any]) -> bool:
    stamp, given = body.get("timestamp"), body.get("signature")
    if not (isinstance(stamp, str) and isinstance(given, str) and stamp.isascii() and given.isascii()):
        return False  # ours are ASCII; other text cannot be encoded or compared (lone surrogates)
    return hmac.compare_digest(given, signature(api_key, stamp, partner_id))


def seconds_since(timestamp: Any, now: float) -> float | None:
    """``now`` minus an ISO 8601 timestamp, or None when it is not one. A timestamp
    without a zone is UTC, as webhooks read it (never the local time of our host)."""
    try:
        when = datetime.fromisoformat(str(timestamp))
        return now - (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def spoil_signature(request: httpx.Request) -> httpx.Request:
    """``request`` with the ``signature`` of its JSON body spoiled and all else as signed
    (what the conformance kit sends); a request without one is returned as it is."""
    try:
        body = json.loads(request.read())
        raw = bytearray(base64.b64decode(body["signature"], validate=True))
        raw[0] ^= 0xFF
    except (ValueError, TypeError, KeyError, IndexError):
        return request
    content = json.dumps({**body, "signature": base64.b64encode(bytes(raw)).decode()}).encode()
    headers = httpx.Headers(request.headers)
    headers["Content-Length"] = str(len(content))
    made = httpx.Request(request.method, request.url, headers=headers, content=content)
    made.extensions = dict(request.extensions)
    return made


def truth(value: Any) -> bool | None:
    """Fjord's booleans arrive as JSON booleans or as "true"/"false"; anything else: None."""
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(value) if isinstance(value, str) else None


def job_zip(images: list[tuple[int, str, bytes]], id_info: Mapping[str, Any]) -> bytes:
    """A job package: the image files plus ``info.json`` listing each ``image_type_id``."""
    info = {
        "package_information": {"apiVersion": {"buildNumber": 0, "majorVersion": 2, "minorVersion": 0}},
        "id_info": dict(id_info),
        "images": [{"image_type_id": kind, "file_name": name} for kind, name, _ in images],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("info.json", json.dumps(info))
        for _, name, content in images:
            package.writestr(name, content)
    return buffer.getvalue()


def read_job_zip(data: bytes, max_bytes: int = 20_000_000) -> dict[str, Any] | None:
    """``info.json`` of a job package if every image it lists is present; else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if sum(i.file_size for i in package.infolist()) > max_bytes:
                return None
            info = json.loads(package.read("info.json"))
            names = set(package.namelist())
        images = info["images"] if isinstance(info, dict) else None
        if not images or any(
            i["image_type_id"] not in IMAGE_TYPES or i["file_name"] not in names for i in images
        ):
            return None
        return dict(info)
    except (zipfile.BadZipFile, KeyError, TypeError, ValueError):
        return None


def job_ids(reference: str | None, job_type: int) -> dict[str, Any]:
    """``partner_params`` derived from our reference, so a repeated flow names the same job."""
    digest = hashlib.sha256(f"fjord\x00{reference}".encode()).hexdigest()
    return {"job_id": f"job-{digest[:24]}", "user_id": f"usr-{digest[24:48]}", "job_type": job_type}


def id_info(subject: Subject) -> dict[str, Any]:
    s = subject
    info = {
        "country": "IR",
        "id_type": "NATIONAL_ID",
        "id_number": s.national_code,
        "first_name": s.first_name,
        "last_name": s.last_name,
        "dob": s.birth_date,
    }
    return {k: v for k, v in info.items() if v}


def job_package(evidence: Evidence, subject: Subject) -> bytes:
    """The job ZIP of a verification's images (those present) and the person's ``id_info``."""
    ev = evidence
    images = (
        (SELFIE_FILE, "selfie.jpg", ev.selfie),
        (ID_FRONT_FILE, "id_front.jpg", ev.document_front),
        (ID_BACK_FILE, "id_back.jpg", ev.document_back),
    )
    return job_zip([(kind, name, data) for kind, name, data in images if data], id_info(subject))


def action_checks(actions: Any, provider: str) -> tuple[Check, ...]:
    """Our checks from a result's ``Actions`` (an action that did not run gives none)."""
    checks = []
    for key, kind in ACTIONS.items():
        word = actions.get(key) if isinstance(actions, dict) else None
        if word is None:
            continue
        if not isinstance(word, str) or word not in ACTION_WORDS:
            raise ProviderProtocolError(f"{provider}: unknown Actions word for {key}", provider=provider)
        outcome = ACTION_WORDS[word]
        if outcome is not None:
            reasons = (key.lower(),) if outcome is not Decision.APPROVED else ()
            checks.append(Check(kind, outcome, provider, reasons=reasons))
    return tuple(checks)


def callback_event(
    provider: str, api_key: str, partner_id: str, body: bytes, *, now: float, tolerance: float
) -> WebhookEvent:
    """A callback as a hint, after its signature and timestamp's age are verified.

    That signature covers the timestamp and our partner id, not the body: anyone who saw
    one signed callback could send, within the window, another ``ResultCode`` for any
    job. So the event has no decision and no status; it names a job
    (``payload["job_id"]``, ``payload["user_id"]``) whose result must be read from fjord.
    ``event_id`` is the body's digest."""
    payload = _webhooks.read_json(body, provider)
    if not isinstance(payload, dict) or not signature_ok(api_key, partner_id, payload):
        raise WebhookRejected(f"{provider}: bad or missing signature in the callback")
    sent_at = _webhooks.signed_time(payload.get("timestamp"))
    if sent_at is None or abs(now - sent_at) > tolerance:
        raise WebhookRejected(f"{provider}: callback timestamp outside the tolerance")
    params, final = payload.get("PartnerParams"), truth(payload.get("IsFinalResult"))
    ids = {k: params.get(k) for k in ("job_id", "user_id")} if isinstance(params, dict) else {}
    if not all(isinstance(ids.get(k), str) and ids[k] for k in ("job_id", "user_id")) or final is None:
        raise WebhookRejected(f"{provider}: callback is not a fjord result")
    job = payload.get("SmileJobID")
    return WebhookEvent(
        provider,
        "job_result" if final else "job_result_provisional",
        job if isinstance(job, str) and job else None,
        event_id=_webhooks.digest(body),
        payload=ids,
        hint=True,
        keep_until=_webhooks.keep_until(provider, sent_at, now, window=tolerance, ahead=tolerance),
    )
