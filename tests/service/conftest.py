"""Stores for the service tests: a real SQLite file and a real PostgreSQL schema."""

from __future__ import annotations

import pytest

from tests.sana.conftest import store, store_url  # noqa: F401 (fixtures)
from tests.service.app_harness import databases, fresh_db


@pytest.fixture(params=databases())
def db(request, tmp_path) -> str:
    """A fresh service database on each store kind (a module may define its own)."""
    return fresh_db(request.param, tmp_path)
