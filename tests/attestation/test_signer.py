"""The ``Signer`` seam: an attestation signed by something that is not a local key object
(as a KMS or an HSM would sign) verifies against the JWKS like any other."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256

from kyc_sdk.attestation import InvalidSignature, generate, load_jwks, sign, verify
from kyc_sdk.attestation.errors import AlgorithmNotAllowed
from kyc_sdk.attestation.keys import from_pem, to_jwk
from kyc_sdk.attestation.signer import KeySigner, Signer, as_signer
from tests.attestation.factory import NOW, SUBJECT_KEY, outcome


class RemoteSigner:
    """Holds only a ``cryptography`` private key, as a KMS client holds a key handle:
    kyc-sdk never sees a joserfc key, only ``sign(signing_input)``; counts its calls."""

    def __init__(self, alg: str) -> None:
        self._alg = alg
        self._key: Any = (
            Ed25519PrivateKey.generate() if alg == "EdDSA" else ec.generate_private_key(ec.SECP256R1())
        )
        from cryptography.hazmat.primitives import serialization

        pem = self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self._public = from_pem(pem)
        self.calls = 0

    @property
    def kid(self) -> str:
        return str(self._public.kid)

    @property
    def alg(self) -> str:
        return self._alg

    def public_jwk(self) -> dict[str, Any]:
        return to_jwk(self._public)

    def sign(self, signing_input: bytes) -> bytes:
        self.calls += 1
        if self._alg == "EdDSA":
            return bytes(self._key.sign(signing_input))
        r, s = decode_dss_signature(self._key.sign(signing_input, ec.ECDSA(SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")  # JWS wants r || s, not DER


@pytest.mark.parametrize("alg", ["EdDSA", "ES256"])
def test_a_remote_signer_signs_attestations_that_verify_by_jwks(alg):
    remote = RemoteSigner(alg)
    assert isinstance(remote, Signer)
    token = sign(outcome(), remote, now=NOW, subject_key=SUBJECT_KEY)
    assert remote.calls == 1
    jwks = load_jwks({"keys": [remote.public_jwk()]})
    claims = verify(token, jwks, now=NOW)
    assert claims["kyc"]["decision"] == "APPROVED"
    impostor = RemoteSigner(alg)  # another key claiming the published kid
    impostor._public = remote._public
    forged = sign(outcome(), impostor, now=NOW, subject_key=SUBJECT_KEY)
    with pytest.raises(InvalidSignature):
        verify(forged, jwks, now=NOW)


def test_the_pem_file_signer_is_one_implementation(tmp_path):
    from kyc_sdk.attestation import save

    key = generate("ES256")
    save(key, tmp_path / "k.pem")
    signer = KeySigner.from_file(tmp_path / "k.pem")
    assert signer.kid == key.kid and signer.alg == "ES256" and "d" not in signer.public_jwk()
    token = sign(outcome(), signer, now=NOW, subject_key=SUBJECT_KEY)
    assert verify(token, load_jwks({"keys": [signer.public_jwk()]}), now=NOW)["sub"]
    assert as_signer(signer) is signer and isinstance(as_signer(key), KeySigner)
    public = load_jwks({"keys": [signer.public_jwk()]}).keys[0]
    with pytest.raises(AlgorithmNotAllowed):
        KeySigner(public)  # type: ignore[arg-type]
