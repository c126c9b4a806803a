"""SANA code issuance from signed attestations, over SQLite (default) or PostgreSQL.

Spec: ../shared/DESIGN.md (SANA code issuance). ``open_store(url)`` picks the store;
``Issuer(store, jwks).issue(token)`` returns the person's code. The store is also the
``kyc_sdk.once.OnceGuard`` shared by replicas: ``store.first_use(namespace, key,
expires_at=..., now=...)`` is True once per key until it expires (webhook event ids,
challenge nonces).
"""

from __future__ import annotations

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
from kyc_sdk.sana.issuance import Issued, Issuer, require_approved
from kyc_sdk.sana.store import SCHEMA_VERSION, Record, SqlStore, open_store

__all__ = [
    "SCHEMA_VERSION", "AttestationReplayed", "AuditReport", "CodeNotFound", "InsufficientChecks", "IssuanceError",
    "Issued", "Issuer", "NotApproved", "Record", "SchemaError", "SqlStore", "StoreNotFound", "StoreUnavailable", "SubjectRevoked",
    "open_store", "require_approved",
]
