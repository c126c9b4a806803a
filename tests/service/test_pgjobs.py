"""Durable jobs on a real PostgreSQL (``scripts/with-postgres.sh``): worker processes
consume them once, a duplicate enqueue adds nothing, a SIGKILLed worker's job is finished
by another, a stop lets running cases finish or hands them back, and the queue's schema
is applied by ``upgrade`` however many replicas run it at once."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import psycopg
import pytest

from kyc_sdk.errors import InvalidIdentifier, ProviderUnavailable
from kyc_sdk.sana.errors import SchemaError, StoreUnavailable
from kyc_sdk.service import pgjobs
from kyc_sdk.service.pgjobs import PgJobs, upgrade_sync
from tests.ports import free_port
from tests.sana.conftest import pg_base_url

ROOT = Path(__file__).resolve().parents[2]
FAST: dict[str, Any] = {"heartbeat": 0.3, "stalled_after": 1.5, "poll_interval": 0.5}


def _fresh_schema_url() -> str:
    base = pg_base_url()
    schema = "jobs_" + secrets.token_hex(6)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{base}?options=-csearch_path%3D{schema}"


@pytest.fixture
def url() -> str:
    """An upgraded job queue in a schema of its own, with the tables the handlers write."""
    url = _fresh_schema_url()
    upgrade_sync(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE runs (case_id TEXT NOT NULL, pid INT NOT NULL)")
        conn.execute(
            "CREATE TABLE cases (case_id TEXT PRIMARY KEY, decided_by INT, decisions INT NOT NULL DEFAULT 0)"
        )
    return url


def _sql(url: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(query, params)
        return cur.fetchall() if cur.description else []


def _new_cases(url: str, n: int) -> list[str]:
    ids = [secrets.token_urlsafe(12) for _ in range(n)]
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.executemany("INSERT INTO cases (case_id) VALUES (%s)", [(i,) for i in ids])
    return ids


def _enqueue(url: str, ids: list[str]) -> None:
    async def main() -> None:
        async with PgJobs(url) as jobs:
            for case_id in ids:
                await jobs.enqueue(case_id)

    asyncio.run(main())


def _wait_for(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


class Worker:
    """A worker process (tests/service/_jobs_worker.py) of its own."""

    def __init__(self, url: str, *, hold: float, grace: float = 10.0) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.service._jobs_worker", url, str(hold), str(grace)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        _wait_for(lambda: "ready" in self.lines or self.proc.poll() is not None, "the worker to start")
        assert "ready" in self.lines, "the worker did not start"

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.strip())

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=60)
        self._reader.join(timeout=10)
        return code

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for w in started:
        if w.proc.poll() is None:
            w.kill()


# -- enqueue --------------------------------------------------------------------------
@pytest.mark.slow  # about a second: the quick loop (make check) leaves it to the full run
def test_a_case_already_queued_or_running_is_not_queued_again(url: str) -> None:
    first, second = _new_cases(url, 2)

    async def main() -> tuple[int, int, int]:
        async with PgJobs(url, **FAST) as jobs:
            await asyncio.gather(*(jobs.enqueue(first) for _ in range(10)))  # racing enqueues
            await jobs.enqueue(first)
            queued_once = await jobs.depth()
            await jobs.enqueue(second)
            queued_two = await jobs.depth()

            stop = anyio.Event()
            running = anyio.Event()
            release = anyio.Event()
            ran: list[str] = []

            async def handler(case_id: str) -> None:
                ran.append(case_id)
                if case_id == first:
                    running.set()
                    await release.wait()

            async with anyio.create_task_group() as tg:
                tg.start_soon(lambda: jobs.work(handler, stop=stop))
                with anyio.fail_after(30):
                    await running.wait()
                await jobs.enqueue(first)  # running: adds nothing
                while second not in ran:
                    await anyio.sleep(0.05)
                while_running = await jobs.depth()
                release.set()
                await anyio.sleep(0.5)  # a second job for `first` would run now (its insert notifies)
                stop.set()
            assert ran.count(first) == 1 and ran.count(second) == 1
            return queued_once, queued_two, while_running

    assert asyncio.run(main()) == (1, 2, 0)


def test_enqueue_is_durable_when_it_returns(url: str) -> None:
    (case,) = _new_cases(url, 1)
    _enqueue(url, [case])  # its connection pool is closed: what is left is in the database

    async def depth() -> int:
        async with PgJobs(url) as jobs:
            return await jobs.depth()

    assert asyncio.run(depth()) == 1


@pytest.mark.slow  # about a second, mostly waiting
def test_an_unreachable_database_is_a_retryable_error_without_the_password(monkeypatch) -> None:
    port = free_port()  # a loopback port nobody listens on
    monkeypatch.setattr(pgjobs, "CONNECT_TIMEOUT_S", 0.3)

    async def main() -> None:
        jobs = PgJobs(f"postgresql://kyc:s3cret-pw@127.0.0.1:{port}/none")
        for _ in range(2):  # a failed opening leaves nothing half-open behind
            with pytest.raises(StoreUnavailable) as caught:
                await jobs.enqueue("case")
            assert caught.value.retryable and "s3cret" not in str(caught.value)
            assert caught.value.__cause__ is None

    asyncio.run(main())


# -- stopping -------------------------------------------------------------------------
def _run_until_stopped(
    url: str, handler: Callable[[str], Awaitable[None]], started: anyio.Event, grace: float
):
    async def main() -> tuple[float, int]:
        async with PgJobs(url, grace=grace, **FAST) as jobs:
            stop = anyio.Event()
            async with anyio.create_task_group() as tg:
                tg.start_soon(lambda: jobs.work(handler, stop=stop))
                with anyio.fail_after(30):
                    await started.wait()
                stop.set()
                t0 = time.monotonic()
            return time.monotonic() - t0, await jobs.depth()

    return main


@pytest.mark.slow  # about a second: the quick loop (make check) leaves it to the full run
def test_a_stop_lets_the_running_case_finish(url: str) -> None:
    (case,) = _new_cases(url, 1)
    _enqueue(url, [case])
    started = anyio.Event()

    async def handler(case_id: str) -> None:
        started.set()
        await anyio.sleep(0.5)
        _sql(url, "UPDATE cases SET decided_by = 1, decisions = decisions + 1 WHERE case_id = %s", case_id)

    _, depth = asyncio.run(_run_until_stopped(url, handler, started, grace=20.0)())
    assert depth == 0
    assert _sql(url, "SELECT decisions FROM cases") == [(1,)]


@pytest.mark.slow  # about a second, mostly waiting
def test_cancelling_work_also_lets_the_running_case_finish(url: str) -> None:
    (case,) = _new_cases(url, 1)
    _enqueue(url, [case])

    async def main() -> int:
        async with PgJobs(url, grace=20.0, **FAST) as jobs:
            started = anyio.Event()

            async def handler(case_id: str) -> None:
                started.set()
                await anyio.sleep(0.5)
                _sql(url, "UPDATE cases SET decisions = decisions + 1 WHERE case_id = %s", case_id)

            async with anyio.create_task_group() as tg:
                tg.start_soon(lambda: jobs.work(handler, stop=anyio.Event()))
                with anyio.fail_after(30):
                    await started.wait()
                tg.cancel_scope.cancel()  # a server's lifespan ending, without the stop event
            return await jobs.depth()

    assert asyncio.run(main()) == 0
    assert _sql(url, "SELECT decisions FROM cases") == [(1,)]


@pytest.mark.slow  # about a second, mostly waiting
def test_a_non_retryable_error_is_not_retried(url: str) -> None:
    (case,) = _new_cases(url, 1)
    _enqueue(url, [case])
    attempts: list[str] = []

    async def refuse(case_id: str) -> None:
        attempts.append(case_id)
        raise InvalidIdentifier("national code fails its checksum", field="national_code")

    async def main() -> list[str | None]:
        async with PgJobs(url, retry_wait=0.0, **{**FAST, "poll_interval": 0.2}) as jobs:
            stop = anyio.Event()
            async with anyio.create_task_group() as tg:
                tg.start_soon(lambda: jobs.work(refuse, stop=stop))
                await anyio.sleep(0.8)  # a retry would have run by now (retry_wait 0, polls of 0.2 s)
                stop.set()
            return [job.status for job in await jobs._app.job_manager.list_jobs_async()]

    assert asyncio.run(main()) == ["failed"]
    assert attempts == [case]


@pytest.mark.slow  # about a second, mostly waiting
def test_a_retryable_failure_is_run_again(url: str) -> None:
    (case,) = _new_cases(url, 1)
    _enqueue(url, [case])
    attempts: list[str] = []
    done = anyio.Event()

    async def flaky(case_id: str) -> None:
        attempts.append(case_id)
        if len(attempts) == 1:
            raise ProviderUnavailable("the registry timed out", provider="registry")
        done.set()

    async def main() -> int:
        async with PgJobs(url, retry_wait=0.0, **FAST) as jobs:
            stop = anyio.Event()
            async with anyio.create_task_group() as tg:
                tg.start_soon(lambda: jobs.work(flaky, stop=stop))
                with anyio.fail_after(30):
                    await done.wait()
                stop.set()
            return await jobs.depth()

    assert asyncio.run(main()) == 0
    assert attempts == [case, case]


def test_a_stop_hands_back_a_case_that_outlasts_the_grace(url: str) -> None:
    (case,) = _new_cases(url, 1)
    _enqueue(url, [case])
    started = anyio.Event()

    async def stuck(case_id: str) -> None:
        started.set()
        await anyio.sleep(120)

    took, depth = asyncio.run(_run_until_stopped(url, stuck, started, grace=0.3)())
    assert took < 60  # far below the handler's 120 s: it was cut off, not waited for
    assert depth == 1  # handed back, waiting for a worker

    done = anyio.Event()

    async def finish(case_id: str) -> None:
        assert case_id == case
        done.set()

    asyncio.run(_run_until_stopped(url, finish, done, grace=5.0)())
    assert done.is_set()


# -- worker processes -----------------------------------------------------------------
@pytest.mark.slow
def test_two_worker_processes_run_every_case_once(url: str, workers: list[Worker]) -> None:
    workers += [Worker(url, hold=0.1), Worker(url, hold=0.1)]
    ids = _new_cases(url, 30)
    _enqueue(url, ids)
    _wait_for(
        lambda: _sql(url, "SELECT count(*) FROM cases WHERE decided_by IS NULL") == [(0,)], "every case"
    )
    runs = _sql(url, "SELECT case_id, pid FROM runs")
    assert sorted(c for c, _ in runs) == sorted(ids)  # each case ran once
    assert {p for _, p in runs} == {w.pid for w in workers}  # both processes took a share
    assert _sql(url, "SELECT DISTINCT decisions FROM cases") == [(1,)]
    assert [w.stop() for w in workers] == [0, 0]
    assert all("stopped" in w.lines for w in workers)


@pytest.mark.slow
def test_a_case_whose_worker_was_killed_is_finished_by_another(url: str, workers: list[Worker]) -> None:
    doomed = Worker(url, hold=120)
    workers.append(doomed)
    (case,) = _new_cases(url, 1)
    _enqueue(url, [case])
    _wait_for(lambda: bool(_sql(url, "SELECT 1 FROM runs")), "the first run")
    survivor = Worker(url, hold=0.1)
    workers.append(survivor)
    doomed.kill()  # mid-handler: the job is left 'doing' with a worker that no longer beats
    _wait_for(lambda: _sql(url, "SELECT decided_by FROM cases") != [(None,)], "the case to be finished")
    runs = _sql(url, "SELECT pid FROM runs")
    assert sorted(p for (p,) in runs) == sorted([doomed.pid, survivor.pid])  # at most twice
    assert _sql(url, "SELECT decided_by, decisions FROM cases") == [(survivor.pid, 1)]
    assert survivor.stop() == 0


# -- schema ---------------------------------------------------------------------------
def test_upgrade_is_idempotent_and_replicas_can_run_it_together() -> None:
    url = _fresh_schema_url()
    outcomes: list[str] = []
    threads = [threading.Thread(target=lambda: outcomes.append(upgrade_sync(url))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 3
    assert sum(o.startswith("created") for o in outcomes) == 1
    assert upgrade_sync(url) == "job queue schema is current"
    assert _sql(url, "SELECT to_regclass('procrastinate_jobs') IS NOT NULL") == [(True,)]


def test_a_newer_queue_schema_is_refused() -> None:
    url = _fresh_schema_url()
    upgrade_sync(url)
    _sql(url, "UPDATE kyc_jobs_schema SET version = '99.0.0'")
    with pytest.raises(SchemaError):
        upgrade_sync(url)


def test_only_the_migrations_between_two_versions_are_chosen() -> None:
    names = [p.name for p in pgjobs._pending_migrations("3.2.0", "3.4.0")]
    assert names and all(n.startswith(("03.03.", "03.04.")) for n in names)
    assert names == sorted(names)
    assert pgjobs._pending_migrations("3.4.0", "3.4.0") == []


# -- giving up --------------------------------------------------------------------------
def _give_up_after(url: str, handler: Callable[[str], Awaitable[None]], **kw: Any) -> list[str]:
    """Run one job until ``on_give_up`` is told of it (or 10 s pass); the cases given up."""
    given_up: list[str] = []

    async def main() -> None:
        async with PgJobs(url, retry_wait=0.0, **{**FAST, "poll_interval": 0.1, **kw}) as jobs:
            told = anyio.Event()

            async def give_up(case_id: str) -> None:
                given_up.append(case_id)
                told.set()

            jobs.on_give_up = give_up
            stop = anyio.Event()
            async with anyio.create_task_group() as tg:
                tg.start_soon(lambda: jobs.work(handler, stop=stop))
                with anyio.move_on_after(10):
                    await told.wait()
                await anyio.sleep(0.3)  # a second give-up, or another attempt, would come now
                stop.set()

    asyncio.run(main())
    return given_up


def test_a_job_out_of_attempts_is_given_up_once(url: str) -> None:
    (case,) = _new_cases(url, 1)
    _enqueue(url, [case])
    attempts: list[str] = []

    async def crash(case_id: str) -> None:
        attempts.append(case_id)
        raise ProviderUnavailable("the registry timed out", provider="registry")

    assert _give_up_after(url, crash, max_attempts=3) == [case]
    assert attempts == [case] * 3  # retried until the last attempt, then given up


def test_a_job_refused_for_good_is_given_up_at_once(url: str) -> None:
    (case,) = _new_cases(url, 1)
    _enqueue(url, [case])

    async def refuse(case_id: str) -> None:
        raise InvalidIdentifier("national code fails its checksum", field="national_code")

    assert _give_up_after(url, refuse) == [case]


def test_a_job_handed_back_at_shutdown_is_not_given_up(url: str) -> None:
    (case,) = _new_cases(url, 1)
    _enqueue(url, [case])
    given_up: list[str] = []
    started = anyio.Event()

    async def stuck(case_id: str) -> None:
        started.set()
        await anyio.sleep(120)

    async def main() -> int:
        async with PgJobs(url, grace=0.2, max_attempts=1, **FAST) as jobs:

            async def give_up(case_id: str) -> None:
                given_up.append(case_id)

            jobs.on_give_up = give_up
            stop = anyio.Event()
            async with anyio.create_task_group() as tg:
                tg.start_soon(lambda: jobs.work(stuck, stop=stop))
                with anyio.fail_after(30):
                    await started.wait()
                stop.set()
            return await jobs.depth()

    assert asyncio.run(main()) == 1 and given_up == []  # back in the queue, even on its last attempt
