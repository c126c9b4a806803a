"""One store interface for SANA codes, replayed ``jti``s and the audit log, in SQL.

``SqlStore`` holds every rule; ``SqliteStore`` (a file, the default) and ``PostgresStore``
(by URL) only say how to connect, begin a writing transaction and name a violated
constraint. Uniqueness is the database's job: ``codes.code`` is the primary key, a
partial unique index allows one active code per subject, ``jtis.jti`` is a primary key
(replay), and ``audit.prev`` is unique so the chain can never fork. A race lost on a
constraint is retried as a whole transaction, so a crash or a kill leaves either the
complete record (code + jti + audit entry + head) or nothing.
Spec: ../shared/DESIGN.md (SANA code issuance).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from kyc_sdk.sana.audit import GENESIS, AuditReport, Entry, check_chain, entry_hash
from kyc_sdk.sana.errors import (
    AttestationReplayed,
    CodeNotFound,
    SchemaError,
    StoreUnavailable,
    SubjectRevoked,
)

SCHEMA_VERSION = 1
MAX_RETRIES = 8

#: version -> statements; ``{trigger}`` is filled by the dialect (append-only audit).
MIGRATIONS: dict[int, list[str]] = {
    1: [
        ("CREATE TABLE codes (code TEXT PRIMARY KEY CHECK (length(code) = 10), subject TEXT NOT NULL,"
         " status TEXT NOT NULL CHECK (status IN ('active', 'revoked')), issued_at TEXT NOT NULL, revoked_at TEXT)"),
        "CREATE UNIQUE INDEX one_active_code ON codes (subject) WHERE status = 'active'",
        "CREATE INDEX codes_subject ON codes (subject)",
        "CREATE TABLE jtis (jti TEXT PRIMARY KEY, exp BIGINT NOT NULL, seen_at TEXT NOT NULL)",
        ("CREATE TABLE audit (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, event TEXT NOT NULL, subject TEXT NOT NULL,"
         " code TEXT NOT NULL, jti TEXT, prev TEXT NOT NULL UNIQUE, hash TEXT NOT NULL UNIQUE)"),
        "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL)",
        f"INSERT INTO audit_head VALUES (1, 0, '{GENESIS}')",
        "{trigger}",
    ],
}


@dataclass(frozen=True, slots=True)
class Record:
    """A SANA code as stored."""

    code: str
    subject: str
    status: str
    issued_at: str
    revoked_at: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"sana_code": self.code, "subject": self.subject, "status": self.status,
                "issued_at": self.issued_at, "revoked_at": self.revoked_at}


Query = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


class SqlStore:
    """The rules, over a dialect's connection (subclasses fill the hooks)."""

    head_lock = ""  # " FOR UPDATE" where rows must be locked explicitly
    append_only_trigger: ClassVar[tuple[str, ...]] = ()

    # -- dialect hooks -------------------------------------------------------------
    def _tx(self) -> contextlib.AbstractContextManager[Query]:  # pragma: no cover
        raise NotImplementedError

    def _violation(self, err: Exception) -> str | None:  # pragma: no cover
        """'jti' | 'code' | 'subject' | 'audit' for a unique violation, else None."""
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover
        raise NotImplementedError

    # -- schema --------------------------------------------------------------------
    def _migrate(self, q: Query) -> None:
        """Bring the schema to ``SCHEMA_VERSION`` inside the caller's locked transaction."""
        q("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)", ())
        rows = q("SELECT max(version) FROM schema_version", ())
        current = rows[0][0] or 0
        if current > SCHEMA_VERSION:
            raise SchemaError("the database schema is newer than this kyc-sdk")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for stmt in MIGRATIONS[version]:
                for part in (self.append_only_trigger if stmt == "{trigger}" else [stmt]):
                    q(part, ())
            q("INSERT INTO schema_version VALUES (?)", (version,))

    def schema_version(self) -> int:
        with self._tx() as q:
            return int(q("SELECT max(version) FROM schema_version", ())[0][0])

    # -- audit ---------------------------------------------------------------------
    def _append(self, q: Query, at: str, event: str, subject: str, code: str, jti: str | None) -> None:
        seq, prev = q("SELECT seq, hash FROM audit_head WHERE id = 1" + self.head_lock, ())[0]
        seq += 1
        digest = entry_hash(prev, seq, at, event, subject, code, jti)
        q("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (seq, at, event, subject, code, jti, prev, digest))
        q("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, digest))

    def verify_audit(self) -> AuditReport:
        with self._tx() as q:
            rows = q("SELECT seq, at, event, subject, code, jti, prev, hash FROM audit ORDER BY seq", ())
            head = q("SELECT seq, hash FROM audit_head WHERE id = 1", ())[0]
        return check_chain((Entry(*r) for r in rows), (int(head[0]), head[1]))

    # -- codes ---------------------------------------------------------------------
    _RECORDS = ("SELECT code, subject, status, issued_at, revoked_at FROM codes WHERE subject = ?"
                " ORDER BY issued_at DESC")

    def _claim(self, q: Query, jti: str, exp: int, at: str, subject: str) -> list[Record]:
        """Consume ``jti`` (its primary key refuses a replay) and read the subject's codes."""
        q("INSERT INTO jtis VALUES (?, ?, ?)", (jti, exp, at))
        return [Record(*r) for r in q(self._RECORDS, (subject,))]

    def _issue_once(self, q: Query, subject: str, jti: str, exp: int, at: str, code: str,
                    reissue: bool) -> tuple[Record, bool]:
        records = self._claim(q, jti, exp, at, subject)
        active = next((r for r in records if r.status == "active"), None)
        if active and not reissue:
            self._append(q, at, "repeated", subject, active.code, jti)
            return active, False
        if records and not active and not reissue:
            raise SubjectRevoked("this person's code was revoked; use reissue")
        if active:
            q("UPDATE codes SET status = 'revoked', revoked_at = ? WHERE code = ?", (at, active.code))
            self._append(q, at, "revoked", subject, active.code, jti)
        q("INSERT INTO codes VALUES (?, ?, 'active', ?, NULL)", (code, subject, at))
        self._append(q, at, "reissued" if reissue else "issued", subject, code, jti)
        return Record(code, subject, "active", at), True

    def issue(self, subject: str, jti: str, exp: int, at: str, new_code: Callable[[], str],
              *, reissue: bool = False) -> tuple[Record, bool]:
        """The subject's active code (``new`` False) or a fresh one, consuming ``jti``."""
        for _ in range(MAX_RETRIES):
            try:
                with self._tx() as q:
                    return self._issue_once(q, subject, jti, exp, at, new_code(), reissue)
            except Exception as err:
                kind = self._violation(err)
                if kind == "jti":
                    raise AttestationReplayed("this attestation was already used") from None
                if kind is None:
                    raise
        raise StoreUnavailable("could not issue after repeated conflicts")

    def revoke(self, code: str, at: str) -> Record:
        with self._tx() as q:
            rows = q("SELECT code, subject, status, issued_at, revoked_at FROM codes WHERE code = ?", (code,))
            if not rows:
                raise CodeNotFound("no such SANA code")
            record = Record(*rows[0])
            if record.status == "revoked":
                return record
            q("UPDATE codes SET status = 'revoked', revoked_at = ? WHERE code = ?", (at, code))
            self._append(q, at, "revoked", record.subject, code, None)
        return Record(record.code, record.subject, "revoked", record.issued_at, at)

    def show(self, code: str) -> Record:
        with self._tx() as q:
            rows = q("SELECT code, subject, status, issued_at, revoked_at FROM codes WHERE code = ?", (code,))
        if not rows:
            raise CodeNotFound("no such SANA code")
        return Record(*rows[0])

    def counts(self) -> dict[str, int]:
        """Row counts (for tests and ``sana audit verify``)."""
        with self._tx() as q:
            return {t: int(q(f"SELECT count(*) FROM {t}", ())[0][0]) for t in ("codes", "jtis", "audit")}


def open_store(url: str | None = None) -> SqlStore:
    """A store by URL: ``postgresql://...`` for PostgreSQL, else a SQLite file path
    (``sqlite:///path`` or a plain path; default ``sana.db``)."""
    target = url or "sana.db"
    if target.startswith(("postgresql://", "postgres://")):
        from kyc_sdk.sana.postgres import PostgresStore

        return PostgresStore(target)
    from kyc_sdk.sana.sqlite import SqliteStore

    return SqliteStore(target.removeprefix("sqlite://"))


@contextlib.contextmanager
def closing(store: SqlStore) -> Iterator[SqlStore]:
    try:
        yield store
    finally:
        store.close()
