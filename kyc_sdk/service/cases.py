"""The service's state in the SANA store (schema version 3): cases, their uploads and
vendor events, calls made to vendors that are not idempotent, and circuit breakers.

Every function here takes a ``SqlStore`` and runs one transaction through its ``_run``
(a lost race runs again whole), so it holds on SQLite and on PostgreSQL alike and any
replica sees what another committed. ``StorePool`` lends each thread its own connection.

Case statuses: ``open`` (evidence arriving) → ``submitted`` (a job is queued) →
``decided`` | ``review`` | ``failed``; ``review`` → ``decided`` once an officer decided.
Only the runner moves a case out of ``submitted``, and only once (``UPDATE ... WHERE
status = 'submitted'``); the same guard keeps an officer's decision to one ending.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import hmac
import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio.to_thread

from kyc_sdk.models import Subject
from kyc_sdk.routing import BreakerState
from kyc_sdk.sana.store import Query, SqlStore, is_postgres, open_store

T = TypeVar("T")

OPEN, SUBMITTED, DECIDED, REVIEW, FAILED = "open", "submitted", "decided", "review", "failed"
FINAL = (DECIDED, REVIEW, FAILED)
KINDS = ("document_front", "document_back", "selfie_video")


class CaseGone(Exception):
    """The case is not (or no longer) in the state the caller needs: nothing was written."""


@dataclass(frozen=True, slots=True)
class Upload:
    sha256: str
    size: int
    received_at: float


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    path: str
    subject: Subject
    challenge: dict[str, Any]  # steps, nonce, issued_at, window_s
    status: str
    created_at: float
    updated_at: float
    decision: str | None = None
    outcome: dict[str, Any] | None = None  # reasons, stages, document, evidence (see runner)
    sana_code: str | None = None
    attestation: str | None = None
    uploads: dict[str, Upload] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        """What the person's app may read (their own case, behind its token)."""
        out: dict[str, Any] = {
            "id": self.id,
            "path": self.path,
            "status": self.status,
            "uploads": {k: {"sha256": u.sha256, "size": u.size} for k, u in sorted(self.uploads.items())},
            "decision": self.decision,
            "sana_code": self.sana_code,
            "vendor_events": self.events,
        }
        if self.outcome is not None:
            out.update({k: self.outcome.get(k) for k in ("reasons", "stages", "document")})
            if "error" in self.outcome:  # a case that ended ``failed``: the rule its input broke
                out["error"] = {"error": self.outcome["error"], "message": self.outcome["message"]}
        return out


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def challenge_dict(challenge: Any) -> dict[str, Any]:
    return {
        "steps": list(challenge.steps),
        "nonce": challenge.nonce,
        "issued_at": challenge.issued_at,
        "window_s": challenge.window_s,
    }


def challenge_of(data: dict[str, Any]) -> Any:
    from kyc_sdk.liveness.challenge import Challenge

    return Challenge(tuple(data["steps"]), data["nonce"], float(data["issued_at"]), float(data["window_s"]))


class StorePool:
    """Stores over one URL, lent to one thread at a time (at most ``size`` open)."""

    def __init__(self, url: str, size: int = 8) -> None:
        self.url = url
        self._idle: queue.SimpleQueue[SqlStore] = queue.SimpleQueue()
        self._all: list[SqlStore] = []
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self.limiter = anyio.CapacityLimiter(size)

    @contextlib.contextmanager
    def store(self) -> Iterator[SqlStore]:
        with self._slots:
            try:
                store = self._idle.get_nowait()
            except queue.Empty:
                store = open_store(self.url, create=False)
                with self._lock:
                    self._all.append(store)
            try:
                yield store
            finally:
                self._idle.put(store)

    def run(self, fn: Callable[[SqlStore], T]) -> T:
        with self.store() as s:
            return fn(s)

    async def arun(self, fn: Callable[[SqlStore], T]) -> T:
        """``fn(store)`` on a worker thread, so the event loop never waits on the database."""
        return await anyio.to_thread.run_sync(self.run, fn, limiter=self.limiter)

    @functools.cached_property
    def pooled(self) -> PooledStore:
        """One ``SqlStore`` over this pool, for code written against a single store."""
        return PooledStore(self)

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                with contextlib.suppress(Exception):
                    store.close()
            self._all.clear()


