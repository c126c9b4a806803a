"""Option checks the CLI shares."""

from __future__ import annotations

import math

import click


def positive(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """A ``callback=`` for times and budgets: a finite number above zero. ``click.FloatRange``
    lets ``nan`` through (every comparison with it is false), and a deadline of ``nan`` or
    ``-1`` would otherwise fail deep inside a run, blamed on a vendor."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise click.BadParameter(f"{value!r} is not a finite number above zero")
    return value
