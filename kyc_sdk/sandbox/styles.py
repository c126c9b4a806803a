"""The styles that have a sandbox, and finding a style's sandbox module."""

from __future__ import annotations

import importlib
from types import ModuleType

from kyc_sdk.errors import InputError

#: One sandbox module per vendor style (docs/styles/).
STYLES: tuple[str, ...] = ("aurora", "borealis", "cirrus", "delta", "echo", "fjord", "gilan", "hirkan")


class UnknownSandbox(InputError):
    """No sandbox is written for that style."""


def module(style: str) -> ModuleType:
    """``kyc_sdk.sandbox.<style>``, or ``UnknownSandbox``."""
    if style not in STYLES:
        raise UnknownSandbox(f"no sandbox for style {style!r}; styles: {', '.join(STYLES)}")
    return importlib.import_module(f"kyc_sdk.sandbox.{style}")
