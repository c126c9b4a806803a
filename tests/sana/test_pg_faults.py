"""PostgreSQL under contention and outage: concurrent re-issues never hand out a revoked
code nor surface a deadlock, and a store survives a server restart (issue #15, item 6)."""

from __future__ import annotations

import threading
import time

import pytest

from kyc_sdk.attestation import load_jwks
from kyc_sdk.errors import KycError
from kyc_sdk.sana import Issuer, StoreUnavailable, open_store
from tests.attestation.factory import NOW, token
from tests.sana.conftest import fresh_url

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out


def revoked_then_handed_out(store) -> list[int]:
    """Audit ``seq``s that hand out (issue, repeat, reissue) a code an earlier entry revoked."""
    with store._tx() as q:
        rows = q("SELECT seq, event, code FROM audit ORDER BY seq", ())
    revoked: set[str] = set()
    bad = []
    for seq, event, code in rows:
        if event == "revoked":
            revoked.add(code)
        elif code in revoked:
            bad.append(seq)
    return bad


def test_concurrent_reissue_hands_out_no_revoked_code(tmp_path, ring):
    url = fresh_url("postgres", tmp_path)
    open_store(url).close()
    jwks = load_jwks(ring.jwks())
    errors: list[BaseException] = []
    done = [0]
    stop = time.monotonic() + 4

    def worker(n: int) -> None:
        store = open_store(url)
        issuer = Issuer(store, jwks, clock=lambda: NOW)
        try:
            i = 0
            while time.monotonic() < stop:
                i += 1
                t = token(ring.signer)  # one person, a fresh jti each time
                try:
                    (issuer.reissue if (i + n) % 2 else issuer.issue)(t)
                    done[0] += 1
                except KycError as err:
                    errors.append(err)
        finally:
            store.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store = open_store(url)
    try:
        assert revoked_then_handed_out(store) == []
        assert errors == []
        assert done[0] > 50
        with store._tx() as q:
            assert q("SELECT count(*) FROM codes WHERE status = 'active'", ())[0][0] == 1
        assert store.verify_audit().valid
    finally:
        store.close()


def test_a_store_works_again_after_a_server_restart(pg_cluster, ring):
    store = open_store(pg_cluster.url)
    issuer = Issuer(store, load_jwks(ring.jwks()), clock=lambda: NOW)
    try:
        first = issuer.issue(token(ring.signer))
        pg_cluster.restart()  # every connection is cut, as a crash or failover would
        again = issuer.issue(token(ring.signer))  # the very first call after it succeeds
        assert again.sana_code == first.sana_code and not again.new
        pg_cluster.stop()
        with pytest.raises(StoreUnavailable) as info:  # down: a typed, retryable error, fast
            issuer.issue(token(ring.signer))
        assert info.value.retryable
        pg_cluster.start()
        assert issuer.reissue(token(ring.signer)).new
        assert store.verify_audit().valid and store.first_use("t", "k", expires_at=2.0, now=1.0)
    finally:
        store.close()


def _raise_sqlstate(q, state: str) -> None:
    """A real error from the server with this SQLSTATE (as a deadlock would raise it)."""
    q(f"DO $$ BEGIN RAISE EXCEPTION 'injected' USING ERRCODE = '{state}'; END $$", ())


@pytest.mark.parametrize("state", ["40P01", "40001"])  # deadlock_detected, serialization_failure
def test_deadlocks_and_serialization_failures_are_retried_whole(tmp_path, state):
    store = open_store(fresh_url("postgres", tmp_path))
    attempts = []

    def body(q):
        attempts.append(1)
        q("INSERT INTO once VALUES ('t', ?, 1e12)", (f"k{len(attempts)}",))
        if len(attempts) < 3:
            _raise_sqlstate(q, state)
        return len(attempts)

    try:
        assert store._run(body) == 3
        with store._tx() as q:  # the failed attempts left nothing behind
            assert q("SELECT key FROM once", ()) == [("k3",)]
        with pytest.raises(StoreUnavailable):  # bounded: a conflict that never ends is reported
            store._run(lambda q: _raise_sqlstate(q, state))
    finally:
        store.close()


def test_read_only_postgres_creates_nothing(tmp_path):
    from kyc_sdk.sana import IssuanceError, StoreNotFound

    url = fresh_url("postgres", tmp_path)
    with pytest.raises(StoreNotFound):
        open_store(url, read_only=True)
    with pytest.raises(StoreNotFound):
        open_store(url, create=False)
    open_store(url).close()
    ro = open_store(url, read_only=True)
    try:
        assert ro.counts() == {"codes": 0, "jtis": 0, "audit": 0} and ro.verify_audit().valid
        with pytest.raises(IssuanceError) as info:
            ro.first_use("t", "k", expires_at=2.0, now=1.0)
        assert not info.value.retryable
        with pytest.raises(Exception, match="read-only"), ro._tx() as q:  # the server refuses writes too
            q("INSERT INTO once VALUES ('t', 'k', 2)", ())
    finally:
        ro.close()
