"""Why a SANA code was not issued: ``IssuanceError`` subclasses.

Spec: docs/architecture.md (Attestations and SANA codes). Messages never carry the subject or code.
"""

from __future__ import annotations

from kyc_sdk.errors import NOT_FOUND_EXIT, IssuanceError


class NotApproved(IssuanceError):
    """The attestation's decision is not APPROVED."""


class InsufficientChecks(IssuanceError):
    """The assurance level demands checks the attestation does not show as approved."""


class AttestationReplayed(IssuanceError):
    """This attestation's ``jti`` was already used (enforced by a primary key)."""


class SubjectRevoked(IssuanceError):
    """The person's code was revoked; only ``reissue`` gives them a new one."""


class CodeNotFound(IssuanceError):
    """No such SANA code in the store."""

    exit_code = NOT_FOUND_EXIT


class StoreUnavailable(IssuanceError):
    """The database could not be reached, or is busy beyond our timeout."""

    retryable = True


class StoreNotFound(IssuanceError):
    """No database at the given path (a command that only reads or changes codes never
    creates one); retrying will not make it appear."""


class SchemaError(IssuanceError):
    """The database's schema is newer than this code, or not ours (or not a database)."""


__all__ = [
    "AttestationReplayed",
    "CodeNotFound",
    "InsufficientChecks",
    "IssuanceError",
    "NotApproved",
    "SchemaError",
    "StoreNotFound",
    "StoreUnavailable",
    "SubjectRevoked",
]
