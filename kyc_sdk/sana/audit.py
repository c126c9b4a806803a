"""The hash-chained audit log: how an entry is hashed, and how the chain is checked.

Each entry's hash is ``SHA-256(prev_hash || seq, at, event, subject, code, jti)``, each
field length-prefixed; the first
entry's ``prev`` is ``GENESIS``. The store keeps a one-row head (last ``seq`` and hash)
updated in the same transaction as each append, so removing the newest entries is found
too. A changed entry breaks its own hash; a removed one breaks ``seq`` continuity or the
next ``prev``; reordered entries break ``prev``. Spec: docs/architecture.md (Attestations and
SANA codes); the idea is RFC 6962's append-only log, here as a simple chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64
FIELDS = ("seq", "at", "event", "subject", "code", "jti")


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    at: str
    event: str  # issued | repeated | revoked | reissued
    subject: str  # the attestation's keyed-hash ``sub``, never the national code
    code: str
    jti: str | None
    prev: str
    hash: str


def field(value: str | None) -> str:
    """A length-prefixed field (``len:value``; ``~`` for none): unambiguous whatever the
    value holds, and simple to rebuild in SQL (PostgreSQL hashes entries server-side)."""
    return "~" if value is None else f"{len(value)}:{value}"


def tail(at: str, event: str, subject: str, code: str, jti: str | None) -> str:
    """Every hashed field but ``prev`` and ``seq``, which only the database knows."""
    return "".join(field(v) for v in (at, event, subject, code, jti))


def entry_hash(prev: str, seq: int, at: str, event: str, subject: str, code: str, jti: str | None) -> str:
    body = prev + field(str(seq)) + tail(at, event, subject, code, jti)
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditReport:
    """``valid`` and how many entries were read, or the first bad ``seq`` and why."""

    valid: bool
    entries: int
    first_bad: int | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "valid": self.valid,
            "entries": self.entries,
            "first_bad": self.first_bad,
            "reason": self.reason,
        }


def check_chain(entries: Iterable[Entry], head: tuple[int, str]) -> AuditReport:
    """Walk ``entries`` in ``seq`` order against the chain rules and the stored head."""
    prev, n = GENESIS, 0
    for n, e in enumerate(entries, start=1):
        if e.seq != n:
            return AuditReport(False, n - 1, n, "an entry is missing (seq gap)")
        if e.prev != prev:
            return AuditReport(False, n - 1, n, "an entry does not follow the one before it")
        if entry_hash(e.prev, e.seq, e.at, e.event, e.subject, e.code, e.jti) != e.hash:
            return AuditReport(False, n - 1, n, "an entry was changed")
        prev = e.hash
    if head != (n, prev):
        return AuditReport(False, n, n + 1, "the newest entries were removed")
    return AuditReport(True, n)