class PooledStore(SqlStore):
    """A ``SqlStore`` whose every transaction borrows a connection from ``pool``: for the
    parts written against one store (the review queue, the officers, the checkpoints),
    callable from any thread."""

    def __init__(self, pool: StorePool) -> None:
        self.pool = pool
        if is_postgres(pool.url):  # the dialect's locking clauses, known without a connection
            from kyc_sdk.sana.postgres import PostgresStore

            self.head_lock, self.skip_locked = PostgresStore.head_lock, PostgresStore.skip_locked

    def _run(self, body: Callable[[Query], T], *, write: bool = True) -> T:
        return self.pool.run(lambda s: s._run(body, write=write))

    def close(self) -> None:  # the pool's owner closes it
        pass


# -- cases ---------------------------------------------------------------------------
_CASE = (
    "SELECT id, path, subject, challenge, status, created_at, updated_at, decision, outcome, sana_code,"
    " attestation, token_hash FROM cases WHERE id = ?"
)


def create(
    store: SqlStore, case_id: str, token: str, path: str, subject: Subject, challenge: Any, now: float
) -> None:
    data = json.dumps(dataclasses.asdict(subject), ensure_ascii=False)
    store._run(
        lambda q: q(
            "INSERT INTO cases (id, token_hash, path, subject, challenge, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
            (case_id, token_hash(token), path, data, json.dumps(challenge_dict(challenge)), now, now),
        )
    )


def _load(q: Query, case_id: str, token: str | None = None) -> Case | None:
    """The case, or None when unknown or (with ``token``) when the token is not its own."""
    rows = q(_CASE, (case_id,))
    if not rows or (token is not None and not hmac.compare_digest(rows[0][11], token_hash(token))):
        return None
    r = rows[0]
    uploads = {
        kind: Upload(sha, int(size), float(at))
        for kind, sha, size, at in q(
            "SELECT kind, sha256, size, received_at FROM case_uploads WHERE case_id = ?", (case_id,)
        )
    }
    events = [
        {"provider": p, "event": e, "status": s}
        for p, e, s in q(
            "SELECT provider, event, status FROM case_events WHERE case_id = ? ORDER BY at", (case_id,)
        )
    ]
    return Case(
        r[0],
        r[1],
        Subject(**json.loads(r[2])),
        json.loads(r[3]),
        r[4],
        float(r[5]),
        float(r[6]),
        r[7],
        json.loads(r[8]) if r[8] else None,
        r[9],
        r[10],
        uploads,
        events,
    )


def load(store: SqlStore, case_id: str) -> Case | None:
    return store._run(lambda q: _load(q, case_id), write=False)


def authenticate(store: SqlStore, case_id: str, token: str) -> Case | None:
    """The case when ``token`` is its own; None for a wrong token or an unknown case alike
    (the caller learns nothing about cases it holds no token for)."""

    return store._run(lambda q: _load(q, case_id, token), write=False)


def _require(q: Query, case_id: str, status: str) -> None:
    rows = q("SELECT status FROM cases WHERE id = ?", (case_id,))
    if not rows or rows[0][0] != status:
        raise CaseGone(f"the case is not {status}")


def new_challenge(store: SqlStore, case_id: str, challenge: Any, now: float) -> None:
    """Replace the case's challenge; a video recorded for the old one is void."""

    def change(q: Query) -> None:
        _require(q, case_id, OPEN)
        q(
            "UPDATE cases SET challenge = ?, updated_at = ? WHERE id = ?",
            (json.dumps(challenge_dict(challenge)), now, case_id),
        )
        q("DELETE FROM case_uploads WHERE case_id = ? AND kind = 'selfie_video'", (case_id,))

    store._run(change)


def add_upload(store: SqlStore, case_id: str, kind: str, upload: Upload, nonce: str | None = None) -> None:
    """Record an upload of an open case; a video only while ``nonce`` is still the case's
    challenge (a new challenge asked meanwhile voids it)."""

    def change(q: Query) -> None:
        _require(q, case_id, OPEN)
        if nonce is not None:
            current = json.loads(q("SELECT challenge FROM cases WHERE id = ?", (case_id,))[0][0])
            if current["nonce"] != nonce:
                raise CaseGone("the challenge changed while the video was uploading")
        q("DELETE FROM case_uploads WHERE case_id = ? AND kind = ?", (case_id, kind))
        q(
            "INSERT INTO case_uploads VALUES (?, ?, ?, ?, ?)",
            (case_id, kind, upload.sha256, upload.size, upload.received_at),
        )
        q("UPDATE cases SET updated_at = ? WHERE id = ?", (upload.received_at, case_id))

    store._run(change)


