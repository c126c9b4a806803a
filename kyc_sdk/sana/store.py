"""One store interface for SANA codes, replayed ``jti``s and the audit log, in SQL.

``SqlStore`` holds every rule; ``SqliteStore`` (a file, the default) and ``PostgresStore``
(by URL) only say how to connect, begin a writing transaction and name a violated
constraint. Every transaction runs through ``_run``: a lost race on a constraint, a
deadlock, a serialization failure or a connection lost before COMMIT runs the whole
transaction again (bounded). Writers that touch codes take the audit head's lock first,
so every read they make sees the latest committed state and every writer takes its locks
in one order (no deadlocks between them). Uniqueness is the database's job:
``codes.code`` is the primary key, a partial unique index allows one active code per
subject, ``jtis.jti`` is a primary key (replay), and ``audit.prev`` is unique so the
chain can never fork. A race lost on a constraint is retried as a whole transaction, so
a crash or a kill leaves either the complete record (code + jti + audit entry + head) or
nothing.
Spec: docs/architecture.md (Attestations and SANA codes).
"""

from __future__ import annotations

import contextlib
import math
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from kyc_sdk.errors import InputError, IssuanceError
from kyc_sdk.sana.audit import GENESIS, AuditReport, Entry, check_chain, entry_hash
from kyc_sdk.sana.errors import (
    AttestationReplayed,
    CodeNotFound,
    SchemaError,
    StoreNotFound,
    StoreUnavailable,
    SubjectRevoked,
)

MAX_RETRIES = 8
ONCE_PRUNE_BATCH = 64  # expired single-use records deleted per claim: bounded work per call
MAX_ONCE_NAMESPACE, MAX_ONCE_KEY = 64, 512  # callers hash anything longer
T = TypeVar("T")

#: Officers (a SHA-256 of each bearer token, never the token), the review queue (times
#: in epoch seconds, for claim expiry) and the signed audit checkpoints.
REVIEW_AND_CHECKPOINTS = [
    (
        "CREATE TABLE officers (id TEXT PRIMARY KEY, name TEXT NOT NULL, token_sha256 TEXT NOT NULL,"
        " created_at TEXT NOT NULL, revoked_at TEXT)"
    ),
    (
        "CREATE TABLE review_items (case_id TEXT PRIMARY KEY, evidence TEXT NOT NULL,"
        " state TEXT NOT NULL CHECK (state IN ('open', 'claimed', 'decided')),"
        " created_at DOUBLE PRECISION NOT NULL, claimed_by TEXT REFERENCES officers (id),"
        " claimed_at DOUBLE PRECISION, claim_expires DOUBLE PRECISION,"
        " decision TEXT CHECK (decision IN ('APPROVED', 'DECLINED')), reason TEXT,"
        " decided_by TEXT REFERENCES officers (id), decided_at DOUBLE PRECISION)"
    ),
    "CREATE INDEX review_queue ON review_items (state, created_at)",
    (
        "CREATE TABLE audit_checkpoints (seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, at TEXT NOT NULL,"
        " jws TEXT NOT NULL)"
    ),
]

