"""The store campaign (issue #15): issuing processes killed with SIGKILL at random points
of their transactions, and a PostgreSQL server restarted under them, on both stores.

Whatever a worker was told (an acknowledged code) must be in the store afterwards with the
same person: 0 codes lost. No code twice, at most one active code per person: 0
duplicates. No half-written record, a valid audit chain, and the store takes writers
again. CI runs a short sample; ``--hostile-long`` runs minutes and prints the counts:

    KYC_SDK_PG_PORT=54334 scripts/with-postgres.sh python -m pytest -q -s -p no:cacheprovider \\
        tests/hostile/test_stores.py --hostile-long
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kyc_sdk.attestation import generate
from kyc_sdk.attestation.keys import to_jwk
from kyc_sdk.sana import open_store

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Campaign:
    url: str
    key_file: Path
    workers: int
    people: int
    acknowledged: list[dict] = field(default_factory=list)
    unavailable: int = 0
    kills: int = 0
    restarts: int = 0
    _procs: list[subprocess.Popen] = field(default_factory=list)
    _progress: dict[int, int] = field(default_factory=dict)  # pid -> lines acknowledged
    _readers: list[threading.Thread] = field(default_factory=list)
    _seed: int = 0

    def spawn(self) -> subprocess.Popen:
        self._seed += 1
        p = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.hostile._store_worker",
                self.url,
                str(self.key_file),
                str(self._seed),
                str(self.people),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        reader = threading.Thread(target=self._read, args=(p,), daemon=True)
        reader.start()
        self._readers.append(reader)
        return p

    def _read(self, p: subprocess.Popen) -> None:
        assert p.stdout is not None
        for raw in p.stdout:
            try:
                row = json.loads(raw)
            except ValueError:
                continue  # a torn line was never acknowledged
            if "unavailable" in row:
                self.unavailable += 1
            else:
                self.acknowledged.append(row)
                self._progress[p.pid] = self._progress.get(p.pid, 0) + 1

    def run(self, seconds: float, rng: random.Random, restart=None, restart_every: float = 0.0) -> None:
        """Workers issue for ``seconds``; a worker that has got into its loop is SIGKILLed
        0-100 ms later (anywhere in a transaction) and replaced; ``restart()`` is called
        every ``restart_every`` seconds."""
        self._procs = [self.spawn() for _ in range(self.workers)]
        end = time.monotonic() + seconds
        next_restart = time.monotonic() + restart_every if restart else float("inf")
        while time.monotonic() < end:
            ready = [i for i, p in enumerate(self._procs) if self._progress.get(p.pid, 0) >= 5]
            if not ready:
                time.sleep(0.01)
            else:
                i = rng.choice(ready)
                time.sleep(rng.uniform(0, 0.1))
                os.kill(self._procs[i].pid, signal.SIGKILL)
                self._procs[i].wait(timeout=10)
                self.kills += 1
                self._procs[i] = self.spawn()
            if time.monotonic() >= next_restart:
                restart()
                self.restarts += 1
                next_restart = time.monotonic() + restart_every
        for p in self._procs:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=10)
        for reader in self._readers:
            reader.join(timeout=10)

    def check(self) -> dict[str, int]:
        """Counts, with lost and duplicated codes (both must be 0)."""
        store = open_store(self.url)
        try:
            with store._tx() as q:
                codes = {c: (s, st) for c, s, st in q("SELECT code, subject, status FROM codes", ())}
                active = q(
                    "SELECT subject, count(*) FROM codes WHERE status = 'active' GROUP BY subject"
                    " HAVING count(*) > 1",
                    (),
                )
                orphans = q(
                    "SELECT count(*) FROM codes c WHERE NOT EXISTS (SELECT 1 FROM audit a"
                    " WHERE a.code = c.code AND a.event IN ('issued', 'reissued'))",
                    (),
                )[0][0]
                unlogged = q(
                    "SELECT count(*) FROM jtis j WHERE NOT EXISTS (SELECT 1 FROM audit a"
                    " WHERE a.jti = j.jti)",
                    (),
                )[0][0]
            lost = sum(1 for row in self.acknowledged if codes.get(row["code"], (None,))[0] != row["sub"])
            report = store.verify_audit()
            counts = {
                "acknowledged": len(self.acknowledged),
                "kills": self.kills,
                "restarts": self.restarts,
                "unavailable": self.unavailable,
                "codes": len(codes),
                "lost": lost,
                "duplicates": len(active),
                "half_written": orphans + unlogged,
                "audit_entries": report.entries,
                "audit_valid": int(report.valid),
            }
        finally:
            store.close()
        return counts


@pytest.fixture
def key_file(tmp_path) -> Path:
    path = tmp_path / "key.jwk"
    path.write_text(json.dumps(to_jwk(generate(), private=True)))
    return path


def _after(url: str, key_file: Path) -> None:
    """The store takes a writer again at once, from a fresh process."""
    out = subprocess.run(
        [sys.executable, "-m", "tests.sana._worker", url, str(key_file), "900000", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0 and len(out.stdout.splitlines()) == 3, out.stderr[-2000:]


def _assert_held(counts: dict[str, int]) -> None:
    print(f"\nstore campaign: {counts}")
    assert counts["acknowledged"] >= 15 and counts["kills"] >= 3
    assert (counts["lost"], counts["duplicates"], counts["half_written"], counts["audit_valid"]) == (
        0,
        0,
        0,
        1,
    )


def test_sigkill_campaign_sqlite(tmp_path, key_file, hostile_long):
    url = str(tmp_path / "sana.db")
    open_store(url).close()
    campaign = Campaign(url, key_file, workers=4 if hostile_long else 3, people=400 if hostile_long else 60)
    campaign.run(90 if hostile_long else 3, random.Random(15))
    _assert_held(campaign.check())
    _after(url, key_file)


def test_sigkill_and_restart_campaign_postgres(key_file, hostile_long, restartable_pg):
    url = restartable_pg.fresh_url()
    open_store(url).close()
    campaign = Campaign(url, key_file, workers=4 if hostile_long else 3, people=400 if hostile_long else 60)
    campaign.run(
        90 if hostile_long else 5,
        random.Random(15),
        restart=restartable_pg.restart,
        restart_every=10 if hostile_long else 2.5,
    )
    counts = campaign.check()
    _assert_held(counts)
    assert counts["restarts"] >= 1
    _after(url, key_file)


@pytest.fixture(scope="module")
def restartable_pg():
    from tests.sana.pg_cluster import Cluster

    cluster = Cluster()
    yield cluster
    cluster.remove()
