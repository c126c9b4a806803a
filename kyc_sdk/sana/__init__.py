"""SANA code issuance from signed attestations, over SQLite (default) or PostgreSQL.

Spec: docs/architecture.md (Attestations and SANA codes). ``open_store(url)`` picks the store;
``Issuer(store, jwks).issue(token)`` returns the person's code. The store is also the
``kyc_sdk.once.OnceGuard`` shared by replicas: ``store.first_use(namespace, key,
expires_at=..., now=...)`` is True once per key until it expires (webhook event ids,
challenge nonces).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kyc_sdk.sana.audit import AuditReport
from kyc_sdk.sana.errors import (
    AttestationReplayed,
    CodeNotFound,
    InsufficientChecks,
    IssuanceError,
    NotApproved,
    SchemaError,
    StoreNotFound,
    StoreUnavailable,
    SubjectRevoked,
)
from kyc_sdk.sana.store import SCHEMA_VERSION, Record, SqlStore, open_store

if TYPE_CHECKING:
    from kyc_sdk.sana.issuance import Issued, Issuer, require_approved

_ISSUANCE = ("Issued", "Issuer", "require_approved")


def __getattr__(name: str) -> Any:
    # Issuing verifies attestations (joserfc, the ``attest`` extra); reading a store,
    # revoking and checking the audit chain do not, so they work without it.
    if name in _ISSUANCE:
        from kyc_sdk.sana import issuance

        return getattr(issuance, name)
    raise AttributeError(f"module 'kyc_sdk.sana' has no attribute {name!r}")


__all__ = [
    "SCHEMA_VERSION",
    "AttestationReplayed",
    "AuditReport",
    "CodeNotFound",
    "InsufficientChecks",
    "IssuanceError",
    "Issued",
    "Issuer",
    "NotApproved",
    "Record",
    "SchemaError",
    "SqlStore",
    "StoreNotFound",
    "StoreUnavailable",
    "SubjectRevoked",
    "open_store",
    "require_approved",
]
