"""The kyc-sdk error tree.

A declined person is a *result*, not an exception: every class below means that no
decision could be had, or that the caller's input was wrong.

    KycError
    ├── InputError(ValueError)      the caller's data is wrong; never retried
    │   ├── InvalidIdentifier       national code, MRZ, mobile, SANA code fail their rules
    │   └── ImageRejected           undecodable, too large, decompression bomb, no/many faces
    ├── ProviderError               .provider .status .vendor_code .retryable
    │   ├── AuthenticationFailed    bad credentials or signature, clock skew
    │   ├── RateLimited             .retry_after (429, or a vendor's quota signal)
    │   ├── ProviderUnavailable     5xx, timeouts, connection failures
    │   └── ProviderProtocolError   a response that breaks the vendor's own contract
    ├── NoProviderAvailable         every route failed; carries each attempt's error
    ├── WebhookRejected             bad signature, stale timestamp, replay
    │   └── WebhookReplayed         an event already received (a replay or a redelivery)
    ├── AttestationError            invalid signature, expired, unknown key, wrong audience
    ├── IssuanceError               not approved, attestation replayed, store unavailable
    └── MissingExtra                an optional dependency is not installed (names the extra)

Every class carries ``retryable`` (may the same call succeed later?) and ``exit_code``
(what the CLI exits with: ``EXIT_CODES`` says what each code means, one meaning per code,
so a script can tell the failures apart). Messages never carry PII: callers pass field
*names*, never values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from kyc_sdk.models import Attempt


#: What each exit code of the ``kyc-sdk`` command means. A subclass keeps its family's
#: code; a class with a meaning of its own gets a code of its own (never one of these
#: with another meaning). README lists the same table.
EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "failed: a conformance module, or one of several files (each one's error is printed)",
    2: "the input is wrong: an identifier, an image, a command-line usage",
    3: "a vendor answered with an error",
    4: "authentication with a vendor failed",
    5: "rate limited by a vendor",
    6: "a vendor is unavailable",
    7: "a vendor's answer broke its own contract",
    8: "no provider could decide",
    9: "a webhook was rejected",
    10: "an attestation does not verify",
    11: "a SANA code was not issued (or the store refused)",
    12: "something this needs is not installed: an extra, Tesseract's data, a face model",
    13: "the audit chain is broken or was rewritten",
    14: "not authenticated as an officer",
    15: "a review action was refused",
    16: "not found: no such SANA code or officer",
    130: "interrupted (Ctrl-C)",
}
NOT_FOUND_EXIT = 16


class KycError(Exception):
    """Base of every error kyc-sdk raises on purpose."""

    retryable: ClassVar[bool] = False
    exit_code: ClassVar[int] = 1

    @property
    def code(self) -> str:
        """A stable machine name for JSON output, e.g. ``invalid_identifier``."""
        name = type(self).__name__
        return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")

    def to_dict(self) -> dict[str, object]:
        return {"error": self.code, "message": str(self), "retryable": self.retryable}


class InputError(KycError, ValueError):
    """The caller's data is wrong; the same call will fail again."""

    exit_code = 2


class InvalidIdentifier(InputError):
    """An identifier (national code, MRZ, mobile, SANA code, date) fails its rules.

    ``field`` names the identifier kind, never its value.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "field": self.field}


class ImageRejected(InputError):
    """An image we will not process: undecodable, too large, a bomb, no or many faces."""

    def __init__(self, message: str, *, reason: str = "undecodable") -> None:
        super().__init__(message)
        self.reason = reason

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "reason": self.reason}


class ProviderError(KycError):
    """A vendor call ended without a decision."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        status: int | None = None,
        vendor_code: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.status = status
        self.vendor_code = vendor_code
        self.correlation_id = correlation_id

    def to_dict(self) -> dict[str, object]:
        return {
            **super().to_dict(),
            "provider": self.provider,
            "status": self.status,
            "vendor_code": self.vendor_code,
        }


class AuthenticationFailed(ProviderError):
    """Bad credentials, a bad signature, or a clock the vendor will not accept."""

    exit_code = 4


class RateLimited(ProviderError):
    """The vendor asks us to slow down; ``retry_after`` is in seconds when it said."""

    retryable = True
    exit_code = 5

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        provider: str | None = None,
        status: int | None = None,
        vendor_code: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        super().__init__(
            message, provider=provider, status=status, vendor_code=vendor_code, correlation_id=correlation_id
        )
        self.retry_after = retry_after


class ProviderUnavailable(ProviderError):
    """5xx, timeouts and connection failures: the vendor could not decide."""

    retryable = True
    exit_code = 6


class ProviderProtocolError(ProviderError):
    """A response that breaks the vendor's own contract (malformed body, missing field)."""

    exit_code = 7


class NoProviderAvailable(KycError):
    """Every route failed; ``errors`` holds each attempt's error in order."""

    retryable = True
    exit_code = 8

    def __init__(
        self, message: str, *, errors: Sequence[KycError] = (), attempts: Sequence[Attempt] = ()
    ) -> None:
        super().__init__(message)
        self.errors = list(errors)
        self.attempts = list(attempts)

    def to_dict(self) -> dict[str, object]:
        return {
            **super().to_dict(),
            "errors": [e.to_dict() for e in self.errors],
            "attempts": [a.to_dict() for a in self.attempts],
        }


class WebhookRejected(KycError):
    """A webhook we do not believe: bad signature, stale timestamp, replay, unknown source."""

    exit_code = 9


class WebhookReplayed(WebhookRejected):
    """An event whose id was already received: a replay, or the vendor delivering twice.
    A receiver may acknowledge it (2xx) so the vendor stops redelivering."""


class AttestationError(KycError):
    """An attestation that does not verify (see ``kyc_sdk.attestation`` for subclasses)."""

    exit_code = 10


class IssuanceError(KycError):
    """A SANA code that cannot be issued: not approved, replayed, store unavailable."""

    exit_code = 11


class MissingExtra(KycError):
    """A feature whose optional dependencies are not installed. ``extra`` names the
    ``pip install 'kyc-sdk[extra]'`` that brings them; ``module`` the import that failed."""

    exit_code = 12

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"this needs the '{extra}' extra: pip install 'kyc-sdk[{extra}]' (no module {module!r})"
        )
        self.extra = extra
        self.module = module

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "extra": self.extra, "module": self.module}


#: Every public error class, for exit-code tables and the exported-members test.
ALL_ERRORS: tuple[type[KycError], ...] = (
    KycError,
    InputError,
    InvalidIdentifier,
    ImageRejected,
    ProviderError,
    AuthenticationFailed,
    RateLimited,
    ProviderUnavailable,
    ProviderProtocolError,
    NoProviderAvailable,
    WebhookRejected,
    WebhookReplayed,
    AttestationError,
    IssuanceError,
    MissingExtra,
)
