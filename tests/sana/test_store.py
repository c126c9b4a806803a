"""Database-level guarantees: constraints, append-only audit, tamper detection, schema
versioning, unreachable databases. Each runs on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest

from kyc_sdk.identifiers import sana_code
from kyc_sdk.sana import SCHEMA_VERSION, SchemaError, SqlStore, StoreUnavailable, open_store
from kyc_sdk.sana.sqlite import SqliteStore
from tests.attestation.factory import token
from tests.sana.conftest import tamper


def _integrity_error(store: SqlStore) -> type[Exception]:
    """The driver's own constraint violation: the database, not our code, refused."""
    if isinstance(store, SqliteStore):
        return sqlite3.IntegrityError
    import psycopg

    return psycopg.IntegrityError


def _populate(issuer, ring, n=5):
    for nc in ("0499370899", "0790419904", "0084575948", "0963695398", "0067749828")[:n]:
        issuer.issue(token(ring.signer, national_code=nc))


def test_constraints_live_in_the_database(store, issuer, ring):
    issuer.issue(token(ring.signer))
    with store._tx() as q:
        code, subject = q("SELECT code, subject FROM codes", ())[0]
        jti = q("SELECT jti FROM jtis", ())[0][0]
    for stmt, params in (
        (
            "INSERT INTO codes VALUES (?, ?, 'active', 'now', NULL)",
            (sana_code.generate(), subject),
        ),  # 2nd active
        ("INSERT INTO codes VALUES (?, ?, 'revoked', 'now', NULL)", (code, "someone-else")),  # same code
        ("INSERT INTO jtis VALUES (?, 0, 'now')", (jti,)),  # replay
        ("INSERT INTO codes VALUES (?, ?, 'active', 'now', NULL)", ("12345", "x")),  # not 10 digits
    ):
        with pytest.raises(_integrity_error(store), match=r"(?i)unique|check"), store._tx() as q:
            q(stmt, params)
    assert store.counts() == {"codes": 1, "jtis": 1, "audit": 1}


def test_audit_is_append_only(store, issuer, ring):
    _populate(issuer, ring, 2)
    for stmt in ("UPDATE audit SET event = 'x'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"), store._tx() as q:
            q(stmt, ())
    assert store.verify_audit().valid


@pytest.mark.parametrize(
    ("statements", "first_bad"),
    [
        (["UPDATE audit SET code = '1234567890' WHERE seq = 3"], 3),  # changed
        (["DELETE FROM audit WHERE seq = 2"], 2),  # removed from the middle
        (
            [
                "UPDATE audit SET seq = -1 WHERE seq = 2",
                "UPDATE audit SET seq = 2 WHERE seq = 3",
                "UPDATE audit SET seq = 3 WHERE seq = -1",
            ],
            2,
        ),  # two entries swapped
        (["DELETE FROM audit WHERE seq = 5"], 5),  # the newest removed
        (["UPDATE audit SET event = 'issued', at = '2020-01-01' WHERE seq = 1"], 1),
    ],
)
def test_verify_audit_finds_tampering(store, issuer, ring, statements, first_bad):
    _populate(issuer, ring)
    assert store.verify_audit().valid
    tamper(store, *statements)
    report = store.verify_audit()
    assert not report.valid and report.first_bad == first_bad and report.reason


def test_schema_versioning(store_url):
    s = open_store(store_url)
    assert s.schema_version() == SCHEMA_VERSION
    s.close()
    s = open_store(store_url)  # re-opening migrates nothing and keeps data
    with s._tx() as q:
        q("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION + 1,))
    s.close()
    with pytest.raises(SchemaError):
        open_store(store_url)


def test_unreachable_databases(tmp_path):
    (tmp_path / "not-a-db").write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(SchemaError) as not_a_db:  # the same call fails again: not retryable
        open_store(str(tmp_path / "not-a-db"))
    assert not not_a_db.value.retryable
    with pytest.raises(StoreUnavailable):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(StoreUnavailable):
        open_store("/nonexistent-dir/sub/sana.db")
    with pytest.raises(StoreUnavailable) as info:
        open_store("postgresql://user:s3cret@127.0.0.1:1/none")
    assert "s3cret" not in str(info.value) and info.value.retryable
