"""Reading delta's capability chain and its callbacks, and the images it takes (helpers
of ``kyc_sdk.providers.delta``).

Spec: docs/styles/delta.md and the normalised vocabulary table. A processed
workflow execution lists capabilities ``usability → imageChecks → extraction →
dataChecks``, ``usability → liveness`` and ``usability → similarity``; each entry has
``decision.type`` PASSED | REJECTED | WARNING | NOT_EXECUTED and ``decision.details.label``.

Our reading: REJECTED on ``usability`` → RETRY (the picture cannot be used: the person
may take it again); REJECTED elsewhere → DECLINED; WARNING → REVIEW; NOT_EXECUTED with
TECHNICAL_ERROR → the vendor could not decide (``ProviderUnavailable``); NOT_EXECUTED
with PRECONDITION_NOT_FULFILLED follows an earlier refusal of the picture (RETRY; a
DECLINED elsewhere still wins). The most cautious outcome wins (``Decision.worst``).

Callbacks carry no signature (the adapter believes them only from an allowlisted
address, which vouches for the whole body): a JSON one says only that an execution
changed, a legacy form-encoded one carries a verdict word.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import parse_qs

from kyc_sdk.errors import ImageRejected, ProviderProtocolError, ProviderUnavailable, WebhookRejected
from kyc_sdk.models import Check, CheckKind, Decision, Evidence
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers.base import WebhookEvent
from kyc_sdk.redact import redact

MAX_PART = 5 * 1024 * 1024
#: The image types delta takes, by their first bytes.
MIME = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
CHAINS: Mapping[CheckKind, tuple[str, ...]] = {
    CheckKind.DOCUMENT: ("usability", "imageChecks", "extraction", "dataChecks"),
    CheckKind.LIVENESS: ("liveness",),
    CheckKind.FACE_MATCH: ("similarity",),
}
#: A capability's decision type read plainly (``_outcome`` refines it by stage and label).
DECISION_TYPES: Mapping[str, Decision | None] = {
    "PASSED": Decision.APPROVED,
    "REJECTED": Decision.DECLINED,
    "WARNING": Decision.REVIEW,
    "NOT_EXECUTED": None,
}
QUIET_LABELS = frozenset({"OK", "PRECONDITION_NOT_FULFILLED"})
#: A workflow execution's status words; the expired ones are final (the person starts again).
EXECUTION: Mapping[str, Decision | None] = {
    **dict.fromkeys(("INITIATED", "ACQUIRED", "PROCESSED")),
    **dict.fromkeys(("SESSION_EXPIRED", "TOKEN_EXPIRED"), Decision.RETRY),
}
#: The execution statuses that end a verification (a callback with one is worth retrieving).
FINAL = frozenset({"PROCESSED", "SESSION_EXPIRED", "TOKEN_EXPIRED"})
#: Legacy ``verificationStatus`` words (form-encoded callbacks).
LEGACY = {
    "APPROVED_VERIFIED": Decision.APPROVED,
    "DENIED_FRAUD": Decision.DECLINED,
    "ERROR_NOT_READABLE_ID": Decision.RETRY,
    "NO_ID_UPLOADED": Decision.RETRY,
}


def _entries(capabilities: Mapping[str, Any], name: str, provider: str) -> list[tuple[str, str]]:
    """(decision type, label) of every entry of capability ``name``."""
    found = capabilities.get(name, [])
    if not isinstance(found, list):
        raise ProviderProtocolError(f"{provider}: capability {name!r} is not a list", provider=provider)
    pairs = []
    for entry in found:
        try:
            decision = entry["decision"]
            pairs.append((str(decision["type"]), str((decision.get("details") or {}).get("label", "OK"))))
        except (KeyError, TypeError, AttributeError):
            raise ProviderProtocolError(
                f"{provider}: capability {name!r} has no decision", provider=provider
            ) from None
    return pairs


def _outcome(name: str, kind: str, label: str, provider: str) -> Decision:
    if kind == "PASSED":
        return Decision.APPROVED
    if kind == "REJECTED":
        return Decision.RETRY if name == "usability" else Decision.DECLINED
    if kind == "WARNING":
        return Decision.REVIEW
    if kind == "NOT_EXECUTED":
        if label == "TECHNICAL_ERROR":
            raise ProviderUnavailable(
                f"{provider}: {name} not executed (technical error)",
                provider=provider,
                vendor_code="TECHNICAL_ERROR",
            )
        return Decision.RETRY  # a precondition failed: an earlier stage refused the picture
    raise ProviderProtocolError(f"{provider}: unknown decision type {kind!r}", provider=provider)


def read_chain(
    capabilities: Any, provider: str, expected: Collection[CheckKind] = ()
) -> tuple[Decision, tuple[Check, ...], tuple[str, ...], tuple[str, ...]]:
    """(decision, checks, reasons, raw codes) of a processed execution's capabilities.

    Every kind in ``expected`` must have its chain in the answer: a missing one could be
    the stage that refused, so its absence is a protocol error, never a pass."""
    if not isinstance(capabilities, dict):
        raise ProviderProtocolError(
            f"{provider}: processed execution without capabilities", provider=provider
        )
    missing = [kind for kind in expected if not any(capabilities.get(name) for name in CHAINS[kind])]
    if missing:
        raise ProviderProtocolError(
            f"{provider}: processed execution lacks {', '.join(sorted(missing))}", provider=provider
        )
    checks, reasons, codes = [], [], []
    for kind, chain in CHAINS.items():
        outcomes, mine = [], []
        for name in chain:
            for decision_type, label in _entries(capabilities, name, provider):
                codes.append(f"{name}:{decision_type}/{label}")
                outcomes.append(_outcome(name, decision_type, label, provider))
                if label not in QUIET_LABELS and label.lower() not in mine:
                    mine.append(label.lower())
        if any(capabilities.get(name) for name in chain):
            checks.append(Check(kind, Decision.worst(outcomes), provider, reasons=tuple(mine)))
            reasons += [r for r in mine if r not in reasons]
    if not checks:
        raise ProviderProtocolError(f"{provider}: processed execution lists no capability", provider=provider)
    return (
        Decision.worst(c.outcome for c in checks),
        tuple(checks),
        tuple(reasons),
        tuple(dict.fromkeys(codes)),
    )


def parse_legacy(body: bytes) -> dict[str, Any]:
    """A legacy form-encoded callback as a dict; ``rejectReason`` is JSON inside the form."""
    try:
        fields = {k: v[-1] for k, v in parse_qs(body.decode("utf-8"), strict_parsing=True).items()}
    except (UnicodeDecodeError, ValueError):
        raise ValueError("not a form-encoded body") from None
    if "rejectReason" in fields:
        try:
            fields["rejectReason"] = json.loads(fields["rejectReason"])
        except ValueError:
            raise ValueError("rejectReason is not JSON") from None
    return fields


def image_parts(evidence: Evidence) -> dict[str, bytes]:
    """The images to upload by delta's part name; what delta would refuse with a bare
    400 is refused here, before anything is created."""
    ev = evidence
    found = zip(("FRONT", "BACK", "FACE"), (ev.document_front, ev.document_back, ev.selfie), strict=True)
    parts = {part: image for part, image in found if image}
    if "FRONT" not in parts:
        raise ImageRejected("delta needs the document's front", reason="missing")
    for image in parts.values():
        if len(image) > MAX_PART:
            raise ImageRejected("image exceeds delta's 5 MB part limit", reason="too_large")
        if mime(image) is None:
            raise ImageRejected("delta takes JPEG or PNG only", reason="format")
    return parts


def mime(image: bytes) -> str | None:
    return next((kind for magic, kind in MIME.items() if image.startswith(magic)), None)


def expected_chains(selfie: bytes | None) -> frozenset[CheckKind]:
    """A selfie we sent makes delta run liveness and similarity: their chains must be there."""
    if selfie:
        return frozenset({CheckKind.DOCUMENT, CheckKind.LIVENESS, CheckKind.FACE_MATCH})
    return frozenset({CheckKind.DOCUMENT})


def read_callback(provider: str, headers: Mapping[str, str], body: bytes, now: float) -> WebhookEvent:
    """The event of a callback from an allowlisted address (JSON or legacy form), or
    ``WebhookRejected``. ``callbackSentAt`` (``callbackDate``) bounds a replay's age."""
    _webhooks.check_size(body, provider)
    if _webhooks.lowered(headers).get("content-type", "").startswith("application/x-www-form-urlencoded"):
        try:
            fields = parse_legacy(body)
        except (ValueError, RecursionError):
            raise WebhookRejected(f"{provider}: callback body is not a legacy delta callback") from None
        word, ident = fields.get("verificationStatus"), fields.get("transactionReference")
        if not isinstance(word, str) or word not in LEGACY or not ident:
            raise WebhookRejected(f"{provider}: legacy callback without a known verificationStatus")
        sent_at = fields.get("callbackDate")
        return _webhooks.body_event(
            provider, "legacy", str(ident), word, LEGACY[word], body, redact(fields), sent_at, now
        )
    payload = _webhooks.sized_json(body, provider)
    found = _object(payload)
    execution, account = _object(found.get("workflowExecution")), _object(found.get("account"))
    ident, word, account_id = execution.get("id"), execution.get("status"), account.get("id")
    if not (isinstance(ident, str) and isinstance(word, str) and isinstance(account_id, str)):
        raise WebhookRejected(f"{provider}: callback body is not a delta callback")
    if word not in EXECUTION:  # not a capability's or a legacy word
        raise WebhookRejected(f"{provider}: unknown execution status in callback")
    shown = {**redact(payload), "account_id": account_id}
    return _webhooks.body_event(
        provider,
        "workflowExecution",
        ident,
        word,
        EXECUTION[word],
        body,
        shown,
        found.get("callbackSentAt"),
        now,
    )


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
