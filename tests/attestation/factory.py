"""Synthetic outcomes and tokens for the attestation and SANA tests (no real people)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kyc_sdk.attestation import Outcome, sign
from kyc_sdk.attestation.keys import Key
from kyc_sdk.models import Attempt, Check, CheckKind, Decision, VerificationResult

SUBJECT_KEY = b"synthetic-subject-key-for-tests!"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
NATIONAL_CODE = "0499370899"  # a checksum-valid specimen from docs/identifiers.md


def result(
    decision: Decision = Decision.APPROVED,
    kinds: frozenset[CheckKind] | None = None,
    failed: frozenset[CheckKind] = frozenset(),
) -> VerificationResult:
    kinds = frozenset(CheckKind) if kinds is None else kinds
    checks = tuple(
        Check(k, Decision.DECLINED if k in failed else Decision.APPROVED, "aurora", 0.93)
        for k in sorted(kinds)
    )
    attempts = (
        Attempt("hirkan", 40.0, error="provider_unavailable"),
        Attempt("aurora", 120.0, Decision.APPROVED),
    )
    return VerificationResult(
        decision=decision, provider="aurora", reference="ref-1", checks=checks, attempts=attempts
    )


def outcome(
    *,
    national_code: str | None = NATIONAL_CODE,
    passport: str | None = None,
    level: str = "substantial",
    res: VerificationResult | None = None,
) -> Outcome:
    return Outcome(
        result=res or result(),
        national_code=national_code,
        passport_number=passport,
        liveness_score=0.97,
        face_score=0.81,
        face_distance=0.42,
        evidence={"selfie": b"selfie-bytes", "document_front": b"front-bytes"},
        assurance_level=level,
    )


def token(key: Key, *, now: datetime = NOW, **kw: Any) -> str:
    out = outcome(**{k: kw.pop(k) for k in ("national_code", "passport", "level", "res") if k in kw})
    return sign(out, key, now=now, subject_key=SUBJECT_KEY, **kw)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_sign(header: dict[str, Any], payload: bytes, key: Key) -> str:
    """Sign arbitrary header and payload bytes with ``key``'s Ed25519 private key directly,
    to build tokens our own signer refuses to make (unknown ``crit``, non-object JSON)."""
    signing_input = b64(json.dumps(header).encode()) + "." + b64(payload)
    assert isinstance(key.private_key, Ed25519PrivateKey)
    signature = key.private_key.sign(signing_input.encode())
    return signing_input + "." + b64(signature)
