"""A trusted (validly signed) token with hostile numeric claims, and hostile JWKS and CLI
arguments, give typed errors (issue #15, item 9)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kyc_sdk.attestation import ISSUER, KeyRing, build_claims, generate, load_jwks, sign_claims, verify
from kyc_sdk.attestation.errors import InvalidClaims, MalformedToken
from kyc_sdk.cli import main
from tests.attestation.factory import NOW, SUBJECT_KEY, outcome


@pytest.fixture(scope="module")
def ring() -> KeyRing:
    r = KeyRing()
    r.add(generate())
    return r


def _signed(ring: KeyRing, **changes: object) -> str:
    claims = build_claims(
        outcome(), issuer=ISSUER, audience="urn:kyc-sdk:sana", now=NOW, ttl=600, subject_key=SUBJECT_KEY
    )
    claims.update(changes)
    return sign_claims(claims, ring.signer)


def _raw(ring: KeyRing, name: str, literal: str) -> str:
    """A token whose claim ``name`` is the JSON ``literal`` (NaN and Infinity are not JSON
    but Python's parser reads them, as some signers write them)."""
    claims = build_claims(
        outcome(), issuer=ISSUER, audience="urn:kyc-sdk:sana", now=NOW, ttl=600, subject_key=SUBJECT_KEY
    )
    claims[name] = "__X__"
    body = json.dumps(claims, separators=(",", ":")).replace('"__X__"', literal)
    from joserfc import jws

    from kyc_sdk.attestation.jws import _registry

    return jws.serialize_compact(
        {"alg": "EdDSA", "kid": ring.signer.kid}, body.encode(), ring.signer, registry=_registry("EdDSA")
    )


@pytest.mark.parametrize(
    ("name", "literal"),
    [
        ("nbf", "[1]"),
        ("nbf", "{}"),
        ("nbf", '"1700000000"'),
        ("nbf", "true"),
        ("exp", "NaN"),
        ("exp", "Infinity"),
        ("exp", "-Infinity"),
        ("exp", "1e20"),
        ("exp", "100000000000000000000"),
        ("iat", "1e308"),
        ("exp", "-1e20"),
        ("iat", "null"),
        ("exp", "1.5e400"),
        ("nbf", "NaN"),
    ],
)
def test_hostile_numeric_claims_are_invalid_claims(ring, name, literal):
    with pytest.raises(InvalidClaims):
        verify(_raw(ring, name, literal), load_jwks(ring.jwks()), now=NOW)


def test_fractional_times_still_verify(ring):
    t = NOW.timestamp()
    assert verify(_signed(ring, iat=t - 0.5, nbf=t - 0.25, exp=t + 60.5), load_jwks(ring.jwks()), now=NOW)[
        "sub"
    ]


def test_a_huge_exp_never_reaches_the_store(ring, tmp_path):
    from kyc_sdk.sana import Issuer, open_store

    store = open_store(str(tmp_path / "sana.db"))
    with pytest.raises(InvalidClaims):
        Issuer(store, load_jwks(ring.jwks()), clock=lambda: NOW).issue(_raw(ring, "exp", "1e20"))
    assert store.counts()["jtis"] == 0
    store.close()


@pytest.mark.parametrize(
    "jwks",
    [
        {"keys": [1]},
        {"keys": ["x"]},
        {"keys": [[]]},
        {"keys": [None]},
        {"keys": [{"kty": ["OKP"]}]},
        {"keys": [{"kty": "OKP", "crv": 5, "x": "AA"}]},
        {"keys": [{"kty": "EC", "crv": "P-256", "x": 1, "y": 2}]},
        {"keys": [{}] * 1000},
        {"keys": {}},
        [],
        "{",
        7,
    ],
)
def test_hostile_jwks_are_malformed(jwks):
    with pytest.raises(MalformedToken):
        load_jwks(jwks)


def test_a_jwks_of_a_non_object_key_is_malformed():
    with pytest.raises(MalformedToken):
        load_jwks({"keys": [1]})


def cli(*args: str) -> tuple[int, dict]:
    res = CliRunner().invoke(main, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, json.loads(res.stdout)


@pytest.mark.parametrize(
    "now",
    ["1e20", "100000000000000000000", "-5", "nan", "inf", "²", "9" * 5000, "2026-13-01T00:00:00", "\x00"],
)
def test_cli_bad_now_is_an_input_error(tmp_path, ring, now):
    (tmp_path / "jwks.json").write_text(json.dumps(ring.jwks()))
    code, out = cli(
        "attest", "verify", _signed(ring), "--jwks", str(tmp_path / "jwks.json"), "--now", now, "--json"
    )
    assert (code, out["error"]) == (2, "input_error")


def test_cli_hostile_files(tmp_path, ring):
    (tmp_path / "bad.json").write_text('{"keys":[1]}')
    (tmp_path / "jwks.json").write_text(json.dumps(ring.jwks()))
    (tmp_path / "nonutf8.tok").write_bytes(b"\xff\xfe" + _signed(ring).encode())
    (tmp_path / "latin1.json").write_bytes(b'{"keys": ["\xe9"]}')
    token = _signed(ring)
    code, out = cli("attest", "verify", token, "--jwks", str(tmp_path / "bad.json"), "--json")
    assert (code, out["error"]) == (10, "malformed_token")
    code, out = cli(
        "attest",
        "verify",
        "@" + str(tmp_path / "nonutf8.tok"),
        "--jwks",
        str(tmp_path / "jwks.json"),
        "--json",
    )
    assert (code, out["error"]) == (2, "input_error")
    code, out = cli("attest", "verify", token, "--jwks", str(tmp_path / "latin1.json"), "--json")
    assert (code, out["error"]) == (2, "input_error")
    code, out = cli("attest", "verify", "@/dev/zero", "--jwks", str(tmp_path / "jwks.json"), "--json")
    assert (code, out["error"]) == (2, "input_error")  # bounded read, not the whole of /dev/zero
    code, out = cli("attest", "verify", token, "--jwks", "/dev/zero", "--json")
    assert (code, out["error"]) == (2, "input_error")


def test_cli_hostile_key_files_and_ttl(tmp_path, monkeypatch):
    monkeypatch.setenv("KYC_SDK_SUBJECT_KEY", "00" * 32)
    (tmp_path / "outcome.json").write_text("{}")
    (tmp_path / "k.jwk").write_bytes(b'{"kty": "\xe9"}')
    for key in (str(tmp_path / "k.jwk"), "/dev/zero"):
        code, out = cli("attest", "sign", "--key", key, "--outcome", str(tmp_path / "outcome.json"), "--json")
        assert (code, out["error"]) == (10, "malformed_token")
    res = CliRunner().invoke(
        main, ["attest", "sign", "--key", "/dev/zero", "--outcome", "/dev/null", "--ttl", "10" * 30, "--json"]
    )
    assert res.exit_code == 2 and not isinstance(
        res.exception, (ValueError, OverflowError)
    )  # click's usage error


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("verified_claims", "verification", "assurance_level"), []),
        (("kyc", "decision"), {}),
        (("sub",), "\x00"),
        (("sub",), "\ud800"),
        (("jti",), "a\nb"),
        (("jti",), "j" * 257),
    ],
)
def test_hostile_claims_the_campaign_found(ring, tmp_path, path, value):
    """Found by tests/hostile/test_claims.py: an unhashable assurance level crashed the
    rules; a NUL or lone surrogate in sub crashed the stores (PostgreSQL refuses NUL)."""
    from kyc_sdk.sana import Issuer, open_store

    claims = build_claims(
        outcome(), issuer=ISSUER, audience="urn:kyc-sdk:sana", now=NOW, ttl=600, subject_key=SUBJECT_KEY
    )
    node = claims
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    store = open_store(str(tmp_path / "sana.db"))
    with pytest.raises(InvalidClaims):
        Issuer(store, load_jwks(ring.jwks()), clock=lambda: NOW).issue(sign_claims(claims, ring.signer))
    store.close()
