"""SANA issuance throughput on SQLite and PostgreSQL, with 1 and 4 worker processes.

Method: each worker process opens its own store connection and pre-signs one EdDSA
attestation per new synthetic person (untimed); all workers then start together on a
barrier and each calls ``Issuer.issue(token)`` (JWS verify + rules + one transaction:
jti, code, audit entry, head) for its people. issuance/s = total issued / wall time from
the barrier to the last worker's end. A fresh SQLite file (WAL, synchronous=NORMAL) and
a fresh PostgreSQL schema per run. PostgreSQL comes from --pg-url or $KYC_SDK_PG_URL
(e.g. run under scripts/with-postgres.sh, which starts the server with fsync=off: say so
when quoting its figures). Goals (issue): >= 1,000/s with 1 worker, >= 2,000/s with 4.

    scripts/with-postgres.sh .venv/bin/python benchmarks/issuance_bench.py [-n 2000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kyc_sdk.attestation import KeyRing, generate, load_jwks, sign
from kyc_sdk.sana import Issuer, open_store
from tests.attestation.factory import SUBJECT_KEY, outcome


def worker(
    url: str, key_jwk: dict[str, Any], first: int, n: int, barrier: Barrier, done: Queue[float]
) -> None:
    from kyc_sdk.attestation.keys import from_jwk

    key = from_jwk(key_jwk)
    ring = KeyRing()
    ring.add(key)
    now = datetime.now(UTC)
    tokens = [
        sign(outcome(national_code=None, passport=f"B{i:09d}"), key, now=now, subject_key=SUBJECT_KEY)
        for i in range(first, first + n)
    ]
    issuer = Issuer(open_store(url), load_jwks(ring.jwks()), clock=lambda: now)
    barrier.wait()
    for t in tokens:
        issuer.issue(t)
    done.put(time.perf_counter())


def run(url: str, workers: int, n: int) -> float:
    open_store(url).close()
    key = generate()
    from kyc_sdk.attestation.keys import to_jwk

    ctx = mp.get_context("fork")
    barrier, done = ctx.Barrier(workers + 1), ctx.Queue()
    per = n // workers
    procs = [
        ctx.Process(target=worker, args=(url, to_jwk(key, private=True), i * per, per, barrier, done))
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    end: float = max(done.get() for _ in procs)
    for p in procs:
        p.join()
    return per * workers / (end - start)


def pg_schema_url(base: str) -> str:
    import psycopg

    schema = "bench_" + secrets.token_hex(4)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{base}?options=-csearch_path%3D{schema}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=4000, help="issuances per run (split across workers)")
    parser.add_argument("--pg-url", default=os.environ.get("KYC_SDK_PG_URL"))
    args = parser.parse_args()
    print(
        f"SANA issuance/s, {args.n} new people per run, {os.cpu_count()} CPUs, verify+rules+transaction timed"
    )
    print(
        "load average before: {:.2f} {:.2f} {:.2f} (a shared machine halves these figures)".format(
            *os.getloadavg()
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 4):
            rate = run(str(Path(tmp) / f"bench{workers}.db"), workers, args.n)
            print(f"sqlite      workers={workers}  {rate:8.0f} issuances/s")
    if not args.pg_url:
        print("postgresql  not measured: no --pg-url / KYC_SDK_PG_URL")
        return
    for workers in (1, 4):
        rate = run(pg_schema_url(args.pg_url), workers, args.n)
        print(f"postgresql  workers={workers}  {rate:8.0f} issuances/s")


if __name__ == "__main__":
    main()
