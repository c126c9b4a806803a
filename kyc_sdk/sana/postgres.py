"""The PostgreSQL store (by URL), for deployments with several backend replicas.

Each write is one READ COMMITTED transaction. A writer of codes locks the audit head row
(``SELECT ... FOR UPDATE``) first, before it reads the person's codes: READ COMMITTED
reads each statement afresh, so what it reads after the lock is what the previous writer
committed (reading before the lock handed out codes a concurrent re-issue had just
revoked), and one lock order means no deadlocks between writers. Deadlocks and
serialization failures that happen anyway (other clients of the database) are retried
whole, like a race on a random code. A connection that breaks (a server restart) is
replaced on the next transaction; a transaction that broke before COMMIT is run again on
the new one, since nothing of it was committed. Schema set-up runs under a
transaction-level advisory lock so replicas starting together do not race.
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
from kyc_sdk.sana.store import Query, Record, RetryTransaction, SqlStore

CONNECT_TIMEOUT_S = 5
_MIGRATION_LOCK = 0x53414E41  # "SANA"
_APPEND = (
    "WITH h AS (SELECT seq + 1 AS seq, hash AS prev FROM audit_head WHERE id = 1 FOR UPDATE),"
    " n AS (SELECT seq, prev, encode(sha256(convert_to("
    "prev || length(seq::text) || ':' || seq::text || ?::text, 'UTF8')), 'hex') AS hash FROM h),"
    " i AS (INSERT INTO audit SELECT n.seq, ?, ?, ?, ?, ?, n.prev, n.hash FROM n)"
    " UPDATE audit_head SET seq = n.seq, hash = n.hash FROM n WHERE audit_head.id = 1"
)
_CONSTRAINTS = {"jtis_pkey": "jti", "codes_pkey": "code", "one_active_code": "subject", "once_pkey": "once"}


class PostgresStore(SqlStore):
    head_lock = " FOR UPDATE"
    skip_locked = " FOR UPDATE SKIP LOCKED"
    schema_exists = "SELECT to_regclass('schema_version') IS NOT NULL"
    append_only_trigger = (
        (
            "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'audit is append-only'; END $$"
        ),
        (
            "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
            " FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        ),
    )

    def __init__(self, url: str, *, read_only: bool = False, create: bool = True) -> None:
        self._url, self.read_only = url, read_only
        self._conn: psycopg.Connection[Any] | None = None
        self._connection()
        try:
            self._open_schema(create=create)
        except BaseException:
            self.close()
            raise

    def _connection(self) -> psycopg.Connection[Any]:
        """The open connection, or a new one when the last broke (a server restart)."""
        if self._conn is not None and not self._conn.closed and not self._conn.broken:
            return self._conn
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        try:
            conn = psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
            if self.read_only:
                conn.execute("SET default_transaction_read_only = on")
        except psycopg.Error:
            raise StoreUnavailable("cannot connect to PostgreSQL") from None  # the URL may hold a password
        self._conn = conn
        return conn

    def _migrate(self, q: Query) -> None:
        q("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
        super()._migrate(q)

    @contextlib.contextmanager
    def _tx(self, write: bool = True) -> Iterator[Query]:
        conn = self._connection()

        def q(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
            cur.execute(sql.replace("?", "%s"), tuple(params))
            return cur.fetchall() if cur.description else []

        committing = False
        try:
            with conn.transaction(), conn.cursor() as cur:
                yield q
                committing = True  # the body is done; leaving the block COMMITs
        except (pgerr.OperationalError, pgerr.InterfaceError) as err:
            if (getattr(err, "sqlstate", None) or "").startswith("40"):  # deadlock, serialization failure
                raise RetryTransaction from err  # the server rolled it all back
            if not conn.broken and not conn.closed:
                raise StoreUnavailable("PostgreSQL refused the transaction") from err
            if committing:  # the COMMIT may or may not have landed: the caller must decide
                raise StoreUnavailable("the PostgreSQL connection broke while committing") from err
            raise RetryTransaction from err  # the server rolled it back; run it on a new connection

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
        if self._conn is not None:
            self._conn.close()
