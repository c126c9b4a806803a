"""Replicas of the registration service on one PostgreSQL, one of them killed mid-run.

    python benchmarks/replicas.py --replicas 3 --registrations 300 --kill 1
    python benchmarks/replicas.py --scaling 1,2,3 --registrations 60   # whole registrations/s
    python benchmarks/replicas.py --replicas 2 --api                   # req/s of each replica

Method. Without ``--db`` the script runs itself again under ``scripts/with-postgres.sh``
(a throw-away cluster on ``--pg-port``); then ``kyc-sdk db upgrade``, and N ``kyc-sdk
serve`` processes (one uvicorn worker each, on their own ports, the in-process vendor
sandboxes, shared signing and subject keys, one blob folder). Once every replica answers
``/readyz``, registrations go over HTTP, round robin across the live replicas (a request
refused by a dead replica is sent to the next, as a load balancer would): create the
case, upload the document(s), ask a fresh challenge, upload the selfie video performing
it (the demo's synthetic samples, rendered before the clock starts), submit, poll until
decided. Seven in ten are expected to be APPROVED (residents with a national card,
Iranians abroad with a passport); the others cycle through the failures: a replayed
selfie, a typed national code that is not the card's, a person the civil registry does
not know, a typed name the card contradicts (REVIEW), a mobile that is not the person's
(RETRY). For every submitted case the script sends a signed aurora webhook about it to
one replica and the same delivery at the same moment to another (a duplicate), and once
more to a third after the kill (a replay). When a share ``--kill-at`` of the cases has
been submitted, ``--kill`` replicas get SIGKILL (process group: no clean-up), and are
started again ``--down-s`` later.

The line: ``lost``: cases submitted and never decided within ``--settle-s``;
``duplicate_codes`` (from the database): codes beyond one per subject, ``issued`` audit
events beyond one per code, and approved cases whose code is not their subject's one;
``webhooks_replayed_applied``: deliveries of an event already applied that were applied
again (answer ``applied: true``); ``p50_ms``/``p95_ms``: submit to decided as the client
sees it (polling every 0.1 s); ``per_s``: decided cases per second from the first
creation to the last decision. ``unexpected`` counts decisions other than the case's
expected one, ``jobs_queue`` names the queue the replicas used (from its tables),
``retried_requests`` counts requests sent again to the next replica, by transport error
(a dead replica refuses; a live one may close an idle keep-alive connection just as it
is reused).
Figures depend on the machine and what else runs on it; this never gates CI.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime
import functools
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
THROWAWAY = "KYC_SDK_REPLICAS_THROWAWAY"  # set when this run owns the database it was given
PY = sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the registrations ------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Kind:
    name: str
    path: str
    subject: dict[str, str]
    front: bytes
    back: bytes | None
    replayed_selfie: bool
    expected: str


def _kinds() -> tuple[list[Kind], list[Kind]]:
    """(expected to be approved, failures), all rendered now (before the clock)."""
    from kyc_sdk.registration import samples as s

    def typed(subject: Any) -> dict[str, str]:
        return {k: v for k, v in dataclasses.asdict(subject).items() if v is not None}

    unknown = dataclasses.replace(s.RESIDENT, national_code="0790419904")  # hirkan: no registry record
    resident = typed(s.resident_subject())
    good = [
        Kind("resident", "resident", resident, s.card_front(), s.card_back(), False, "APPROVED"),
        Kind("abroad", "abroad", typed(s.abroad_subject()), s.passport_page(), None, False, "APPROVED"),
    ]
    bad = [
        Kind("replayed_selfie", "resident", resident, s.card_front(), s.card_back(), True, "DECLINED"),
        Kind(
            "typed_code_not_the_cards",
            "resident",
            {**resident, "national_code": s.SHAHKAR_MISMATCH.national_code},
            s.card_front(),
            s.card_back(),
            False,
            "DECLINED",
        ),
        Kind(
            "registry_declines",
            "resident",
            typed(s.resident_subject(unknown)),
            s.card_front(unknown),
            s.card_back(unknown),
            False,
            "DECLINED",
        ),
        Kind(
            "name_for_review",
            "resident",
            {**resident, "first_name": "حسین"},
            s.card_front(),
            None,
            False,
            "REVIEW",
        ),
        Kind(
            "mobile_not_theirs",
            "resident",
            typed(s.resident_subject(s.SHAHKAR_MISMATCH)),
            s.card_front(s.SHAHKAR_MISMATCH),
            s.card_back(s.SHAHKAR_MISMATCH),
            False,
            "RETRY",
        ),
    ]
    return good, bad


def plan(n: int, good: list[Kind], bad: list[Kind], failures: bool) -> list[Kind]:
    """Seven in ten expected approved, the rest cycling through the failures."""
    good_cycle, bad_cycle = itertools.cycle(good), itertools.cycle(bad)
    return [next(bad_cycle) if failures and i % 10 in (3, 6, 9) else next(good_cycle) for i in range(n)]


def _videos(cache: Path) -> tuple[Callable[[tuple[str, ...]], bytes], bytes]:
    """The selfie video for every possible challenge (rendered once), and the replay."""
    from kyc_sdk.liveness.challenge import ACTIONS
    from kyc_sdk.registration import samples as s

    def cached(name: str, make: Callable[[], bytes]) -> bytes:
        # the videos are deterministic (seeded by their steps): later runs read them back
        path = cache / f"{name}.avi"
        if not path.exists():
            part = path.with_suffix(f".{os.getpid()}.part")
            part.write_bytes(make())
            part.replace(path)  # whole or absent, whoever reads it
        return path.read_bytes()

    def performing(steps: tuple[str, ...]) -> bytes:
        return s.video_file(s.selfie_video(steps))

    made: dict[tuple[str, ...], bytes] = {}
    for n in (2, 3):
        for steps in itertools.permutations(ACTIONS, n):
            name = "-".join(steps)
            made[steps] = cached(name, functools.partial(performing, steps))
    return made.__getitem__, cached("replay", lambda: s.video_file(s.replay_video(2.0)))


def webhook(case_id: str) -> tuple[bytes, dict[str, str]]:
    """A signed aurora event naming the case (the service attaches it by case id)."""
    from kyc_sdk.sandbox.aurora import sign

    at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    obj = {"id": case_id, "status": "complete", "href": f"/v3/checks/{case_id}", "completed_at_iso8601": at}
    body = json.dumps({"payload": {"resource_type": "check", "action": "check.completed", "object": obj}})
    data = body.encode()
    return data, {"content-type": "application/json", "x-sha2-signature": sign(data)}


# -- the replicas -----------------------------------------------------------------------
class Fleet:
    """N ``kyc-sdk serve`` processes on one database; kill and restart by index."""

    def __init__(
        self, db: str, folder: Path, ports: list[int], jobs: int, lease_s: float, processes: int
    ) -> None:
        from kyc_sdk.attestation import generate
        from kyc_sdk.attestation.keys import save

        self.db, self.folder, self.ports, self.jobs, self.lease_s = db, folder, ports, jobs, lease_s
        self.processes = processes
        self.signing, self.subject = folder / "signing.pem", folder / "subject.key"
        save(generate(), self.signing)
        self.subject.write_bytes(os.urandom(32))
        self.procs: list[subprocess.Popen[bytes] | None] = [None] * len(ports)
        self.down: set[int] = set()

    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.ports]

    def start(self, i: int) -> None:
        command = [PY, "-m", "kyc_sdk.cli", "serve", "--db", self.db, "--port", str(self.ports[i])]
        command += ["--blobs", str(self.folder / "blobs"), "--jobs", str(self.jobs)]
        command += ["--processes", str(self.processes)]
        command += ["--signing-key", str(self.signing), "--subject-key", str(self.subject)]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KYC_SDK_LEASE_S": str(self.lease_s)}
        log = (self.folder / f"replica-{i}.log").open("ab")
        self.procs[i] = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
        )

    def kill(self, i: int) -> None:
        proc = self.procs[i]
        assert proc is not None
        self.down.add(i)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    async def ready(self, i: int, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=5) as client:
            while True:
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(self.urls()[i] + "/readyz")).status_code == 200:
                        self.down.discard(i)
                        return
                proc = self.procs[i]
                if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
                    tail = (self.folder / f"replica-{i}.log").read_text(errors="replace")[-2000:]
                    raise SystemExit(f"replica {i} did not become ready:\n{tail}")
                await asyncio.sleep(0.2)

    def stop(self) -> None:
        for proc in self.procs:
            if proc is not None and proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            if proc is None:
                continue
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


@contextlib.contextmanager
def fleet(db: str, n: int, args: argparse.Namespace) -> Iterator[Fleet]:
    with tempfile.TemporaryDirectory(prefix="kyc-replicas-") as folder:
        ports = [args.base_port + i if args.base_port else _free_port() for i in range(n)]
        f = Fleet(db, Path(folder), ports, args.jobs, args.lease_s, args.processes)
        try:
            for i in range(n):
                f.start(i)
            yield f
        finally:
            f.stop()
            if args.keep_logs:
                for log in Path(folder).glob("replica-*.log"):
                    (Path(args.keep_logs) / log.name).write_bytes(log.read_bytes())


def fresh_schema(db: str) -> None:
    """Empty the database's public schema, then ``kyc-sdk db upgrade`` (as an operator)."""
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [PY, "-m", "kyc_sdk.cli", "db", "upgrade", "--db", db, "--json"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


# -- the drive --------------------------------------------------------------------------
@dataclasses.dataclass
class Tally:
    submitted: dict[str, Kind] = dataclasses.field(default_factory=dict)
    decided: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    latency_ms: list[float] = dataclasses.field(default_factory=list)
    applied: dict[str, int] = dataclasses.field(default_factory=dict)  # case id -> deliveries applied
    retried: dict[str, int] = dataclasses.field(
        default_factory=dict
    )  # transport error -> requests sent again


class Driver:
    def __init__(self, f: Fleet, client: httpx.AsyncClient, video_for: Any, replay: bytes) -> None:
        self.f, self.client, self.video_for, self.replay = f, client, video_for, replay
        self.tally = Tally()
        self._next = itertools.count()
        self._sent: dict[str, tuple[bytes, dict[str, str]]] = {}

    async def call(self, method: str, path: str, *, prefer: int | None = None, **kw: Any) -> httpx.Response:
        """One request to a live replica; on a dead one (refused, reset), the next one."""
        urls = self.f.urls()
        start = next(self._next) if prefer is None else prefer
        for attempt in range(60):
            i = (start + attempt) % len(urls)
            if i in self.f.down and attempt < len(urls):
                continue
            try:
                return await self.client.request(method, urls[i] + path, **kw)
            except httpx.TransportError as err:  # a dead replica, or a keep-alive connection it just closed
                name = type(err).__name__
                self.tally.retried[name] = self.tally.retried.get(name, 0) + 1
                await asyncio.sleep(0.1)
        raise RuntimeError(f"no replica answered {method} {path}")

    async def register(self, kind: Kind) -> None:
        r = await self.call("POST", "/v1/cases", json={"path": kind.path, "subject": kind.subject})
        assert r.status_code == 201, r.text
        case_id, token = r.json()["id"], r.json()["token"]
        auth = {"authorization": f"Bearer {token}"}
        for name, data in (("document_front", kind.front), ("document_back", kind.back)):
            if data is not None:
                r = await self.call("PUT", f"/v1/cases/{case_id}/uploads/{name}", content=data, headers=auth)
                assert r.status_code == 201, r.text
        for _ in range(5):  # a video whose answer was lost to a kill spent its challenge: ask again
            r = await self.call("POST", f"/v1/cases/{case_id}/challenge", headers=auth)
            steps = tuple(r.json()["challenge"]["steps"])
            video = self.replay if kind.replayed_selfie else self.video_for(steps)
            r = await self.call(
                "PUT", f"/v1/cases/{case_id}/uploads/selfie_video", content=video, headers=auth
            )
            if r.status_code == 201:
                break
            assert r.status_code == 409, r.text
        r = await self.call("POST", f"/v1/cases/{case_id}/submit", headers=auth)
        assert r.status_code == 202, r.text
        submitted_at = time.perf_counter()
        self.tally.submitted[case_id] = kind
        await self.duplicate_webhook(case_id)
        while True:
            await asyncio.sleep(0.1)
            case = (await self.call("GET", f"/v1/cases/{case_id}", headers=auth)).json()
            if case["status"] not in ("open", "submitted"):
                self.tally.latency_ms.append((time.perf_counter() - submitted_at) * 1000)
                self.tally.decided[case_id] = case
                return

    async def deliver(self, case_id: str, body: bytes, headers: dict[str, str], replica: int) -> None:
        r = await self.call("POST", "/v1/webhooks/aurora", prefer=replica, content=body, headers=headers)
        assert r.status_code == 200, r.text
        if r.json()["applied"]:
            self.tally.applied[case_id] = self.tally.applied.get(case_id, 0) + 1

    async def duplicate_webhook(self, case_id: str) -> None:
        """The event to one replica and, at the same moment, to another."""
        body, headers = webhook(case_id)
        self.tally.applied.setdefault(case_id, 0)
        n = len(self.f.ports)
        first = hash(case_id) % n
        self._sent[case_id] = (body, headers)
        await asyncio.gather(
            self.deliver(case_id, body, headers, first), self.deliver(case_id, body, headers, (first + 1) % n)
        )

    async def replay_webhooks(self) -> None:
        """Every event once more, each to yet another replica."""
        n = len(self.f.ports)
        for case_id, (body, headers) in self._sent.items():
            await self.deliver(case_id, body, headers, (hash(case_id) + 2) % n)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _db_checks(db: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(db) as conn:

        def one(sql: str) -> Any:
            row = conn.execute(sql).fetchone()
            return row[0] if row else None

        extra_codes = one("SELECT count(*) - count(DISTINCT subject) FROM codes")
        reissued = one(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM audit"
            " WHERE event = 'issued' GROUP BY code) AS per_code"
        )
        foreign = one(
            "SELECT count(*) FROM cases WHERE decision = 'APPROVED'"
            " AND (sana_code IS NULL OR sana_code NOT IN (SELECT code FROM codes WHERE status = 'active'))"
        )
        per_path = one(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(DISTINCT sana_code) AS n FROM cases"
            " WHERE decision = 'APPROVED' GROUP BY subject) AS per_subject"
        )
        undecided = one("SELECT count(*) FROM cases WHERE status = 'submitted'")
        events = one("SELECT count(*) FROM case_events")
        queue = "LocalJobs" if one("SELECT count(*) FROM jobs") else "?"
        if queue == "?" and one("SELECT to_regclass('procrastinate_jobs') IS NOT NULL"):
            queue = "PgJobs (procrastinate)"  # it may delete finished jobs: its schema is the sign
    return {
        "duplicate_codes": int(extra_codes + reissued + foreign + per_path),
        "db_undecided": int(undecided),
        "db_events": int(events),
        "jobs_queue": queue,
    }


async def drive(
    db: str, args: argparse.Namespace, n: int, kills: int, kinds: Any, videos: Any
) -> dict[str, Any]:
    good, bad = kinds
    cases = plan(args.registrations, good, bad, not args.no_failures)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())  # others' work on the same cores skews every figure
    with fleet(db, n, args) as f:
        await asyncio.gather(*(f.ready(i) for i in range(n)))
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=100)
        async with httpx.AsyncClient(timeout=120, limits=limits) as client:
            d = Driver(f, client, *videos)
            gate = asyncio.Semaphore(args.in_flight or 2 * n * args.jobs + 2)
            killed = 0

            async def one(kind: Kind) -> None:
                async with gate:
                    await d.register(kind)

            async def killer() -> None:
                nonlocal killed
                if not kills:
                    return
                while len(d.tally.submitted) < args.kill_at * len(cases):
                    await asyncio.sleep(0.05)
                victims = list(range(min(kills, n)))
                for i in victims:
                    f.kill(i)
                    killed += 1
                await asyncio.sleep(args.down_s)
                for i in victims:
                    f.start(i)
                await asyncio.gather(*(f.ready(i) for i in victims))

            started = time.perf_counter()
            tasks = [asyncio.create_task(one(k)) for k in cases]
            kill_task = asyncio.create_task(killer())
            _, pending = await asyncio.wait(tasks, timeout=args.settle_s)
            for t in pending:
                t.cancel()
            await kill_task
            elapsed = time.perf_counter() - started
            for t in tasks:
                if t.done() and not t.cancelled() and t.exception() is not None:
                    raise t.exception()  # type: ignore[misc]
            await d.replay_webhooks()
            tally = d.tally
    checks = _db_checks(db)
    decisions = [c["decision"] or c["status"] for c in tally.decided.values()]
    unexpected = sum(
        1
        for cid, c in tally.decided.items()
        if (c["decision"] or c["status"]) != tally.submitted[cid].expected
    )
    return {
        "replicas": n,
        "registrations": len(cases),
        "approved": decisions.count("APPROVED"),
        "review": decisions.count("REVIEW"),
        "declined": decisions.count("DECLINED"),
        "retry": decisions.count("RETRY"),
        "failed": decisions.count("failed"),
        "lost": len(tally.submitted) - len(tally.decided),
        "duplicate_codes": checks["duplicate_codes"],
        "webhooks_replayed_applied": sum(max(0, k - 1) for k in tally.applied.values()),
        "webhooks_unapplied": sum(1 for k in tally.applied.values() if k == 0),
        "killed": killed,
        "p50_ms": round(_percentile(tally.latency_ms, 0.50)),
        "p95_ms": round(_percentile(tally.latency_ms, 0.95)),
        "max_ms": round(max(tally.latency_ms, default=0.0)),  # a killed replica's case waits for its lease
        "per_s": round(len(tally.decided) / elapsed, 3),
        "unexpected": unexpected,
        "never_submitted": len(cases) - len(tally.submitted),
        "db_undecided": checks["db_undecided"],
        "retried_requests": tally.retried,
        "jobs_queue": checks["jobs_queue"],
        "jobs_per_replica": args.jobs,
        "processes_per_replica": args.processes,
        "cpus": os.cpu_count(),
        "load_before": load,
    }


