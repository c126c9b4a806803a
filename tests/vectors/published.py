"""The published test vectors: ``tests/vectors/<style>.json`` and the "Test vectors" section
of ``docs/styles/<style>.md``, which must carry the same values."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
STYLES_WITH_VECTORS = ("aurora", "borealis", "cirrus", "delta", "echo", "fjord", "gilan")

_BLOCK = re.compile(r"```text\n(vector: .*?)\n```", re.DOTALL)


def document(style: str) -> dict[str, Any]:
    """The style's JSON file as it stands."""
    found: dict[str, Any] = json.loads((HERE / f"{style}.json").read_text("utf-8"))
    return found


def vectors(style: str) -> dict[str, dict[str, str]]:
    """The style's vectors by name (every field a string, as written)."""
    return {v["vector"]: v for v in document(style)["vectors"]}


def on_page(style: str) -> list[dict[str, str]]:
    """The vectors written on the style's docs page, in page order.

    Each is a ```text block of ``name: value`` lines under "## Test vectors"; the value is
    everything after the first ``": "`` (an empty ``body:`` is the empty string)."""
    return parse((ROOT / "docs" / "styles" / f"{style}.md").read_text("utf-8"))


def parse(page: str) -> list[dict[str, str]]:
    """The vectors of a docs page's text (see ``on_page``)."""
    _, _, section = page.partition("\n## Test vectors\n")
    found = []
    for block in _BLOCK.findall(section.split("\n## ", 1)[0]):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            name, colon, value = line.partition(":")
            assert colon, f"line without a colon in a vector block: {line!r}"
            fields[name] = value.removeprefix(" ")
        found.append(fields)
    return found
