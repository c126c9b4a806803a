"""The ``kyc-sdk`` command.

Each command group lives in its own module and is imported only when invoked, so
``kyc-sdk --help`` stays fast and a missing extra fails only the command that needs it.
Every command takes ``--json``; a ``KycError`` exits with its class's ``exit_code`` and,
under ``--json``, prints ``{"error": ..., "message": ...}`` on stdout.
"""

from __future__ import annotations

import importlib
import importlib.util

import click

from kyc_sdk import __version__

#: command name -> "module:attribute" (a click command or group)
COMMANDS: dict[str, str] = {
    "verify": "kyc_sdk.cli.verify:verify",
    "demo": "kyc_sdk.cli.demo:demo",
    "sandbox": "kyc_sdk.cli.sandbox:sandbox",
    "conformance": "kyc_sdk.cli.conformance:conformance",
    "ocr": "kyc_sdk.cli.ocr:ocr",
    "face-match": "kyc_sdk.cli.faces:face_match",
    "liveness": "kyc_sdk.cli.faces:liveness",
    "attest": "kyc_sdk.cli.attest:attest",
    "sana": "kyc_sdk.cli.sana:sana",
    "officer": "kyc_sdk.cli.officer:officer",
    "serve": "kyc_sdk.cli.service:serve",
    "db": "kyc_sdk.cli.service:db",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._exists(name))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None or not self._exists(name):
            return None
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    @staticmethod
    def _exists(name: str) -> bool:
        module = COMMANDS[name].partition(":")[0]
        return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kyc-sdk")
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress bars (they are drawn only on a terminal anyway)."
)
def main(quiet: bool) -> None:
    """Identity verification for SANA registration."""