async def api_rates(db: str, args: argparse.Namespace, n: int) -> list[dict[str, Any]]:
    """``benchmarks/service_api.py``'s load (raw keep-alive HTTP/1.1) on each replica alone."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import service_api

    out = []
    with fleet(db, n, args) as f:
        await asyncio.gather(*(f.ready(i) for i in range(n)))
        for i, (url, port) in enumerate(zip(f.urls(), f.ports, strict=True)):
            for endpoint in ("get", "create", "healthz"):
                raw, ok = await asyncio.to_thread(service_api._request, endpoint, url, db)
                load = " ".join(f"{x:.1f}" for x in os.getloadavg())
                rate = await service_api._load(port, raw, ok, args.concurrency, args.seconds)
                out.append(
                    {
                        "replica": i,
                        "of": n,
                        "endpoint": endpoint,
                        "per_s": round(rate),
                        "cpus": os.cpu_count(),
                        "load_before": load,
                    }
                )
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", help="an empty PostgreSQL database this run may wipe (default: a throw-away one)"
    )
    parser.add_argument("--pg-port", type=int, default=0, help="port of the throw-away cluster")
    parser.add_argument(
        "--base-port", type=int, default=0, help="replica i listens on base+i (default: free)"
    )
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--registrations", type=int, default=300)
    parser.add_argument("--kill", type=int, default=1, help="replicas to SIGKILL mid-run")
    parser.add_argument("--kill-at", type=float, default=0.4, help="share of cases submitted before the kill")
    parser.add_argument("--down-s", type=float, default=3.0, help="seconds a killed replica stays down")
    parser.add_argument("--jobs", type=int, default=1, help="registrations each replica runs at once")
    parser.add_argument(
        "--processes", type=int, default=1, help="stage worker processes per replica (0: a thread; 2 cores)"
    )
    parser.add_argument("--lease-s", type=float, default=30.0, help="LocalJobs' lease (KYC_SDK_LEASE_S)")
    parser.add_argument(
        "--in-flight", type=int, default=0, help="registrations under way (default 2*N*jobs+2)"
    )
    parser.add_argument("--settle-s", type=float, default=1800, help="how long every case may take to decide")
    parser.add_argument("--no-failures", action="store_true", help="only cases expected to be approved")
    parser.add_argument("--scaling", help="e.g. 1,2,3: throughput per replica count (no kill)")
    parser.add_argument("--api", action="store_true", help="req/s of the endpoints without image work")
    parser.add_argument("--concurrency", type=int, default=32, help="--api connections")
    parser.add_argument("--seconds", type=float, default=5.0, help="--api seconds per endpoint")
    parser.add_argument(
        "--video-cache",
        default=str(Path(tempfile.gettempdir()) / "kyc-sdk-bench-videos"),
        help="folder keeping the rendered selfie videos between runs",
    )
    parser.add_argument("--keep-logs", help="folder to copy the replicas' logs into")
    args = parser.parse_args(argv)

    db = args.db or (os.environ.get("KYC_SDK_PG_URL") if os.environ.get(THROWAWAY) else None)
    if db is None:  # run again under a throw-away PostgreSQL
        env = {**os.environ, "KYC_SDK_PG_PORT": str(args.pg_port or _free_port()), THROWAWAY: "1"}
        env["PYTHONPATH"] = str(ROOT)
        return subprocess.call([str(ROOT / "scripts" / "with-postgres.sh"), PY, __file__, *argv], env=env)

    if args.api:
        fresh_schema(db)
        for line in asyncio.run(api_rates(db, args, args.replicas)):
            print(json.dumps(line), flush=True)
        return 0
    print("rendering the samples and the selfie videos…", file=sys.stderr, flush=True)
    cache = Path(args.video_cache)
    cache.mkdir(parents=True, exist_ok=True)
    kinds, videos = _kinds(), _videos(cache)
    counts = [int(x) for x in args.scaling.split(",")] if args.scaling else [args.replicas]
    for n in counts:
        fresh_schema(db)
        line = asyncio.run(drive(db, args, n, 0 if args.scaling else args.kill, kinds, videos))
        print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
