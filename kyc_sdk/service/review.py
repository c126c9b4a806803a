"""The officers' review queue: REVIEW cases with their evidence, claimed, decided, released.

Every action is one store transaction that first takes the audit head's lock (the order
every writer of the store keeps), then reads and changes the case, then appends to the
hash-chained audit log (``kyc_sdk.sana.audit``: the case id, the officer's id, the
action and a digest of the reason, no personal data). Two officers claiming one case on
two replicas are therefore serialized by the database: exactly one wins, the other gets
``ClaimConflict``. A claim expires after ``claim_ttl`` seconds, so an abandoned case is
back in ``list_open`` and another officer may claim it; until someone does, the
claimant may still decide or release it.

``on_decided(case_id, decision)`` is awaited after a decision is committed: the service
ends the case there (``review_cases.finish``: an APPROVED case gets its attestation and
SANA code like any other). An APPROVED decision is refused (``NotApprovable``) when the
evidence says the checks cannot carry one (``approvable`` false). Deciding again with
the same decision by the same officer is a no-op that calls the hook again, so a hook
that failed can be retried.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import anyio.to_thread

from kyc_sdk.errors import InputError, KycError
from kyc_sdk.sana.store import Query, SqlStore
from kyc_sdk.service.officers import Officer

if TYPE_CHECKING:
    from kyc_sdk.attestation.claims import Outcome

OnDecided = Callable[[str, str], Awaitable[None]]
T = TypeVar("T")
DECISIONS = ("APPROVED", "DECLINED")
CLAIM_TTL_S = 30 * 60.0
MAX_CASE_ID = 128
MAX_EVIDENCE_BYTES = 256 * 1024  # scores, reasons and digests; never images
MAX_REASON = 2000
MAX_LIST = 500


class ReviewError(KycError):
    """A review action that cannot be done as asked."""

    exit_code = 15


class CaseNotFound(ReviewError):
    """No case with this id in the review queue."""


class ClaimConflict(ReviewError):
    """The case is claimed by someone else, already decided, or not claimed at all."""


class NotYourClaim(ReviewError):
    """Only the officer who claimed a case may decide or release it."""


class NotApprovable(ReviewError):
    """The evidence cannot carry an APPROVED decision (a declined check, or a check its
    assurance level needs that never ran): only DECLINED is left."""


@dataclass(frozen=True, slots=True)
class ReviewItem:
    case_id: str
    state: str  # open | claimed | decided
    created_at: float
    claimed_by: str | None = None
    claim_expires: float | None = None
    decision: str | None = None
    decided_by: str | None = None
    decided_at: float | None = None
    evidence: dict[str, Any] | None = None  # filled by ``get``, not by ``list_open``

    def to_dict(self) -> dict[str, Any]:
        out = {
            "case_id": self.case_id,
            "state": self.state,
            "created_at": self.created_at,
            "claimed_by": self.claimed_by,
            "claim_expires": self.claim_expires,
            "decision": self.decision,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at,
        }
        return out if self.evidence is None else {**out, "evidence": self.evidence}


_COLUMNS = "case_id, state, created_at, claimed_by, claim_expires, decision, decided_by, decided_at"


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="microseconds")


def check_case_id(case_id: object) -> str:
    if not isinstance(case_id, str) or not 0 < len(case_id) <= MAX_CASE_ID or not case_id.isprintable():
        raise InputError(f"a case id is 1-{MAX_CASE_ID} printable characters")
    return case_id


def _reason(reason: object) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if not text or len(text) > MAX_REASON or "\x00" in text:
        raise InputError(f"a decision needs a reason of 1-{MAX_REASON} characters")
    try:
        text.encode()
    except UnicodeEncodeError:
        raise InputError("the reason is not valid Unicode") from None
    return text


def evidence_of(outcome: Outcome, stages: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What an officer reviews, for ``put``: every check's outcome, provider, score and
    reasons, the attempts, the liveness and face scores and the SHA-256 of each image,
    plus the runner's per-stage details (``stages``). Never the images themselves nor the
    typed identity (the case holds those)."""
    r = outcome.result.to_dict()
    images = {name: hashlib.sha256(data).hexdigest() for name, data in outcome.evidence.items()}
    scores = {
        "liveness": outcome.liveness_score,
        "face_match": outcome.face_score,
        "face_distance": outcome.face_distance,
    }
    return {
        "result": {k: r[k] for k in ("decision", "provider", "reasons", "checks", "attempts")},
        "scores": {k: v for k, v in scores.items() if v is not None},
        "images_sha256": {**images, **dict(outcome.evidence_sha256)},
        "document_type": outcome.document_type.value,
        "assurance_level": outcome.assurance_level,
        "stages": dict(stages or {}),
    }


