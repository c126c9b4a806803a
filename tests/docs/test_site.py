"""The documentation site builds with --strict (broken links, missing pages and
docstrings mkdocstrings cannot read fail the build), and its API reference is generated."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # about a second: the quick loop (make check) leaves it to the full run
@pytest.mark.timeout(180)
def test_the_site_builds_strictly_with_an_api_reference(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    api = (tmp_path / "api" / "index.html").read_text(encoding="utf-8")
    for name in ("kyc_sdk.client.KYC", "kyc_sdk.errors.KycError", "kyc_sdk.once.OnceGuard"):
        assert f'id="{name}"' in api, name


def test_the_repository_points_at_no_specification_outside_it() -> None:
    # Only the tests read ../shared/data (README says so); the package and the docs name
    # nothing there, and nothing anywhere leans on the specifications kept beside it.
    specs = re.compile(r"\b(DESIGN|VENDOR_STYLES|IDENTIFIERS|EVALUATION|STYLE)\.md")
    shipped = [
        *(ROOT / "docs").rglob("*.md"),
        *(p for p in (ROOT / "kyc_sdk").rglob("*") if p.suffix in (".py", ".json", ".md", ".txt")),
    ]
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in [ROOT / "README.md", *shipped]
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if specs.search(line) or (p in shipped and "shared/" in line)
    ]
    assert found == []
