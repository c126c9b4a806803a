"""Review officers and their bearer tokens, kept in the store as SHA-256 digests only.

A token is ``<officer id>.<secret>``: the id finds the row, then the secret's digest is
compared with ``hmac.compare_digest`` (constant time), so neither a lookup by digest nor
a byte-wise comparison tells an attacker how close a guess came. The token is printed
once, at ``kyc-sdk officer add``; the database never holds it, so a stolen copy of the
database cannot act as an officer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from kyc_sdk.errors import NOT_FOUND_EXIT, InputError, KycError
from kyc_sdk.sana.store import Query, SqlStore

MAX_NAME = 200
MAX_TOKEN = 128  # ours are 12 + 1 + 43 characters


class NotAuthenticated(KycError):
    """No bearer token, an unknown or malformed one, or a revoked officer's."""

    exit_code = 14


class OfficerNotFound(KycError):
    """No officer with this id (``kyc-sdk officer revoke``)."""

    exit_code = NOT_FOUND_EXIT


@dataclass(frozen=True, slots=True)
class Officer:
    id: str
    name: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_officer(store: SqlStore, name: str) -> tuple[Officer, str]:
    """A new officer and their bearer token (shown to the caller once, stored hashed)."""
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise InputError(f"an officer's name is 1-{MAX_NAME} printable characters")
    officer = Officer("off_" + secrets.token_hex(6), name)
    secret = secrets.token_urlsafe(32)
    store._run(
        lambda q: q(
            "INSERT INTO officers VALUES (?, ?, ?, ?, NULL)", (officer.id, name, _digest(secret), _now())
        )
    )
    return officer, f"{officer.id}.{secret}"


def revoke_officer(store: SqlStore, officer_id: str) -> None:
    """The officer's token stops working; their past actions stay in the audit log."""

    def once(q: Query) -> None:
        if not q("SELECT 1 FROM officers WHERE id = ?", (officer_id,)):
            raise OfficerNotFound("no such officer")
        q("UPDATE officers SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (_now(), officer_id))

    store._run(once)


def authenticate(store: SqlStore, token: str | None) -> Officer:
    """The officer whose bearer ``token`` this is, or ``NotAuthenticated``."""
    if not token or len(token) > MAX_TOKEN or not token.isascii():
        raise NotAuthenticated("a valid officer's bearer token is required")
    officer_id, dot, secret = token.partition(".")
    if not dot or not secret:
        raise NotAuthenticated("a valid officer's bearer token is required")
    rows = store._run(
        lambda q: q("SELECT name, token_sha256, revoked_at FROM officers WHERE id = ?", (officer_id,)),
        write=False,
    )
    # compare against a digest either way, so an unknown id takes as long as a wrong secret
    name, stored, revoked = rows[0] if rows else ("", "0" * 64, None)
    if not hmac.compare_digest(stored, _digest(secret)) or not rows or revoked is not None:
        raise NotAuthenticated("a valid officer's bearer token is required")
    return Officer(officer_id, name)