def submit(store: SqlStore, case_id: str, needed: tuple[str, ...], now: float) -> str:
    """Move an open case with every ``needed`` upload to ``submitted``; returns the status
    it ends in (``submitted`` again for a case already submitted: the caller re-enqueues,
    which adds nothing if the job exists). ``CaseGone`` names what is missing."""

    def change(q: Query) -> str:
        rows = q("SELECT status FROM cases WHERE id = ?", (case_id,))
        if not rows:
            raise CaseGone("no such case")
        if rows[0][0] != OPEN:
            return str(rows[0][0])
        have = {k for (k,) in q("SELECT kind FROM case_uploads WHERE case_id = ?", (case_id,))}
        if missing := [k for k in needed if k not in have]:
            raise CaseGone("missing uploads: " + ", ".join(missing))
        q("UPDATE cases SET status = 'submitted', updated_at = ? WHERE id = ?", (now, case_id))
        return SUBMITTED

    return store._run(change)


def close_case(
    q: Query,
    case_id: str,
    *,
    status: str,
    decision: str | None,
    outcome: dict[str, Any],
    sana_code: str | None,
    attestation: str | None,
    vendor_reference: str | None,
    now: float,
    from_status: str = SUBMITTED,
) -> None:
    """Inside the caller's transaction: the case's one and only ending (from ``submitted``,
    or from ``review`` once an officer decided). ``CaseGone`` (which rolls the whole
    transaction back) when another run ended it first. A ``vendor_reference`` of None
    keeps the one recorded."""
    done = q(
        "UPDATE cases SET status = ?, decision = ?, outcome = ?, sana_code = ?, attestation = ?,"
        " vendor_reference = COALESCE(?, vendor_reference), updated_at = ?"
        " WHERE id = ? AND status = ? RETURNING id",
        (
            status,
            decision,
            json.dumps(outcome, ensure_ascii=False, default=str),
            sana_code,
            attestation,
            vendor_reference,
            now,
            case_id,
            from_status,
        ),
    )
    if not done:
        raise CaseGone("the case was already decided")


def fail_case(
    store: SqlStore, case_id: str, outcome: dict[str, Any], *, from_status: str = SUBMITTED
) -> bool:
    """End the case ``failed`` with ``outcome`` (its error's code and message) and no
    decision, code or attestation; False when another run ended it first."""
    try:
        store._run(
            lambda q: close_case(
                q,
                case_id,
                status=FAILED,
                decision=None,
                outcome=outcome,
                sana_code=None,
                attestation=None,
                vendor_reference=None,
                now=time.time(),
                from_status=from_status,
            )
        )
    except CaseGone:
        return False
    return True


def _attach(
    q: Query, reference: str | None, event_key: str, provider: str, event: str, status: str | None, now: float
) -> str | None:
    """The id of the case the event was attached to; None when no case has that reference."""
    if not reference:
        return None
    rows = q("SELECT id FROM cases WHERE vendor_reference = ? OR id = ? LIMIT 1", (reference, reference))
    if not rows:
        return None
    q(
        "INSERT INTO case_events VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, event_key) DO NOTHING",
        (rows[0][0], event_key, provider, event, status, now),
    )
    return str(rows[0][0])


def apply_event(
    store: SqlStore,
    replay: tuple[str, str, float],
    reference: str | None,
    event_key: str,
    provider: str,
    event: str,
    status: str | None,
    now: float,
) -> bool:
    """A webhook's event, once: its replay record (``replay``: namespace, key, until, as
    ``kyc_sdk.client.replay_record`` gives) and its attachment to the case its vendor
    reference (or id) names commit together, so a process killed between the two leaves
    neither and the vendor's redelivery is applied. False, with nothing written, for an
    event already recorded (by any replica: on PostgreSQL a concurrent claim of the same
    key waits for the first transaction, then sees its record)."""
    namespace, key, until = replay

    def change(q: Query) -> bool:
        if not store.first_use_in(q, namespace, key, expires_at=until, now=now):
            return False
        _attach(q, reference, event_key, provider, event, status, now)
        return True

    return store._run(change)


