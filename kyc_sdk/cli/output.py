"""Shared CLI output: JSON or human text, and typed errors as exit codes."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from kyc_sdk.errors import KycError


def dumps(data: Any, *, indent: int | None = None) -> str:
    """JSON for stdout: Persian as itself where stdout speaks UTF-8, as ``\\uXXXX``
    escapes where it does not (``LANG=C``, a legacy console), never an encoding error."""
    utf8 = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "") == "utf8"
    return json.dumps(data, ensure_ascii=not utf8, indent=indent, default=str)


def emit(data: Any, *, as_json: bool, human: str | None = None) -> None:
    """Print ``data`` as one JSON document, or ``human`` text when not ``--json``."""
    if as_json:
        click.echo(dumps(data))
    else:
        click.echo(human if human is not None else dumps(data, indent=2))


def show_progress() -> bool:
    """Progress bars only on a terminal, and never under ``kyc-sdk --quiet``."""
    ctx = click.get_current_context(silent=True)
    quiet = bool(ctx and ctx.find_root().params.get("quiet"))
    return not quiet and sys.stderr.isatty()


@contextlib.contextmanager
def errors_as_exit(as_json: bool) -> Iterator[None]:
    """Turn a ``KycError`` into its exit code (and a JSON error object under ``--json``)."""
    try:
        yield
    except KycError as err:
        if as_json:
            click.echo(dumps(err.to_dict()))
        else:
            click.echo(f"error: {err}", err=True)
        sys.exit(err.exit_code)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
