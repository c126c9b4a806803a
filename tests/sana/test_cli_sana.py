"""``kyc-sdk sana issue|show|revoke|audit verify`` through click's runner, on both stores."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kyc_sdk.attestation import ISSUER, build_claims, sign_claims
from kyc_sdk.cli import main
from tests.attestation.factory import SUBJECT_KEY, outcome
from tests.sana.conftest import tamper


def cli(*args: str):
    res = CliRunner().invoke(main, list(args))
    try:
        return res.exit_code, json.loads(res.stdout)
    except ValueError:
        return res.exit_code, res.output


def _fresh_token(ring) -> str:
    from datetime import UTC, datetime  # the CLI verifies against the real clock

    claims = build_claims(
        outcome(),
        issuer=ISSUER,
        audience="urn:kyc-sdk:sana",
        now=datetime.now(UTC),
        ttl=600,
        subject_key=SUBJECT_KEY,
    )
    return sign_claims(claims, ring.signer)


def test_issue_show_revoke_audit(store_url, ring, tmp_path):
    (tmp_path / "jwks.json").write_text(json.dumps(ring.jwks()))
    jwks, db = str(tmp_path / "jwks.json"), ["--db", store_url]
    code, first = cli("sana", "issue", "--attestation", _fresh_token(ring), "--jwks", jwks, *db, "--json")
    assert code == 0 and set(first) == {"sana_code", "subject", "issued_at", "new"} and first["new"]
    code, again = cli("sana", "issue", "--attestation", _fresh_token(ring), "--jwks", jwks, *db, "--json")
    assert code == 0 and again["sana_code"] == first["sana_code"] and not again["new"]
    code, shown = cli("sana", "show", first["sana_code"], *db, "--json")
    assert code == 0 and shown["status"] == "active"
    code, revoked = cli("sana", "revoke", first["sana_code"], *db, "--json")
    assert code == 0 and revoked["status"] == "revoked"
    code, err = cli("sana", "issue", "--attestation", _fresh_token(ring), "--jwks", jwks, *db, "--json")
    assert code == 11 and err["error"] == "subject_revoked"
    code, report = cli("sana", "audit", "verify", *db, "--json")
    assert code == 0 and report["valid"] and report["entries"] == 3
    from kyc_sdk.sana import open_store

    store = open_store(store_url)
    tamper(store, "UPDATE audit SET subject = 'someone' WHERE seq = 2")
    store.close()
    code, report = cli("sana", "audit", "verify", *db, "--json")
    assert code == 13 and not report["valid"] and report["first_bad"] == 2


def test_typed_errors(ring, tmp_path):
    (tmp_path / "jwks.json").write_text(json.dumps(ring.jwks()))
    jwks, db = str(tmp_path / "jwks.json"), ["--db", str(tmp_path / "s.db")]
    code, err = cli("sana", "issue", "--attestation", "garbage", "--jwks", jwks, *db, "--json")
    assert code == 10 and err["error"] == "malformed_token"
    code, err = cli("sana", "show", "1234567890", *db, "--json")
    assert code == 16 and err["error"] == "code_not_found"
    code, err = cli("sana", "show", "12345", *db, "--json")
    assert code == 2 and err["error"] == "invalid_identifier"
    code, err = cli("sana", "show", "1234567890", "--db", "postgresql://x@127.0.0.1:1/db", "--json")
    assert code == 11 and err["error"] == "store_unavailable" and err["retryable"]
