"""Signed checkpoints of the audit chain: its head, signed with the attestation key.

The hash chain (``kyc_sdk.sana.audit``) finds any change that was not followed by
recomputing every later hash; a database administrator can recompute them. So at
intervals the head (``seq``, ``hash``, time) is signed as a compact JWS by the same key
that signs attestations and published beside the JWKS (``/v1/audit/checkpoints``).
Whoever holds the JWKS and a copy of the checkpoints then checks the database: every
checkpoint must verify, and the recomputed chain must hold, at each checkpoint's
``seq``, exactly the hash that was signed. Rewriting an entry older than a checkpoint
changes that hash (or removes the entry), which no one without the private key can
re-sign. ``verify_with_checkpoints`` raises ``HistoryRewritten`` then; a checkpoint that
does not verify raises the ``AttestationError`` subclass saying why.
Spec: docs/architecture.md (Attestations and SANA codes); RFC 6962 §3.5 (signed tree heads).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kyc_sdk.errors import IssuanceError
from kyc_sdk.sana.audit import GENESIS, AuditReport
from kyc_sdk.sana.store import Query, SqlStore

log = logging.getLogger(__name__)
TYP = "kyc-sdk-audit-checkpoint/1"
HEADER_TYP = "kyc-audit-checkpoint+jwt"
MAX_PUBLISHED = 1000  # the newest ones; older checkpoints are implied by newer ones
MAX_CHECKPOINTS_BYTES = 4 * 1024 * 1024  # what a verifier reads at most


class HistoryRewritten(IssuanceError):
    """The audit chain disagrees with a signed checkpoint: history was rewritten."""

    exit_code = 13


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int
    hash: str
    at: int  # epoch seconds


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")


def sign_checkpoint(store: SqlStore, signer: Any, *, now: datetime) -> str:
    """Sign the audit head now and store the checkpoint (one per ``seq``: the first kept).
    ``signer`` is a ``kyc_sdk.attestation.Signer`` or a private key."""
    from kyc_sdk.attestation.jws import sign_claims

    def tx(q: Query) -> str:
        store._lock_head(q)  # the head cannot move between reading and storing it
        seq, digest = q("SELECT seq, hash FROM audit_head WHERE id = 1", ())[0]
        if old := q("SELECT jws FROM audit_checkpoints WHERE seq = ?", (seq,)):
            return str(old[0][0])
        payload = {"typ": TYP, "seq": int(seq), "hash": digest, "iat": int(now.timestamp())}
        token = sign_claims(payload, signer, typ=HEADER_TYP)
        q("INSERT INTO audit_checkpoints VALUES (?, ?, ?, ?)", (seq, digest, _iso(now), token))
        return token

    return store._run(tx)


def checkpoint_if_due(store: SqlStore, signer: Any, *, now: datetime, every_s: float) -> str | None:
    """A new checkpoint when the head moved and the last one is ``every_s`` old; else None.
    Replicas may all call this on a timer: the store keeps one checkpoint per ``seq``."""

    def last(q: Query) -> tuple[Any, ...]:
        head = q("SELECT seq FROM audit_head WHERE id = 1", ())[0][0]
        rows = q("SELECT seq, at FROM audit_checkpoints ORDER BY seq DESC LIMIT 1", ())
        return (head, *(rows[0] if rows else (None, None)))

    head, seq, at = store._run(last, write=False)
    if seq == head:
        return None
    if at is not None and (now - datetime.fromisoformat(at)).total_seconds() < every_s:
        return None
    return sign_checkpoint(store, signer, now=now)


async def run_checkpoints(store: SqlStore, signer: Any, *, every_s: float, stop: Any) -> None:
    """Check every ``every_s`` seconds until the ``anyio.Event`` ``stop`` is set (the
    service runs this beside its workers); the store's calls are short, made in line. A
    store that is down is logged and tried again next time: the service keeps serving."""
    import anyio

    while not stop.is_set():
        try:
            checkpoint_if_due(store, signer, now=datetime.now(UTC), every_s=every_s)
        except Exception as err:  # a transient outage must not stop the service's task group
            log.error("signing an audit checkpoint failed: %s", type(err).__name__)
        with anyio.move_on_after(every_s):
            await stop.wait()


def published(store: SqlStore, limit: int = MAX_PUBLISHED) -> dict[str, list[str]]:
    """What ``/v1/audit/checkpoints`` serves: ``{"checkpoints": [jws, ...]}``, oldest first."""
    rows = store._run(
        lambda q: q("SELECT jws FROM audit_checkpoints ORDER BY seq DESC LIMIT ?", (limit,)), write=False
    )
    return {"checkpoints": [r[0] for r in reversed(rows)]}


def read_checkpoint(token: str, jwks: Any) -> Checkpoint:
    """A checkpoint whose signature verifies against ``jwks``, else an ``AttestationError``."""
    from kyc_sdk.attestation.errors import InvalidClaims, MalformedToken
    from kyc_sdk.attestation.jws import verify_compact

    if not isinstance(token, str):
        raise MalformedToken("a checkpoint is a compact JWS")
    header, raw = verify_compact(token, jwks)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise MalformedToken("the checkpoint's payload is not JSON") from err
    if header.get("typ") != HEADER_TYP or not isinstance(data, dict) or data.get("typ") != TYP:
        raise InvalidClaims("not a kyc-sdk audit checkpoint")  # e.g. an attestation passed here
    seq, digest, at = data.get("seq"), data.get("hash"), data.get("iat")
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (seq, at)):
        raise InvalidClaims("a checkpoint's seq and iat are non-negative integers")
    if not isinstance(digest, str) or len(digest) != 64:
        raise InvalidClaims("a checkpoint's hash is a SHA-256 in hex")
    return Checkpoint(seq, digest, at)  # type: ignore[arg-type]


def parse_published(body: bytes) -> list[str]:
    """The tokens of a ``published`` document (or a JSON list of tokens)."""
    from kyc_sdk.errors import InputError

    if len(body) > MAX_CHECKPOINTS_BYTES:
        raise InputError(f"the checkpoints are limited to {MAX_CHECKPOINTS_BYTES} bytes")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InputError("the checkpoints are not JSON") from None
    tokens = data.get("checkpoints") if isinstance(data, dict) else data
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise InputError('the checkpoints are {"checkpoints": [compact JWS, ...]}')
    return tokens


@dataclass(frozen=True, slots=True)
class CheckedAudit:
    chain: AuditReport
    checkpoints: int  # how many verified and matched
    latest: int | None  # the newest checkpointed seq

    def to_dict(self) -> dict[str, object]:
        return {**self.chain.to_dict(), "checkpoints": self.checkpoints, "latest_checkpoint": self.latest}


def verify_with_checkpoints(store: SqlStore, tokens: Iterable[str], jwks: Any) -> CheckedAudit:
    """Recompute the chain and hold it against every signed checkpoint.

    A chain broken on its own is reported (``chain.valid`` False) as ``verify_audit``
    does; a chain that holds together but disagrees with a checkpoint raises
    ``HistoryRewritten``; a checkpoint that does not verify raises its ``AttestationError``."""
    points = [read_checkpoint(t, jwks) for t in tokens]  # every signature before any trust
    chain = store.verify_audit()
    if not chain.valid:
        return CheckedAudit(chain, 0, None)
    wanted = sorted({p.seq for p in points if p.seq > 0})

    def hashes(q: Query) -> dict[int, str]:
        found: dict[int, str] = {}
        for i in range(0, len(wanted), 500):  # bounded statements
            part = wanted[i : i + 500]
            marks = ", ".join("?" * len(part))
            found.update(q(f"SELECT seq, hash FROM audit WHERE seq IN ({marks})", part))
        return found

    stored = store._run(hashes, write=False) if wanted else {}
    for p in sorted(points, key=lambda p: p.seq):
        expected = GENESIS if p.seq == 0 else stored.get(p.seq)
        if p.seq > chain.entries or expected != p.hash:
            raise HistoryRewritten(f"the audit log disagrees with the checkpoint signed at entry {p.seq}")
    return CheckedAudit(chain, len(points), max((p.seq for p in points), default=None))
