"""``LocalJobs`` on a real SQLite file and (when KYC_SDK_PG_URL is set) PostgreSQL: a lease
renewed while a long handler runs keeps a second worker off the job, a crashing handler
is tried MAX_ATTEMPTS times and then the case is ended, and stopping lets a running
handler finish, or, past the grace, hands its job back."""

from __future__ import annotations

import anyio
import pytest

from kyc_sdk.models import Subject
from kyc_sdk.sana import open_store
from kyc_sdk.service import cases
from kyc_sdk.service.cases import StorePool
from kyc_sdk.service.jobs import MAX_ATTEMPTS, LocalJobs
from tests.service.app_harness import databases, fresh_db


@pytest.fixture(params=databases())
def pool(request, tmp_path):
    made = StorePool(fresh_db(request.param, tmp_path))
    yield made
    made.close()


def _submitted(pool: StorePool, case_id: str) -> None:
    from kyc_sdk.liveness import new_challenge

    def make(store) -> None:
        cases.create(
            store, case_id, "token", "resident", Subject(national_code="0499370899"), new_challenge(), 1.0
        )
        store._run(lambda q: q("UPDATE cases SET status = 'submitted' WHERE id = ?", (case_id,)))

    pool.run(make)


def _job(pool: StorePool, case_id: str) -> tuple:
    return pool.run(
        lambda s: s._run(
            lambda q: q("SELECT state, attempts FROM jobs WHERE case_id = ?", (case_id,))[0], write=False
        )
    )


def _work_until(pool: StorePool, handler, done: list[str], enqueue: str | None = None) -> None:
    """A worker of ``pool`` runs ``handler`` (after enqueuing ``enqueue``) until ``done``
    holds a case, then stops."""

    async def go() -> None:
        jobs = LocalJobs(pool, poll=0.05)
        stop = anyio.Event()
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: jobs.work(handler, stop=stop))
            if enqueue is not None:
                await jobs.enqueue(enqueue)
            with anyio.fail_after(10):
                while not done:
                    await anyio.sleep(0.05)
            stop.set()

    anyio.run(go)


@pytest.mark.slow  # seconds: leases long enough that a loaded machine's stalls do not expire them
def test_a_renewed_lease_keeps_another_worker_off_a_long_job(pool) -> None:
    _submitted(pool, "long")
    runs: list[str] = []

    async def slow(case_id: str) -> None:
        runs.append(case_id)
        await anyio.sleep(4.5)  # three leases long: only renewals keep it

    async def go() -> None:
        first, second = LocalJobs(pool, lease=1.5, poll=0.05), LocalJobs(pool, lease=1.5, poll=0.05)
        stop = anyio.Event()
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: first.work(slow, stop=stop))
            await first.enqueue("long")
            await anyio.sleep(0.2)
            tg.start_soon(lambda: second.work(slow, stop=stop))
            await anyio.sleep(5.0)
            stop.set()

    anyio.run(go)
    assert runs == ["long"]
    assert _job(pool, "long") == ("done", 1)


def test_a_crashing_handler_is_retried_then_its_case_is_ended(pool) -> None:
    _submitted(pool, "bad")
    calls: list[str] = []
    ended: list[str] = []

    async def crash(case_id: str) -> None:
        calls.append(case_id)
        raise RuntimeError("a bug, not the person's input")

    async def give_up(case_id: str) -> None:
        ended.append(case_id)

    async def go() -> None:
        jobs = LocalJobs(pool, poll=0.05, on_give_up=give_up)
        stop = anyio.Event()
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: jobs.work(crash, stop=stop))
            await jobs.enqueue("bad")
            with anyio.fail_after(10):
                while not ended:
                    await anyio.sleep(0.05)
            stop.set()

    anyio.run(go)
    assert calls == ["bad"] * MAX_ATTEMPTS and ended == ["bad"]
    assert _job(pool, "bad") == ("failed", MAX_ATTEMPTS)


