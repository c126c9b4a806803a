"""SQLite faults (issue #15, item 7): a writer stopped inside its transaction, a path that
is not a database, a mistyped path. Real files, real second processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kyc_sdk.cli import main
from kyc_sdk.sana import IssuanceError, SchemaError, StoreNotFound, open_store

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

ROOT = Path(__file__).resolve().parents[2]

HOLD = """
import sys, time
from kyc_sdk.sana import open_store
store = open_store(sys.argv[1])
with store._tx() as q:
    q("INSERT INTO jtis VALUES ('held', 0, 'now')", ())
    print("inside", flush=True)
    time.sleep(600)
"""

SECOND_WRITER = """
import json, sys, time
import kyc_sdk.sana.sqlite as sqlite
sqlite.BUSY_TIMEOUT_S = 1.0
from kyc_sdk.sana import open_store, CodeNotFound, StoreUnavailable
store = open_store(sys.argv[1])
t0 = time.monotonic()
try:
    store.revoke("3914177768", "now")
except CodeNotFound:
    print(json.dumps({"got": "not found"}))
except StoreUnavailable as err:
    print(json.dumps({"got": "unavailable", "retryable": err.retryable, "s": time.monotonic() - t0}))
print(json.dumps({"codes": store.counts()["codes"]}))  # reads still work
"""


def test_a_stopped_writer_blocks_others_only_for_the_busy_timeout(tmp_path):
    db = str(tmp_path / "sana.db")
    open_store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, db], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "inside"
        os.kill(holder.pid, signal.SIGSTOP)  # stopped inside its transaction, both locks held
        p = subprocess.run(
            [sys.executable, "-c", SECOND_WRITER, db],
            check=False,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert p.returncode == 0, p.stderr[-2000:]
        first, second = (json.loads(line) for line in p.stdout.splitlines())
        assert first["got"] == "unavailable" and first["retryable"] and 0.9 < first["s"] < 5
        assert second == {"codes": 0}
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        holder.stdout.close()
    store = open_store(db)  # the kernel freed the dead writer's locks: writers go on at once
    assert store.first_use("test", "key", expires_at=2e9, now=1e9)
    with store._tx() as q:
        assert q("SELECT count(*) FROM jtis", ())[0][0] == 0  # its half transaction rolled back
    store.close()


def _cli(*args: str) -> tuple[int, dict]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, json.loads(res.stdout)


@pytest.mark.parametrize(
    "command", [["sana", "show", "3914177768"], ["sana", "audit", "verify"], ["sana", "revoke", "3914177768"]]
)
def test_reading_commands_create_nothing(tmp_path, command):
    text = tmp_path / "passwd"
    text.write_text("root:x:0:0:root:/root:/bin/bash\n" * 20)
    before = sorted(os.listdir(tmp_path))
    code, out = _cli(*command, "--db", str(text), "--json")
    assert (code, out["error"], out["retryable"]) == (SchemaError.exit_code, "schema_error", False)
    code, out = _cli(*command, "--db", str(tmp_path / "mistyped.db"), "--json")
    assert (code, out["error"], out["retryable"]) == (StoreNotFound.exit_code, "store_not_found", False)
    assert sorted(os.listdir(tmp_path)) == before  # no .lock, no empty database


def test_open_modes(tmp_path):
    db = str(tmp_path / "sana.db")
    with pytest.raises(StoreNotFound):
        open_store(db, read_only=True)
    with pytest.raises(StoreNotFound):
        open_store(db, create=False)
    (tmp_path / "sana.db").touch()  # an empty file: SQLite would take it as an empty database
    with pytest.raises(StoreNotFound):
        open_store(db, read_only=True)
    os.unlink(db)
    open_store(db).close()
    ro = open_store(db, read_only=True)
    assert ro.counts() == {"codes": 0, "jtis": 0, "audit": 0} and ro.verify_audit().valid
    with pytest.raises(IssuanceError) as info:
        ro.first_use("t", "k", expires_at=2.0, now=1.0)  # a read-only store does not write
    assert not info.value.retryable
    ro.close()


def test_a_nul_in_a_path_is_store_not_found(tmp_path):
    for kw in ({}, {"read_only": True}, {"create": False}):
        with pytest.raises(StoreNotFound):
            open_store(str(tmp_path / "a\x00b.db"), **kw)
