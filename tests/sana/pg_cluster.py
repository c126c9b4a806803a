"""A throw-away PostgreSQL cluster a test may stop and start (a server restart), on a
free port of its own: the one ``scripts/with-postgres.sh`` made is shared by the run.
Same steps as that script: Debian's binaries, ``initdb`` as the postgres user when root."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.ports import free_port


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    return Path(found[-1]) if found and Path(found[-1], "initdb").exists() else None


class Cluster:
    def __init__(self) -> None:
        binary = _bin()
        if binary is None:
            if os.environ.get("CI"):
                pytest.fail("PostgreSQL server binaries not found (scripts/setup.sh)")
            pytest.skip("PostgreSQL server binaries not found (scripts/setup.sh)")
        self.bin, self.port = binary, free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="kyc-sdk-pg-restart."))
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.dir / "data"), "-U", "postgres", "-A", "trust", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "kyc_sdk_test")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/kyc_sdk_test"

    def fresh_url(self) -> str:
        """A URL naming a new, empty schema in this cluster."""
        import secrets

        import psycopg

        schema = "t_" + secrets.token_hex(6)
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return f"{self.url}?options=-csearch_path%3D{schema}"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args], check=True, capture_output=True, timeout=120
        )

    def start(self) -> None:
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c max_connections=60"
        )
        self._run(
            "pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "-o", opts, "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def restart(self, mode: str = "immediate") -> None:
        """Stop the server (``immediate`` = as a crash would, no clean shutdown) and start it."""
        self.stop(mode)
        self.start()

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
