"""``kyc-sdk sandbox``: serve a vendor-style sandbox on loopback, list its scenarios."""

from __future__ import annotations

import click

from kyc_sdk.cli.output import emit, errors_as_exit, json_option
from kyc_sdk.cli.params import positive
from kyc_sdk.providers import known


@click.group()
def sandbox() -> None:
    """Simulated vendors, one per style."""


@sandbox.command()
@click.argument("style", type=click.Choice(known()))
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback unless you mean otherwise.")
@click.option(
    "--fault",
    "faults",
    multiple=True,
    help="unavailable | slow | rate_limited | edge_rate_limited | malformed | auth | "
    "webhook_drop | webhook_duplicate | webhook_reorder (repeatable).",
)
@click.option("--slow-seconds", type=float, callback=positive, default=5.0, show_default=True)
@click.option("--webhook-url", default=None, help="Where the sandbox delivers its webhooks.")
def serve(
    style: str, port: int, host: str, faults: tuple[str, ...], slow_seconds: float, webhook_url: str | None
) -> None:
    """Serve STYLE's sandbox over HTTP until interrupted."""
    from kyc_sdk.sandbox import create, settings
    from kyc_sdk.sandbox.serve import serve as run

    try:
        app = create(style, faults=faults, slow_seconds=slow_seconds, webhook_url=webhook_url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--fault") from None
    base_url = f"http://{host}:{port}"
    click.echo(
        f"{style} sandbox on {base_url}; adapter settings: "
        f"{type(settings(style, base_url)).__name__}(base_url={base_url!r}, …sandbox credentials)",
        err=True,
    )
    run(app, host=host, port=port)


@sandbox.command()
@click.argument("style", type=click.Choice(known()))
@json_option
def scenarios(style: str, as_json: bool) -> None:
    """List STYLE's scenarios and what each must decide."""
    with errors_as_exit(as_json):
        from kyc_sdk.sandbox import scenarios as load

        found = load(style)
        emit(
            [{"name": s.name, "description": s.description, "expected": s.expected} for s in found],
            as_json=as_json,
            human="\n".join(
                f"{s.name:<10} {s.expected.get('decision', '?'):<9} {s.description}" for s in found
            ),
        )
