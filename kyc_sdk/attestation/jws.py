"""Sign an ``Outcome`` as a compact JWS and verify one, refusing with a typed error.

Built on ``joserfc`` (RFC 7515/7517/7518/8037). Before any cryptography we parse the
header ourselves so every refusal has its own ``AttestationError`` subclass: size, shape,
``alg`` allow-list (``none`` and HMAC are never accepted with a JWKS of public keys),
``alg`` against the key's type, ``kid``, ``crit``. Claims are then checked against an
explicit ``now``. Spec: docs/architecture.md (Attestations and SANA codes); RFC 7515 §5.2.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from joserfc import jws as _jws
from joserfc.errors import BadSignatureError, DecodeError, JoseError
from joserfc.jwk import Key as AnyJWK
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from kyc_sdk.attestation import claims as _claims
from kyc_sdk.attestation.errors import (
    AlgorithmNotAllowed,
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
from kyc_sdk.attestation.keys import ALGORITHMS, Key
from kyc_sdk.attestation.signer import Signer, as_signer, compact


def _quiet(alg: Any) -> Any:
    twin = copy.copy(alg)
    twin.security_warning = None
    return twin


class _Registry(JWSRegistry):
    """joserfc's registry, but RFC 9864 (2025) deprecates the polymorphic "EdDSA" name in
    favour of "Ed25519"; the issue, RFC 8037's vectors and deployed verifiers still use
    "EdDSA", so we keep it without a warning on every call."""

    # joserfc annotates this as a plain (instance) dict, so ClassVar would contradict it.
    algorithms = {  # noqa: RUF012
        name: _quiet(a) if name == "EdDSA" else a for name, a in JWSRegistry.algorithms.items()
    }


_REGISTRIES: dict[str, JWSRegistry] = {}


def _registry(alg: str) -> JWSRegistry:
    if alg not in _REGISTRIES:
        _REGISTRIES[alg] = _Registry(algorithms=[alg])
    return _REGISTRIES[alg]


MAX_TOKEN_BYTES = 32 * 1024  # ours are ~2 KiB; refuse before decoding anything bigger
ALLOWED = frozenset(ALGORITHMS)


def sign(
    outcome: _claims.Outcome,
    key: Key | Signer,
    *,
    now: datetime,
    subject_key: bytes,
    issuer: str = _claims.ISSUER,
    audience: str = _claims.AUDIENCE,
    ttl: int = 600,
    disclose_national_code: bool = False,
) -> str:
    """The compact JWS of ``outcome``'s claims, signed by ``key`` (EdDSA or ES256) or by
    any ``Signer`` (a KMS or HSM)."""
    payload = _claims.build_claims(
        outcome,
        issuer=issuer,
        audience=audience,
        now=now,
        ttl=ttl,
        subject_key=subject_key,
        disclose_national_code=disclose_national_code,
    )
    return sign_claims(payload, key)


def sign_claims(payload: dict[str, Any], key: Key | Signer, *, typ: str = _claims.HEADER_TYP) -> str:
    """Sign an arbitrary claims object (used by ``sign``, the audit checkpoints and by
    tests of bad claims)."""
    # ASCII escapes: the same JSON to every parser, and twice as fast as ensure_ascii=False
    body = json.dumps(payload, separators=(",", ":")).encode()
    return compact({"typ": typ}, body, as_signer(key))


def _b64(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as err:
        raise MalformedToken("a token part is not base64url") from err


def _header(token: str | bytes) -> dict[str, Any]:
    if len(token) > MAX_TOKEN_BYTES:
        raise MalformedToken("token is too large")
    text = token.decode("ascii", "replace") if isinstance(token, bytes) else token
    parts = text.split(".")
    if len(parts) != 3 or not parts[0]:
        raise MalformedToken("a compact JWS has three dot-separated parts")
    try:
        header = json.loads(_b64(parts[0]))
    except (ValueError, UnicodeDecodeError) as err:
        raise MalformedToken("the header is not JSON") from err
    if not isinstance(header, dict):
        raise MalformedToken("the header is not a JSON object")
    return header


def _check_crit(header: dict[str, Any], understood: Collection[str]) -> None:
    crit = header.get("crit")
    if crit is None:
        return
    if not isinstance(crit, list) or not crit or not all(isinstance(c, str) for c in crit):
        raise MalformedToken("crit must be a non-empty list of names")
    if any(c not in understood or c not in header for c in crit):
        raise UnsupportedCritical("crit names a header parameter we do not understand")


def _pick_key(header: dict[str, Any], keys: KeySet | Key) -> AnyJWK:
    # A caller's KeySet may hold any kind of key: the alg checks below refuse the wrong one.
    if not isinstance(keys, KeySet):
        return keys
    kid = header.get("kid")
    found = [k for k in keys.keys if isinstance(kid, str) and k.kid == kid]
    if not found:
        raise UnknownKey("the token's kid is not in the JWKS")
    return found[0]


def verify_compact(
    token: str | bytes,
    keys: KeySet | Key,
    *,
    algorithms: Collection[str] = ALLOWED,
    understood_crit: Collection[str] = (),
) -> tuple[dict[str, Any], bytes]:
    """Check a compact JWS's header rules and signature; its header and payload bytes."""
    header = _header(token)
    alg = header.get("alg")
    if not isinstance(alg, str) or alg == "none" or alg not in algorithms:
        raise AlgorithmNotAllowed("the token's alg is not allowed")
    _check_crit(header, understood_crit)
    key = _pick_key(header, keys)
    if alg in ALGORITHMS and ALGORITHMS[alg] != (key.key_type, key.as_dict(private=False).get("crv")):
        raise AlgorithmNotAllowed("the token's alg does not fit its key")
    try:
        obj = _jws.deserialize_compact(token, key, registry=_registry(alg))
    except BadSignatureError as err:
        raise InvalidSignature("signature does not verify") from err
    except DecodeError as err:
        raise MalformedToken("the token's payload or signature does not decode") from err
    except (JoseError, ValueError, TypeError) as err:  # e.g. HS256 with an EC key
        raise AlgorithmNotAllowed("the token cannot be verified with this key") from err
    return header, obj.payload


