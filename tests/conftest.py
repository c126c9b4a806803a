"""Shared fixtures: where the public test data lives (never copied into the repo)."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--hostile-long",
        action="store_true",
        help="run tests/hostile's big sweeps (minutes) instead of CI's seeded sample",
    )


SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the repo; a missing folder fails, it never skips."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"public test data not found at {SHARED_DATA}")
    return SHARED_DATA
