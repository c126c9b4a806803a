"""Durable registration jobs on PostgreSQL, through procrastinate.

Why procrastinate (3.x) rather than pgqueuer: both are maintained PostgreSQL queues on
psycopg 3 with LISTEN/NOTIFY, ``SKIP LOCKED`` fetching and worker heartbeats. procrastinate
gives, as documented features, what this module needs: a *queueing lock* (at most one
waiting job per case, enforced by a partial unique index, so a duplicate enqueue is
refused by the database), a graceful shutdown that waits for running jobs for a grace
period and then cancels them so a retry strategy hands them back, heartbeats with a
query for the jobs of stalled workers, and its schema as plain SQL with versioned
migration files, which ``kyc-sdk db upgrade`` applies (``upgrade`` below). It has run in
production for years; pgqueuer is younger.

What procrastinate leaves to its user, and this module adds:

* A job whose worker died (SIGKILL, OOM, a lost host) stays ``doing``. Every ``work()``
  loop looks for jobs of workers whose heartbeat is older than ``stalled_after`` and hands
  them back, so another replica runs them within about ``stalled_after + heartbeat``
  seconds. The handler is idempotent, so the second run finds the case committed (no-op)
  or not (does it). A worker that is alive but whose event loop stalled longer than
  ``stalled_after`` has its job handed back too: the two runs then overlap, and the
  handler's one decision transaction is what keeps the case decided once.
* "Already waiting *or running* adds nothing": the queueing lock covers waiting jobs only,
  so ``enqueue`` first locks the case's waiting or running job, if any, in the same
  transaction as the insert.
* Not used: procrastinate's per-job ``lock`` (no two jobs of one lock run at once). Its
  check in the fetch query costs time in proportion to the backlog: with one lock per
  case, 5,000 waiting jobs drained at 42/s against 300/s without it (procrastinate issue
  #1242). ``enqueue`` already keeps a case to one job.

Spec: https://procrastinate.readthedocs.io/en/stable/ (howto/advanced/queueing_locks,
howto/production/retry_stalled_jobs, howto/advanced/shutdown, howto/production/migrations).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
import re
from collections.abc import Awaitable, Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import anyio

from kyc_sdk.errors import KycError
from kyc_sdk.sana.errors import SchemaError, StoreUnavailable

try:
    import procrastinate
    import psycopg
    import psycopg_pool
    from procrastinate import exceptions as pexc
    from procrastinate.retry import BaseRetryStrategy, RetryDecision
    from procrastinate.schema import SchemaManager
except ModuleNotFoundError as err:  # pragma: no cover - the service extra is missing
    from kyc_sdk.errors import MissingExtra

    raise MissingExtra("service", err.name or "procrastinate") from None

Handler = Callable[[str], Awaitable[None]]

log = logging.getLogger(__name__)

QUEUE = "kyc_registrations"
CONNECT_TIMEOUT_S = 10.0
TASK = "kyc_sdk.service.run_case"
_CASE_KEY = "kyc-case:"
_UPGRADE_LOCK = 0x4A4F4253  # "JOBS": replicas running `db upgrade` together take turns
_VERSION_TABLE = "kyc_jobs_schema"  # which procrastinate schema the database holds
_CASE_JOB = (
    "SELECT id FROM procrastinate_jobs WHERE queueing_lock = %s AND status IN ('todo', 'doing') FOR UPDATE"
)


class _HandBack(BaseRetryStrategy):
    """Failures are retried with a growing wait, up to ``max_attempts`` (a ``KycError``
    that is not retryable is not); a job cut off by shutdown (cancelled after the grace
    period) goes straight back to the queue."""

    def __init__(self, max_attempts: int, base_wait: float) -> None:
        self.max_attempts, self.base_wait = max_attempts, base_wait

    def get_retry_decision(self, *, exception: BaseException, job: Any) -> RetryDecision | None:
        if isinstance(exception, asyncio.CancelledError):
            return RetryDecision(retry_in={"seconds": 0})
        if isinstance(exception, KycError) and not exception.retryable:
            return None  # the same input fails the same way
        if job.attempts + 1 >= self.max_attempts:
            return None
        return RetryDecision(retry_in={"seconds": self.base_wait * 2**job.attempts})


class PgJobs:
    """The ``Jobs`` contract on PostgreSQL: ``enqueue``, ``work``, ``depth``.

    ``conninfo`` is a libpq URL (``postgresql://...``). The schema must exist (``upgrade``).
    Opens its connection pool on first use; ``aclose()`` (or ``async with``) closes it.
    ``concurrency`` is how many cases one replica runs at once (the heavy stages queue for
    the process pool anyway). A dead worker's job runs again within about
    ``stalled_after + heartbeat + poll_interval`` seconds (a handed-back job sends no
    notification, so the next poll finds it; polls also find retries that came due).
    ``grace`` is how long ``work`` waits for running cases once ``stop`` is set before
    handing them back (20 s: inside the 30 s a container platform usually allows between
    SIGTERM and SIGKILL; a replica killed anyway is covered by the hand-back above).
    ``on_give_up(case_id)`` is awaited when a job fails for the last time (no retry
    left, or an error that is not retryable), so its case is not left undecided.
    """

    def __init__(
        self,
        conninfo: str,
        *,
        queue: str = QUEUE,
        concurrency: int = 8,
        heartbeat: float = 2.0,
        stalled_after: float = 15.0,
        grace: float = 20.0,
        max_attempts: int = 5,
        retry_wait: float = 2.0,
        poll_interval: float = 1.0,
        pool_size: int = 10,
    ) -> None:
        if stalled_after <= heartbeat:
            raise ValueError("stalled_after must exceed the heartbeat interval")
        self.queue, self.concurrency = queue, concurrency
        self.heartbeat, self.stalled_after, self.grace = heartbeat, stalled_after, grace
        self.poll_interval = poll_interval
        # Our own pool (procrastinate takes it as is): its opening waits CONNECT_TIMEOUT_S,
        # and a failed opening leaves nothing half-open behind.
        self._conninfo, self._pool_size = conninfo, max(pool_size, 2)
        self._pool: psycopg_pool.AsyncConnectionPool | None = None
        self._app = procrastinate.App(connector=procrastinate.PsycopgConnector())
        self._handler: Handler | None = None
        self.on_give_up: Handler | None = None
        self._retry = _HandBack(max_attempts, retry_wait)
        self._task = self._app.task(name=TASK, queue=queue, retry=self._retry, pass_context=True)(self._run)
        self._open_lock = asyncio.Lock()

    # -- life cycle ------------------------------------------------------------------
    async def _open(self) -> procrastinate.App:
        async with self._open_lock:
            if self._pool is None:
                pool = psycopg_pool.AsyncConnectionPool(
                    self._conninfo,
                    min_size=1,
                    max_size=self._pool_size,
                    open=False,
                    check=psycopg_pool.AsyncConnectionPool.check_connection,
                    timeout=CONNECT_TIMEOUT_S,
                )
                try:
                    await pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
                    await self._app.open_async(pool)
                except (psycopg.Error, pexc.ConnectorException, OSError):
                    await pool.close()
                    # not chained: the libpq message may quote the URL's host and user
                    raise StoreUnavailable("cannot connect to PostgreSQL for the job queue") from None
                self._pool = pool
        return self._app

    async def aclose(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await self._app.close_async()  # leaves a pool it was given open
            await pool.close()

    async def __aenter__(self) -> PgJobs:
        await self._open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- the contract ----------------------------------------------------------------
    async def enqueue(self, case_id: str) -> None:
        """Durable (committed) once it returns; a case already waiting or running adds nothing."""
        await self._open()
        assert self._pool is not None
        key = _CASE_KEY + case_id
        try:
            async with self._pool.connection() as conn, conn.transaction():
                # Lock the case's waiting or running job, if it has one: a worker's fetch skips
                # locked rows, so the job cannot turn from waiting to running (freeing the
                # queueing lock) between this look and the insert.
                cur = await conn.execute(_CASE_JOB, (key,))
                if await cur.fetchone() is not None:
                    return
                await self._task.configure(queueing_lock=key, connection=conn).defer_async(case_id=case_id)
        except pexc.AlreadyEnqueued:
            return  # a concurrent enqueue of the same case won
        except (pexc.ConnectorException, psycopg.Error) as err:
            raise StoreUnavailable("the job queue refused the job") from err

    async def depth(self) -> int:
        """Jobs waiting in the queue (including retries scheduled for later)."""
        app = await self._open()
        try:
            stats = await app.job_manager.list_queues_async(queue=self.queue, status="todo")
        except pexc.ConnectorException as err:
            raise StoreUnavailable("cannot read the job queue") from err
        return sum(int(row["todo"]) for row in stats)

    async def work(self, handler: Handler, *, stop: anyio.Event) -> None:
        """Run ``handler(case_id)`` for each job until ``stop`` is set (or this call is
        cancelled); then give running cases ``grace`` seconds and hand back what is still
        running. A worker that fails (the database went away) is started again after a pause."""
        app = await self._open()
        self._handler = handler
        rescuer = asyncio.create_task(self._rescue_stalled(app), name="kyc-jobs-rescue")
        try:
            while not stop.is_set():
                worker = asyncio.create_task(self._run_worker(app), name="kyc-jobs-worker")
                stopped = asyncio.create_task(stop.wait())
                try:
                    await asyncio.wait({worker, stopped}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    stopped.cancel()
                    if not worker.done():
                        # procrastinate's worker takes cancellation as "stop gracefully"; the
                        # shield keeps a cancelled caller waiting for it (at most the grace).
                        worker.cancel()
                        with anyio.CancelScope(shield=True):
                            await asyncio.wait({worker})
                if stop.is_set():
                    break
                if not worker.cancelled() and (exc := worker.exception()):
                    log.warning("job worker ended (%s); starting again", type(exc).__name__)
                with anyio.move_on_after(self.poll_interval):
                    await stop.wait()
        finally:
            rescuer.cancel()
            with anyio.CancelScope(shield=True):
                await asyncio.wait({rescuer})

    # -- internals -------------------------------------------------------------------
    async def _run(self, context: Any, case_id: str) -> None:
        if self._handler is None:  # pragma: no cover - only work() consumes jobs
            raise RuntimeError("no handler: this PgJobs is not working")
        try:
            await self._handler(case_id)
        except BaseException as exc:
            last = self._retry.get_retry_decision(exception=exc, job=context.job) is None
            if last and self.on_give_up is not None:
                with anyio.CancelScope(shield=True), contextlib.suppress(Exception):
                    await self.on_give_up(case_id)
            raise

    async def _run_worker(self, app: procrastinate.App) -> None:
        await app.run_worker_async(
            queues=[self.queue],
            concurrency=self.concurrency,
            install_signal_handlers=False,
            shutdown_graceful_timeout=self.grace,
            update_heartbeat_interval=self.heartbeat,
            stalled_worker_timeout=self.stalled_after,
            fetch_job_polling_interval=self.poll_interval,
            delete_jobs="successful",
            name="kyc-jobs",
        )

    async def _rescue_stalled(self, app: procrastinate.App) -> None:
        """Hand back the jobs of workers whose heartbeat stopped (they died mid-job)."""
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                stalled = await app.job_manager.get_stalled_jobs(
                    queue=self.queue, task_name=TASK, seconds_since_heartbeat=self.stalled_after
                )
                for job in stalled:
                    assert job.id is not None
                    # Another replica may hand it back first: then it is not 'doing' any more.
                    with contextlib.suppress(pexc.ConnectorException):
                        await app.job_manager.retry_job_by_id_async(
                            job_id=job.id, retry_at=datetime.datetime.now(datetime.UTC)
                        )
                        log.info("handed back a job whose worker stopped beating")
            except pexc.ConnectorException as err:
                log.warning("stalled-job check failed (%s)", type(err).__name__)


# -- schema -----------------------------------------------------------------------------
def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def _pending_migrations(since: str, upto: str) -> list[Path]:
    """procrastinate's migration files newer than ``since`` up to ``upto``, in order."""
    folder = Path(SchemaManager.get_migrations_path())
    chosen = []
    for path in sorted(folder.glob("*.sql")):
        version = _version_key(path.name.split("_", 1)[0])
        if _version_key(since) < version <= _version_key(upto):
            chosen.append(path)
    return chosen


def _upgrade_sql(conn: Any) -> str:
    """Bring procrastinate's schema to the installed version; returns what was done.
    Runs inside the caller's transaction, under a transaction-level advisory lock."""
    installed = metadata.version("procrastinate")
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_UPGRADE_LOCK,))
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {_VERSION_TABLE}"
        " (id INT PRIMARY KEY CHECK (id = 1), version TEXT NOT NULL)"
    )
    row = conn.execute(f"SELECT version FROM {_VERSION_TABLE} WHERE id = 1").fetchone()
    has_tables = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()[0]
    if row is None:
        if has_tables:
            raise SchemaError("procrastinate tables exist but their version is unknown to kyc-sdk")
        conn.execute(SchemaManager.get_schema())
        conn.execute(f"INSERT INTO {_VERSION_TABLE} VALUES (1, %s)", (installed,))
        done = f"created the job queue schema (procrastinate {installed})"
    else:
        current = row[0]
        if _version_key(current) > _version_key(installed):
            raise SchemaError("the job queue schema is newer than the installed procrastinate")
        if _version_key(current) == _version_key(installed):
            done = "job queue schema is current"
        else:
            for path in _pending_migrations(current, installed):
                conn.execute(path.read_text(encoding="utf-8"))
            conn.execute(f"UPDATE {_VERSION_TABLE} SET version = %s WHERE id = 1", (installed,))
            done = f"migrated the job queue schema from procrastinate {current} to {installed}"
    # enqueue's look-up of a case's waiting or running job (procrastinate's own index on
    # queueing_lock covers waiting jobs only)
    conn.execute(
        "CREATE INDEX IF NOT EXISTS kyc_jobs_case_idx ON procrastinate_jobs (queueing_lock)"
        " WHERE status IN ('todo', 'doing')"
    )
    return done