def _payload(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise MalformedToken("the payload is not JSON") from err
    if not isinstance(data, dict):
        raise MalformedToken("the payload is not a JSON object")
    return data


#: A NumericDate (RFC 7519 §2) we accept: from 1970 to the end of year 9999, what
#: ``datetime`` and a BIGINT column hold. NaN, infinities and 10^20 are refused here,
#: before they can overflow a conversion or the store.
MAX_NUMERIC_DATE = 253_402_300_799
MAX_ID_CLAIM = 256  # ours are 22 (jti) and 43 (sub) characters


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate, which JSON's \ud800 escape can carry
        return False
    return True


def _number(data: dict[str, Any], name: str, *, required: bool = True) -> int:
    value = data.get(name)
    if value is None and not required:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_NUMERIC_DATE:
        raise InvalidClaims(f"claim {name} is missing or not a time in range")
    return int(value)


def check_claims(
    data: dict[str, Any], *, now: datetime, audience: str, issuer: str | None, leeway: int = 0
) -> None:
    """Time, audience, issuer and format rules on a verified claims object."""
    if data.get("typ") != _claims.TYP:
        raise InvalidClaims("typ is not a kyc-sdk attestation of a known version")
    for name in ("sub", "jti", "iss"):
        if not isinstance(data.get(name), str) or not data[name]:
            raise InvalidClaims(f"claim {name} is missing")
    for name in ("sub", "jti"):  # both are stored: printable text a database column can hold
        if len(data[name]) > MAX_ID_CLAIM or not data[name].isprintable() or not _encodable(data[name]):
            raise InvalidClaims(f"claim {name} is not printable text of at most {MAX_ID_CLAIM} characters")
    exp, iat, nbf = _number(data, "exp"), _number(data, "iat"), _number(data, "nbf", required=False)
    t = now.timestamp()
    if exp <= t - leeway:
        raise TokenExpired("attestation has expired")
    if max(iat, nbf) > t + leeway:
        raise TokenNotYetValid("attestation is not valid yet")
    aud = data.get("aud")
    if audience not in (aud if isinstance(aud, list) else [aud]):
        raise WrongAudience("attestation is for another audience")
    if issuer is not None and data["iss"] != issuer:
        raise WrongIssuer("attestation comes from an issuer we do not trust")


def verify(
    token: str | bytes,
    jwks: KeySet | Key,
    *,
    now: datetime,
    audience: str = _claims.AUDIENCE,
    issuer: str | None = _claims.ISSUER,
    leeway: int = 0,
) -> dict[str, Any]:
    """The claims of a valid attestation, or an ``AttestationError`` subclass."""
    _, raw = verify_compact(token, jwks)
    data = _payload(raw)
    check_claims(data, now=now, audience=audience, issuer=issuer, leeway=leeway)
    return data
