"""Orchestration costs under ``AsyncKYC``: quorum latency, and throughput over loopback.

1. Quorum over every document vendor vs the slowest of them alone, against in-process
   sandboxes. Each vendor's sandbox answers after a fixed extra latency (``slow`` fault,
   different per vendor, so the network and not our CPU dominates, as with real
   vendors); the quorum asks all of them concurrently and must take about as long as the
   slowest one. Ratio = median(quorum) / median(slowest alone). Goal ≤ 1.2.
2. Throughput over real sockets: the hirkan sandbox (registry + Shahkar, two POSTs per
   verification) is served by uvicorn in a separate process (``--server-workers``
   workers) on loopback; ``AsyncKYC`` runs C verifications at once, for C in
   ``--concurrency``, each for ``--seconds`` after a 1 s warm-up, in one client process;
   the levels are run ``--repeat`` times in turn and each one's median run is shown, so
   a change in the machine's load spreads over all of them.
   Figures: verifications/s, and the CPU used in that time by the client and by the
   server (seconds of CPU per second of wall time: 1.0 is one core busy). The machine
   has few cores, so client and server compete for them; a client that needs less CPU
   per verification leaves more to the server. Goal: the figure at the highest
   concurrency ≥ 90 % of the best one. When other work loads the machine, the rate
   shows what the scheduler granted; verifications per CPU second (client + server) is
   shown too, as the figure that load does not move. (In-process sandboxes cannot show this: an ASGI
   transport never overlaps two requests on a socket, so no connection pool is used.)

    .venv/bin/python benchmarks/orchestration.py [--rounds 5] [--concurrency 1,8,32,128]
        [--seconds 5] [--repeat 3] [--server-workers 1] [--skip-quorum]

"Before / after" figures: run this file with ``PYTHONPATH`` pointing at another checkout
(the client and the server then both come from it).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import anyio

from kyc_sdk import AsyncKYC, CheckKind, Subject, VerificationRequest
from kyc_sdk.errors import KycError
from kyc_sdk.routing import Quorum, Single
from kyc_sdk.sandbox import Sandboxes, create, provider, sample_request
from kyc_sdk.sandbox.base import SandboxApp

DOCUMENT_VENDORS = ["aurora", "borealis", "cirrus", "delta", "echo", "fjord", "gilan"]
LATENCY = {name: 0.05 + 0.01 * i for i, name in enumerate(DOCUMENT_VENDORS)}  # seconds per request
TICKS = os.sysconf("SC_CLK_TCK")


def hirkan_sandbox() -> SandboxApp:
    """The server process's app (``uvicorn --factory orchestration:hirkan_sandbox``)."""
    return create("hirkan")


def request(ref: str) -> VerificationRequest:
    return sample_request(
        VerificationRequest(Subject(), reference=ref, checks=frozenset({CheckKind.DOCUMENT}))
    )


async def timed(kyc: AsyncKYC, ref: str) -> float:
    started = time.perf_counter()
    result = await kyc.verify(request(ref), deadline=60)
    assert result.decision.value == "APPROVED", result
    return time.perf_counter() - started


