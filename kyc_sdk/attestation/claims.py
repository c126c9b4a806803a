"""What an attestation says: the ``Outcome`` the registration flow fills, and its claims.

The claims follow OpenID Connect for Identity Assurance 1.0 (``verified_claims`` with
``verification.trust_framework``, ``time``, ``evidence`` of type ``document`` with its
``document_details`` and ``check_details``), plus our own ``kyc`` claim: the decision,
each check with its provider, the attempts, the liveness and face scores and SHA-256
digests of the evidence images. Spec: docs/architecture.md (Attestations and SANA codes);
https://openid.net/specs/openid-connect-4-identity-assurance-1_0.html

``sub`` is never the national code: it is ``base64url(HMAC-SHA256(subject_key,
"nc:" + code))`` (or ``"pp:" + nationality + ":" + passport``). The subject key is a
secret shared by the attestor and the issuer, so the same person always gets the same
``sub`` (that is what makes issuance idempotent) while nobody without the key can test a
guessed national code against a token. Rotating the subject key changes every ``sub``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kyc_sdk.identifiers import national_code
from kyc_sdk.models import CheckKind, Decision, DocumentType, VerificationResult

TYP = "kyc-sdk-attestation/1"  # the claim naming our format and its version
HEADER_TYP = "kyc-attestation+jwt"
TRUST_FRAMEWORK = "ir_sana_kyc"
ISSUER = "urn:kyc-sdk:attestor"
AUDIENCE = "urn:kyc-sdk:sana"

#: The checks each assurance level demands (all must be APPROVED).
ASSURANCE_CHECKS: dict[str, frozenset[CheckKind]] = {
    "low": frozenset({CheckKind.DOCUMENT}),
    "substantial": frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS}),
    "high": frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS, CheckKind.REGISTRY}),
}

# OIDC4IDA check_method for each of our checks: document validity, remote physical and
# biometric verification, and data validation against an authoritative source.
_CHECK_METHOD = {
    CheckKind.DOCUMENT: "vpip",
    CheckKind.FACE_MATCH: "bvr",
    CheckKind.LIVENESS: "pvr",
    CheckKind.REGISTRY: "data",
    CheckKind.MOBILE_MATCH: "data",
}
_DOC_TYPE = {DocumentType.NATIONAL_CARD: "idcard", DocumentType.PASSPORT: "passport"}


@dataclass(frozen=True, slots=True)
class Outcome:
    """One finished verification, as the registration flow hands it to the signer.

    Give ``national_code``, or ``passport_number`` with ``nationality``. ``evidence``
    holds image bytes by name (only their SHA-256 leaves this object);
    ``evidence_sha256`` holds digests already computed elsewhere.
    """

    result: VerificationResult
    national_code: str | None = None
    passport_number: str | None = None
    nationality: str = "IRN"
    document_type: DocumentType = DocumentType.NATIONAL_CARD
    document_issuer: str = "National Organization for Civil Registration"
    liveness_score: float | None = None
    face_score: float | None = None
    face_distance: float | None = None
    evidence: Mapping[str, bytes] = field(default_factory=dict)
    evidence_sha256: Mapping[str, str] = field(default_factory=dict)
    assurance_level: str = "substantial"
    verified_at: datetime | None = None

    def identity(self) -> str:
        """The canonical identity string the ``sub`` hash is taken over."""
        if self.national_code:
            return "nc:" + national_code.validate(self.national_code)
        if self.passport_number:
            return f"pp:{self.nationality.upper()}:{self.passport_number.strip().upper()}"
        raise ValueError("an outcome needs a national code or a passport number")


def subject_hash(identity: str, subject_key: bytes) -> str:
    """``base64url(HMAC-SHA256(subject_key, identity))`` without padding."""
    if len(subject_key) < 16:
        raise ValueError("the subject key must be at least 16 bytes")
    mac = hmac.new(subject_key, identity.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _digests(outcome: Outcome) -> dict[str, str]:
    out = {name: hashlib.sha256(data).hexdigest() for name, data in outcome.evidence.items()}
    return {**out, **dict(outcome.evidence_sha256)}


def _evidence(outcome: Outcome, when: str) -> list[dict[str, Any]]:
    checks = [
        {"check_method": _CHECK_METHOD[c.kind], "organization": c.provider, "time": when}
        for c in outcome.result.checks
        if c.outcome is Decision.APPROVED
    ]
    country = outcome.nationality.upper() if outcome.document_type is DocumentType.PASSPORT else "IRN"
    details = {
        "type": _DOC_TYPE[outcome.document_type],
        "issuer": {"name": outcome.document_issuer, "country_code": country},
    }
    return [{"type": "document", "check_details": checks, "document_details": details}]


def _kyc(outcome: Outcome) -> dict[str, Any]:
    r = outcome.result
    checks = [
        {"kind": c.kind.value, "outcome": c.outcome.value, "provider": c.provider, "score": c.score}
        for c in r.checks
    ]
    scores = {
        "liveness": outcome.liveness_score,
        "face_match": outcome.face_score,
        "face_distance": outcome.face_distance,
    }
    return {
        "decision": r.decision.value,
        "providers": sorted({a.provider for a in r.attempts} | {r.provider}),
        "checks": checks,
        "attempts": [a.to_dict() for a in r.attempts],
        "scores": {k: v for k, v in scores.items() if v is not None},
        "evidence_sha256": _digests(outcome),
    }


def build_claims(
    outcome: Outcome,
    *,
    issuer: str,
    audience: str,
    now: datetime,
    ttl: int,
    subject_key: bytes,
    disclose_national_code: bool = False,
) -> dict[str, Any]:
    """The claims set for ``outcome`` (pure but for the random ``jti``)."""
    if outcome.assurance_level not in ASSURANCE_CHECKS:
        raise ValueError("unknown assurance level")
    when = _iso(outcome.verified_at or now)
    iat = int(now.timestamp())
    person = (
        {"national_code": national_code.validate(outcome.national_code)}
        if (disclose_national_code and outcome.national_code)
        else {}
    )
    verification = {
        "trust_framework": TRUST_FRAMEWORK,
        "assurance_level": outcome.assurance_level,
        "time": when,
        "evidence": _evidence(outcome, when),
    }
    return {
        "iss": issuer,
        "aud": audience,
        "sub": subject_hash(outcome.identity(), subject_key),
        "iat": iat,
        "nbf": iat,
        "exp": iat + ttl,
        "jti": secrets.token_urlsafe(16),
        "typ": TYP,
        "verified_claims": {"verification": verification, "claims": person},
        "kyc": _kyc(outcome),
    }
