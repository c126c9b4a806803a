"""kyc-sdk: identity verification for SANA registration.

The public face. Importing it loads no heavy library (no OpenCV, dlib or numpy), reads
no environment and touches no network: the image, OCR and database parts load when used.
"""

from kyc_sdk.client import KYC, AsyncKYC
from kyc_sdk.errors import (
    AttestationError,
    AuthenticationFailed,
    ImageRejected,
    InputError,
    InvalidIdentifier,
    IssuanceError,
    KycError,
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
from kyc_sdk.routing import Backoff, Fallback, Single

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
    "NoProviderAvailable",
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
