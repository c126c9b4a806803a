"""Fixtures shared by the card and MRZ reader tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def benchmarks() -> Iterator[object]:
    """``benchmarks/ocr_eval.py``, whose generated document pages the development ran on."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import ocr_eval

        yield ocr_eval
    finally:
        sys.path.remove(str(BENCHMARKS))