def upgrade_sync(conninfo: str) -> str:
    """Create or migrate the job queue's schema (for ``kyc-sdk db upgrade``). Idempotent;
    replicas running it at once take turns on an advisory lock. Returns a summary line."""
    try:
        with psycopg.connect(conninfo, connect_timeout=int(CONNECT_TIMEOUT_S)) as conn, conn.transaction():
            return _upgrade_sql(conn)
    except psycopg.OperationalError:
        raise StoreUnavailable("cannot connect to PostgreSQL") from None  # the URL may hold a password


def check_sync(conninfo: str) -> None:
    """Refuse (``SchemaError``) a database whose job queue schema is missing or older than
    the installed procrastinate: the service then tells to run ``kyc-sdk db upgrade``."""
    installed = metadata.version("procrastinate")
    try:
        with psycopg.connect(conninfo, connect_timeout=int(CONNECT_TIMEOUT_S), autocommit=True) as conn:
            missing = conn.execute("SELECT to_regclass(%s) IS NULL", (_VERSION_TABLE,)).fetchone()
            row = None
            if missing is not None and not missing[0]:
                row = conn.execute(f"SELECT version FROM {_VERSION_TABLE} WHERE id = 1").fetchone()
            current = row[0] if row else None
    except psycopg.OperationalError:
        raise StoreUnavailable("cannot connect to PostgreSQL") from None
    if current is None or _version_key(current) < _version_key(installed):
        have = "missing" if current is None else f"procrastinate {current}"
        raise SchemaError(
            f"the job queue schema is {have}, this service needs procrastinate {installed}:"
            " run `kyc-sdk db upgrade --db URL` first"
        )


async def upgrade(conninfo: str) -> str:
    """``upgrade_sync`` off the event loop."""
    return await anyio.to_thread.run_sync(upgrade_sync, conninfo)
