"""The SQLite store (the default): one file, WAL, ``BEGIN IMMEDIATE`` for writers.

WAL lets readers run beside the one writer; ``BEGIN IMMEDIATE`` takes the write lock at
the start of a transaction so concurrent processes queue on ``busy_timeout`` instead of
failing on a lock upgrade. Writers first queue on an ``flock`` of a side file
(``<db>.lock``): the kernel wakes the next waiter as soon as the lock is free, where
SQLite's busy handler sleeps in growing steps (measured: 4 processes issued slower than
one without it). ``synchronous=NORMAL`` in WAL survives a killed process
(SIGKILL) though not a power cut mid-checkpoint; use PostgreSQL for that. Spec:
https://www.sqlite.org/wal.html and https://www.sqlite.org/lang_transaction.html
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from kyc_sdk.sana.errors import StoreUnavailable
from kyc_sdk.sana.store import Query, SqlStore

BUSY_TIMEOUT_S = 30.0


class SqliteStore(SqlStore):
    append_only_trigger = (
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'append-only'); END",
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'append-only'); END",
    )

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
            self._conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        except (sqlite3.Error, OSError) as err:
            raise StoreUnavailable("cannot open the SQLite database") from err
        with self._tx() as q:
            self._migrate(q)

    @contextlib.contextmanager
    def _tx(self) -> Iterator[Query]:
        cur = self._conn.cursor()

        def q(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
            return cur.execute(sql, tuple(params)).fetchall()

        fcntl.flock(self._lock, fcntl.LOCK_EX)  # released by the kernel if we are killed
        try:
            try:
                cur.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as err:
                raise StoreUnavailable("the SQLite database is busy or unreadable") from err
            try:
                yield q
                cur.execute("COMMIT")
            except sqlite3.OperationalError as err:  # locked past the timeout, disk I/O, ...
                self._conn.rollback()
                raise StoreUnavailable("the SQLite database failed during a transaction") from err
            except BaseException:
                self._conn.rollback()
                raise
        finally:
            fcntl.flock(self._lock, fcntl.LOCK_UN)

    def _violation(self, err: Exception) -> str | None:
        if not isinstance(err, sqlite3.IntegrityError):
            return None
        text = str(err)
        for needle, kind in (("jtis.jti", "jti"), ("codes.code", "code"), ("codes.subject", "subject"), ("audit.", "audit")):
            if needle in text:
                return kind
        return None

    def close(self) -> None:
        self._conn.close()
        os.close(self._lock)