def _approvable(q: Query, case_id: str) -> bool:
    """False only when the evidence says so (``approvable``, set by the service)."""
    raw = q("SELECT evidence FROM review_items WHERE case_id = ?", (case_id,))[0][0]
    return json.loads(raw).get("approvable") is not False


def evidence_json(evidence: Mapping[str, Any]) -> str:
    """``evidence`` as the queue stores it: JSON of finite numbers, at most
    ``MAX_EVIDENCE_BYTES``; else ``InputError``."""
    try:
        body = json.dumps(dict(evidence), separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as err:
        raise InputError("review evidence must be JSON (finite numbers, text, lists, objects)") from err
    if len(body.encode()) > MAX_EVIDENCE_BYTES:
        raise InputError(f"review evidence is limited to {MAX_EVIDENCE_BYTES} bytes")
    return body


def queue_in(store: SqlStore, q: Query, case_id: str, evidence: str, now: float) -> bool:
    """Inside the caller's transaction (``ReviewQueue.put``, or the runner's, which ends
    the case ``review`` in the same commit): queue the case unless it is there already,
    and say so in the audit log. Takes the audit head's lock first, like every writer."""
    store._lock_head(q)
    if q("SELECT 1 FROM review_items WHERE case_id = ?", (case_id,)):
        return False
    q(
        "INSERT INTO review_items (case_id, evidence, state, created_at) VALUES (?, ?, 'open', ?)",
        (case_id, evidence, now),
    )
    store._append(q, _iso(now), "review_queued", case_id, "", None)
    return True


class ReviewQueue:
    """REVIEW cases in ``store`` (the SANA store: one database, one audit chain)."""

    def __init__(
        self,
        store: SqlStore,
        *,
        claim_ttl: float = CLAIM_TTL_S,
        clock: Callable[[], float] = time.time,
        on_decided: OnDecided | None = None,
        threads: bool = False,
    ) -> None:
        """``threads``: make the store's calls on worker threads, for a store any thread may
        use at once (``cases.PooledStore``), so the event loop never waits on the database;
        else on the caller's thread (a plain store's connection belongs to one thread)."""
        self.store, self.claim_ttl, self.clock, self.on_decided = store, claim_ttl, clock, on_decided
        self.threads = threads

    async def call(self, fn: Callable[[], T]) -> T:
        """``fn()``, which uses the store: on a worker thread when ``threads``."""
        return await anyio.to_thread.run_sync(fn) if self.threads else fn()

    # -- reading -------------------------------------------------------------------
    def _item(self, q: Query, case_id: str) -> ReviewItem:
        rows = q(f"SELECT {_COLUMNS} FROM review_items WHERE case_id = ?", (case_id,))
        if not rows:
            raise CaseNotFound("no such case in the review queue")
        return ReviewItem(*rows[0])

    async def list_open(self, limit: int = 100) -> list[ReviewItem]:
        """Cases waiting for an officer (open, or claimed and the claim expired), oldest first."""
        limit = max(1, min(int(limit), MAX_LIST))
        rows = await self.call(
            lambda: self.store._run(
                lambda q: q(
                    f"SELECT {_COLUMNS} FROM review_items WHERE state = 'open'"
                    " OR (state = 'claimed' AND claim_expires <= ?) ORDER BY created_at, case_id LIMIT ?",
                    (self.clock(), limit),
                ),
                write=False,
            )
        )
        return [ReviewItem(*r) for r in rows]

    async def get(self, case_id: str) -> ReviewItem:
        """One case with its evidence."""
        check_case_id(case_id)

        def read(q: Query) -> ReviewItem:
            item = self._item(q, case_id)
            raw = q("SELECT evidence FROM review_items WHERE case_id = ?", (case_id,))[0][0]
            return replace(item, evidence=json.loads(raw))

        return await self.call(lambda: self.store._run(read, write=False))

    # -- actions ---------------------------------------------------------------------
    def _act(self, body: Callable[[Query, float], ReviewItem]) -> ReviewItem:
        def tx(q: Query) -> ReviewItem:
            self.store._lock_head(q)  # serializes every action: see the module's docstring
            return body(q, self.clock())

        return self.store._run(tx)

    def _audit(
        self, q: Query, now: float, event: str, case_id: str, officer: str, reason: str | None
    ) -> None:
        digest = None if reason is None else "sha256:" + hashlib.sha256(reason.encode()).hexdigest()
        self.store._append(q, _iso(now), event, case_id, officer, digest)

    async def put(self, case_id: str, evidence: Mapping[str, Any]) -> bool:
        """Queue ``case_id`` with its evidence (every stage's scores and reasons, the images'
        SHA-256). True if queued now; False if it was already there (the runner may run a
        case twice: the first evidence stays)."""
        check_case_id(case_id)
        body = evidence_json(evidence)
        return await self.call(
            lambda: self.store._run(lambda q: queue_in(self.store, q, case_id, body, self.clock()))
        )

    async def claim(self, officer: Officer, case_id: str) -> ReviewItem:
        """Take the case (refreshes the claimant's own claim; takes over an expired one)."""
        check_case_id(case_id)

        def body(q: Query, now: float) -> ReviewItem:
            item = self._item(q, case_id)
            if item.state == "decided":
                raise ClaimConflict("the case is already decided")
            held = item.state == "claimed" and item.claimed_by != officer.id
            if held and (item.claim_expires or 0) > now:
                raise ClaimConflict("another officer has claimed the case")
            q(
                "UPDATE review_items SET state = 'claimed', claimed_by = ?, claimed_at = ?, claim_expires = ?"
                " WHERE case_id = ?",
                (officer.id, now, now + self.claim_ttl, case_id),
            )
            self._audit(q, now, "review_claimed", case_id, officer.id, None)
            return self._item(q, case_id)

        return await self.call(lambda: self._act(body))

    async def release(self, officer: Officer, case_id: str) -> ReviewItem:
        """Give the claimed case back to the queue."""
        check_case_id(case_id)

        def body(q: Query, now: float) -> ReviewItem:
            item = self._item(q, case_id)
            if item.state != "claimed":
                raise ClaimConflict("the case is not claimed")
            if item.claimed_by != officer.id:
                raise NotYourClaim("only the officer who claimed the case may release it")
            q(
                "UPDATE review_items SET state = 'open', claimed_by = NULL, claimed_at = NULL,"
                " claim_expires = NULL WHERE case_id = ?",
                (case_id,),
            )
            self._audit(q, now, "review_released", case_id, officer.id, None)
            return self._item(q, case_id)

        return await self.call(lambda: self._act(body))

    async def decide(self, officer: Officer, case_id: str, decision: object, reason: object) -> ReviewItem:
        """APPROVED or DECLINED, with a reason, by the officer holding the claim; then
        ``on_decided`` is awaited (see the module's docstring)."""
        check_case_id(case_id)
        if decision not in DECISIONS:
            raise InputError("a review decision is APPROVED or DECLINED")
        text = _reason(reason)

        def body(q: Query, now: float) -> ReviewItem:
            item = self._item(q, case_id)
            if item.state == "decided":
                if item.decided_by == officer.id and item.decision == decision:
                    return item  # a retry (the hook may have failed): nothing to write
                raise ClaimConflict("the case is already decided")
            if item.state != "claimed":
                raise ClaimConflict("claim the case before deciding it")
            if item.claimed_by != officer.id:
                raise NotYourClaim("only the officer who claimed the case may decide it")
            if decision == "APPROVED" and not _approvable(q, case_id):
                raise NotApprovable("the case's checks cannot carry an approval; it can only be declined")
            q(
                "UPDATE review_items SET state = 'decided', decision = ?, reason = ?, decided_by = ?,"
                " decided_at = ? WHERE case_id = ?",
                (str(decision), text, officer.id, now, case_id),
            )
            self._audit(q, now, "review_" + str(decision).lower(), case_id, officer.id, text)
            return self._item(q, case_id)

        item = await self.call(lambda: self._act(body))
        if self.on_decided is not None:
            await self.on_decided(case_id, str(decision))
        return item

    async def decision(self, case_id: str) -> tuple[str, str] | None:
        """``(decision, officer id)`` of a decided case, else None (for the runner)."""
        item = await self.get(case_id)
        return (item.decision, item.decided_by) if item.decision and item.decided_by else None
