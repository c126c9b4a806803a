"""Keys: PEM and JWK round trips, stable kids, a JWKS with several keys, rotation."""

from __future__ import annotations

import json
import os
import stat

import pytest

from kyc_sdk.attestation import (
    AlgorithmNotAllowed,
    KeyRing,
    MalformedToken,
    UnknownKey,
    generate,
    load,
    load_jwks,
    save,
    verify,
)
from kyc_sdk.attestation.keys import from_jwk, from_pem, to_jwk, to_pem
from tests.attestation.factory import NOW, token


@pytest.mark.parametrize("alg", ["EdDSA", "ES256"])
@pytest.mark.parametrize("fmt", ["pem", "jwk"])
def test_save_and_load_round_trip(tmp_path, alg, fmt):
    key = generate(alg)
    path = tmp_path / f"k.{fmt}"
    save(key, path, fmt=fmt)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = load(path)
    assert again.kid == key.kid and again.is_private
    ring = KeyRing()
    ring.add(key)
    assert verify(token(again), load_jwks(ring.jwks()), now=NOW)  # the loaded key signs as the original
    save(key, tmp_path / "pub", fmt=fmt, private=False)
    public = load(tmp_path / "pub")
    assert public.kid == key.kid and not public.is_private


def test_public_exports_carry_no_private_part():
    key = generate()
    assert "d" not in to_jwk(key) and "d" in to_jwk(key, private=True)
    assert b"PRIVATE" not in to_pem(key, private=False)
    assert from_pem(to_pem(key, private=False)).kid == from_jwk(to_jwk(key)).kid == key.kid


def test_rotation_keeps_old_tokens_valid_until_retired():
    old, new = generate(), generate("ES256")
    ring = KeyRing()
    ring.add(old)
    old_token = token(ring.signer)
    ring.add(new, activate=True)
    assert ring.signer.kid == new.kid and len(ring.jwks()["keys"]) == 2
    jwks = load_jwks(json.dumps(ring.jwks()))
    assert verify(old_token, jwks, now=NOW) and verify(token(ring.signer), jwks, now=NOW)
    with pytest.raises(ValueError, match="cannot retire the active key"):
        ring.retire(new.kid)
    ring.retire(old.kid)
    with pytest.raises(UnknownKey):
        verify(old_token, load_jwks(ring.jwks()), now=NOW)


def test_jwks_private_parts_are_dropped_and_bad_sets_refused(tmp_path):
    key = generate()
    jwks = load_jwks({"keys": [to_jwk(key, private=True)]})
    assert not jwks.keys[0].is_private
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [to_jwk(key)]}))
    assert load_jwks(tmp_path / "jwks.json").keys[0].kid == key.kid
    for bad in ({"keys": "x"}, {"nokeys": []}, {"keys": [{"kty": "OKP", "crv": "Ed25519"}]}):
        with pytest.raises(MalformedToken):
            load_jwks(bad)
    big = tmp_path / "big.json"  # a valid JSON object, padded far past any real JWKS
    big.write_text(json.dumps({"keys": [to_jwk(key)], "pad": " " * 300_000}))
    with pytest.raises(MalformedToken, match="at most 64 small keys"):
        load_jwks(big)
    with pytest.raises(AlgorithmNotAllowed):  # a shared secret never belongs in a published JWKS
        load_jwks({"keys": [{"kty": "oct", "k": "A" * 43}]})
    with pytest.raises(MalformedToken):
        from_pem(b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
