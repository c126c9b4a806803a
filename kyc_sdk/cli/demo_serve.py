"""``kyc-sdk demo --serve``: the registration service and its capture page on embedded
defaults, to try in a browser.

SQLite and the uploads in a temporary folder (gone when the command stops), keys made
for this run, the in-process vendor sandboxes (aurora + hirkan). The page's address goes
to stdout once the service listens; stderr says what to type (the sample resident the
sandboxes know, resident and abroad) and where the sample card's and passport's photos
were written.
"""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path
from typing import Any

import click


def _hints(folder: Path) -> None:
    from kyc_sdk.registration import samples as s

    card, passport = folder / "sample-card-front.jpg", folder / "sample-passport-page.jpg"
    card.write_bytes(s.card_front())
    passport.write_bytes(s.passport_page())
    p, a = s.RESIDENT, s.ABROAD
    click.echo(
        "Try it as the sample resident the sandboxes know:\n"
        f"  name {p.first_name} {p.last_name}, national code {p.national_code}, mobile {s.FIXTURE_MOBILE},"
        f" born {p.birth_date}\n"
        f"  card front: {card}\n"
        "or as the sample Iranian abroad (passport path):\n"
        f"  name {a.first_name_latin} {a.last_name_latin}, passport {a.passport_number}, nationality IRN,"
        f" mobile {s.FOREIGN_MOBILE}, born {a.birth_date} (Solar Hijri)\n"
        f"  passport page: {passport}\n"
        "  (the sandboxes' face match needs the document's face: with your own face the result is a refusal)",
        err=True,
    )


def serve(host: str, port: int) -> None:
    """Serve until interrupted."""
    import uvicorn

    from kyc_sdk.service import ServiceConfig, create_app

    class Announcing(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                bound: Any = self.servers[0].sockets[0].getsockname()
                shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
                click.echo(f"http://{shown}:{bound[1]}/register")

    with tempfile.TemporaryDirectory(prefix="kyc-demo-serve-") as tmp:
        folder = Path(tmp)
        click.echo("Preparing the sample card and passport…", err=True)
        _hints(folder)
        config = ServiceConfig(
            db=f"sqlite://{folder / 'service.db'}", blob_dir=str(folder / "blobs"), upgrade=True
        )
        app = create_app(config)
        Announcing(uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning")).run()
