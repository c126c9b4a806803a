"""The stage pool: real worker processes (forkserver), warmed once each, a killed worker
turned into a retryable error after which the pool still works."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from kyc_sdk.errors import ImageRejected
from kyc_sdk.service.pool import StageCrashed, StagePool, _kill_workers, usable_cores
from tests.service import _stages

WORKERS = 2


def _pool(tmp_path: Path, **kw) -> StagePool:
    warm = functools.partial(_stages.record_warm_up, str(tmp_path / "warm.log"))
    return StagePool(WORKERS, warm=warm, **kw)


def _warm_ups(tmp_path: Path) -> list[int]:
    return [int(line) for line in (tmp_path / "warm.log").read_text().split()]


def test_usable_cores_follows_the_affinity() -> None:
    assert usable_cores() == len(os.sched_getaffinity(0))


def test_results_come_back_and_each_worker_warms_once(tmp_path: Path) -> None:
    async def main() -> tuple[list[tuple[int, int]], bool]:
        pool = _pool(tmp_path)
        assert not pool.ready()
        async with pool:
            ready = pool.ready()
            results = await asyncio.gather(*(pool.run(_stages.square, i) for i in range(40)))
        return results, ready

    results, ready = asyncio.run(main())
    assert ready
    assert [r for r, _ in results] == [i * i for i in range(40)]
    warmed = _warm_ups(tmp_path)
    assert len(warmed) == WORKERS and len(set(warmed)) == WORKERS  # once per worker, every worker
    assert {pid for _, pid in results} <= set(warmed)  # no task ran in an unwarmed process
    assert os.getpid() not in warmed


def test_a_stage_error_comes_back_typed(tmp_path: Path) -> None:
    async def main() -> None:
        async with _pool(tmp_path) as pool:
            with pytest.raises(ImageRejected) as caught:
                await pool.run(_stages.reject, "no_face")
            assert caught.value.reason == "no_face"  # keyword fields survive the trip
            # quit() in a stage ends neither the worker's pool nor the host
            with pytest.raises(StageCrashed):
                await pool.run(_stages.call_quit)
            assert (await pool.run(_stages.square, 3))[0] == 9

    asyncio.run(main())


def test_a_killed_worker_is_a_retryable_error_and_the_pool_recovers(tmp_path: Path) -> None:
    marker = tmp_path / "pid"

    async def main() -> None:
        async with _pool(tmp_path) as pool:
            call = asyncio.create_task(pool.run(_stages.leave_pid_then_sleep, str(marker), 60.0))
            deadline = time.monotonic() + 30
            while not marker.exists() or not marker.read_text():
                assert time.monotonic() < deadline, "the task never started"
                await asyncio.sleep(0.02)
            victim = int(marker.read_text())
            os.kill(victim, signal.SIGKILL)
            with pytest.raises(StageCrashed) as caught:
                await call
            assert caught.value.retryable
            value, pid = await pool.run(_stages.square, 7)
            assert value == 49 and pid != victim
            await asyncio.wait_for(pool.wait_ready(), 60)
            assert pool.ready()

    asyncio.run(main())
    # the replacement workers warmed up too (two first, then two new ones)
    assert len(set(_warm_ups(tmp_path))) == 2 * WORKERS


@pytest.mark.slow  # about a second, mostly waiting
def test_a_call_past_its_timeout_restarts_the_workers(tmp_path: Path) -> None:
    async def main() -> None:
        async with _pool(tmp_path) as pool:
            started = time.monotonic()
            with pytest.raises(StageCrashed):
                await pool.run(_stages.hold, 120.0, timeout=0.5)
            assert time.monotonic() - started < 60  # far below the stuck call's 120 s
            assert (await pool.run(_stages.square, 5))[0] == 25

    asyncio.run(main())


def test_a_failing_warm_up_fails_the_start(tmp_path: Path) -> None:
    async def main() -> None:
        pool = StagePool(1, warm=_stages.call_quit)
        with pytest.raises(StageCrashed):
            await pool.start()
        assert not pool.ready()
        await pool.aclose()

    asyncio.run(main())


@pytest.mark.slow  # about a second, mostly waiting
def test_calls_beyond_max_pending_wait_their_turn(tmp_path: Path) -> None:
    async def main() -> None:
        async with _pool(tmp_path, max_pending=2) as pool:
            first = [asyncio.create_task(pool.run(_stages.hold, 0.6)) for _ in range(2)]
            await asyncio.sleep(0.05)
            third = asyncio.create_task(pool.run(_stages.square, 2))
            await asyncio.sleep(0.05)
            assert pool._slots is not None and pool._slots.locked()  # nothing more was submitted
            assert not third.done()
            await asyncio.gather(*first)
            assert (await third)[0] == 4

    asyncio.run(main())


def test_closing_with_a_timeout_stops_a_stuck_call(tmp_path: Path) -> None:
    async def main() -> None:
        pool = _pool(tmp_path)
        await pool.start()
        stuck = asyncio.create_task(pool.run(_stages.hold, 120.0))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        await pool.aclose(timeout=0.5)
        assert time.monotonic() - started < 60  # far below the stuck call's 120 s
        with pytest.raises(StageCrashed):
            await stuck

    asyncio.run(main())


def test_killing_the_workers_of_a_pool_that_just_shut_down_is_harmless() -> None:
    # aclose's timeout can fire as the shutdown ends, which leaves no process table
    executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    assert executor.submit(_stages.square, 3).result(timeout=60)[0] == 9
    executor.shutdown(wait=True)
    _kill_workers(executor)


def test_a_closed_pool_refuses_calls(tmp_path: Path) -> None:
    async def main() -> None:
        pool = _pool(tmp_path)
        await pool.start()
        await pool.aclose()
        with pytest.raises(StageCrashed):
            await pool.run(_stages.square, 1)

    asyncio.run(main())


@pytest.mark.slow
def test_the_default_warm_up_loads_the_real_models() -> None:
    from kyc_sdk.faces import match
    from kyc_sdk.registration import samples

    async def main() -> None:
        async with StagePool(1) as pool:
            assert pool.ready()
            face = samples.face()
            result = await pool.run(match, face, face)
            assert result.match and result.distance < 0.1  # the same picture: the models really ran

    asyncio.run(main())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        # a process that is exiting can vanish between the two calls: ENOENT or ESRCH
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except (ProcessLookupError, FileNotFoundError):
        return False
    return state != "Z"


@pytest.mark.slow
def test_workers_end_with_a_killed_host() -> None:
    root = Path(__file__).resolve().parents[2]
    host = subprocess.Popen(
        [sys.executable, "-m", "tests.service._pool_host"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert host.stdout is not None
        workers = [int(p) for p in host.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
    finally:
        host.kill()
        host.wait(timeout=30)
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in workers):
        assert time.monotonic() < deadline, "a worker outlived its host"
        time.sleep(0.1)
