"""``SqlStore.first_use``: single-use records (webhook event ids, nonces) shared by every
process and replica using the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kyc_sdk.errors import InputError
from kyc_sdk.once import OnceGuard
from kyc_sdk.sana import open_store
from kyc_sdk.sana.store import MIGRATIONS, ONCE_PRUNE_BATCH, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
CREATED = re.compile(r"CREATE TABLE (\w+)")


def test_first_use_then_refused_until_expiry(store):
    assert isinstance(store, OnceGuard)
    assert store.first_use("webhook:aurora", "evt-1", expires_at=1100.0, now=1000.0)
    assert not store.first_use("webhook:aurora", "evt-1", expires_at=1200.0, now=1050.0)
    assert not store.first_use("webhook:aurora", "evt-1", expires_at=1200.0, now=1099.9)
    assert store.first_use("webhook:cirrus", "evt-1", expires_at=1100.0, now=1050.0)  # namespaces apart
    assert store.first_use(
        "webhook:aurora", "evt-1", expires_at=1300.0, now=1100.0
    )  # expired: claimable again
    assert not store.first_use("webhook:aurora", "evt-1", expires_at=1400.0, now=1200.0)  # ... until 1300


@pytest.mark.parametrize(
    ("namespace", "key", "expires_at", "now"),
    [
        ("", "k", 2.0, 1.0),
        ("n", "", 2.0, 1.0),
        ("n", "k" * 513, 2.0, 1.0),
        ("n" * 65, "k", 2.0, 1.0),
        ("n", "a\x00b", 2.0, 1.0),
        ("n", "\udc80", 2.0, 1.0),
        (1, "k", 2.0, 1.0),
        ("n", b"k", 2.0, 1.0),
        ("n", "k", float("nan"), 1.0),
        ("n", "k", 2.0, float("inf")),
        ("n", "k", True, 1.0),
        ("n", "k", "2", 1.0),
    ],
)
def test_bad_arguments_are_input_errors(store, namespace, key, expires_at, now):
    with pytest.raises(InputError):
        store.first_use(namespace, key, expires_at=expires_at, now=now)


def test_expired_records_are_pruned_in_bounded_batches(store):
    for i in range(ONCE_PRUNE_BATCH * 2 + 10):
        assert store.first_use("nonce", f"n{i}", expires_at=10.0, now=1.0)
    assert store.first_use("nonce", "fresh", expires_at=100.0, now=50.0)  # prunes one batch
    with store._tx() as q:
        left = q("SELECT count(*) FROM once", ())[0][0]
    assert left == ONCE_PRUNE_BATCH + 10 + 1
    for _ in range(3):
        store.first_use("nonce", "fresh", expires_at=100.0, now=50.0)
    with store._tx() as q:
        assert q("SELECT key FROM once", ()) == [("fresh",)]


def test_a_version_1_database_is_migrated_with_its_codes(store_url, issuer, ring, store):
    from tests.attestation.factory import token

    issued = issuer.issue(token(ring.signer))
    later = [m.group(1) for v in sorted(MIGRATIONS)[1:] for s in MIGRATIONS[v] if (m := CREATED.match(s))]
    with store._tx() as q:  # back to what version 1 made
        for table in reversed(later):
            q(f"DROP TABLE {table}", ())
        q("DELETE FROM schema_version WHERE version > 1", ())
    again = open_store(store_url)
    assert "once" in later and again.schema_version() == max(MIGRATIONS) == SCHEMA_VERSION
    assert again.first_use("n", "k", expires_at=2.0, now=1.0)
    assert again.show(issued.sana_code).status == "active"
    again.close()


CLAIMER = """
import json, sys, time
from kyc_sdk.sana import open_store
url, keys = sys.argv[1], int(sys.argv[3])
start, expires_at, now = float(sys.argv[2]), float(sys.argv[4]), float(sys.argv[5])
store = open_store(url)
while time.time() < start:
    time.sleep(0.001)
won = [k for k in range(keys) if store.first_use("race", f"k{k}", expires_at=expires_at, now=now)]
print(json.dumps(won))
"""


def race(url: str, processes: int, keys: int, *, expires_at: float, now: float) -> list[list[int]]:
    """``processes`` processes claim the same ``keys`` at one moment; each one's winnings."""
    import time

    open_store(url).close()
    start = str(time.time() + 1.0)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, url, start, str(keys), str(expires_at), str(now)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
        results.append(json.loads(out))
    return results


@pytest.mark.slow  # four processes racing
def test_exactly_one_of_concurrent_claims_wins(store_url):
    fresh = race(store_url, 4, 150, expires_at=2e9, now=1e9)
    assert sorted(k for won in fresh for k in won) == list(range(150))  # each key won once, never twice
    # the same keys, all expired now: again exactly one claimer replaces each record
    expired = race(store_url, 4, 150, expires_at=3e9, now=2.5e9)
    assert sorted(k for won in expired for k in won) == list(range(150))
