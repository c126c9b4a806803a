"""``kyc-sdk officer add|revoke``: the review officers and their bearer tokens.

``add`` prints the officer's token once; the store keeps only its SHA-256.
"""

from __future__ import annotations

import click

from kyc_sdk.cli.output import emit, errors_as_exit, json_option
from kyc_sdk.cli.sana import db_option


@click.group()
def officer() -> None:
    """Add and revoke review officers."""


@officer.command()
@click.option("--name", required=True, help="The officer's display name.")
@db_option
@json_option
def add(name: str, db: str, as_json: bool) -> None:
    """Add an officer and print their bearer token (shown this once only)."""
    from kyc_sdk.sana.store import closing, open_store
    from kyc_sdk.service.officers import add_officer

    with errors_as_exit(as_json), closing(open_store(db)) as store:
        who, token = add_officer(store, name)
        emit({"id": who.id, "token": token}, as_json=as_json, human=f"officer {who.id}\ntoken {token}")


@officer.command()
@click.argument("officer_id")
@db_option
@json_option
def revoke(officer_id: str, db: str, as_json: bool) -> None:
    """Revoke an officer's token."""
    from kyc_sdk.sana.store import closing, open_store
    from kyc_sdk.service.officers import revoke_officer

    with errors_as_exit(as_json), closing(open_store(db, create=False)) as store:
        revoke_officer(store, officer_id)
        emit({"id": officer_id, "revoked": True}, as_json=as_json, human=f"officer {officer_id} revoked")
