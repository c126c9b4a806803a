"""Signing keys: generate, save and load (PEM or JWK), and a JWKS for rotation.

Built on ``joserfc`` (RFC 7517 keys, RFC 7638 thumbprints). EdDSA over Ed25519 is the
default (RFC 8037: deterministic, small, fast); ES256 over P-256 is there for verifiers
that lack Ed25519. A key's ``kid`` is its RFC 7638 thumbprint, so it is stable across
saves. A ``KeyRing`` holds several keys (old ones stay published while tokens they signed
are alive) and one active signer. Spec: docs/architecture.md (Attestations and SANA codes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import ECKey, JWKRegistry, KeySet, OKPKey
from joserfc.jwk import Key as AnyJWK

from kyc_sdk.attestation.errors import AlgorithmNotAllowed, MalformedToken

Key = OKPKey | ECKey

#: The algorithms an attestation may be signed with, and the key each needs.
ALGORITHMS: dict[str, tuple[str, str]] = {"EdDSA": ("OKP", "Ed25519"), "ES256": ("EC", "P-256")}
DEFAULT_ALG = "EdDSA"


def _stamp(key: Key, alg: str) -> Key:
    """Give the key its thumbprint ``kid``, its ``alg`` and ``use=sig``."""
    params = {"kid": key.thumbprint(), "alg": alg, "use": "sig"}
    data = {**key.as_dict(private=key.is_private), **params}
    return JWKRegistry.import_key(data)  # type: ignore[return-value]


def alg_of(key: Key) -> str:
    """The JWS algorithm for ``key``, from its type and curve."""
    kind = (key.key_type, key.as_dict(private=False).get("crv"))
    for alg, need in ALGORITHMS.items():
        if need == kind:
            return alg
    raise AlgorithmNotAllowed("key type is not usable for attestations")


def generate(alg: str = DEFAULT_ALG) -> Key:
    """A new private key for ``alg`` (``EdDSA`` or ``ES256``)."""
    if alg == "EdDSA":
        return _stamp(OKPKey.generate_key("Ed25519"), alg)
    if alg == "ES256":
        return _stamp(ECKey.generate_key("P-256"), alg)
    raise AlgorithmNotAllowed("only EdDSA and ES256 keys are generated")


def from_pem(data: bytes | str) -> Key:
    """A key from PEM (private PKCS#8 or public SubjectPublicKeyInfo)."""
    raw = data.encode() if isinstance(data, str) else data
    for cls in (OKPKey, ECKey):
        try:
            key = cls.import_key(raw)
        except (JoseError, ValueError, TypeError):
            continue
        return _stamp(key, alg_of(key))
    raise MalformedToken("not an Ed25519 or P-256 PEM key")


_STRING_MEMBERS = ("kty", "crv", "x", "y", "d", "kid", "alg", "use")


def from_jwk(data: dict[str, Any] | str) -> Key:
    """A key from a JWK (a dict or its JSON text)."""
    try:
        obj = json.loads(data) if isinstance(data, str) else data
        if not isinstance(obj, dict) or not all(isinstance(obj[k], str) for k in _STRING_MEMBERS if k in obj):
            raise MalformedToken("a JWK is an object whose key members are strings")
        key = JWKRegistry.import_key(obj)
        return _stamp(key, alg_of(key))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError, AttributeError, IndexError) as err:
        raise MalformedToken("not a usable JWK") from err


def to_pem(key: Key, *, private: bool = True) -> bytes:
    return key.as_pem(private=private and key.is_private)


def to_jwk(key: Key, *, private: bool = False) -> dict[str, Any]:
    return key.as_dict(private=private and key.is_private)


_MAX_KEY_FILE = 64 * 1024


def load(path: str | Path) -> Key:
    """A key from a file: JSON means JWK, anything else PEM."""
    try:
        with open(path, "rb") as f:
            data = f.read(_MAX_KEY_FILE + 1)
        if len(data) > _MAX_KEY_FILE:
            raise MalformedToken("a key file is a few hundred bytes, not this")
        return from_jwk(data.decode()) if data.lstrip().startswith(b"{") else from_pem(data)
    except (OSError, UnicodeDecodeError) as err:
        raise MalformedToken("cannot read a key from the given file") from err


def save(key: Key, path: str | Path, *, fmt: str = "pem", private: bool = True) -> None:
    """Write ``key`` as PEM or JWK; private keys get mode 0600."""
    body = to_pem(key, private=private) if fmt == "pem" else json.dumps(to_jwk(key, private=private)).encode()
    target = Path(path)
    target.write_bytes(body)
    if private and key.is_private:
        target.chmod(0o600)


@dataclass
class KeyRing:
    """Several keys, one active signer; ``jwks()`` publishes every public half."""

    keys: list[Key] = field(default_factory=list)
    active_kid: str | None = None

    def add(self, key: Key, *, activate: bool = False) -> None:
        self.keys = [k for k in self.keys if k.kid != key.kid] + [key]
        if activate or self.active_kid is None:
            self.active_kid = key.kid

    def retire(self, kid: str) -> None:
        """Stop publishing ``kid`` (tokens it signed stop verifying)."""
        if kid == self.active_kid:
            raise ValueError("cannot retire the active key; activate another first")
        self.keys = [k for k in self.keys if k.kid != kid]

    @property
    def signer(self) -> Key:
        return next(k for k in self.keys if k.kid == self.active_kid)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [to_jwk(k) for k in self.keys]}


MAX_JWKS_KEYS = 64  # a rotation keeps a few; a JWKS of thousands is an attack on our time
_MAX_JWKS_FILE = MAX_JWKS_KEYS * 4096  # a public JWK is a few hundred bytes


def load_jwks(data: dict[str, Any] | str | Path) -> KeySet:
    """A public ``KeySet`` from a JWKS dict, its JSON text, or a file holding it."""
    try:
        if isinstance(data, Path) or (isinstance(data, str) and not data.lstrip().startswith("{")):
            with open(data, "rb") as f:
                raw = f.read(_MAX_JWKS_FILE + 1)
            if len(raw) > _MAX_JWKS_FILE:
                raise MalformedToken(f"a JWKS file holds at most {MAX_JWKS_KEYS} small keys, not this")
            data = raw.decode()
        obj = json.loads(data) if isinstance(data, str) else data
    except (OSError, ValueError) as err:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise MalformedToken("cannot read a JWKS from the given text or file") from err
    if not isinstance(obj, dict) or not isinstance(obj.get("keys"), list):
        raise MalformedToken("a JWKS is an object with a 'keys' list")
    if len(obj["keys"]) > MAX_JWKS_KEYS or not all(isinstance(jwk, dict) for jwk in obj["keys"]):
        raise MalformedToken(f"a JWKS holds at most {MAX_JWKS_KEYS} keys, each a JSON object")
    keys: list[AnyJWK] = [from_jwk({k: v for k, v in jwk.items() if k != "d"}) for jwk in obj["keys"]]
    return KeySet(keys)
