"""``Registration``: the whole SANA registration of one person, stage by stage.

The flow of docs/architecture.md, on two paths:

- **resident**: national card (front, and back when given) + an Iranian mobile. Checks:
  document, liveness and face match here; then a document vendor (document, face match)
  and ``hirkan`` (civil registry, Shahkar mobile match) through one ``verify()``.
  Assurance level ``high``; a failed Shahkar match is RETRY (hirkan's answer).
- **abroad**: passport data page (MRZ) + any mobile, no Shahkar. Checks: document (MRZ),
  liveness, face match, and a document vendor. The person is identified by the national
  code in the passport when it holds one, else by passport number and nationality.
  Assurance level ``substantial``.

Stages, each timed and reported (``Stage``): ``document`` (OCR), ``liveness``,
``face_match``, ``cross_checks``, ``providers``, ``decision``, ``attestation``, ``sana``.
Vendors are asked only when every local stage approved: a replayed selfie or a card
whose code is not the typed one costs no vendor call and never reaches Shahkar. The
decision is the most cautious of all checks (DECLINED > REVIEW > RETRY > APPROVED). Every
decided outcome is signed (an attestation of a decline is evidence too); a SANA code is
issued only for APPROVED. Vendors that cannot decide make the registration RETRY
(``providers_unavailable``); wrong input raises ``InvalidIdentifier`` before any work.
"""

from __future__ import annotations

import datetime
import hashlib
import time
import warnings
from collections.abc import Callable, MutableSet, Sequence
from dataclasses import dataclass, field, replace
from random import Random
from typing import TYPE_CHECKING, Any, TypeVar

from kyc_sdk.errors import InputError, InvalidIdentifier, KycError
from kyc_sdk.models import (
    Check,
    CheckKind,
    Decision,
    DocumentType,
    Evidence,
    Subject,
    VerificationRequest,
    VerificationResult,
)
from kyc_sdk.once import MemoryOnce, OnceGuard, SetOnce
from kyc_sdk.registration import biometrics, crosscheck, reasons
from kyc_sdk.registration import document as documents
from kyc_sdk.validation import require_fields, validate_subject

if TYPE_CHECKING:  # the heavy layers stay unimported until a registration needs them
    from kyc_sdk.attestation import KeyRing, Outcome
    from kyc_sdk.client import KYC
    from kyc_sdk.liveness.challenge import Challenge
    from kyc_sdk.sana import Issuer

T = TypeVar("T")

PATHS = ("resident", "abroad")
VENDOR_CHECKS = {
    "resident": frozenset(
        {CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.REGISTRY, CheckKind.MOBILE_MATCH}
    ),
    "abroad": frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH}),
}
ASSURANCE = {"resident": "high", "abroad": "substantial"}
LOCAL = biometrics.LOCAL


@dataclass(frozen=True, slots=True)
class Application:
    """What one person submitted: typed ``subject``, document image(s), the selfie video
    (a file's bytes, or frames) recorded for ``challenge``."""

    path: str
    subject: Subject
    document_front: bytes
    selfie_video: bytes | Sequence[Any]
    challenge: Challenge
    document_back: bytes | None = None
    reference: str = ""
    #: when the video arrived (epoch seconds): the challenge's freshness is judged then,
    #: so a service that queues the work does not expire it (None: when it is checked)
    recorded_at: float | None = None


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    ms: float
    outcome: str  # a Decision's value, or "skipped", "signed", "issued", "not_issued"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ms": round(self.ms, 1), "outcome": self.outcome}


@dataclass(frozen=True, slots=True)
class RegistrationResult:
    path: str
    decision: Decision
    reasons: tuple[str, ...]
    stages: tuple[Stage, ...]
    result: VerificationResult
    attestation: str | None = None
    claims: dict[str, Any] | None = None
    sana_code: str | None = None
    document: dict[str, Any] = field(default_factory=dict)
    #: what was signed: an officer's decision on a REVIEW case is signed from it later
    outcome: Outcome | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "decision": self.decision.value,
            "reasons": reasons.explain(self.reasons, self.decision.value),
            "sana_code": self.sana_code,
            "attestation": {"token": self.attestation, "claims": self.claims} if self.attestation else None,
            "stages": [s.to_dict() for s in self.stages],
            "document": self.document,
        }


class _Timer:
    """Runs stages, records each one's time and outcome, tells ``on_stage``."""

    def __init__(self, on_stage: Callable[[Stage], None] | None) -> None:
        self.stages: list[Stage] = []
        self.on_stage = on_stage

    def run(self, name: str, fn: Callable[[], T], outcome: Callable[[T], str]) -> T:
        started = time.perf_counter()
        value = fn()
        self.add(Stage(name, (time.perf_counter() - started) * 1000, outcome(value)))
        return value

    def add(self, stage: Stage) -> None:
        self.stages.append(stage)
        if self.on_stage is not None:
            self.on_stage(stage)


