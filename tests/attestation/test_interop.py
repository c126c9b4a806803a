"""Interop both ways with jwcrypto (an independent JOSE library), and the RFC 7515,
7520 (cookbook) and 8037 vectors in ../shared/data/jws verified with ours."""

from __future__ import annotations

import json

import pytest
from joserfc.jwk import JWKRegistry
from jwcrypto import jwk as jc_jwk
from jwcrypto import jws as jc_jws

from kyc_sdk.attestation import (
    AlgorithmNotAllowed,
    AttestationError,
    InvalidSignature,
    KeyRing,
    UnsupportedCritical,
    build_claims,
    generate,
    load_jwks,
    verify,
    verify_compact,
)
from kyc_sdk.attestation.keys import from_jwk
from tests.attestation.factory import NOW, SUBJECT_KEY, outcome, token


@pytest.mark.parametrize("alg", ["EdDSA", "ES256"])
def test_jwcrypto_verifies_our_tokens(alg):
    key = generate(alg)
    ring = KeyRing()
    ring.add(generate())  # a second, older key in the published set
    ring.add(key, activate=True)
    t = token(ring.signer)
    theirs = jc_jwk.JWKSet.from_json(json.dumps(ring.jwks()))
    obj = jc_jws.JWS()
    obj.deserialize(t)
    obj.verify(theirs.get_key(key.kid), alg=alg)
    assert json.loads(obj.payload)["kyc"]["decision"] == "APPROVED"
    bad = t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB")
    obj = jc_jws.JWS()
    obj.deserialize(bad)
    with pytest.raises(jc_jws.InvalidJWSSignature):
        obj.verify(theirs.get_key(key.kid), alg=alg)


@pytest.mark.parametrize(("kty", "crv", "alg"), [("OKP", "Ed25519", "EdDSA"), ("EC", "P-256", "ES256")])
def test_we_verify_jwcrypto_tokens(kty, crv, alg):
    theirs = jc_jwk.JWK.generate(kty=kty, crv=crv)
    kid = theirs.thumbprint()
    claims = build_claims(
        outcome(),
        issuer="urn:kyc-sdk:attestor",
        audience="urn:kyc-sdk:sana",
        now=NOW,
        ttl=600,
        subject_key=SUBJECT_KEY,
    )
    signed = jc_jws.JWS(json.dumps(claims).encode())
    signed.add_signature(theirs, None, json.dumps({"alg": alg, "kid": kid}))
    compact = signed.serialize(compact=True)
    jwks = load_jwks({"keys": [json.loads(theirs.export_public())]})
    assert verify(compact, jwks, now=NOW)["sub"] == claims["sub"]
    with pytest.raises(InvalidSignature):
        verify(compact.replace(compact.split(".")[1][:8], compact.split(".")[1][:7] + "A", 1), jwks, now=NOW)


def _vectors(shared_data):
    return shared_data / "jws"


def test_rfc8037_ed25519(shared_data):
    data = json.loads((_vectors(shared_data) / "rfc8037_ed25519.json").read_text())
    public = from_jwk(data["A.2_public_jwk"])
    assert public.kid == data["A.3_rfc7638_thumbprint"]
    header, payload = verify_compact(data["A.4_compact"], public, algorithms={"EdDSA"})
    assert header == {"alg": "EdDSA"} and payload.decode() == data["A.4_payload_utf8"]
    private = from_jwk(data["A.1_private_jwk"])
    assert private.private_key.sign(data["A.4_compact"].rsplit(".", 1)[0].encode()) == __import__(
        "base64"
    ).urlsafe_b64decode(data["A.4_compact"].rsplit(".", 1)[1] + "==")
    neg_payload, neg_alg = data["negative_cases_derived_by_recomputed"]
    with pytest.raises(InvalidSignature):
        verify_compact(neg_payload["compact"], public, algorithms={"EdDSA"})
    with pytest.raises(AlgorithmNotAllowed):
        verify_compact(neg_alg["compact"], public)


@pytest.mark.parametrize("section", ["Appendix A.1", "Appendix A.2", "Appendix A.3", "Appendix A.4"])
def test_rfc7515_appendix_a(shared_data, section):
    examples = json.loads((_vectors(shared_data) / "rfc7515_appendix_A_E.json").read_text())["examples"]
    ex = next(e for e in examples if e["rfc7515_section"] == section)
    key = JWKRegistry.import_key(ex["jwk_public"])
    _, payload = verify_compact(ex["compact"], key, algorithms={ex["alg"]})
    assert payload.decode() == ex["payload_utf8"]
    if ex["alg"] not in ("EdDSA", "ES256"):  # the attestation allow-list refuses the rest
        with pytest.raises(AlgorithmNotAllowed):
            verify_compact(ex["compact"], key)
    h, p, s = ex["compact"].split(".")
    with pytest.raises(InvalidSignature):
        verify_compact(
            f"{h}.{p[:-2]}{'AA' if not p.endswith('AA') else 'BB'}.{s}", key, algorithms={ex["alg"]}
        )


def test_rfc7515_negative_cases(
    shared_data,
):
    examples = json.loads((_vectors(shared_data) / "rfc7515_appendix_A_E.json").read_text())["examples"]
    a5 = next(e for e in examples if e["rfc7515_section"] == "Appendix A.5")
    e = next(e for e in examples if e["rfc7515_section"].startswith("Appendix E"))
    key = generate()
    for ex in (a5, e):  # even when a caller lists "none", it is never accepted
        with pytest.raises(AlgorithmNotAllowed):
            verify_compact(ex["compact"], key, algorithms={"none", "EdDSA"})
    # the Appendix E header's crit, carried by a signed EdDSA token, is refused as crit
    header = json.loads(e["protected_header_utf8"])
    from tests.attestation.factory import raw_sign

    with pytest.raises(UnsupportedCritical):
        verify_compact(raw_sign({**header, "alg": "EdDSA"}, b"FAIL", key), key)


COOKBOOK = [
    "curve25519/jws.json",
    "jws/4_1.rsa_v15_signature.json",
    "jws/4_2.rsa-pss_signature.json",
    "jws/4_3.ecdsa_signature.json",
    "jws/4_4.hmac-sha2_integrity_protection.json",
]


@pytest.mark.parametrize("name", COOKBOOK)
def test_rfc7520_cookbook_compact(shared_data, name):
    data = json.loads((_vectors(shared_data) / "ietf-jose-cookbook" / name).read_text())
    key = JWKRegistry.import_key(data["input"]["key"])
    _, payload = verify_compact(data["output"]["compact"], key, algorithms={data["input"]["alg"]})
    assert payload.decode() == data["input"]["payload"]


def test_rfc7520_detached_and_b64_false_are_refused(shared_data):
    root = _vectors(shared_data) / "ietf-jose-cookbook"
    detached = json.loads((root / "jws/4_5.signature_with_detached_content.json").read_text())
    b64_false = json.loads((root / "rfc7797/hmac-sha2_b64_false.json").read_text())
    for data, err in ((detached, AttestationError), (b64_false, UnsupportedCritical)):
        key = JWKRegistry.import_key(data["input"]["key"])
        with pytest.raises(err):
            verify_compact(data["output"]["compact"], key, algorithms={"HS256"})


def test_verify_refuses_a_valid_rfc_token_that_is_not_ours(shared_data):
    data = json.loads((_vectors(shared_data) / "rfc8037_ed25519.json").read_text())
    with pytest.raises(AttestationError):
        verify(data["A.4_compact"], from_jwk(data["A.2_public_jwk"]), now=NOW)
