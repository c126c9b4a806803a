"""kyc-sdk: identity verification for SANA registration.

The public face. Importing it loads no heavy library (no OpenCV, dlib or numpy), reads
no environment and touches no network: the image, OCR and database parts load when used.
"""

from typing import TYPE_CHECKING, Any

from kyc_sdk.errors import (
    AttestationError,
    AuthenticationFailed,
    ImageRejected,
    InputError,
    InvalidIdentifier,
    IssuanceError,
    KycError,
    MissingExtra,
    NoProviderAvailable,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import (
    Attempt,
    Check,
    CheckKind,
    Decision,
    DocumentType,
    Evidence,
    Subject,
    VerificationRequest,
    VerificationResult,
)

if TYPE_CHECKING:
    from kyc_sdk.client import KYC, AsyncKYC
    from kyc_sdk.http_pool import PoolLimits
    from kyc_sdk.routing import Backoff, Fallback, Single

# The drivers pull in httpx (about 100 ms): loaded on first use, not on import.
_LAZY = {
    "KYC": "kyc_sdk.client",
    "AsyncKYC": "kyc_sdk.client",
    "PoolLimits": "kyc_sdk.http_pool",
    "Backoff": "kyc_sdk.routing",
    "Fallback": "kyc_sdk.routing",
    "Single": "kyc_sdk.routing",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kyc_sdk' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "KYC",
    "AsyncKYC",
    "Attempt",
    "AttestationError",
    "AuthenticationFailed",
    "Backoff",
    "Check",
    "CheckKind",
    "Decision",
    "DocumentType",
    "Evidence",
    "Fallback",
    "ImageRejected",
    "InputError",
    "InvalidIdentifier",
    "IssuanceError",
    "KycError",
    "MissingExtra",
    "NoProviderAvailable",
    "PoolLimits",
    "ProviderError",
    "ProviderProtocolError",
    "ProviderUnavailable",
    "RateLimited",
    "Single",
    "Subject",
    "VerificationRequest",
    "VerificationResult",
    "WebhookRejected",
    "__version__",
]
