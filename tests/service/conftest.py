"""Stores for the service tests: a real SQLite file and a real PostgreSQL schema."""

from __future__ import annotations

from tests.sana.conftest import store, store_url  # noqa: F401 (fixtures)
