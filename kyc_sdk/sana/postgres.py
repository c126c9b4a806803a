"""The PostgreSQL store (by URL), for deployments with several backend replicas.

Each write is one READ COMMITTED transaction. The audit head row is locked
(``SELECT ... FOR UPDATE``) only at the append, so issuers overlap on everything else;
a race on the one-active-code index or on a random code is retried whole. Schema set-up
runs under a transaction-level advisory lock so replicas starting together do not race.
Uses psycopg 3. Spec: https://www.postgresql.org/docs/current/explicit-locking.html
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from psycopg import errors as pgerr

from kyc_sdk.sana.audit import tail
from kyc_sdk.sana.errors import StoreUnavailable
from kyc_sdk.sana.store import Query, Record, SqlStore

CONNECT_TIMEOUT_S = 5
_MIGRATION_LOCK = 0x53414E41  # "SANA"
_APPEND = (
    "WITH h AS (SELECT seq + 1 AS seq, hash AS prev FROM audit_head WHERE id = 1 FOR UPDATE),"
    " n AS (SELECT seq, prev, encode(sha256(convert_to(prev || length(seq::text) || ':' || seq::text || ?::text,"
    " 'UTF8')), 'hex') AS hash FROM h),"
    " i AS (INSERT INTO audit SELECT n.seq, ?, ?, ?, ?, ?, n.prev, n.hash FROM n)"
    " UPDATE audit_head SET seq = n.seq, hash = n.hash FROM n WHERE audit_head.id = 1"
)
_CONSTRAINTS = {"jtis_pkey": "jti", "codes_pkey": "code", "one_active_code": "subject"}


class PostgresStore(SqlStore):
    head_lock = " FOR UPDATE"
    append_only_trigger = (
        ("CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS"
         " $$ BEGIN RAISE EXCEPTION 'audit is append-only'; END $$"),
        ("CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
         " FOR EACH ROW EXECUTE FUNCTION audit_append_only()"),
    )

    def __init__(self, url: str) -> None:
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error:
            raise StoreUnavailable("cannot connect to PostgreSQL") from None  # the URL may hold a password
        with self._tx() as q:
            q("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
            self._migrate(q)

    @contextlib.contextmanager
    def _tx(self) -> Iterator[Query]:
        def q(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
            cur.execute(sql.replace("?", "%s"), tuple(params))
            return cur.fetchall() if cur.description else []

        try:
            with self._conn.transaction(), self._conn.cursor() as cur:
                yield q
        except (pgerr.OperationalError, pgerr.InterfaceError) as err:
            raise StoreUnavailable("PostgreSQL connection failed") from err

    def _claim(self, q: Query, jti: str, exp: int, at: str, subject: str) -> list[Record]:
        """The jti insert and the read of the subject's codes in one round trip."""
        rows = q("WITH j AS (INSERT INTO jtis VALUES (?, ?, ?)) " + self._RECORDS, (jti, exp, at, subject))
        return [Record(*r) for r in rows]

    def _append(self, q: Query, at: str, event: str, subject: str, code: str, jti: str | None) -> None:
        """One statement: lock the head, hash in SQL, insert, move the head. The head lock
        is then held for this statement and the COMMIT only (not three round trips)."""
        q(_APPEND, (tail(at, event, subject, code, jti), at, event, subject, code, jti))

    def _violation(self, err: Exception) -> str | None:
        if not isinstance(err, pgerr.UniqueViolation):
            return None
        name = err.diag.constraint_name or ""
        return _CONSTRAINTS.get(name, "audit" if name.startswith("audit") else None)

    def close(self) -> None:
        self._conn.close()
