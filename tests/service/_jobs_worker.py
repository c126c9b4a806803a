"""A replica's job worker for the PgJobs tests, run as its own process.

    python -m tests.service._jobs_worker URL HOLD_SECONDS GRACE_SECONDS

Its handler behaves like the service's: it notes the run in ``runs`` (committed at once,
so a run cut short by SIGKILL still counts), works for HOLD seconds, then decides the case
in one statement that does nothing when the case is already decided. SIGTERM is a
graceful stop. Prints ``ready`` once consuming and ``stopped`` at a clean end.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import anyio
import psycopg

from kyc_sdk.service.pgjobs import PgJobs

HEARTBEAT_S = 0.3
STALLED_AFTER_S = 1.5


async def main(url: str, hold: float, grace: float) -> None:
    stop = anyio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
    pid = os.getpid()

    async def handler(case_id: str) -> None:
        await conn.execute("INSERT INTO runs (case_id, pid) VALUES (%s, %s)", (case_id, pid))
        await asyncio.sleep(hold)
        await conn.execute(
            "UPDATE cases SET decided_by = %s, decisions = decisions + 1"
            " WHERE case_id = %s AND decided_by IS NULL",
            (pid, case_id),
        )

    jobs = PgJobs(
        url,
        concurrency=2,
        heartbeat=HEARTBEAT_S,
        stalled_after=STALLED_AFTER_S,
        grace=grace,
        poll_interval=0.5,
    )
    async with jobs:
        print("ready", flush=True)
        await jobs.work(handler, stop=stop)
    await conn.close()
    print("stopped", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3])))
