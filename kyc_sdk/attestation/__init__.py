"""Signed attestations: an ``Outcome`` as a compact JWS (EdDSA by default, ES256 too),
verified against a JWKS. Spec: docs/architecture.md (Attestations and SANA codes). Uses ``joserfc``.
"""

from __future__ import annotations

from kyc_sdk.attestation.claims import (
    ASSURANCE_CHECKS,
    AUDIENCE,
    ISSUER,
    TYP,
    DisclosurePolicy,
    Outcome,
    build_claims,
    reviewed,
    subject_hash,
)
from kyc_sdk.attestation.errors import (
    AlgorithmNotAllowed,
    AttestationError,
    InvalidClaims,
    InvalidSignature,
    MalformedToken,
    TokenExpired,
    TokenNotYetValid,
    UnknownKey,
    UnsupportedCritical,
    WrongAudience,
    WrongIssuer,
)
from kyc_sdk.attestation.jws import sign, sign_claims, verify, verify_compact
from kyc_sdk.attestation.keys import KeyRing, generate, load, load_jwks, save
from kyc_sdk.attestation.signer import KeySigner, Signer

__all__ = [
    "ASSURANCE_CHECKS",
    "AUDIENCE",
    "ISSUER",
    "TYP",
    "AlgorithmNotAllowed",
    "AttestationError",
    "DisclosurePolicy",
    "InvalidClaims",
    "InvalidSignature",
    "KeyRing",
    "KeySigner",
    "MalformedToken",
    "Outcome",
    "Signer",
    "TokenExpired",
    "TokenNotYetValid",
    "UnknownKey",
    "UnsupportedCritical",
    "WrongAudience",
    "WrongIssuer",
    "build_claims",
    "generate",
    "load",
    "load_jwks",
    "reviewed",
    "save",
    "sign",
    "sign_claims",
    "subject_hash",
    "verify",
    "verify_compact",
]
