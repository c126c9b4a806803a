"""``kyc-sdk conformance run``: run a style's conformance plan against a vendor's endpoint
(or a sandbox of it) and report in a table, JSON or JUnit XML. See docs/conformance.md.

Exit status: 0 when no module FAILED (or a waiver covers each failure), 1 otherwise,
2 for bad options or files.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from kyc_sdk.cli.output import errors_as_exit
from kyc_sdk.cli.params import positive
from kyc_sdk.providers import known


def _above_zero(name: str, default: float, text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A time or budget option: a finite number above zero (``cli.params.positive``)."""
    return click.option(name, type=float, callback=positive, default=default, show_default=True, help=text)


@click.group()
def conformance() -> None:
    """The conformance kit vendors run against their own endpoint."""


@conformance.command()
@click.option("--style", required=True, type=click.Choice(known()), help="The vendor style to test.")
@click.option("--base-url", required=True, help="The vendor's (or sandbox's) base URL.")
@click.option(
    "--credentials",
    type=click.Path(exists=True, dir_okay=False),
    help="JSON of the style's settings fields (default: the sandbox's public test credentials).",
)
@click.option("--plan", "plan_name", type=click.Choice(["basic", "full"]), default="full", show_default=True)
@click.option(
    "--waivers",
    type=click.Path(exists=True, dir_okay=False),
    help='JSON {"waivers": [{"module": "<glob>", "reason": "..."}]}.',
)
@click.option(
    "--report", "fmt", type=click.Choice(["table", "json", "junit"]), default="table", show_default=True
)
@click.option(
    "--out", type=click.Path(file_okay=False), help="Also write report.txt, report.json, junit.xml here."
)
@click.option("--only", multiple=True, help="Run only modules matching this glob (repeatable).")
@_above_zero("--deadline", 30.0, "Seconds per verification.")
@_above_zero("--webhook-wait", 5.0, "Seconds to wait for a verification's final webhook.")
@_above_zero("--budget-p50", 1000.0, "Latency budget, ms.")
@_above_zero("--budget-p95", 3000.0, "Latency budget, ms.")
@click.option(
    "--receiver",
    "receiver",
    default="127.0.0.1:0",
    show_default=True,
    help="HOST:PORT where the kit's webhook receiver listens (port 0: any free port).",
)
@click.option(
    "--receiver-url",
    default="",
    help="The URL the vendor is told to deliver webhooks to, when it reaches the receiver "
    "through a proxy or tunnel (default: the listening address).",
)
def run(
    style: str,
    base_url: str,
    credentials: str | None,
    plan_name: str,
    waivers: str | None,
    fmt: str,
    out: str | None,
    only: tuple[str, ...],
    deadline: float,
    webhook_wait: float,
    budget_p50: float,
    budget_p95: float,
    receiver: str,
    receiver_url: str,
) -> None:
    """Run STYLE's plan against BASE-URL; exit 1 when a module FAILED that no waiver covers."""
    with errors_as_exit(False):
        from kyc_sdk.conformance import Options, load_settings, load_waivers
        from kyc_sdk.conformance import run as run_plan
        from kyc_sdk.conformance.report import RENDER, write

        host, _, port = receiver.rpartition(":")
        if not host or not port.isdigit():
            raise click.BadParameter("expected HOST:PORT", param_hint="--receiver")
        options = Options(
            plan=plan_name,
            deadline=deadline,
            webhook_wait=webhook_wait,
            budget_p50_ms=budget_p50,
            budget_p95_ms=budget_p95,
            only=only,
            receiver_host=host,
            receiver_port=int(port),
            receiver_url=receiver_url,
        )
        report = run_plan(style, load_settings(style, base_url, credentials), options, load_waivers(waivers))
        click.echo(RENDER[fmt](report), nl=False)
        if out:
            for kind, path in write(report, out).items():
                click.echo(f"{kind}: {path}", err=True)
    sys.exit(1 if report.failed else 0)
