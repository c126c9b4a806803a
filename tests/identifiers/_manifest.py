"""The MRZ rows of ../shared/data/MANIFEST.tsv: each row's expected outcome as a dict."""

from __future__ import annotations

import csv
import json
from pathlib import Path


def mrz_expectations(shared: Path) -> list[tuple[str, dict]]:
    """(path, expected) for every mrz/ row that records MRZ lines."""
    with open(shared / "MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        (r["path"], json.loads(r["expected"]))
        for r in rows
        if r["path"].startswith("mrz/") and '"mrz_lines"' in r["expected"]
    ]
