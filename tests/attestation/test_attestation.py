"""sign()/verify(): the claims we promise, and every rejection with its own error."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest

from kyc_sdk.attestation import (
    AlgorithmNotAllowed,
    InvalidClaims,
    InvalidSignature,
    KeyRing,
    MalformedToken,
    TokenExpired,
    TokenNotYetValid,
    UnknownKey,
    UnsupportedCritical,
    WrongAudience,
    WrongIssuer,
    generate,
    load_jwks,
    sign_claims,
    subject_hash,
    verify,
)
from kyc_sdk.attestation import jws as jws_mod
from kyc_sdk.errors import AttestationError
from tests.attestation.factory import NATIONAL_CODE, NOW, SUBJECT_KEY, b64, outcome, raw_sign, token


@pytest.fixture(scope="module")
def key():
    return generate()


@pytest.fixture(scope="module")
def jwks(key):
    ring = KeyRing()
    ring.add(key)
    return load_jwks(ring.jwks())


def _claims(token_: str) -> dict:
    return json.loads(jws_mod._b64(token_.split(".")[1]))


@pytest.mark.parametrize("alg", ["EdDSA", "ES256"])
def test_round_trip_both_algorithms(alg):
    k = generate(alg)
    ring = KeyRing()
    ring.add(k)
    t = token(k)
    header = json.loads(jws_mod._b64(t.split(".")[0]))
    assert header == {"alg": alg, "kid": k.kid, "typ": "kyc-attestation+jwt"}
    claims = verify(t, load_jwks(ring.jwks()), now=NOW)
    assert claims["kyc"]["decision"] == "APPROVED"


def test_claims_follow_identity_assurance_shape(key, jwks):
    c = verify(token(key), jwks, now=NOW)
    v = c["verified_claims"]["verification"]
    assert v["trust_framework"] == "ir_sana_kyc" and v["assurance_level"] == "substantial"
    ev = v["evidence"][0]
    assert ev["type"] == "document" and ev["document_details"]["type"] == "idcard"
    assert ev["document_details"]["issuer"]["country_code"] == "IRN"
    # the card photographed remotely (vri); face match and liveness by an automated system (bvr)
    assert {d["check_method"] for d in ev["check_details"]} == {"vri", "bvr"}
    records = [
        (e["type"], e["record"]["type"], e["check_details"][0]["check_method"]) for e in v["evidence"][1:]
    ]
    assert records == [
        ("electronic_record", "population_register", "data"),
        ("electronic_record", "ir_shahkar_mobile_register", "data"),
    ]
    assert c["kyc"]["providers"] == ["aurora", "hirkan"]
    assert c["kyc"]["attempts"][0] == {"provider": "hirkan", "ms": 40.0, "error": "provider_unavailable"}
    assert c["kyc"]["scores"] == {"liveness": 0.97, "face_match": 0.81, "face_distance": 0.42}
    assert c["kyc"]["evidence_sha256"]["selfie"] == hashlib.sha256(b"selfie-bytes").hexdigest()
    assert c["exp"] - c["iat"] == 600 and c["typ"] == "kyc-sdk-attestation/1" and len(c["jti"]) >= 16


def test_sub_is_keyed_hash_never_the_national_code(key):
    t = token(key)
    assert NATIONAL_CODE not in jws_mod._b64(t.split(".")[1]).decode()
    expected = b64(hmac.new(SUBJECT_KEY, b"nc:" + NATIONAL_CODE.encode(), hashlib.sha256).digest())
    assert _claims(t)["sub"] == expected == subject_hash("nc:" + NATIONAL_CODE, SUBJECT_KEY)
    assert subject_hash("nc:" + NATIONAL_CODE, b"another-subject-key-32-bytes....") != expected
    assert _claims(token(key))["sub"] == expected and _claims(token(key))["jti"] != _claims(t)["jti"]


def test_national_code_disclosed_only_on_request(key):
    c = _claims(token(key, disclose_national_code=True))
    assert c["verified_claims"]["claims"] == {"national_code": NATIONAL_CODE}


def test_passport_identity(key):
    c = _claims(token(key, national_code=None, passport="x1234567"))
    assert c["sub"] == subject_hash("pp:IRN:X1234567", SUBJECT_KEY)


def test_tampered_payload_is_bad_signature(key, jwks):
    h, p, s = token(key).split(".")
    claims = json.loads(jws_mod._b64(p))
    claims["kyc"]["decision"] = "APPROVED" if claims["kyc"]["decision"] != "APPROVED" else "REVIEW"
    with pytest.raises(InvalidSignature):
        verify(f"{h}.{b64(json.dumps(claims).encode())}.{s}", jwks, now=NOW)


def test_alg_none_refused(key, jwks):
    _, p, _ = token(key).split(".")
    with pytest.raises(AlgorithmNotAllowed):
        verify(b64(json.dumps({"alg": "none", "kid": key.kid}).encode()) + "." + p + ".", jwks, now=NOW)


def test_hs256_with_public_key_as_secret_refused(key, jwks):
    """The classic confusion: HMAC keyed with the published public key."""
    public = jws_mod._b64(key.as_dict(private=False)["x"])
    header = b64(json.dumps({"alg": "HS256", "kid": key.kid}).encode())
    signing_input = header + "." + token(key).split(".")[1]
    mac = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(AlgorithmNotAllowed):
        verify(signing_input + "." + b64(mac), jwks, now=NOW)


def test_alg_that_does_not_fit_the_key_refused(key, jwks):
    es = generate("ES256")
    h = json.loads(jws_mod._b64(token(es).split(".")[0]))
    forged = raw_sign({**h, "alg": "ES256", "kid": key.kid}, b"{}", key)  # ES256 claimed on an Ed25519 key
    with pytest.raises(AlgorithmNotAllowed):
        verify(forged, jwks, now=NOW)


def test_unknown_kid_and_missing_kid(key, jwks):
    with pytest.raises(UnknownKey):
        verify(token(generate()), jwks, now=NOW)
    with pytest.raises(UnknownKey):
        verify(raw_sign({"alg": "EdDSA"}, b"{}", key), jwks, now=NOW)


def test_unknown_crit_refused(key, jwks):
    payload = json.dumps(_claims(token(key))).encode()
    t = raw_sign({"alg": "EdDSA", "kid": key.kid, "crit": ["exp-x"], "exp-x": 1}, payload, key)
    with pytest.raises(UnsupportedCritical):
        verify(t, jwks, now=NOW)


def test_time_rules(key, jwks):
    t = token(key)
    verify(t, jwks, now=NOW + timedelta(seconds=599))
    with pytest.raises(TokenExpired):
        verify(t, jwks, now=NOW + timedelta(seconds=600))
    with pytest.raises(TokenNotYetValid):
        verify(t, jwks, now=NOW - timedelta(seconds=1))
    verify(t, jwks, now=NOW - timedelta(seconds=5), leeway=5)


def test_audience_and_issuer(key, jwks):
    with pytest.raises(WrongAudience):
        verify(token(key), jwks, now=NOW, audience="urn:someone-else")
    with pytest.raises(WrongIssuer):
        verify(token(key, issuer="urn:evil"), jwks, now=NOW)
    assert verify(token(key, audience="urn:x"), jwks, now=NOW, audience="urn:x")["aud"] == "urn:x"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "!!!.???.***",
        "e30.e30",
        b64(b"[1]") + ".e30.sig",
        b64(b"\xff\xfe") + ".e30.x",
        "eyJhbGciOiJFZERTQSJ9" + "A" * 40_000 + ".e30.sig",
    ],
)
def test_garbled_and_huge_tokens(garbage, jwks):
    with pytest.raises(MalformedToken):
        verify(garbage, jwks, now=NOW)


@pytest.mark.parametrize("payload", [b"[1, 2]", b'"text"', b"42", b"not json", b"null"])
def test_payload_not_a_json_object(payload, key, jwks):
    with pytest.raises(MalformedToken):
        verify(raw_sign({"alg": "EdDSA", "kid": key.kid}, payload, key), jwks, now=NOW)


def test_claims_with_wrong_types_or_typ(key, jwks):
    good = _claims(token(key))
    for bad in (
        {**good, "typ": "JWT"},
        {**good, "exp": "soon"},
        {**good, "exp": True},
        {k: v for k, v in good.items() if k != "sub"},
    ):
        with pytest.raises(InvalidClaims):
            verify(sign_claims(bad, key), jwks, now=NOW)


def test_every_rejection_is_an_attestation_error_with_exit_code(jwks):
    with pytest.raises(AttestationError) as info:
        verify("x.y", jwks, now=NOW)
    assert info.value.exit_code == 10 and info.value.to_dict()["error"] == "malformed_token"


def test_unknown_assurance_level_refused_at_signing(key):
    with pytest.raises(ValueError, match="unknown assurance level"):
        token(key, level="ultra")
    with pytest.raises(ValueError, match="needs a national code or a passport number"):
        outcome(national_code=None).identity()
