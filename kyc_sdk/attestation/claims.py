"""What an attestation says: the ``Outcome`` the registration flow fills, and its claims.

The claims follow OpenID Connect for Identity Assurance 1.0, as a standard consumer reads
them: only an APPROVED outcome carries ``verified_claims`` (a REVIEW or DECLINED person
was not verified, so nothing is claimed as verified); its ``claims`` hold only what a
check confirmed and the ``DisclosurePolicy`` lets out; its ``verification.evidence``
says how, with the standard's evidence types and check methods. Our own ``kyc`` claim
carries the decision in every case: each check with its provider, the attempts, the
liveness and face scores and SHA-256 digests of the evidence images.
Spec: docs/architecture.md (Attestations and SANA codes);
https://openid.net/specs/openid-connect-4-identity-assurance-1_0.html and its schema
definition (OpenID Identity Assurance Schema Definition 1.0, §5.4: ``verification``;
§5.4.4: the ``document`` and ``electronic_record`` evidence elements). The subset we emit
is written down as a JSON Schema beside this module (``verified_claims.schema.json``);
the tests hold every shape we sign to it (not each signing: the check costs several
times the signature).

``sub`` is never the national code: it is ``base64url(HMAC-SHA256(subject_key,
"nc:" + code))`` (or ``"pp:" + nationality + ":" + passport``). The subject key is a
secret shared by the attestor and the issuer, so the same person always gets the same
``sub`` (that is what makes issuance idempotent) while nobody without the key can test a
guessed national code against a token. Rotating the subject key changes every ``sub``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from kyc_sdk.errors import InputError, InvalidIdentifier
from kyc_sdk.identifiers import jalali, national_code
from kyc_sdk.models import CheckKind, Decision, DocumentType, VerificationResult

TYP = "kyc-sdk-attestation/1"  # the claim naming our format and its version
HEADER_TYP = "kyc-attestation+jwt"
TRUST_FRAMEWORK = "ir_sana_kyc"
ISSUER = "urn:kyc-sdk:attestor"
AUDIENCE = "urn:kyc-sdk:sana"

#: The checks each assurance level demands (all must be APPROVED).
ASSURANCE_CHECKS: dict[str, frozenset[CheckKind]] = {
    "low": frozenset({CheckKind.DOCUMENT}),
    "substantial": frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS}),
    "high": frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS, CheckKind.REGISTRY}),
}

# check_method values from the eKYC-IDA working group's predefined list (Schema
# Definition 1.0 §5.4.4.1, check_details; https://openid.net/wg/ekyc-ida/identifiers/):
# "vri" validates a document from an image taken remotely under visible light (the
# person's phone photo of the card), "bvr" is biometric verification by an automated
# system with the person remote (our face match and liveness; "pvr" would mean a human
# officer did it), "data" is a match found in an electronic record.
_DOCUMENT_CHECKS = {CheckKind.DOCUMENT: "vri", CheckKind.FACE_MATCH: "bvr", CheckKind.LIVENESS: "bvr"}
# electronic_record evidence (§5.4.4): the civil registry is a population register (a
# predefined record type); Shahkar, Iran's register of who holds which mobile number,
# has no predefined type, so it gets a named one of our own.
_RECORDS = {
    CheckKind.REGISTRY: ("population_register", "National Organization for Civil Registration"),
    CheckKind.MOBILE_MATCH: ("ir_shahkar_mobile_register", "Shahkar (Communications Regulatory Authority)"),
}
MAX_NAME = 200
_DOC_TYPE = {DocumentType.NATIONAL_CARD: "idcard", DocumentType.PASSPORT: "passport"}


@dataclass(frozen=True, slots=True)
class DisclosurePolicy:
    """Which verified values ``verified_claims.claims`` may carry. Names and the birth
    date are what a relying party registers a person under; the national code and the
    passport number are identifiers a SANA issuer does not need (``sub`` is its keyed
    hash), so they stay out unless the deployment's rules call for them."""

    names: bool = True
    birthdate: bool = True
    national_code: bool = False
    passport_number: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """One finished verification, as the registration flow hands it to the signer.

    Give ``national_code``, or ``passport_number`` with ``nationality``. ``evidence``
    holds image bytes by name (only their SHA-256 leaves this object);
    ``evidence_sha256`` holds digests already computed elsewhere.
    """

    result: VerificationResult
    national_code: str | None = None
    passport_number: str | None = None
    nationality: str = "IRN"
    document_type: DocumentType = DocumentType.NATIONAL_CARD
    document_issuer: str = "National Organization for Civil Registration"
    liveness_score: float | None = None
    face_score: float | None = None
    face_distance: float | None = None
    evidence: Mapping[str, bytes] = field(default_factory=dict)
    evidence_sha256: Mapping[str, str] = field(default_factory=dict)
    assurance_level: str = "substantial"
    verified_at: datetime | None = None
    given_name: str | None = None
    family_name: str | None = None
    birth_date: str | None = None  # Jalali ``YYYY/MM/DD`` (as typed) or ISO ``YYYY-MM-DD``
    reviewed_by: str | None = None  # the officer whose APPROVED decided a REVIEW case (``reviewed``)

    def identity(self) -> str:
        """The canonical identity string the ``sub`` hash is taken over."""
        if self.national_code:
            return "nc:" + national_code.validate(self.national_code)
        if self.passport_number:
            return f"pp:{self.nationality.upper()}:{self.passport_number.strip().upper()}"
        raise ValueError("an outcome needs a national code or a passport number")


