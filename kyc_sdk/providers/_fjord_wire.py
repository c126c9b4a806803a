"""Wire details of the ``fjord`` style shared by its adapter and sandbox: the body
signature, the job ZIP, the stringly typed booleans and the result-code table.

Spec: docs/styles/fjord.md (modelled on Smile ID). A request body carries
``partner_id``, ``timestamp`` (ISO 8601) and ``signature = base64(HMAC-SHA256(api_key,
timestamp + partner_id + "sid_request"))``; answers and callbacks carry their own
``timestamp`` and ``signature`` made the same way, which the client verifies.
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

from kyc_sdk.models import CheckKind, Decision

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


def iso_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def signature(api_key: str, timestamp: str, partner_id: str) -> str:
    mac = hmac.new(api_key.encode(), f"{timestamp}{partner_id}sid_request".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def signed(
    api_key: str, partner_id: str, body: Mapping[str, Any], timestamp: str | None = None
) -> dict[str, Any]:
    """``body`` with ``partner_id``, ``timestamp`` and ``signature`` added."""
    stamp = timestamp or iso_now()
    return {
        **body,
        "partner_id": partner_id,
        "timestamp": stamp,
        "signature": signature(api_key, stamp, partner_id),
    }


def signature_ok(api_key: str, partner_id: str, body: Mapping[str, Any]) -> bool:
    stamp, given = body.get("timestamp"), body.get("signature")
    if not (isinstance(stamp, str) and isinstance(given, str) and stamp.isascii() and given.isascii()):
        return False  # ours are ASCII; other text cannot be encoded or compared (lone surrogates)
    return hmac.compare_digest(given, signature(api_key, stamp, partner_id))


def seconds_since(timestamp: Any, now: float) -> float | None:
    """``now`` minus an ISO 8601 timestamp, or None when it is not one."""
    try:
        return now - datetime.fromisoformat(str(timestamp)).timestamp()
    except ValueError:
        return None


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
        images = info["images"]
        if not images or any(
            i["image_type_id"] not in IMAGE_TYPES or i["file_name"] not in names for i in images
        ):
            return None
        return info  # type: ignore[no-any-return]
    except (zipfile.BadZipFile, KeyError, TypeError, ValueError):
        return None
