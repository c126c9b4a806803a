"""``kyc-sdk sana issue|show|revoke|audit verify``: SANA codes from attestations.

``--db`` takes a SQLite file path (default ``$KYC_SDK_SANA_DB`` or ``sana.db``) or a
``postgresql://`` URL. Spec: docs/architecture.md (Attestations and SANA codes; The command line).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from kyc_sdk.cli.attest import _read_json, read_token
from kyc_sdk.cli.output import emit, errors_as_exit, json_option

AUDIT_BROKEN_EXIT = 13

db_option = click.option(
    "--db",
    default=lambda: os.environ.get("KYC_SDK_SANA_DB", "sana.db"),
    help="SQLite file or postgresql:// URL [default: $KYC_SDK_SANA_DB or sana.db].",
)


@contextmanager
def _issuer(
    db: str, jwks_file: str | None = None, *, read_only: bool = False, create: bool = True
) -> Iterator[Any]:
    """An ``Issuer`` over ``db``; commands that only read or change existing codes never
    create a database (a mistyped path is an error, not a new empty file)."""
    from kyc_sdk.attestation import load_jwks
    from kyc_sdk.sana import Issuer, open_store

    jwks = load_jwks(_read_json(jwks_file)) if jwks_file else None
    store = open_store(db, read_only=read_only, create=create)
    try:
        yield Issuer(store, jwks)
    finally:
        store.close()


@click.group()
def sana() -> None:
    """Issue, show and revoke SANA codes; check the audit chain."""


@sana.command()
@click.option("--attestation", "token", required=True, help="The token, or @file.")
@click.option("--jwks", "jwks_file", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--reissue", is_flag=True, help="Give the person a new code, revoking the old one.")
@db_option
@json_option
def issue(token: str, jwks_file: str, reissue: bool, db: str, as_json: bool) -> None:
    """Verify the attestation and print the person's SANA code."""
    with errors_as_exit(as_json), _issuer(db, jwks_file) as issuer:
        got = (issuer.reissue if reissue else issuer.issue)(read_token(token))
        emit(got.to_dict(), as_json=as_json, human=f"{got.sana_code} ({'new' if got.new else 'existing'})")


@sana.command()
@click.argument("code")
@db_option
@json_option
def show(code: str, db: str, as_json: bool) -> None:
    """Show a SANA code's status."""
    with errors_as_exit(as_json), _issuer(db, read_only=True) as issuer:
        record = issuer.show(code)
        emit(
            record.to_dict(), as_json=as_json, human=f"{record.code} {record.status} since {record.issued_at}"
        )


@sana.command()
@click.argument("code")
@db_option
@json_option
def revoke(code: str, db: str, as_json: bool) -> None:
    """Revoke a SANA code (the audit log records it)."""
    with errors_as_exit(as_json), _issuer(db, create=False) as issuer:
        record = issuer.revoke(code)
        emit(record.to_dict(), as_json=as_json, human=f"{record.code} revoked at {record.revoked_at}")


@sana.group()
def audit() -> None:
    """The hash-chained audit log."""


MAX_SOURCE_BYTES = 4 * 1024 * 1024
FETCH_TIMEOUT_S = 10.0


def read_source(source: str, what: str) -> bytes:
    """A file's or an ``http(s)://`` URL's bytes, at most ``MAX_SOURCE_BYTES``."""
    from kyc_sdk.errors import InputError
    from kyc_sdk.files import read_bytes

    if not source.startswith(("http://", "https://")):
        return read_bytes(source, what, MAX_SOURCE_BYTES)
    import httpx

    data = b""
    try:
        with httpx.stream("GET", source, timeout=FETCH_TIMEOUT_S, follow_redirects=False) as r:
            if r.status_code != 200:
                raise InputError(f"the {what} URL answered HTTP {r.status_code}")
            for chunk in r.iter_bytes():
                data += chunk
                if len(data) > MAX_SOURCE_BYTES:
                    break
    except httpx.HTTPError:
        raise InputError(f"cannot fetch the {what} URL") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise InputError(f"the {what} is larger than {MAX_SOURCE_BYTES} bytes")
    return data


@audit.command("verify")
@click.option("--checkpoints", help="Signed checkpoints: a file or an http(s) URL (needs --jwks).")
@click.option("--jwks", help="The JWKS the checkpoints are signed with: a file or an http(s) URL.")
@db_option
@json_option
def audit_verify(checkpoints: str | None, jwks: str | None, db: str, as_json: bool) -> None:
    """Check the chain; exits 13 when an entry was changed, removed or reordered, or when
    the chain disagrees with a signed checkpoint (history rewritten)."""
    with errors_as_exit(as_json), _issuer(db, read_only=True) as issuer:
        if checkpoints is None:
            report = issuer.verify_audit()
            out = report.to_dict()
        else:
            from kyc_sdk.attestation import load_jwks
            from kyc_sdk.errors import InputError
            from kyc_sdk.sana.checkpoints import parse_published, verify_with_checkpoints

            if jwks is None:
                raise InputError("--checkpoints needs --jwks")
            try:
                keys = load_jwks(read_source(jwks, "JWKS").decode())
            except UnicodeDecodeError:
                raise InputError("the JWKS is not UTF-8 JSON") from None
            tokens = parse_published(read_source(checkpoints, "checkpoints"))
            checked = verify_with_checkpoints(issuer.store, tokens, keys)
            report, out = checked.chain, checked.to_dict()
        human = (
            f"audit chain valid ({report.entries} entries)"
            if report.valid
            else f"audit chain BROKEN at entry {report.first_bad}: {report.reason}"
        )
        emit(out, as_json=as_json, human=human)
    if not report.valid:
        sys.exit(AUDIT_BROKEN_EXIT)
