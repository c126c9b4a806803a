"""Why an attestation was refused: one ``AttestationError`` subclass per rule.

Spec: docs/architecture.md (Attestations and SANA codes). Messages name the rule, never a claim's value.
"""

from __future__ import annotations

from kyc_sdk.errors import AttestationError


class MalformedToken(AttestationError):
    """Not a compact JWS: wrong shape, bad base64url, JSON that is not an object, too big."""


class InvalidSignature(AttestationError):
    """The signature does not verify with the key the header names."""


class AlgorithmNotAllowed(AttestationError):
    """``alg`` is outside the allow-list (``none``, HS256 with a public key...) or does not
    fit the key's type."""


class UnknownKey(AttestationError):
    """The ``kid`` is missing or names no key in the JWKS."""


class UnsupportedCritical(AttestationError):
    """``crit`` lists a header parameter we do not understand (RFC 7515 §4.1.11)."""


class TokenExpired(AttestationError):
    """``exp`` is at or before ``now``."""


class TokenNotYetValid(AttestationError):
    """``nbf`` or ``iat`` is after ``now``."""


class WrongAudience(AttestationError):
    """``aud`` does not name the verifier."""


class WrongIssuer(AttestationError):
    """``iss`` is not the issuer the verifier trusts."""


class InvalidClaims(AttestationError):
    """A required claim is missing or has the wrong type, or ``typ`` is not ours."""


__all__ = [
    "AlgorithmNotAllowed",
    "AttestationError",
    "InvalidClaims",
    "InvalidSignature",
    "MalformedToken",
    "TokenExpired",
    "TokenNotYetValid",
    "UnknownKey",
    "UnsupportedCritical",
    "WrongAudience",
    "WrongIssuer",
]
