"""The SQLite store (the default): one file, WAL, ``BEGIN IMMEDIATE`` for writers.

WAL lets readers run beside the one writer; ``BEGIN IMMEDIATE`` takes the write lock at
the start of a transaction so concurrent processes queue on ``busy_timeout`` instead of
failing on a lock upgrade. Writers first queue on an ``flock`` of a side file
(``<db>.lock``), polled with short sleeps so the wait is bounded by the same timeout as
SQLite's own (a writer stopped inside its transaction must not block the others for
ever), where SQLite's busy handler sleeps in growing steps (measured: 4 processes issued
slower than one without the side lock). ``synchronous=NORMAL`` in WAL survives a killed
process (SIGKILL) though not a power cut mid-checkpoint; use PostgreSQL for that.

A read-only store (``sana show``, ``sana audit verify``) opens the file read-only and
creates nothing: no database for a mistyped path, no ``.lock`` file.
Spec: https://www.sqlite.org/wal.html and https://www.sqlite.org/lang_transaction.html
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from kyc_sdk.sana.errors import SchemaError, StoreNotFound, StoreUnavailable
from kyc_sdk.sana.store import Query, SqlStore

BUSY_TIMEOUT_S = 30.0
_NOT_OURS = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}  # the same call fails again: not retryable


def _failure(err: sqlite3.Error, doing: str) -> Exception:
    if getattr(err, "sqlite_errorname", "") in _NOT_OURS:
        return SchemaError("the file is not a SQLite database, or is damaged")
    return StoreUnavailable(f"the SQLite database is busy or unreadable ({doing})")


class SqliteStore(SqlStore):
    append_only_trigger = (
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'append-only'); END",
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'append-only'); END",
    )
    schema_exists = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"

    def __init__(
        self, path: str, *, read_only: bool = False, create: bool = True, timeout: float | None = None
    ) -> None:
        self.path, self.read_only = path, read_only
        self.timeout = BUSY_TIMEOUT_S if timeout is None else timeout
        self._lock: int | None = None
        if "\x00" in path or ((read_only or not create) and not os.path.isfile(path)):
            raise StoreNotFound("no SANA database at the given path")
        try:
            if read_only:
                self._conn = sqlite3.connect(
                    f"file:{quote(path)}?mode=ro", uri=True, isolation_level=None, timeout=self.timeout
                )
                self._conn.execute("SELECT count(*) FROM sqlite_master").fetchall()  # reads the header
            else:
                # used by one thread at a time, not always the one that opened it (the service's pool)
                self._conn = sqlite3.connect(
                    path, isolation_level=None, timeout=self.timeout, check_same_thread=False
                )
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
                # only now, for a file that is a database we can write: ``<db>.lock`` beside it
                self._lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        except sqlite3.Error as err:
            with contextlib.suppress(AttributeError):
                self._conn.close()
            raise _failure(err, "open") from err
        except OSError as err:
            self._conn.close()
            raise StoreUnavailable("cannot open the SQLite database's lock file") from err
        try:
            self._open_schema(create=create)
        except BaseException:
            self.close()
            raise

    def _wait_for_lock(self, lock: int, deadline: float) -> None:
        """The side lock, or ``StoreUnavailable`` (retryable) once ``deadline`` passes."""
        pause = 0.0005
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released by the kernel if we die
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreUnavailable("the SQLite database is locked by another writer") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.005)  # short steps: the next writer starts soon after the lock frees

    @contextlib.contextmanager
    def _tx(self, write: bool = True) -> Iterator[Query]:
        """A transaction; a writing one holds the side lock and SQLite's write lock, a
        reading one neither (WAL readers see the last commit, whatever a writer does)."""
        cur = self._conn.cursor()
        lock = self._lock if write else None  # the side lock, taken by writers only
        write = lock is not None

        def q(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
            return cur.execute(sql, tuple(params)).fetchall()

        deadline = time.monotonic() + self.timeout
        if lock is not None:
            self._wait_for_lock(lock, deadline)
        try:
            try:
                # what is left of the timeout, so the whole wait stays within it
                left_ms = max(1, int((deadline - time.monotonic()) * 1000))
                cur.execute(f"PRAGMA busy_timeout = {left_ms}")
                cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as err:
                raise _failure(err, "begin") from err
            try:
                yield q
                cur.execute("COMMIT")
            except BaseException as err:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.rollback()
                if isinstance(err, sqlite3.OperationalError) or (  # locked past the timeout, disk I/O, ...
                    isinstance(err, sqlite3.DatabaseError)
                    and getattr(err, "sqlite_errorname", "") in _NOT_OURS
                ):
                    raise _failure(err, "transaction") from err
                raise
        finally:
            if lock is not None:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _violation(self, err: Exception) -> str | None:
        if not isinstance(err, sqlite3.IntegrityError):
            return None
        text = str(err)
        for needle, kind in (
            ("jtis.jti", "jti"),
            ("codes.code", "code"),
            ("codes.subject", "subject"),
            ("audit.", "audit"),
            ("once.namespace", "once"),
        ):
            if needle in text:
                return kind
        return None

    def close(self) -> None:
        self._conn.close()
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