def subject_hash(identity: str, subject_key: bytes) -> str:
    """``base64url(HMAC-SHA256(subject_key, identity))`` without padding."""
    if len(subject_key) < 16:
        raise ValueError("the subject key must be at least 16 bytes")
    mac = hmac.new(subject_key, identity.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _digests(outcome: Outcome) -> dict[str, str]:
    out = {name: hashlib.sha256(data).hexdigest() for name, data in outcome.evidence.items()}
    return {**out, **dict(outcome.evidence_sha256)}


def _approved(outcome: Outcome) -> dict[CheckKind, str]:
    """Each approved check's provider (the first, should a kind repeat)."""
    out: dict[CheckKind, str] = {}
    for c in outcome.result.checks:
        if c.outcome is Decision.APPROVED:
            out.setdefault(c.kind, c.provider)
    return out


def _evidence(outcome: Outcome, when: str, approved: Mapping[CheckKind, str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    checks = [
        {"check_method": method, "organization": approved[kind], "time": when}
        for kind, method in _DOCUMENT_CHECKS.items()
        if kind in approved
    ]
    if outcome.reviewed_by:  # an officer looked at the images, the person being remote
        checks.append({"check_method": "pvr", "time": when})
    if checks:
        country = outcome.nationality.upper() if outcome.document_type is DocumentType.PASSPORT else "IRN"
        details = {
            "type": _DOC_TYPE[outcome.document_type],
            "issuer": {"name": outcome.document_issuer, "country_code": country},
        }
        out.append({"type": "document", "check_details": checks, "document_details": details})
    for kind, (record, source) in _RECORDS.items():
        if kind in approved:
            out.append(
                {
                    "type": "electronic_record",
                    "check_details": [{"check_method": "data", "organization": approved[kind], "time": when}],
                    "record": {"type": record, "source": {"name": source, "country_code": "IRN"}},
                }
            )
    return out


def _iso_birthdate(value: str) -> str:
    """OpenID's ``birthdate`` is ISO 8601 ``YYYY-MM-DD`` (Gregorian); ours are typed in Jalali."""
    if not isinstance(value, str):
        raise InvalidIdentifier("a birth date is text", field="birth_date")
    if "/" in value:
        return jalali.to_gregorian(value).isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InvalidIdentifier(
            "a birth date is Jalali YYYY/MM/DD or ISO YYYY-MM-DD", field="birth_date"
        ) from None


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _name(value: object) -> str | None:
    if value is None:
        return None
    # Persian names hold format characters (the zero-width non-joiner): only controls are refused
    if not isinstance(value, str) or len(value) > MAX_NAME or not value.strip() or _has_control(value):
        raise InvalidIdentifier(f"a name is 1-{MAX_NAME} characters without controls", field="name")
    return value.strip()


def _verified_person(
    outcome: Outcome, approved: Mapping[CheckKind, str], policy: DisclosurePolicy
) -> dict[str, Any]:
    """What a check confirmed, as far as ``policy`` lets out: names and birth date only
    when the civil registry matched them; the national code when the registry or the card
    check confirmed it; the passport number when the document check read it."""
    person: dict[str, Any] = {}
    registry = CheckKind.REGISTRY in approved
    if policy.names and registry:
        for claim, value in (("given_name", outcome.given_name), ("family_name", outcome.family_name)):
            if (name := _name(value)) is not None:
                person[claim] = name
    if policy.birthdate and registry and outcome.birth_date:
        person["birthdate"] = _iso_birthdate(outcome.birth_date)
    if policy.national_code and outcome.national_code and (registry or CheckKind.DOCUMENT in approved):
        person["national_code"] = national_code.validate(outcome.national_code)
    if policy.passport_number and outcome.passport_number and CheckKind.DOCUMENT in approved:
        person["passport_number"] = outcome.passport_number.strip().upper()
        person["nationalities"] = [outcome.nationality.upper()]
    return person


def _kyc(outcome: Outcome) -> dict[str, Any]:
    r = outcome.result
    checks = [
        {"kind": c.kind.value, "outcome": c.outcome.value, "provider": c.provider, "score": c.score}
        for c in r.checks
    ]
    scores = {
        "liveness": outcome.liveness_score,
        "face_match": outcome.face_score,
        "face_distance": outcome.face_distance,
    }
    out = {
        "decision": r.decision.value,
        "providers": sorted({a.provider for a in r.attempts} | {r.provider}),
        "checks": checks,
        "attempts": [a.to_dict() for a in r.attempts],
        "scores": {k: v for k, v in scores.items() if v is not None},
        "evidence_sha256": _digests(outcome),
    }
    return out if outcome.reviewed_by is None else {**out, "review": {"officer": outcome.reviewed_by}}


def reviewed(outcome: Outcome, officer_id: str, decision: Decision = Decision.APPROVED) -> Outcome:
    """A REVIEW outcome an officer decided, and ``kyc.review`` names the officer; the
    checks keep what the machines said. APPROVED: the SANA issuer then counts the checks
    left in REVIEW as settled by the officer; a DECLINED check is not the officer's to
    overturn. DECLINED: the outcome is signed as a decline (evidence too), with the
    reason ``review_declined``."""
    if outcome.result.decision is not Decision.REVIEW:
        raise InputError("only a REVIEW outcome is decided by an officer")
    if decision not in (Decision.APPROVED, Decision.DECLINED):
        raise InputError("an officer decides APPROVED or DECLINED")
    if decision is Decision.APPROVED and any(c.outcome is Decision.DECLINED for c in outcome.result.checks):
        raise InputError("a declined check cannot be approved in review")
    if not isinstance(officer_id, str) or not 0 < len(officer_id) <= 64 or not officer_id.isprintable():
        raise InputError("an officer id is 1-64 printable characters")
    why = () if decision is Decision.APPROVED else (*outcome.result.reasons, "review_declined")
    result = replace(outcome.result, decision=decision, reasons=tuple(dict.fromkeys(why)))
    return replace(outcome, result=result, reviewed_by=officer_id)


def build_claims(
    outcome: Outcome,
    *,
    issuer: str,
    audience: str,
    now: datetime,
    ttl: int,
    subject_key: bytes,
    disclose_national_code: bool = False,
    policy: DisclosurePolicy | None = None,
) -> dict[str, Any]:
    """The claims set for ``outcome`` (pure but for the random ``jti``). ``policy``
    defaults to names and birth date, plus the national code if ``disclose_national_code``."""
    if outcome.assurance_level not in ASSURANCE_CHECKS:
        raise ValueError("unknown assurance level")
    policy = policy or DisclosurePolicy(national_code=disclose_national_code)
    when = _iso(outcome.verified_at or now)
    iat = int(now.timestamp())
    out: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject_hash(outcome.identity(), subject_key),
        "iat": iat,
        "nbf": iat,
        "exp": iat + ttl,
        "jti": secrets.token_urlsafe(16),
        "typ": TYP,
        "kyc": _kyc(outcome),
    }
    if outcome.result.decision is Decision.APPROVED:
        approved = _approved(outcome)
        verification = {
            "trust_framework": TRUST_FRAMEWORK,
            "assurance_level": outcome.assurance_level,
            "time": when,
            "evidence": _evidence(outcome, when, approved),
        }
        out["verified_claims"] = {
            "verification": verification,
            "claims": _verified_person(outcome, approved, policy),
        }
    return out
