"""The hash-chained audit log: how an entry is hashed, and how the chain is checked.

Each entry's hash is ``SHA-256(prev_hash || seq, at, event, subject, code, jti)``, each
field length-prefixed; the first
entry's ``prev`` is ``GENESIS``. The store keeps a one-row head (last ``seq`` and hash)
updated in the same transaction as each append, so removing the newest entries is found
too. A changed entry breaks its own hash; a removed one breaks ``seq`` continuity or the
next ``prev``; reordered entries break ``prev``. Spec: docs/architecture.md (Attestations and
SANA codes); the idea is RFC 6962's append-only log, here as a simple chain.

The officers' review queue writes to the same chain with the same six fields, so one
verifier (and one signed checkpoint) covers both; its entries carry no personal data:
``event`` is one of ``REVIEW_EVENTS``, ``subject`` the case id (random, opaque), ``code``
the officer's id and ``jti`` the SHA-256 of the officer's free-text reason (the text
itself, which may name the person, stays in the review table).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64
FIELDS = ("seq", "at", "event", "subject", "code", "jti")
CODE_EVENTS = ("issued", "repeated", "revoked", "reissued")
REVIEW_EVENTS = ("review_queued", "review_claimed", "review_released", "review_approved", "review_declined")


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    at: str
    event: str  # one of CODE_EVENTS or REVIEW_EVENTS
    subject: str  # the attestation's keyed-hash ``sub`` (never the national code), or a case id
    code: str  # a SANA code, or an officer's id
    jti: str | None  # the attestation's jti, or ``sha256:`` of a review decision's reason
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