async def quorum_vs_slowest(rounds: int) -> None:
    slowest = max(LATENCY, key=LATENCY.__getitem__)
    faults = {name: {"slow": None} for name in DOCUMENT_VENDORS}
    alone, together = [], []
    for i in range(rounds):
        with Sandboxes(DOCUMENT_VENDORS, faults=faults) as sb:
            for name, app in sb.apps.items():
                app.faults.slow_seconds = LATENCY[name]
            async with AsyncKYC(sb.providers(), transport=sb.transport, policy=Single(slowest)) as kyc:
                alone.append(await timed(kyc, f"alone-{i}"))
            async with AsyncKYC(
                sb.providers(), transport=sb.transport, policy=Quorum(len(DOCUMENT_VENDORS))
            ) as kyc:
                together.append(await timed(kyc, f"quorum-{i}"))
    a, q = statistics.median(alone), statistics.median(together)
    print(
        f"quorum of {len(DOCUMENT_VENDORS)} document vendors: {q * 1e3:.0f} ms; slowest ({slowest}) alone: "
        f"{a * 1e3:.0f} ms; ratio {q / a:.3f} (median of {rounds} rounds)"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its live children."""
    total = 0.0
    pids = [pid]
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
    for p in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


@contextlib.contextmanager
def sandbox_server(workers: int) -> Iterator[tuple[str, int]]:
    """The hirkan sandbox served by uvicorn in another process; yields (base URL, pid)."""
    port = _free_port()
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "orchestration:hirkan_sandbox",
        "--app-dir", str(Path(__file__).parent), "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--log-level", "warning", "--no-access-log", "--lifespan", "off",
    ]  # fmt: skip
    server = subprocess.Popen(command)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.1)
        time.sleep(0.5 * workers)  # let every worker start listening
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


@dataclass(frozen=True)
class Run:
    rate: float  # verifications per second
    client_cpu: float  # CPU seconds per wall second
    server_cpu: float
    cpu_per_verification: float  # client CPU seconds
    load: float
    failed: dict[str, int]  # verifications that raised, by error


async def throughput(base_url: str, server_pid: int, concurrency: int, seconds: float) -> Run:
    async with AsyncKYC([provider("hirkan", base_url)]) as kyc:
        req = sample_request(VerificationRequest(Subject()))
        done = 0
        failed: collections.Counter[str] = collections.Counter()

        async def worker(until: float) -> None:
            nonlocal done
            while time.perf_counter() < until:
                try:
                    result = await kyc.verify(req)
                except KycError as err:  # counted and shown, not hidden in the rate
                    causes = getattr(err, "errors", None) or [err]
                    failed.update(f"{c.code} ({c.__cause__!r})" for c in causes)
                    continue
                assert result.decision.value == "APPROVED", result
                done += 1

        for _phase, span in (("warm-up", 1.0), ("measure", seconds)):
            done = 0
            failed.clear()
            cpu, server_cpu = time.process_time(), _tree_cpu(server_pid)
            started = time.perf_counter()
            async with anyio.create_task_group() as group:
                for _ in range(concurrency):
                    group.start_soon(worker, started + span)
            took = time.perf_counter() - started
            cpu, server_cpu = time.process_time() - cpu, _tree_cpu(server_pid) - server_cpu
        return Run(
            done / took, cpu / took, server_cpu / took, cpu / max(done, 1), os.getloadavg()[0], dict(failed)
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", default="1,8,32,128")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--server-workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-quorum", action="store_true")
    args = parser.parse_args()
    print(__doc__.split("\n\n")[1] + "\n")
    if not args.skip_quorum:
        anyio.run(quorum_vs_slowest, args.rounds)
    levels = [int(c) for c in args.concurrency.split(",")]
    print(
        f"AsyncKYC over loopback, hirkan sandbox in another process ({args.server_workers} uvicorn "
        f"worker(s)), {os.cpu_count()} cores; each level {args.repeat} time(s), in turn; the median run:"
    )
    runs: dict[int, list[Run]] = {c: [] for c in levels}
    with sandbox_server(args.server_workers) as (base_url, pid):
        for _ in range(args.repeat):
            for c in levels:
                runs[c].append(anyio.run(throughput, base_url, pid, c, args.seconds))
    rates = {}
    for c in levels:
        mid = sorted(runs[c], key=lambda r: r.rate)[len(runs[c]) // 2]
        rates[c] = mid.rate
        every = ", ".join(f"{r.rate:.0f}" for r in runs[c])
        print(
            f"  {c:>4} in flight: {mid.rate:6.0f} verifications/s (runs: {every}); CPU client "
            f"{mid.client_cpu:.2f}, server {mid.server_cpu:.2f}; client CPU a verification "
            f"{mid.cpu_per_verification * 1e6:.0f} µs; load average {mid.load:.1f}"
        )
        for run in runs[c]:
            for error, n in run.failed.items():
                print(f"         failed: {n} × {error}")
    best = max(rates, key=rates.__getitem__)
    print(
        f"at {levels[-1]} in flight: {rates[levels[-1]] / rates[best]:.0%} of the best "
        f"({rates[best]:.0f}/s at {best} in flight)"
    )
    # On a busy machine the rate follows the CPU the scheduler grants, not the client;
    # verifications per CPU second used (client + server) does not.
    per_cpu = {c: statistics.median(r.rate / (r.client_cpu + r.server_cpu) for r in runs[c]) for c in levels}
    top = max(per_cpu, key=per_cpu.__getitem__)
    print(
        "verifications per CPU second (client + server): "
        + ", ".join(f"{per_cpu[c]:.0f} at {c}" for c in levels)
        + f"; at {levels[-1]} in flight {per_cpu[levels[-1]] / per_cpu[top]:.0%} of the best"
    )


if __name__ == "__main__":
    main()