#: version -> statements; ``{trigger}`` is filled by the dialect (append-only audit).
MIGRATIONS: dict[int, list[str]] = {
    1: [
        (
            "CREATE TABLE codes (code TEXT PRIMARY KEY CHECK (length(code) = 10), subject TEXT NOT NULL,"
            " status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),"
            " issued_at TEXT NOT NULL, revoked_at TEXT)"
        ),
        "CREATE UNIQUE INDEX one_active_code ON codes (subject) WHERE status = 'active'",
        "CREATE INDEX codes_subject ON codes (subject)",
        "CREATE TABLE jtis (jti TEXT PRIMARY KEY, exp BIGINT NOT NULL, seen_at TEXT NOT NULL)",
        (
            "CREATE TABLE audit (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, event TEXT NOT NULL,"
            " subject TEXT NOT NULL, code TEXT NOT NULL, jti TEXT,"
            " prev TEXT NOT NULL UNIQUE, hash TEXT NOT NULL UNIQUE)"
        ),
        (
            "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1),"
            " seq BIGINT NOT NULL, hash TEXT NOT NULL)"
        ),
        f"INSERT INTO audit_head VALUES (1, 0, '{GENESIS}')",
        "{trigger}",
    ],
    2: [  # single-use records (OnceGuard): webhook event ids, challenge nonces
        (
            "CREATE TABLE once (namespace TEXT NOT NULL, key TEXT NOT NULL,"
            " expires_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (namespace, key))"
        ),
        "CREATE INDEX once_expiry ON once (expires_at)",
    ],
    3: [  # the registration service (kyc_sdk.service): cases, uploads, jobs, vendor calls, breakers
        (
            "CREATE TABLE cases (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, path TEXT NOT NULL,"
            " subject TEXT NOT NULL, challenge TEXT NOT NULL, status TEXT NOT NULL"
            " CHECK (status IN ('open', 'submitted', 'decided', 'review', 'failed')),"
            " created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL, decision TEXT,"
            " outcome TEXT, sana_code TEXT, attestation TEXT, vendor_reference TEXT)"
        ),
        "CREATE INDEX cases_status ON cases (status)",
        "CREATE INDEX cases_vendor_reference ON cases (vendor_reference)",
        (
            "CREATE TABLE case_uploads (case_id TEXT NOT NULL REFERENCES cases (id), kind TEXT NOT NULL,"
            " sha256 TEXT NOT NULL, size BIGINT NOT NULL, received_at DOUBLE PRECISION NOT NULL,"
            " PRIMARY KEY (case_id, kind))"
        ),
        (
            "CREATE TABLE case_events (case_id TEXT NOT NULL REFERENCES cases (id), event_key TEXT NOT NULL,"
            " provider TEXT NOT NULL, event TEXT NOT NULL, status TEXT, at DOUBLE PRECISION NOT NULL,"
            " PRIMARY KEY (case_id, event_key))"
        ),
        (
            "CREATE TABLE jobs (case_id TEXT PRIMARY KEY REFERENCES cases (id), state TEXT NOT NULL"
            " CHECK (state IN ('submitted', 'running', 'done', 'failed')),"
            " enqueued_at DOUBLE PRECISION NOT NULL,"
            " lease_until DOUBLE PRECISION, attempts INTEGER NOT NULL DEFAULT 0, worker TEXT)"
        ),
        "CREATE INDEX jobs_state ON jobs (state, enqueued_at)",
        (
            "CREATE TABLE vendor_calls (case_id TEXT NOT NULL, provider TEXT NOT NULL,"
            " started_at DOUBLE PRECISION NOT NULL, result TEXT, PRIMARY KEY (case_id, provider))"
        ),
        (
            "CREATE TABLE breakers (provider TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
            " opened_at DOUBLE PRECISION, probing INTEGER NOT NULL)"
        ),
    ],
    4: REVIEW_AND_CHECKPOINTS,  # the officers' review queue and signed audit checkpoints
}
SCHEMA_VERSION = max(MIGRATIONS)
_CLAIM_ONCE = (
    "INSERT INTO once VALUES (?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE"
    " SET expires_at = excluded.expires_at WHERE once.expires_at <= ? RETURNING 1"
)


class RetryTransaction(Exception):
    """A dialect's ``_tx`` says the whole transaction may simply run again: a deadlock, a
    serialization failure, or a connection lost before COMMIT (nothing was committed)."""


@dataclass(frozen=True, slots=True)
class Record:
    """A SANA code as stored."""

    code: str
    subject: str
    status: str
    issued_at: str
    revoked_at: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "sana_code": self.code,
            "subject": self.subject,
            "status": self.status,
            "issued_at": self.issued_at,
            "revoked_at": self.revoked_at,
        }


Query = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


