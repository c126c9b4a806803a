"""Stores for the SANA tests: every test runs on SQLite (a real file) and PostgreSQL.

PostgreSQL comes from ``KYC_SDK_PG_URL`` (``scripts/with-postgres.sh``, ``make test``,
``.ci/run``). Without it the PostgreSQL cases FAIL when ``CI`` is set and are skipped
with a visible reason otherwise. Each test gets its own PostgreSQL schema.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

from kyc_sdk.attestation import KeyRing, generate, load_jwks
from kyc_sdk.sana import Issuer, SqlStore, open_store
from tests.attestation.factory import NOW

STORES = ["sqlite", "postgres"]


def pg_base_url() -> str:
    url = os.environ.get("KYC_SDK_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("KYC_SDK_PG_URL is not set in CI: run the tests under scripts/with-postgres.sh")
        pytest.skip("PostgreSQL tests need KYC_SDK_PG_URL (run under scripts/with-postgres.sh)")
    return url


def fresh_url(kind: str, tmp_path) -> str:
    """A URL naming an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if kind == "sqlite":
        return str(tmp_path / "sana.db")
    import psycopg

    base = pg_base_url()
    schema = "t_" + secrets.token_hex(6)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{base}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=STORES)
def store_url(request, tmp_path) -> str:
    return fresh_url(request.param, tmp_path)


@pytest.fixture
def store(store_url) -> Iterator[SqlStore]:
    s = open_store(store_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def ring() -> KeyRing:
    r = KeyRing()
    r.add(generate())
    return r


@pytest.fixture
def issuer(store, ring) -> Issuer:
    return Issuer(store, load_jwks(ring.jwks()), clock=lambda: NOW)


def tamper(store: SqlStore, *statements: str) -> None:
    """Run raw SQL as an attacker with database rights would: append-only triggers off."""
    from kyc_sdk.sana.sqlite import SqliteStore

    with store._tx() as q:
        if isinstance(store, SqliteStore):
            q("DROP TRIGGER IF EXISTS audit_no_update", ())
            q("DROP TRIGGER IF EXISTS audit_no_delete", ())
        else:
            q("ALTER TABLE audit DISABLE TRIGGER USER", ())
        for stmt in statements:
            q(stmt, ())


@pytest.fixture(scope="module")
def pg_cluster():
    """A PostgreSQL server of the module's own, which its tests may restart."""
    from tests.sana.pg_cluster import Cluster

    cluster = Cluster()
    yield cluster
    cluster.remove()
