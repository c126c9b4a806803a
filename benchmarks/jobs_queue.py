"""The durable job queue (``kyc_sdk.service.pgjobs``) on a real PostgreSQL.

1. Enqueue rate: N cases one at a time, then N more with 32 enqueues in flight
   (each a transaction that locks the case's job, if any, and inserts).
2. Drain rate: W worker processes (PgJobs defaults, concurrency 2 each) run the 2N jobs;
   the handler notes the run and decides its case in one UPDATE, so the figure is the
   queue's own cost. Jobs per second from the workers' start to the last decision,
   start-up included; every case must have run exactly once.
3. Hand-back after a kill: a worker process is SIGKILLed in the middle of a case; seconds
   until another worker has decided it (PgJobs defaults: heartbeat 2 s, stalled_after
   15 s, poll 1 s: at most about 18 s).

Each part uses a schema of its own in the database of --pg-url or $KYC_SDK_PG_URL (e.g.
under scripts/with-postgres.sh, whose server runs with fsync=off: commits cost less there
than on a durable server). Without one it says so and measures nothing.

    scripts/with-postgres.sh .venv/bin/python benchmarks/jobs_queue.py [--jobs 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time

import anyio
import psycopg

from kyc_sdk.service.pgjobs import PgJobs, upgrade_sync


def fresh(base: str, n_cases: int) -> tuple[str, list[str]]:
    schema = "bench_" + secrets.token_hex(4)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{base}?options=-csearch_path%3D{schema}"
    upgrade_sync(url)
    ids = [secrets.token_urlsafe(12) for _ in range(n_cases)]
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE runs (case_id TEXT NOT NULL, pid INT NOT NULL)")
        cur.execute("CREATE TABLE cases (case_id TEXT PRIMARY KEY, decided_by INT)")
        cur.executemany("INSERT INTO cases VALUES (%s, NULL)", [(i,) for i in ids])
    return url, ids


def one(url: str, query: str) -> object:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
        return row[0] if row else None


class Workers:
    def __init__(self, url: str, n: int, hold: float) -> None:
        cmd = [sys.executable, __file__, "--worker", url, "--hold", str(hold)]
        self.procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(n)]
        for p in self.procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            p.wait(timeout=60)


async def enqueue_rates(url: str, ids: list[str]) -> tuple[float, float]:
    half = len(ids) // 2
    async with PgJobs(url) as jobs:
        started = time.perf_counter()
        for case_id in ids[:half]:
            await jobs.enqueue(case_id)
        sequential = half / (time.perf_counter() - started)
        slots = asyncio.Semaphore(32)

        async def bounded(case_id: str) -> None:
            async with slots:
                await jobs.enqueue(case_id)

        started = time.perf_counter()
        await asyncio.gather(*(bounded(i) for i in ids[half:]))
        return sequential, (len(ids) - half) / (time.perf_counter() - started)


def wait_decided(url: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while one(url, "SELECT count(*) FROM cases WHERE decided_by IS NULL"):
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the cases to be decided")
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1000, help="cases per enqueue mode (2x in all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg-url", default=os.environ.get("KYC_SDK_PG_URL"))
    args = parser.parse_args()
    if not args.pg_url:
        print("not measured: no --pg-url / KYC_SDK_PG_URL")
        return
    base = args.pg_url

    url, ids = fresh(base, 2 * args.jobs)
    sequential, concurrent = asyncio.run(enqueue_rates(url, ids))
    print(f"enqueue: {sequential:.0f}/s one at a time, {concurrent:.0f}/s with 32 in flight")
    started = time.perf_counter()
    workers = Workers(url, args.workers, hold=0.0)
    wait_decided(url)
    took = time.perf_counter() - started
    workers.stop()
    runs, distinct = (
        one(url, "SELECT count(*) FROM runs"),
        one(url, "SELECT count(DISTINCT case_id) FROM runs"),
    )
    print(
        f"drain: {len(ids)} jobs by {args.workers} worker processes in {took:.1f} s = {len(ids) / took:.0f}"
        f" jobs/s (start-up included); runs {runs}, distinct cases {distinct}"
    )

    url, ids = fresh(base, 1)
    doomed = Workers(url, 1, hold=600.0)
    asyncio.run(enqueue_rates(url, ids))
    while not one(url, "SELECT count(*) FROM runs"):
        time.sleep(0.02)
    survivor = Workers(url, 1, hold=0.0)
    doomed.procs[0].kill()
    killed = time.monotonic()
    wait_decided(url)
    print(
        f"hand-back: a worker SIGKILLed mid-case; decided by another {time.monotonic() - killed:.1f} s later"
        f" (runs {one(url, 'SELECT count(*) FROM runs')})"
    )
    survivor.stop()
    print(f"(load average {os.getloadavg()[0]:.1f}; figures depend on the machine and its load)")


async def worker(url: str, hold: float) -> None:
    stop = anyio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
    pid = os.getpid()

    async def handler(case_id: str) -> None:
        await conn.execute("INSERT INTO runs VALUES (%s, %s)", (case_id, pid))
        await asyncio.sleep(hold)
        await conn.execute(
            "UPDATE cases SET decided_by = %s WHERE case_id = %s AND decided_by IS NULL", (pid, case_id)
        )

    async with PgJobs(url, concurrency=2) as jobs:
        print("ready", flush=True)
        await jobs.work(handler, stop=stop)
    await conn.close()


if __name__ == "__main__":
    if "--worker" in sys.argv:
        at = sys.argv.index("--worker")
        asyncio.run(worker(sys.argv[at + 1], float(sys.argv[sys.argv.index("--hold") + 1])))
    else:
        main()
