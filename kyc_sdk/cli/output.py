"""Shared CLI output: JSON or human text, and typed errors as exit codes."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from kyc_sdk.errors import KycError


def emit(data: Any, *, as_json: bool, human: str | None = None) -> None:
    """Print ``data`` as one JSON document, or ``human`` text when not ``--json``."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, default=str))
    else:
        click.echo(human if human is not None else json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextlib.contextmanager
def errors_as_exit(as_json: bool) -> Iterator[None]:
    """Turn a ``KycError`` into its exit code (and a JSON error object under ``--json``)."""
    try:
        yield
    except KycError as err:
        if as_json:
            click.echo(json.dumps(err.to_dict(), ensure_ascii=False, default=str))
        else:
            click.echo(f"error: {err}", err=True)
        sys.exit(err.exit_code)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
