"""Who signs: a ``Signer`` is anything that signs a JWS signing input with a key it names.

The attestor and the audit checkpoints only need ``kid``, ``alg``, the public JWK (for the
JWKS) and ``sign(signing_input) -> signature``, so the private key may live in a KMS or
an HSM that never hands it out; ``KeySigner`` is the local implementation over a key
loaded from a PEM or JWK file. ``compact`` builds the compact JWS around any signer
(RFC 7515 §7.1: ``BASE64URL(header) . BASE64URL(payload) . BASE64URL(signature)``); an
EdDSA signature is the 64-byte Ed25519 value and an ES256 one the 64-byte ``r || s``
(RFC 7518 §3.4), not DER, which is what a KMS adapter must return.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from kyc_sdk.attestation.errors import AlgorithmNotAllowed
from kyc_sdk.attestation.keys import ALGORITHMS, Key, alg_of, load, to_jwk


@runtime_checkable
class Signer(Protocol):
    @property
    def kid(self) -> str: ...

    @property
    def alg(self) -> str: ...

    def public_jwk(self) -> dict[str, Any]: ...

    def sign(self, signing_input: bytes) -> bytes: ...


class KeySigner:
    """A private key held in this process (loaded from a PEM or JWK file)."""

    def __init__(self, key: Key) -> None:
        if not key.is_private:
            raise AlgorithmNotAllowed("signing needs a private key")
        self.key, self._alg = key, alg_of(key)

    @classmethod
    def from_file(cls, path: str | Path) -> KeySigner:
        return cls(load(path))

    @property
    def kid(self) -> str:
        return str(self.key.kid)

    @property
    def alg(self) -> str:
        return self._alg

    def public_jwk(self) -> dict[str, Any]:
        return to_jwk(self.key)

    def sign(self, signing_input: bytes) -> bytes:
        from kyc_sdk.attestation.jws import _registry  # jws imports this module

        return _registry(self._alg).get_alg(self._alg).sign(signing_input, self.key)


def as_signer(key: Key | Signer) -> Signer:
    """A ``Signer`` for a private key, or the signer itself."""
    return key if isinstance(key, Signer) else KeySigner(key)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(header: dict[str, Any], payload: bytes, signer: Signer) -> str:
    """The compact JWS of ``payload``; ``header`` gets the signer's ``alg`` and ``kid``."""
    if signer.alg not in ALGORITHMS:
        raise AlgorithmNotAllowed("the signer's alg is not one attestations allow")
    head = {**header, "alg": signer.alg, "kid": signer.kid}
    signing_input = _b64(json.dumps(head, separators=(",", ":")).encode()) + "." + _b64(payload)
    return signing_input + "." + _b64(signer.sign(signing_input.encode()))
