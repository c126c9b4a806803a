"""Frozen value types shared by every part of kyc-sdk.

Decisions are values: a declined person is a ``VerificationResult`` whose ``decision`` is
``Decision.DECLINED``. Exceptions (``kyc_sdk.errors``) mean no decision could be had.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Decision(enum.StrEnum):
    """The normalised outcome of a verification, or of one check."""

    APPROVED = "APPROVED"
    DECLINED = "DECLINED"
    RETRY = "RETRY"  # the person may resubmit (blurred photo, glare, expired session)
    REVIEW = "REVIEW"  # a human must look
    PENDING = "PENDING"  # asynchronous, not decided yet

    @property
    def is_final(self) -> bool:
        return self is not Decision.PENDING

    @staticmethod
    def worst(decisions: Iterable[Decision], default: Decision | None = None) -> Decision:
        """The most cautious of ``decisions``, in the order of ``CAUTION`` (DECLINED first,
        APPROVED last). The one place that order is written: routing, registration and
        every adapter that merges checks ask here."""
        ranked = [CAUTION.index(d) for d in decisions]
        if ranked:
            return CAUTION[min(ranked)]
        if default is None:
            raise ValueError("no decisions to choose from")
        return default


#: Decisions from the most cautious to the least: when checks or legs disagree, the one
#: earliest here wins (a refusal outranks a human look, which outranks a resubmission).
CAUTION: tuple[Decision, ...] = (
    Decision.DECLINED,
    Decision.REVIEW,
    Decision.RETRY,
    Decision.PENDING,
    Decision.APPROVED,
)


class CheckKind(enum.StrEnum):
    """What a provider can check; a request names the ones it needs."""

    DOCUMENT = "document"
    FACE_MATCH = "face_match"
    LIVENESS = "liveness"
    REGISTRY = "registry"
    MOBILE_MATCH = "mobile_match"


class DocumentType(enum.StrEnum):
    NATIONAL_CARD = "national_identity_card"
    PASSPORT = "passport"


@dataclass(frozen=True, slots=True)
class Subject:
    """Who the person says they are. Dates are Jalali ``YYYY/MM/DD`` in ASCII digits.

    Residents give a national code and an Iranian mobile; Iranians abroad may give a
    passport number and nationality instead of (or besides) the national code.
    """

    national_code: str | None = None
    mobile: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    father_name: str | None = None
    birth_date: str | None = None
    passport_number: str | None = None
    nationality: str = "IRN"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Images as bytes, exactly as the person uploaded them (untrusted)."""

    selfie: bytes | None = None
    document_front: bytes | None = None
    document_back: bytes | None = None
    document_type: DocumentType = DocumentType.NATIONAL_CARD
    card_serial: str | None = None


@dataclass(frozen=True, slots=True)
class VerificationRequest:
    """One verification: the subject, the evidence, the checks wanted.

    ``reference`` is the caller's own id for this verification (it becomes the vendor's
    external reference and the base of idempotency keys). ``options`` holds vendor-only
    settings keyed by provider name (sandbox controls, templates), never credentials.
    """

    subject: Subject
    evidence: Evidence = field(default_factory=Evidence)
    checks: frozenset[CheckKind] = frozenset()
    reference: str = ""
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def options_for(self, provider: str) -> Mapping[str, Any]:
        return self.options.get(provider, {})


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one check, with its provenance (which provider decided it)."""

    kind: CheckKind
    outcome: Decision
    provider: str
    score: float | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Attempt:
    """One provider call made while verifying: its outcome, or its error's class."""

    provider: str
    ms: float
    outcome: Decision | None = None
    error: str | None = None  # the error's ``code``, e.g. "provider_unavailable"
    cost: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"provider": self.provider, "ms": round(self.ms, 1)}
        if self.error is not None:
            d["error"] = self.error
        else:
            d["outcome"] = self.outcome.value if self.outcome else None
        return d


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """What ``verify()`` returns.

    ``raw`` is the vendor payload with PII and secrets redacted; ``raw_status`` and
    ``raw_codes`` keep the vendor's own words; ``vendor`` holds vendor-only data (for
    example the fields a registry changed).
    """

    decision: Decision
    provider: str
    reference: str | None = None
    checks: tuple[Check, ...] = ()
    attempts: tuple[Attempt, ...] = ()
    reasons: tuple[str, ...] = ()
    raw_status: str | None = None
    raw_codes: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)
    vendor: Mapping[str, Any] = field(default_factory=dict)

    def check(self, kind: CheckKind) -> Check | None:
        return next((c for c in self.checks if c.kind is kind), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "provider": self.provider,
            "reference": self.reference,
            "reasons": list(self.reasons),
            "checks": [
                {
                    "kind": c.kind.value,
                    "outcome": c.outcome.value,
                    "provider": c.provider,
                    "score": c.score,
                    "reasons": list(c.reasons),
                }
                for c in self.checks
            ],
            "attempts": [a.to_dict() for a in self.attempts],
            "raw_status": self.raw_status,
            "raw_codes": list(self.raw_codes),
        }