class SqlStore:
    """The rules, over a dialect's connection (subclasses fill the hooks)."""

    head_lock = ""  # " FOR UPDATE" where rows must be locked explicitly
    skip_locked = ""  # " FOR UPDATE SKIP LOCKED" where concurrent pruners should not queue
    append_only_trigger: ClassVar[tuple[str, ...]] = ()
    schema_exists = ""  # a query whose one value is non-zero when ``schema_version`` exists
    read_only = False

    # -- dialect hooks -------------------------------------------------------------
    def _tx(self, write: bool = True) -> contextlib.AbstractContextManager[Query]:  # pragma: no cover
        raise NotImplementedError

    def _violation(self, err: Exception) -> str | None:  # pragma: no cover
        """'jti' | 'code' | 'subject' | 'audit' | 'once' for a unique violation, else None
        (every kind but 'jti' is a lost race: the transaction runs again)."""
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover
        raise NotImplementedError

    # -- transactions --------------------------------------------------------------
    def _run(self, body: Callable[[Query], T], *, write: bool = True) -> T:
        """``body`` in one transaction, run again whole after a lost race (bounded)."""
        if write and self.read_only:
            raise IssuanceError("this store was opened read-only")
        for attempt in range(MAX_RETRIES):
            try:
                with self._tx(write) as q:
                    return body(q)
            except RetryTransaction:
                pass
            except Exception as err:
                kind = self._violation(err)
                if kind == "jti":
                    raise AttestationReplayed("this attestation was already used") from None
                if kind is None:
                    raise
            time.sleep(random.uniform(0, 0.002 * 2**attempt))  # jitter: do not meet the same race again
        raise StoreUnavailable("gave up after repeated conflicts")

    def _lock_head(self, q: Query) -> None:
        """Serialize writers on the audit head before they read what they will change."""
        q("SELECT seq FROM audit_head WHERE id = 1" + self.head_lock, ())

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
                for part in self.append_only_trigger if stmt == "{trigger}" else [stmt]:
                    q(part, ())
            q("INSERT INTO schema_version VALUES (?)", (version,))

    def _open_schema(self, *, create: bool) -> None:
        """Migrate a writable store (creating the schema only if ``create``); a read-only
        one only checks that the schema is ours and not newer than this code."""

        def version(q: Query) -> int | None:
            if not q(self.schema_exists, ())[0][0]:
                return None
            return int(q("SELECT max(version) FROM schema_version", ())[0][0] or 0)

        current = self._run(version, write=False)  # no write lock for a store already current
        if current is None and (self.read_only or not create):
            raise StoreNotFound("the database holds no SANA codes (no schema)")
        if current is not None and current > SCHEMA_VERSION:
            raise SchemaError("the database schema is newer than this kyc-sdk")
        if current != SCHEMA_VERSION and not self.read_only:
            self._run(self._migrate)

    def schema_version(self) -> int:
        return self._run(lambda q: int(q("SELECT max(version) FROM schema_version", ())[0][0]), write=False)

    # -- audit ---------------------------------------------------------------------
    def _append(self, q: Query, at: str, event: str, subject: str, code: str, jti: str | None) -> None:
        seq, prev = q("SELECT seq, hash FROM audit_head WHERE id = 1" + self.head_lock, ())[0]
        seq += 1
        digest = entry_hash(prev, seq, at, event, subject, code, jti)
        q(
            "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, event, subject, code, jti, prev, digest),
        )
        q("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, digest))

    def verify_audit(self) -> AuditReport:
        def read(q: Query) -> tuple[list[tuple[Any, ...]], tuple[Any, ...]]:
            # The head first, then the entries up to it: an append committed between the two
            # reads (PostgreSQL reads each statement afresh) is not taken for tampering.
            head = q("SELECT seq, hash FROM audit_head WHERE id = 1", ())[0]
            rows = q(
                "SELECT seq, at, event, subject, code, jti, prev, hash FROM audit"
                " WHERE seq <= ? ORDER BY seq",
                (head[0],),
            )
            return rows, head

        rows, head = self._run(read, write=False)
        return check_chain((Entry(*r) for r in rows), (int(head[0]), head[1]))

    # -- codes ---------------------------------------------------------------------
    _RECORDS = (
        "SELECT code, subject, status, issued_at, revoked_at FROM codes WHERE subject = ?"
        " ORDER BY issued_at DESC"
    )

    def _claim(self, q: Query, jti: str, exp: int, at: str, subject: str) -> list[Record]:
        """Consume ``jti`` (its primary key refuses a replay) and read the subject's codes."""
        q("INSERT INTO jtis VALUES (?, ?, ?)", (jti, exp, at))
        return [Record(*r) for r in q(self._RECORDS, (subject,))]

    def _issue_once(
        self, q: Query, subject: str, jti: str, exp: int, at: str, code: str, reissue: bool
    ) -> tuple[Record, bool]:
        self._lock_head(q)
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

    def issue(
        self,
        subject: str,
        jti: str,
        exp: int,
        at: str,
        new_code: Callable[[], str],
        *,
        reissue: bool = False,
        then: Callable[[Query, Record], None] | None = None,
    ) -> tuple[Record, bool]:
        """The subject's active code (``new`` False) or a fresh one, consuming ``jti``.
        ``then`` runs in the same transaction with the record (the service commits the
        case's decision with its code); whatever it raises rolls the issuance back."""

        def once(q: Query) -> tuple[Record, bool]:
            record, new = self._issue_once(q, subject, jti, exp, at, new_code(), reissue)
            if then is not None:
                then(q, record)
            return record, new

        return self._run(once)

    def revoke(self, code: str, at: str) -> Record:
        def once(q: Query) -> Record:
            self._lock_head(q)
            rows = q("SELECT code, subject, status, issued_at, revoked_at FROM codes WHERE code = ?", (code,))
            if not rows:
                raise CodeNotFound("no such SANA code")
            record = Record(*rows[0])
            if record.status == "revoked":
                return record
            q("UPDATE codes SET status = 'revoked', revoked_at = ? WHERE code = ?", (at, code))
            self._append(q, at, "revoked", record.subject, code, None)
            return Record(record.code, record.subject, "revoked", record.issued_at, at)

        return self._run(once)

    def show(self, code: str) -> Record:
        rows = self._run(
            lambda q: q(
                "SELECT code, subject, status, issued_at, revoked_at FROM codes WHERE code = ?", (code,)
            ),
            write=False,
        )
        if not rows:
            raise CodeNotFound("no such SANA code")
        return Record(*rows[0])

    def counts(self) -> dict[str, int]:
        """Row counts (for tests and ``sana audit verify``)."""
        return self._run(
            lambda q: {t: int(q(f"SELECT count(*) FROM {t}", ())[0][0]) for t in ("codes", "jtis", "audit")},
            write=False,
        )

    # -- single-use records (kyc_sdk.once.OnceGuard) --------------------------------
    def first_use(self, namespace: str, key: str, *, expires_at: float, now: float) -> bool:
        """True the first time ``key`` is claimed in ``namespace``; False while an earlier
        claim has not expired. One statement decides (insert, or replace an expired row),
        so exactly one of many concurrent claimers, in any process or replica, wins."""
        return self._run(lambda q: self.first_use_in(q, namespace, key, expires_at=expires_at, now=now))

    def first_use_in(self, q: Query, namespace: str, key: str, *, expires_at: float, now: float) -> bool:
        """``first_use`` inside the caller's transaction: the claim commits with what the
        caller does on it, or neither does (a webhook's id and its effect on the case)."""
        _check_once(namespace, MAX_ONCE_NAMESPACE, "namespace")
        _check_once(key, MAX_ONCE_KEY, "key")
        for t in (expires_at, now):
            if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t):
                raise InputError("first_use times are finite epoch seconds")
        q(
            "DELETE FROM once WHERE (namespace, key) IN"
            " (SELECT namespace, key FROM once WHERE expires_at <= ?"
            f" LIMIT {ONCE_PRUNE_BATCH}{self.skip_locked})",
            (float(now),),
        )
        return bool(q(_CLAIM_ONCE, (namespace, key, float(expires_at), float(now))))

    def used(self, namespace: str, key: str, *, now: float) -> bool:
        """Whether ``key`` holds an unexpired claim in ``namespace`` (a read: a cheap early
        refusal; only ``first_use`` decides)."""
        rows = self._run(
            lambda q: q(
                "SELECT 1 FROM once WHERE namespace = ? AND key = ? AND expires_at > ?",
                (namespace, key, float(now)),
            ),
            write=False,
        )
        return bool(rows)


