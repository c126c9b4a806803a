"""``kyc-sdk demo --json``: two registrations, two SANA codes, attestations that verify
with the printed JWKS (as a third party would check them), stages timed."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from kyc_sdk.attestation import load_jwks, verify
from kyc_sdk.cli import main
from kyc_sdk.identifiers import sana_code

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out


def test_demo_json_two_codes_whose_attestations_verify() -> None:
    run = CliRunner().invoke(main, ["demo", "--json"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    regs = data["registrations"]
    assert [r["path"] for r in regs] == ["resident", "abroad"]
    jwks = load_jwks(data["jwks"])
    codes = set()
    for r in regs:
        assert (r["decision"], r["reasons"]) == ("APPROVED", [])  # a failure shows its reasons
        assert sana_code.is_valid(r["sana_code"])
        codes.add(r["sana_code"])
        claims = verify(r["attestation"]["token"], jwks, now=datetime.now(UTC))
        assert claims == r["attestation"]["claims"] and claims["kyc"]["decision"] == "APPROVED"
        assert [s["name"] for s in r["stages"]][-1] == "sana" and r["stages"][-1]["outcome"] == "issued"
        assert all(set(s) == {"name", "ms", "outcome"} and s["ms"] >= 0 for s in r["stages"])
    assert len(codes) == 2
    assert data["jwks"]["keys"] and all("d" not in key for key in data["jwks"]["keys"])  # public halves only


def test_demo_human_output_shows_codes_and_progress() -> None:
    run = CliRunner().invoke(main, ["demo"])
    assert run.exit_code == 0, run.output
    assert run.stdout.count("APPROVED  SANA code: ") == 2 and "assurance high" in run.stdout
    assert re.search(r"resident +liveness +\d+ ms +APPROVED", run.stderr)
    assert re.search(r"abroad +sana +\d+ ms +issued", run.stderr)


def test_demo_with_failures_ends_three_registrations_without_code() -> None:
    run = CliRunner().invoke(main, ["demo", "--with-failures", "--json"])
    assert run.exit_code == 0, run.output
    got = {
        r["case"]: (r["decision"], [x["code"] for x in r["reasons"]], r["sana_code"])
        for r in json.loads(run.stdout)["registrations"]
    }
    assert got["replayed_selfie"] == ("DECLINED", ["liveness_attack"], None)
    assert got["typed_code_differs"] == ("DECLINED", ["national_code_mismatch"], None)
    assert got["shahkar_mismatch"] == ("RETRY", ["mobile_not_owned"], None)
    assert got["approved"][0] == "APPROVED"