@pytest.mark.slow  # about a second: the quick loop (make check) leaves it to the full run
def test_stopping_lets_the_running_handler_finish(pool) -> None:
    _submitted(pool, "case")
    finished: list[str] = []

    async def handler(case_id: str) -> None:
        await anyio.sleep(0.5)
        finished.append(case_id)

    async def go() -> None:
        jobs = LocalJobs(pool, poll=0.05)
        stop = anyio.Event()
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: jobs.work(handler, stop=stop))
            await jobs.enqueue("case")
            await anyio.sleep(0.2)
            stop.set()  # while the handler runs: work() returns only after it

    anyio.run(go)
    assert finished == ["case"] and _job(pool, "case") == ("done", 1)


@pytest.mark.parametrize("kind", databases())
def test_a_pooled_store_is_made_while_every_connection_is_lent(kind: str, tmp_path) -> None:
    one = StorePool(fresh_db(kind, tmp_path), size=1)
    try:
        with one.store() as lent:  # made inside a transaction, it must not wait for a connection
            made = cases.PooledStore(one)
        assert (made.head_lock, made.skip_locked) == (lent.head_lock, lent.skip_locked)
        assert made.schema_version() == lent.schema_version()
    finally:
        one.close()


def test_a_pool_of_one_connection_records_a_finished_job(tmp_path) -> None:
    # Recording the job's end took a connection inside a borrowed one: with every
    # connection of the pool lent out (here its only one) it waited for ever.
    one = StorePool(fresh_db("sqlite", tmp_path), size=1)
    _submitted(one, "case")
    seen: list[str] = []

    async def handler(case_id: str) -> None:
        seen.append(case_id)

    try:
        _work_until(one, handler, seen, enqueue="case")
        assert seen == ["case"] and _job(one, "case") == ("done", 1)
    finally:
        one.close()


def test_a_handler_past_the_grace_is_handed_back_without_counting_the_attempt(pool) -> None:
    _submitted(pool, "slow")
    started = anyio.Event()

    async def stuck(case_id: str) -> None:
        started.set()
        await anyio.sleep(120)

    async def go() -> None:
        jobs = LocalJobs(pool, poll=0.05, grace=0.2)
        stop, stopped = anyio.Event(), anyio.Event()

        async def work() -> None:
            await jobs.work(stuck, stop=stop)
            stopped.set()

        async with anyio.create_task_group() as tg:
            tg.start_soon(work)
            await jobs.enqueue("slow")
            with anyio.fail_after(10):
                await started.wait()
            stop.set()
            with anyio.fail_after(60):  # work() returns after the grace, not the handler's 120 s
                await stopped.wait()

    anyio.run(go)
    assert _job(pool, "slow") == ("submitted", 0)  # claimable at once by any instance
    finished: list[str] = []

    async def finish(case_id: str) -> None:
        finished.append(case_id)

    _work_until(pool, finish, finished)
    assert finished == ["slow"] and _job(pool, "slow") == ("done", 1)


def test_the_runner_ends_a_given_up_case_as_failed(tmp_path) -> None:
    from types import SimpleNamespace

    from kyc_sdk.service.runner import Runner

    db = fresh_db("sqlite", tmp_path)
    pool = StorePool(db)
    try:
        _submitted(pool, "gone")
        runner = Runner(SimpleNamespace(pool=pool))
        anyio.run(runner.give_up, "gone")
        anyio.run(runner.give_up, "gone")  # ended already: nothing more to count
        case = pool.run(lambda s: cases.load(s, "gone"))
    finally:
        pool.close()
    assert case is not None and case.status == "failed"
    assert case.public()["error"]["error"] == "internal_error"
    failed = runner.metrics.registry.get_sample_value("kyc_cases_failed_total", {"error": "internal_error"})
    assert failed == 1
    store = open_store(db, create=False)
    assert store.counts()["codes"] == 0
    store.close()