def _check_once(value: object, limit: int, what: str) -> None:
    if not isinstance(value, str) or not value or len(value) > limit or "\x00" in value:
        raise InputError(f"first_use {what} must be 1-{limit} characters without NUL")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise InputError(f"first_use {what} is not valid Unicode") from None


def is_postgres(url: str) -> bool:
    """Whether ``open_store(url)`` opens a PostgreSQL store (else a SQLite file)."""
    return url.startswith(("postgresql://", "postgres://"))


def open_store(url: str | None = None, *, read_only: bool = False, create: bool = True) -> SqlStore:
    """A store by URL: ``postgresql://...`` for PostgreSQL, else a SQLite file path
    (``sqlite:///path`` or a plain path; default ``sana.db``).

    ``read_only`` opens for reading and creates nothing; ``create=False`` writes to an
    existing store only. Either raises ``StoreNotFound`` for a missing database."""
    target = url or "sana.db"
    scheme, sep, _ = target.partition("://")
    if sep and not is_postgres(target) and scheme != "sqlite":  # mysql://… is no SQLite file name
        # the scheme is named only when it is one: the text before :// may hold a password
        named = (
            f"{scheme}://" if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]{0,20}", scheme) else "this kind of URL"
        )
        raise InputError(f"a database is a SQLite path, sqlite:///path or postgresql://…, not {named}")
    if is_postgres(target):
        from kyc_sdk.sana.postgres import PostgresStore

        return PostgresStore(target, read_only=read_only, create=create)
    from kyc_sdk.sana.sqlite import SqliteStore

    return SqliteStore(target.removeprefix("sqlite://"), read_only=read_only, create=create)


@contextlib.contextmanager
def closing(store: SqlStore) -> Iterator[SqlStore]:
    try:
        yield store
    finally:
        store.close()
