"""The claims campaign (issue #15): hostile values in trusted (validly signed) tokens, in
JWKS and keys, and in the ``attest``/``sana`` command lines give typed errors only.

A signed token is trusted for its signature, not its content: every claim value that
JSON can carry goes through ``verify``, the assurance rules and the store (SQLite, and
PostgreSQL when ``KYC_SDK_PG_URL`` is set), and must come out as a result or a
``KycError``. CI runs the seeded sample; ``--hostile-long`` runs 5000 examples each:

    KYC_SDK_PG_PORT=54334 scripts/with-postgres.sh python -m pytest -q -p no:cacheprovider \\
        tests/hostile/test_claims.py --hostile-long
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kyc_sdk.attestation import ISSUER, KeyRing, build_claims, generate, load_jwks, sign_claims, verify
from kyc_sdk.attestation.keys import from_jwk
from kyc_sdk.cli import main
from kyc_sdk.errors import KycError
from kyc_sdk.sana import Issuer, open_store
from tests.attestation.factory import NOW, SUBJECT_KEY, outcome

TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["", "\x00", "\ud800", "a" * 5000, "APPROVED", "substantial", "high", "urn:kyc-sdk:sana", ISSUER]
)
NUMBERS = (
    st.integers()
    | st.floats()
    | st.sampled_from([10**20, -(10**20), 2**63, 2**63 - 1, 1e308, 0, -1])
    | st.integers(int(NOW.timestamp()) - 1000, int(NOW.timestamp()) + 1000)
)
JSON = st.recursive(
    st.none() | st.booleans() | NUMBERS | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
CLAIMS = ["exp", "iat", "nbf", "sub", "jti", "iss", "aud", "typ", "kyc", "verified_claims"]


@pytest.fixture(scope="module")
def ring() -> KeyRing:
    r = KeyRing()
    r.add(generate())
    return r


def _claims() -> dict[str, Any]:
    return build_claims(
        outcome(), issuer=ISSUER, audience="urn:kyc-sdk:sana", now=NOW, ttl=600, subject_key=SUBJECT_KEY
    )


def _mutate(claims: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    """``claims`` with the member at ``path`` (into nested objects) set to ``value``."""
    node = claims
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value
    return claims


PATHS = st.sampled_from(
    [[c] for c in CLAIMS]
    + [
        ["kyc", "decision"],
        ["kyc", "checks"],
        ["verified_claims", "verification", "assurance_level"],
        ["verified_claims", "verification"],
        ["kyc", "checks", "0"],
    ]
)


def _stores(tmp_path) -> list:
    stores = [open_store(str(tmp_path / "sana.db"))]
    if os.environ.get("KYC_SDK_PG_URL"):
        from tests.sana.conftest import fresh_url

        stores.append(open_store(fresh_url("postgres", tmp_path)))
    return stores


def test_hostile_claims_in_trusted_tokens(ring, tmp_path, hostile_profile):
    stores = _stores(tmp_path)
    issuers = [Issuer(s, load_jwks(ring.jwks()), clock=lambda: NOW) for s in stores]
    outcomes = {"issued": 0, "typed": 0}

    @given(mutations=st.lists(st.tuples(PATHS, JSON), min_size=1, max_size=3))
    def check(mutations):
        claims = _claims()
        for path, value in mutations:
            claims = _mutate(claims, path, value)
        token = sign_claims(claims, ring.signer)
        for issuer in issuers:
            try:
                issuer.issue(token)
                outcomes["issued"] += 1
            except KycError:
                outcomes["typed"] += 1

    try:
        hostile_profile(check)()
    finally:
        for s in stores:
            s.close()
    assert outcomes["typed"] > 0


def test_hostile_jwks(hostile_profile):
    jwk = st.fixed_dictionaries(
        {"kty": st.sampled_from(["OKP", "EC", "RSA", "oct"]) | TEXT},
        optional={
            "crv": st.sampled_from(["Ed25519", "P-256", "X25519"]) | JSON,
            "x": TEXT | JSON,
            "y": TEXT | JSON,
            "d": TEXT,
            "kid": JSON,
            "alg": JSON,
        },
    )

    @given(doc=st.fixed_dictionaries({"keys": st.lists(jwk | JSON, max_size=4)}) | JSON)
    def check(doc):
        for attempt in (lambda: load_jwks(doc), lambda: load_jwks(json.dumps(doc)), lambda: from_jwk(doc)):
            with contextlib.suppress(KycError):
                attempt()

    hostile_profile(check)()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_hostile_token_shapes(ring, hostile_profile):
    jwks = load_jwks(ring.jwks())

    @given(header=JSON, payload=JSON, sig=st.binary(max_size=80), raw=st.text(max_size=60))
    def check(header, payload, sig, raw):
        for token in (
            f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}.{_b64(sig)}",
            raw,
            raw.encode("utf-8", "surrogatepass"),
        ):
            with contextlib.suppress(KycError):
                verify(token, jwks, now=NOW)

    hostile_profile(check)()


ARG = TEXT | st.sampled_from(
    [
        "1e20",
        "100000000000000000000",
        "nan",
        "-1",
        "2026-02-30T00:00:00",
        "@/dev/zero",
        "@/nonexistent",
        "@/etc",
        "9" * 400,
        "0499370899",
    ]
)


def test_hostile_cli_arguments(ring, tmp_path, hostile_profile):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(ring.jwks()))
    db = str(tmp_path / "cli.db")
    good = sign_claims(_claims(), ring.signer)
    files = {"bytes": tmp_path / "bytes"}

    paths = ARG.filter(lambda a: not a.startswith("postgres")) | st.sampled_from(
        ["/etc/passwd", "/dev/zero", "/", str(tmp_path), str(files["bytes"]) + ".missing"]
    )

    @given(
        now=ARG,
        token=ARG | st.just(good),
        audience=ARG,
        code=ARG,
        content=st.binary(max_size=200),
        path=paths,
    )
    def check(now, token, audience, code, content, path):
        files["bytes"].write_bytes(content)
        runs = [
            [
                "attest",
                "verify",
                token,
                "--jwks",
                str(jwks_file),
                "--now",
                now,
                "--audience",
                audience,
                "--json",
            ],
            ["attest", "verify", good, "--jwks", str(files["bytes"]), "--json"],
            ["attest", "verify", "@" + str(files["bytes"]), "--jwks", str(jwks_file), "--json"],
            ["sana", "issue", "--attestation", token, "--jwks", str(files["bytes"]), "--db", db, "--json"],
            ["sana", "show", code, "--db", db, "--json"],
            ["sana", "show", code, "--db", str(files["bytes"]), "--json"],
            ["sana", "revoke", code, "--db", db, "--json"],
            ["sana", "show", code, "--db", path, "--json"],
            ["sana", "audit", "verify", "--db", path, "--json"],
        ]
        for args in runs:
            if any("\x00" in a for a in args):
                continue  # an operating system cannot pass NUL in an argument
            res = CliRunner().invoke(main, args)
            assert res.exception is None or isinstance(res.exception, SystemExit), (
                args[:2],
                repr(res.exception),
            )
            if res.exit_code not in (0, 2):  # 2 is also click's usage error, which prints no JSON
                assert "error" in json.loads(res.stdout)

    hostile_profile(check)()
