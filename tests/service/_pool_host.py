"""A host process with a stage pool, for the test that SIGKILLs it: prints its workers'
pids (one line) once they are warm, then waits to be killed."""

from __future__ import annotations

import asyncio

from kyc_sdk.service.pool import StagePool, _probe


async def main() -> None:
    pool = StagePool(2, warm=None)
    await pool.start()
    pids: set[int] = set()
    while len(pids) < 2:
        pids.update(await asyncio.gather(*(pool.run(_probe, 0.05) for _ in range(4))))
    print(" ".join(map(str, sorted(pids))), flush=True)
    await asyncio.sleep(600)


if __name__ == "__main__":
    asyncio.run(main())
