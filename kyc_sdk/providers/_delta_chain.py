"""Reading delta's capability chain and its legacy callbacks (helpers of
``kyc_sdk.providers.delta``).

Spec: docs/styles/delta.md and the normalised vocabulary table. A processed
workflow execution lists capabilities ``usability → imageChecks → extraction →
dataChecks``, ``usability → liveness`` and ``usability → similarity``; each entry has
``decision.type`` PASSED | REJECTED | WARNING | NOT_EXECUTED and ``decision.details.label``.

Our reading: REJECTED on ``usability`` → RETRY (the picture cannot be used: the person
may take it again); REJECTED elsewhere → DECLINED; WARNING → REVIEW; NOT_EXECUTED with
TECHNICAL_ERROR → the vendor could not decide (``ProviderUnavailable``); NOT_EXECUTED
with PRECONDITION_NOT_FULFILLED follows an earlier refusal of the picture (RETRY; a
DECLINED elsewhere still wins). The worst outcome wins: DECLINED, RETRY, REVIEW.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import parse_qs

from kyc_sdk.errors import ProviderProtocolError, ProviderUnavailable
from kyc_sdk.models import Check, CheckKind, Decision

CHAINS: Mapping[CheckKind, tuple[str, ...]] = {
    CheckKind.DOCUMENT: ("usability", "imageChecks", "extraction", "dataChecks"),
    CheckKind.LIVENESS: ("liveness",),
    CheckKind.FACE_MATCH: ("similarity",),
}
ORDER = (Decision.DECLINED, Decision.RETRY, Decision.REVIEW, Decision.APPROVED)
QUIET_LABELS = frozenset({"OK", "PRECONDITION_NOT_FULFILLED"})
#: Legacy ``verificationStatus`` words (form-encoded callbacks).
LEGACY = {
    "APPROVED_VERIFIED": Decision.APPROVED,
    "DENIED_FRAUD": Decision.DECLINED,
    "ERROR_NOT_READABLE_ID": Decision.RETRY,
    "NO_ID_UPLOADED": Decision.RETRY,
}


def worst(outcomes: list[Decision]) -> Decision:
    return min(outcomes, key=ORDER.index) if outcomes else Decision.APPROVED


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
            checks.append(Check(kind, worst(outcomes), provider, reasons=tuple(mine)))
            reasons += [r for r in mine if r not in reasons]
    if not checks:
        raise ProviderProtocolError(f"{provider}: processed execution lists no capability", provider=provider)
    return worst([c.outcome for c in checks]), tuple(checks), tuple(reasons), tuple(dict.fromkeys(codes))


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
