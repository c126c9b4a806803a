"""Durable work: a submitted case is a job, run to its end by a handler.

``Jobs`` is the contract every queue keeps (``LocalJobs`` here; a PostgreSQL task queue
implements the same). The handler is idempotent: it reads the case from the store and
commits its ending in one transaction, and a case already ended is a no-op. So a job
whose worker died is simply run again by another worker.

``LocalJobs`` keeps jobs as rows of the store's ``jobs`` table: ``submitted`` → ``running``
(with a lease that the worker renews while the handler runs) → ``done``. A worker claims
one row at a time with a single ``UPDATE ... RETURNING`` that re-checks the row's state,
so two workers never claim the same job (on PostgreSQL the row is picked ``FOR UPDATE
SKIP LOCKED``: concurrent claimers take different rows at once, none waits); a
``running`` row whose lease expired (its worker was killed) is claimable again, which is
how a restarted or another instance finishes it. It works on SQLite (the embedded
default: one host) and on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

import anyio

from kyc_sdk.sana.store import Query, SqlStore
from kyc_sdk.service.cases import StorePool

log = logging.getLogger(__name__)

Handler = Callable[[str], Awaitable[None]]  # runs case `case_id` to its end

MAX_ATTEMPTS = 3  # a handler that keeps crashing on a case gives up on it (state ``failed``)


class Jobs(Protocol):
    async def enqueue(self, case_id: str) -> None:
        """Durable once it returns; enqueuing a case already queued or running adds nothing."""
        ...

    async def work(self, handler: Handler, *, stop: anyio.Event) -> None:
        """Consume jobs until ``stop`` is set; then let running handlers finish (or hand
        their jobs back so another worker picks them up); return."""
        ...

    async def depth(self) -> int:
        """Jobs waiting (for the queue-depth metric)."""
        ...


#: ``{skip_locked}``: the store's ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so a claimer
#: passes over the row another is claiming instead of waiting for it and then finding it
#: taken; nothing on SQLite, whose writers take turns anyway.
_CLAIM = (
    "UPDATE jobs SET state = 'running', lease_until = ?, worker = ?, attempts = attempts + 1"
    " WHERE case_id = (SELECT case_id FROM jobs"
    " WHERE state = 'submitted' OR (state = 'running' AND lease_until < ?)"
    " ORDER BY enqueued_at LIMIT 1{skip_locked})"
    " AND (state = 'submitted' OR (state = 'running' AND lease_until < ?)) RETURNING case_id, attempts"
)


class LocalJobs:
    """Jobs as rows in the store, consumed by ``concurrency`` asyncio tasks of this process.

    ``lease`` is how long a claimed job stays this worker's without a renewal (renewed every
    third of it while the handler runs); ``poll`` how often an idle worker looks for jobs
    other instances enqueued (its own enqueues wake it at once). A handler that raises
    hands its job back; after ``MAX_ATTEMPTS`` the job is ``failed`` and ``on_give_up``
    (the runner's ``give_up``) ends the case, so nobody polls it for ever. Once ``stop`` is
    set, a running handler has ``grace`` seconds to finish; then it is cancelled and its
    job handed back at once (the attempt not counted), for this or another instance."""

    def __init__(
        self,
        pool: StorePool,
        *,
        concurrency: int = 1,
        lease: float = 30.0,
        poll: float = 0.25,
        clock: Callable[[], float] = time.time,
        on_give_up: Handler | None = None,
        grace: float = 20.0,
    ) -> None:
        self.pool, self.concurrency, self.lease, self.poll, self.clock = pool, concurrency, lease, poll, clock
        self.grace = grace
        self.on_give_up = on_give_up  # told of a case whose job crashed MAX_ATTEMPTS times
        self.worker_id = secrets.token_hex(6)
        self._wake = anyio.Event()

    async def enqueue(self, case_id: str) -> None:
        now = self.clock()
        await self.pool.arun(
            lambda s: s._run(
                lambda q: q(
                    "INSERT INTO jobs (case_id, state, enqueued_at) VALUES (?, 'submitted', ?)"
                    " ON CONFLICT (case_id) DO NOTHING",
                    (case_id, now),
                )
            )
        )
        self._wake.set()

    async def depth(self) -> int:
        return await self.pool.arun(
            lambda s: s._run(
                lambda q: int(q("SELECT count(*) FROM jobs WHERE state = 'submitted'", ())[0][0]), write=False
            )
        )

    def _claim(self, store: SqlStore) -> tuple[str, int] | None:
        now = self.clock()
        claim = _CLAIM.format(skip_locked=store.skip_locked)
        rows = store._run(lambda q: q(claim, (now + self.lease, self.worker_id, now, now)))
        return (str(rows[0][0]), int(rows[0][1])) if rows else None

    async def _set(self, case_id: str, sql: str, *args: object) -> None:
        """One update of this worker's job row, on a worker thread holding one connection
        (it was run inside ``pool.arun``, which holds one too: with every connection
        lent out that way, each waited for a second one)."""

        def tx(q: Query) -> None:
            q(sql, (*args, case_id, self.worker_id))

        await anyio.to_thread.run_sync(self.pool.pooled._run, tx, limiter=self.pool.limiter)

    async def work(self, handler: Handler, *, stop: anyio.Event) -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(self.concurrency):
                tg.start_soon(self._consume, handler, stop)

    async def _consume(self, handler: Handler, stop: anyio.Event) -> None:
        while not stop.is_set():
            try:
                claimed = await self.pool.arun(self._claim)
            except Exception:  # the database is away for a moment: try again later
                log.exception("claiming a job failed")
                claimed = None
            if claimed is None:
                await self._idle(stop)
                continue
            await self._run(handler, *claimed, stop)

    async def _idle(self, stop: anyio.Event) -> None:
        with anyio.move_on_after(self.poll):
            async with anyio.create_task_group() as tg:

                async def on_stop() -> None:
                    await stop.wait()
                    tg.cancel_scope.cancel()

                tg.start_soon(on_stop)
                await self._wake.wait()
                tg.cancel_scope.cancel()
        if self._wake.is_set():
            self._wake = anyio.Event()

    async def _run(self, handler: Handler, case_id: str, attempts: int, stop: anyio.Event) -> None:
        done, cut = False, anyio.Event()
        async with anyio.create_task_group() as tg:
            tg.start_soon(self._renew, case_id)

            async def cut_off_after_grace() -> None:
                await stop.wait()
                await anyio.sleep(self.grace)
                cut.set()
                tg.cancel_scope.cancel()

            tg.start_soon(cut_off_after_grace)
            try:
                await handler(case_id)
                done = True
            except Exception:
                log.exception("job for a case failed (attempt %d)", attempts)
            finally:
                tg.cancel_scope.cancel()
        with anyio.CancelScope(shield=True):  # record the ending even while shutting down
            if done:
                await self._finish(case_id, "done")
            elif cut.is_set():  # shutting down: back to the queue at once, the attempt not counted
                log.warning("a running job outlasted the shutdown grace; handed back")
                await self._hand_back(case_id, "attempts = attempts - 1, ")
            elif attempts >= MAX_ATTEMPTS:
                await self._finish(case_id, "failed")
                if self.on_give_up is not None:
                    with contextlib.suppress(Exception):
                        await self.on_give_up(case_id)
            else:  # hand it back: this or another worker tries again
                await self._hand_back(case_id)

    async def _hand_back(self, case_id: str, also: str = "") -> None:
        await self._set(
            case_id,
            f"UPDATE jobs SET {also}state = 'submitted', lease_until = NULL"
            " WHERE case_id = ? AND worker = ? AND state = 'running'",
        )

    async def _finish(self, case_id: str, state: str) -> None:
        await self._set(
            case_id, "UPDATE jobs SET state = ?, lease_until = NULL WHERE case_id = ? AND worker = ?", state
        )

    async def _renew(self, case_id: str) -> None:
        """Keep the lease while the handler runs (a killed process stops renewing)."""
        while True:
            await anyio.sleep(self.lease / 3)
            with contextlib.suppress(Exception):
                until = self.clock() + self.lease
                await self._set(
                    case_id,
                    "UPDATE jobs SET lease_until = ? WHERE case_id = ? AND worker = ? AND state = 'running'",
                    until,
                )
