"""``kyc-sdk attest keygen|jwks|sign|verify`` through click's runner."""

from __future__ import annotations

import json
import os
import stat

import pytest
from click.testing import CliRunner

from kyc_sdk.cli import main
from tests.attestation.factory import NOW, SUBJECT_KEY, result

ENV = {"KYC_SDK_SUBJECT_KEY": SUBJECT_KEY.hex()}


def cli(*args: str, env: dict | None = None):
    res = CliRunner().invoke(main, list(args), env=env or ENV)
    try:
        return res.exit_code, json.loads(res.stdout)
    except ValueError:
        return res.exit_code, res.output


@pytest.fixture
def setup(tmp_path):
    old, new = tmp_path / "old.pem", tmp_path / "new.jwk"
    assert cli("attest", "keygen", "--out", str(old), "--json")[0] == 0
    code, out = cli("attest", "keygen", "--alg", "ES256", "--format", "jwk", "--out", str(new), "--json")
    assert code == 0 and out["alg"] == "ES256"
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o600
    code, jwks = cli("attest", "jwks", str(old), str(new))
    assert code == 0 and len(jwks["keys"]) == 2 and all("d" not in k for k in jwks["keys"])
    (tmp_path / "jwks.json").write_text(json.dumps(jwks))
    outcome = {
        "national_code": "0499370899",
        "result": result().to_dict(),
        "liveness_score": 0.9,
        "evidence_sha256": {"selfie": "ab" * 32},
    }
    (tmp_path / "outcome.json").write_text(json.dumps(outcome))
    return tmp_path


def test_sign_then_verify(setup):
    now = str(int(NOW.timestamp()))
    code, out = cli(
        "attest",
        "sign",
        "--key",
        str(setup / "old.pem"),
        "--outcome",
        str(setup / "outcome.json"),
        "--now",
        now,
        "--json",
    )
    assert code == 0, out
    (setup / "t.jws").write_text(out["token"])
    for token in (out["token"], "@" + str(setup / "t.jws")):
        code, claims = cli(
            "attest", "verify", token, "--jwks", str(setup / "jwks.json"), "--now", now, "--json"
        )
        assert code == 0 and claims["kyc"]["evidence_sha256"] == {"selfie": "ab" * 32}
    code, err = cli(
        "attest", "verify", out["token"], "--jwks", str(setup / "jwks.json"), "--json"
    )  # real clock
    assert code == 10 and err["error"] == "token_expired"
    code, err = cli(
        "attest",
        "verify",
        out["token"],
        "--jwks",
        str(setup / "jwks.json"),
        "--now",
        now,
        "--audience",
        "urn:other",
        "--json",
    )
    assert code == 10 and err["error"] == "wrong_audience"
    code, err = cli("attest", "verify", "not-a-token", "--jwks", str(setup / "jwks.json"), "--json")
    assert code == 10 and err["error"] == "malformed_token"


def test_sign_refuses_bad_input_and_missing_subject_key(setup):
    (setup / "bad.json").write_text("[1, 2]")
    code, err = cli(
        "attest", "sign", "--key", str(setup / "old.pem"), "--outcome", str(setup / "bad.json"), "--json"
    )
    assert code == 2 and err["error"] == "input_error"
    code, err = cli(
        "attest",
        "sign",
        "--key",
        str(setup / "old.pem"),
        "--outcome",
        str(setup / "outcome.json"),
        "--json",
        env={"KYC_SDK_SUBJECT_KEY": ""},
    )
    assert code == 2 and "KYC_SDK_SUBJECT_KEY" in err["message"]