def validated_subject(path: str, subject: Subject) -> Subject:
    """``subject`` validated for ``path``'s checks (``InvalidIdentifier`` naming the field):
    what a service checks when a case is created, before any evidence arrives. The fields
    the path's vendor checks need (``VENDOR_CHECKS``, ``validation.NEEDED_FOR_CHECK``) must
    be given: a case a vendor would refuse later is refused now."""
    if path not in PATHS:
        raise InvalidIdentifier(f"unknown registration path; use one of {', '.join(PATHS)}", field="path")
    for name in Subject.__slots__:  # typed by a person, through a web form: text or nothing
        if not isinstance(getattr(subject, name), str | None):
            raise InvalidIdentifier(f"{name} must be text", field=name)
    if path == "abroad" and not (subject.passport_number or "").strip():
        raise InvalidIdentifier(
            "a registration from abroad needs the passport number", field="passport_number"
        )
    if path == "resident" and subject.national_code is None:
        raise InvalidIdentifier("a resident registration needs the national code", field="national_code")
    require_fields(subject, VENDOR_CHECKS[path])  # what the path's vendors need, whoever they are
    return validate_subject(subject, VENDOR_CHECKS[path])


class Registration:
    """Runs applications through the flow. ``kyc`` is a ``KYC`` whose providers cover the
    vendor checks (a document vendor plus ``hirkan`` for residents); ``keys`` signs
    attestations (a ``KeyRing``), ``subject_key`` keys the subject hash, ``issuer`` (a
    ``sana.Issuer`` trusting ``keys``) issues codes; without it no code is issued.

    ``once`` spends each challenge nonce: pass the store (``SqlStore`` is a ``OnceGuard``)
    so a selfie video replayed to another process or replica is refused; the default
    remembers nonces in this process only. ``used_nonces`` (a set) is deprecated: it is
    adapted into a guard, and ``once`` wins when both are given."""

    def __init__(
        self,
        kyc: KYC,
        *,
        keys: KeyRing,
        subject_key: bytes,
        issuer: Issuer | None = None,
        once: OnceGuard | None = None,
        used_nonces: MutableSet[str] | None = None,
        deadline: float = 60.0,
        clock: Callable[[], float] = time.time,
        attestation_ttl: int = 600,
        on_stage: Callable[[Stage], None] | None = None,
    ) -> None:
        self.kyc, self.keys, self.subject_key, self.issuer = kyc, keys, subject_key, issuer
        if used_nonces is not None:
            warnings.warn(
                "Registration(used_nonces=...) holds in one process only; pass once=<OnceGuard> (the store)",
                DeprecationWarning,
                stacklevel=2,
            )
        self.once: OnceGuard = once or (SetOnce(used_nonces) if used_nonces is not None else MemoryOnce())
        self.deadline, self.clock, self.ttl, self.on_stage = deadline, clock, attestation_ttl, on_stage

    def challenge(self, rng: Random | None = None) -> Challenge:
        """A fresh liveness challenge for the client to perform (``rng`` only in tests)."""
        from kyc_sdk.liveness.challenge import new_challenge

        return new_challenge(rng, now=self.clock())

    def register(self, app: Application) -> RegistrationResult:
        """Run ``app`` through every stage; a decision is a value, not an exception."""
        subject = self._validated(app)
        timer = _Timer(self.on_stage)
        reading = timer.run(
            "document",
            lambda: documents.read(app.path, app.document_front, app.document_back),
            lambda r: "read" if r.found else "unreadable",
        )
        selfie, alive = timer.run("liveness", lambda: self._liveness(app), lambda sc: sc[1].outcome.value)
        face, distance = timer.run(
            "face_match",
            lambda: biometrics.face_match(selfie, app.document_front),
            lambda cd: cd[0].outcome.value,
        )
        document = timer.run(
            "cross_checks",
            lambda: self._document_check(app.path, reading, subject),
            lambda c: c.outcome.value,
        )
        local = (document, alive, face)
        vendor = self._providers(timer, app, subject, selfie, local)
        combined = self._combine(timer, local, vendor)
        outcome = self._outcome(app, subject, reading, combined, alive, face, distance, selfie)
        token, claims = timer.run("attestation", lambda: self._sign(outcome), lambda _: "signed")
        code = self._issue(timer, combined.decision, token)
        return RegistrationResult(
            app.path,
            combined.decision,
            combined.reasons,
            tuple(timer.stages),
            combined,
            token,
            claims,
            code,
            reading.summary(),
            outcome,
        )

    def _validated(self, app: Application) -> Subject:
        if not hasattr(app.challenge, "steps") or not hasattr(app.challenge, "nonce"):
            raise InputError("a liveness challenge from Registration.challenge() is needed")
        return validated_subject(app.path, app.subject)

    def _liveness(self, app: Application) -> tuple[biometrics.Selfie, Check]:
        selfie = biometrics.load_video(app.selfie_video)  # decoding is part of the stage's cost
        now = self.clock() if app.recorded_at is None else app.recorded_at
        return selfie, biometrics.liveness(selfie, app.challenge, now=now, once=self.once)

    def _document_check(self, path: str, reading: documents.Reading, subject: Subject) -> Check:
        today = datetime.datetime.fromtimestamp(self.clock(), datetime.UTC).date()
        rule = crosscheck.national_card if path == "resident" else crosscheck.passport
        findings = rule(reading, subject, today)
        outcome = Decision.worst((d for d, _ in findings), Decision.APPROVED)
        return Check(CheckKind.DOCUMENT, outcome, LOCAL, None, tuple(dict.fromkeys(r for _, r in findings)))

    def _providers(
        self,
        timer: _Timer,
        app: Application,
        subject: Subject,
        selfie: biometrics.Selfie,
        local: Sequence[Check],
    ) -> VerificationResult | None:
        if Decision.worst((c.outcome for c in local), Decision.APPROVED) is not Decision.APPROVED:
            timer.add(Stage("providers", 0.0, "skipped"))
            return None
        request = self._request(app, subject, selfie)
        return timer.run("providers", lambda: self._verify(request), lambda r: r.decision.value)

    def _request(self, app: Application, subject: Subject, selfie: biometrics.Selfie) -> VerificationRequest:
        kind = DocumentType.NATIONAL_CARD if app.path == "resident" else DocumentType.PASSPORT
        evidence = Evidence(
            selfie=biometrics.jpeg(selfie.still),
            document_front=app.document_front,
            document_back=app.document_back,
            document_type=kind,
        )
        return VerificationRequest(
            subject, evidence, VENDOR_CHECKS[app.path], app.reference or f"reg-{time.time_ns()}"
        )

    def _verify(self, request: VerificationRequest) -> VerificationResult:
        try:
            return self.kyc.verify(request, deadline=self.deadline)
        except KycError as err:
            if not err.retryable:  # credentials, a broken vendor contract: the operator's problem
                raise
            return VerificationResult(
                Decision.RETRY,
                "none",
                reasons=("providers_unavailable",),
                attempts=tuple(getattr(err, "attempts", ())),
            )

    def _combine(
        self, timer: _Timer, local: Sequence[Check], vendor: VerificationResult | None
    ) -> VerificationResult:
        def decide() -> VerificationResult:
            checks = (*local, *(vendor.checks if vendor else ()))
            decisions = [c.outcome for c in checks] + ([vendor.decision] if vendor else [])
            # the registration's own codes (detail codes such as static_face stay in the check)
            why = [r for c in local for r in c.reasons if r in reasons.REASONS] + list(
                vendor.reasons if vendor else ()
            )
            base = vendor or VerificationResult(Decision.APPROVED, LOCAL)
            return replace(
                base,
                decision=Decision.worst(decisions, Decision.APPROVED),
                checks=checks,
                reasons=tuple(dict.fromkeys(why)),
            )

        return timer.run("decision", decide, lambda r: r.decision.value)

    def _outcome(
        self,
        app: Application,
        subject: Subject,
        reading: documents.Reading,
        result: VerificationResult,
        alive: Check,
        face: Check,
        distance: float | None,
        selfie: biometrics.Selfie,
    ) -> Outcome:
        from kyc_sdk.attestation import Outcome

        code = subject.national_code
        if app.path == "abroad":  # the passport's own national code, when it holds a trusted one
            read = reading.get("national_code")
            code = read.value if crosscheck.trusted(read) else None
        evidence = {
            "document_front": app.document_front,
            **({"document_back": app.document_back} if app.document_back else {}),
        }
        video = hashlib.sha256(b"".join(rgb.tobytes() for _, rgb in selfie.frames)).hexdigest()
        return Outcome(
            result,
            national_code=code,
            passport_number=subject.passport_number,
            nationality=subject.nationality,
            document_type=DocumentType.NATIONAL_CARD if app.path == "resident" else DocumentType.PASSPORT,
            liveness_score=alive.score,
            face_score=face.score,
            face_distance=distance,
            evidence=evidence,
            evidence_sha256={"selfie_video_frames": video},
            assurance_level=ASSURANCE[app.path],
            verified_at=datetime.datetime.fromtimestamp(self.clock(), datetime.UTC),
            given_name=subject.first_name,
            family_name=subject.last_name,
            birth_date=subject.birth_date,
        )

    def _sign(self, outcome: Outcome) -> tuple[str, dict[str, Any]]:
        from kyc_sdk.attestation import load_jwks, sign, verify

        now = datetime.datetime.fromtimestamp(self.clock(), datetime.UTC)
        token = sign(outcome, self.keys.signer, now=now, subject_key=self.subject_key, ttl=self.ttl)
        return token, verify(token, load_jwks(self.keys.jwks()), now=now)  # as any verifier would

    def _issue(self, timer: _Timer, decision: Decision, token: str) -> str | None:
        issuer = self.issuer
        if decision is not Decision.APPROVED or issuer is None:
            timer.add(Stage("sana", 0.0, "not_issued"))
            return None
        issued = timer.run("sana", lambda: issuer.issue(token), lambda _: "issued")
        return issued.sana_code