def submitted(store: SqlStore, limit: int = 10_000) -> list[str]:
    """Ids of cases waiting for their registration (oldest first)."""
    rows = store._run(
        lambda q: q("SELECT id FROM cases WHERE status = 'submitted' ORDER BY updated_at LIMIT ?", (limit,)),
        write=False,
    )
    return [str(r[0]) for r in rows]


def reviews_decided(store: SqlStore, limit: int = 10_000) -> list[str]:
    """Ids of cases an officer decided that are still ``review`` (the service stopped
    between the decision and the case's ending)."""
    rows = store._run(
        lambda q: q(
            "SELECT c.id FROM cases c JOIN review_items r ON r.case_id = c.id"
            " WHERE c.status = 'review' AND r.state = 'decided' ORDER BY r.decided_at LIMIT ?",
            (limit,),
        ),
        write=False,
    )
    return [str(r[0]) for r in rows]


# -- vendors that are not idempotent ------------------------------------------------
def claim_vendor_call(store: SqlStore, case_id: str, provider: str, now: float) -> tuple[bool, str | None]:
    """(True, None) when this run may call ``provider`` for the case (the record is made
    first); else (False, the stored result or None when an earlier run never finished)."""

    def claim(q: Query) -> tuple[bool, str | None]:
        made = q(
            "INSERT INTO vendor_calls VALUES (?, ?, ?, NULL)"
            " ON CONFLICT (case_id, provider) DO NOTHING RETURNING 1",
            (case_id, provider, now),
        )
        if made:
            return True, None
        return False, q(
            "SELECT result FROM vendor_calls WHERE case_id = ? AND provider = ?", (case_id, provider)
        )[0][0]

    return store._run(claim)


def finish_vendor_call(store: SqlStore, case_id: str, provider: str, result: str) -> None:
    store._run(
        lambda q: q(
            "UPDATE vendor_calls SET result = ? WHERE case_id = ? AND provider = ?",
            (result, case_id, provider),
        )
    )


# -- circuit breakers shared by replicas -----------------------------------------------
class StoreBreakerStates:
    """``kyc_sdk.routing.BreakerStates`` in the ``breakers`` table: every replica reads and
    changes one row per provider, in one transaction (the row is locked on PostgreSQL,
    the database on SQLite), so a vendor that fails for one replica is rested by all.

    Most calls change nothing (a closed breaker letting a call through, a success on a
    healthy vendor): those only read, so vendor calls do not queue on the write lock. A
    change is computed again under the lock from what is committed then, so two replicas
    never both send the one half-open probe."""

    def __init__(self, pool: StorePool) -> None:
        self.pool = pool

    def update(self, name: str, change: Callable[[BreakerState], tuple[T, BreakerState]]) -> T:
        before = self.read(name)
        value, after = change(before)
        if after == before:
            return value

        store = self.pool.pooled

        def tx(q: Query) -> T:
            q(
                "INSERT INTO breakers VALUES (?, 0, NULL, 0) ON CONFLICT (provider) DO NOTHING",
                (name,),
            )
            f, opened, probing = q(
                "SELECT failures, opened_at, probing FROM breakers WHERE provider = ?" + store.head_lock,
                (name,),
            )[0]
            before = BreakerState(int(f), None if opened is None else float(opened), bool(probing))
            value, after = change(before)
            if after != before:
                q(
                    "UPDATE breakers SET failures = ?, opened_at = ?, probing = ? WHERE provider = ?",
                    (after.failures, after.opened_at, int(after.probing), name),
                )
            return value

        return store._run(tx)

    def read(self, name: str) -> BreakerState:
        def tx(q: Query) -> BreakerState:
            rows = q("SELECT failures, opened_at, probing FROM breakers WHERE provider = ?", (name,))
            if not rows:
                return BreakerState()
            f, opened, probing = rows[0]
            return BreakerState(int(f), None if opened is None else float(opened), bool(probing))

        return self.pool.pooled._run(tx, write=False)


class PooledOnce:
    """The store's ``OnceGuard`` through the pool (webhook event ids, challenge nonces)."""

    def __init__(self, pool: StorePool) -> None:
        self.pool = pool

    def first_use(self, namespace: str, key: str, *, expires_at: float, now: float) -> bool:
        return self.pool.run(lambda s: s.first_use(namespace, key, expires_at=expires_at, now=now))
