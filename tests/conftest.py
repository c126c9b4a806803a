"""Shared fixtures: where the public test data lives (never copied into the repo)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--hostile-long",
        action="store_true",
        help="run tests/hostile's big sweeps (minutes) instead of CI's seeded sample",
    )


def _database_of_this_worker() -> None:
    """Under pytest-xdist (``make test`` runs two workers) each worker gets a database of its
    own on the run's PostgreSQL server: the service tests wipe their database's public schema,
    and two workers doing that to one database would break each other's tests."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("KYC_SDK_PG_URL")
    if not worker or not url:
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["KYC_SDK_PG_URL"] = urlunsplit(parts._replace(path=f"/{name}"))


# At import, not in a hook: this file is imported before the conftests below it, some of
# which read KYC_SDK_PG_URL when they are imported (pytest_configure comes too late for them).
_database_of_this_worker()


SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the repo; a missing folder fails, it never skips."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"public test data not found at {SHARED_DATA}")
    return SHARED_DATA
