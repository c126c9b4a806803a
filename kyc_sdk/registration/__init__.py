"""The whole SANA registration: OCR, liveness, face match, vendors, cross-checks, one
decision with reasons in Persian and English, the attestation and the SANA code.

    reg = Registration(kyc, keys=ring, subject_key=key, issuer=Issuer(store, load_jwks(ring.jwks())))
    challenge = reg.challenge()            # shown to the person, who records the video
    result = reg.register(Application("resident", subject, card_front, video, challenge))
    result.decision, result.reasons, result.sana_code

``flow`` runs the stages, ``crosscheck`` compares the document with what was typed,
``reasons`` holds the bilingual texts, ``samples`` the demo's synthetic people.
Importing this package loads nothing heavy; the stages load OpenCV, dlib and Tesseract
when they run. Spec: the issue "The whole registration"; docs/architecture.md.
"""

from __future__ import annotations

from kyc_sdk.registration.flow import Application, Registration, RegistrationResult, Stage
from kyc_sdk.registration.reasons import REASONS, explain

__all__ = ["REASONS", "Application", "Registration", "RegistrationResult", "Stage", "explain"]
