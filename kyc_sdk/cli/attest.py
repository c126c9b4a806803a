"""``kyc-sdk attest keygen|jwks|sign|verify``: keys, JWKS and signed attestations.

The subject key (the HMAC secret behind ``sub``) is read from the environment variable
``KYC_SDK_SUBJECT_KEY`` (hex), never from the command line where ``ps`` would show it.
Spec: docs/architecture.md (Attestations and SANA codes; The command line).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

import click

from kyc_sdk.cli.output import emit, errors_as_exit, json_option
from kyc_sdk.errors import InputError
from kyc_sdk.files import read_text

SUBJECT_KEY_ENV = "KYC_SDK_SUBJECT_KEY"


def _now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        if value.isascii() and value.isdigit():
            if len(value) > 12:  # past the year 9999 either way; int() of 5000 digits is slow
                raise ValueError("out of range")
            return datetime.fromtimestamp(int(value), UTC)
        t = datetime.fromisoformat(value)
        return t if t.tzinfo else t.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError) as err:
        raise InputError("--now is a Unix time or an ISO 8601 date-time") from err


def _read_json(path: str) -> Any:
    try:
        return json.loads(read_text(path, "JSON"))
    except (ValueError, RecursionError) as err:
        raise InputError("cannot read a JSON document from the given file") from err


def _subject_key() -> bytes:
    raw = os.environ.get(SUBJECT_KEY_ENV, "")
    try:
        key = bytes.fromhex(raw)
    except ValueError as err:
        raise InputError(f"{SUBJECT_KEY_ENV} must be hex") from err
    if len(key) < 16:
        raise InputError(f"{SUBJECT_KEY_ENV} must hold at least 16 bytes (32 hex digits)")
    return key


def outcome_from_dict(data: Any) -> Any:
    """An ``Outcome`` from its JSON form (``result`` as ``VerificationResult.to_dict``)."""
    from kyc_sdk.attestation import Outcome
    from kyc_sdk.models import Attempt, Check, CheckKind, Decision, DocumentType, VerificationResult

    try:
        r = data["result"]
        checks = tuple(
            Check(CheckKind(c["kind"]), Decision(c["outcome"]), c["provider"], c.get("score"))
            for c in r.get("checks", [])
        )
        attempts = tuple(
            Attempt(
                a["provider"],
                float(a.get("ms", 0)),
                Decision(a["outcome"]) if a.get("outcome") else None,
                a.get("error"),
            )
            for a in r.get("attempts", [])
        )
        result = VerificationResult(
            Decision(r["decision"]), r["provider"], r.get("reference"), checks, attempts
        )
        return Outcome(
            result=result,
            national_code=data.get("national_code"),
            passport_number=data.get("passport_number"),
            nationality=data.get("nationality", "IRN"),
            document_type=DocumentType(data.get("document_type", "national_identity_card")),
            liveness_score=data.get("liveness_score"),
            face_score=data.get("face_score"),
            face_distance=data.get("face_distance"),
            evidence_sha256=data.get("evidence_sha256", {}),
            assurance_level=data.get("assurance_level", "substantial"),
            given_name=data.get("given_name"),
            family_name=data.get("family_name"),
            birth_date=data.get("birth_date"),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise InputError("the outcome file does not have the expected shape") from err


@click.group()
def attest() -> None:
    """Signed attestations (compact JWS) and their keys."""


@attest.command()
@click.option("--alg", type=click.Choice(["EdDSA", "ES256"]), default="EdDSA", show_default=True)
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="Private key file (mode 0600)."
)
@click.option("--format", "fmt", type=click.Choice(["pem", "jwk"]), default="pem", show_default=True)
@json_option
def keygen(alg: str, out: str, fmt: str, as_json: bool) -> None:
    """Generate a signing key."""
    with errors_as_exit(as_json):
        from kyc_sdk.attestation import keys

        key = keys.generate(alg)
        try:
            keys.save(key, out, fmt=fmt)
        except OSError as err:
            raise InputError(f"cannot write the key file: {err.strerror}") from None
        emit({"kid": key.kid, "alg": alg, "path": out}, as_json=as_json, human=f"{key.kid} ({alg}) -> {out}")


@attest.command()
@click.argument("key_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--active", default=None, help="kid of the active signer (default: the last key).")
def jwks(key_files: tuple[str, ...], active: str | None) -> None:
    """Print the public JWKS of KEY_FILES (old keys stay listed for rotation)."""
    with errors_as_exit(True):
        from kyc_sdk.attestation import KeyRing, load

        ring = KeyRing()
        for path in key_files:
            ring.add(load(path), activate=True)
        emit(ring.jwks(), as_json=True)


@attest.command()
@click.option("--key", "key_file", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--outcome", "outcome_file", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--issuer", default=None)
@click.option("--audience", default=None)
@click.option(
    "--ttl",
    type=click.IntRange(1, 366 * 86400),
    default=600,
    show_default=True,
    help="Seconds the token stays valid (at most a year).",
)
@click.option("--now", default=None, help="Unix time or ISO 8601 (default: the clock).")
@json_option
def sign(
    key_file: str,
    outcome_file: str,
    issuer: str | None,
    audience: str | None,
    ttl: int,
    now: str | None,
    as_json: bool,
) -> None:
    """Sign the outcome in OUTCOME_FILE (JSON) with KEY; prints the token."""
    with errors_as_exit(as_json):
        from kyc_sdk.attestation import AUDIENCE, ISSUER, load
        from kyc_sdk.attestation import sign as do_sign

        key = load(key_file)
        token = do_sign(
            outcome_from_dict(_read_json(outcome_file)),
            key,
            now=_now(now),
            subject_key=_subject_key(),
            issuer=issuer or ISSUER,
            audience=audience or AUDIENCE,
            ttl=ttl,
        )
        emit({"token": token, "kid": key.kid}, as_json=as_json, human=token)


@attest.command()
@click.argument("token")
@click.option("--jwks", "jwks_file", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--audience", default=None)
@click.option("--issuer", default=None)
@click.option("--now", default=None, help="Unix time or ISO 8601 (default: the clock).")
@json_option
def verify(
    token: str, jwks_file: str, audience: str | None, issuer: str | None, now: str | None, as_json: bool
) -> None:
    """Verify TOKEN ('@file' reads it from a file) and print its claims."""
    with errors_as_exit(as_json):
        from kyc_sdk.attestation import AUDIENCE, ISSUER, load_jwks
        from kyc_sdk.attestation import verify as do_verify

        claims = do_verify(
            read_token(token),
            load_jwks(_read_json(jwks_file)),
            now=_now(now),
            audience=audience or AUDIENCE,
            issuer=issuer or ISSUER,
        )
        emit(claims, as_json=as_json)


def read_token(value: str) -> str:
    """The token itself, or the contents of ``@path``."""
    if not value.startswith("@"):
        return value
    return read_text(value[1:], "token").strip()
