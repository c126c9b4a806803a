"""REVIEW cases between the runner and the officers, and their ending once decided.

The runner ends a REVIEW case in status ``review`` and queues it for the officers in the
same transaction (``close_for_review``), so no stop can leave a review case that no
officer sees. The case row keeps the outcome that was signed (``outcome_json``: the
images as digests only) and the queue gets what an officer reviews (``evidence_of``:
every check's outcome, score and reasons, the stages, the images' digests).

When an officer decides, the queue's hook runs ``finish``, which ends the case as the
runner ends any other: APPROVED → ``attestation.reviewed`` signs it again with the
officer named (the document evidence gains a ``pvr`` check), and the SANA code is issued
in the transaction that closes the case (``Issuer.issue(then=...)``); DECLINED → signed
as a decline and closed with ``review_declined`` (the officer's free-text reason stays
in the queue's row, never on the case). ``finish`` is idempotent: a case no longer
``review`` is left alone, and of two racing runs the second finds the case ended and
rolls back, its code included. At start-up the service finishes the decided cases a
stop left behind (``finish_decided``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import anyio.to_thread

from kyc_sdk.errors import InputError
from kyc_sdk.models import Attempt, Decision, DocumentType
from kyc_sdk.sana.errors import InsufficientChecks, NotApproved, SubjectRevoked
from kyc_sdk.sana.store import Query, Record, SqlStore
from kyc_sdk.service import cases, review
from kyc_sdk.service.cases import CaseGone

if TYPE_CHECKING:
    from kyc_sdk.attestation import Outcome
    from kyc_sdk.registration.flow import Stage

log = logging.getLogger(__name__)


# -- what was signed, kept on the case ---------------------------------------------------
def _number(value: float | None) -> float | None:
    return None if value is None else float(value)  # numpy scalars are not JSON


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """``outcome`` as JSON, its images replaced by their SHA-256 digests."""
    r = outcome.result
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in outcome.evidence.items()}
    attempts = [
        {"provider": a.provider, "ms": a.ms, "outcome": a.outcome and a.outcome.value, "error": a.error}
        for a in r.attempts
    ]
    result = r.to_dict()
    for check in result["checks"]:
        check["score"] = _number(check["score"])
    return {
        "result": {**result, "attempts": attempts},
        "national_code": outcome.national_code,
        "passport_number": outcome.passport_number,
        "nationality": outcome.nationality,
        "document_type": outcome.document_type.value,
        "document_issuer": outcome.document_issuer,
        "liveness_score": _number(outcome.liveness_score),
        "face_score": _number(outcome.face_score),
        "face_distance": _number(outcome.face_distance),
        "evidence_sha256": {**digests, **dict(outcome.evidence_sha256)},
        "assurance_level": outcome.assurance_level,
        "verified_at": outcome.verified_at.isoformat() if outcome.verified_at else None,
        "given_name": outcome.given_name,
        "family_name": outcome.family_name,
        "birth_date": outcome.birth_date,
    }


def outcome_of(data: dict[str, Any]) -> Outcome:
    """The ``Outcome`` ``outcome_json`` kept (its images as digests)."""
    from kyc_sdk.attestation import Outcome
    from kyc_sdk.service.runner import result_from_json

    r = data["result"]
    attempts = tuple(
        Attempt(a["provider"], float(a["ms"]), Decision(a["outcome"]) if a["outcome"] else None, a["error"])
        for a in r["attempts"]
    )
    result = dataclasses.replace(result_from_json({**r, "vendor": {}}), attempts=attempts)
    at = data["verified_at"]
    return Outcome(
        result,
        national_code=data["national_code"],
        passport_number=data["passport_number"],
        nationality=data["nationality"],
        document_type=DocumentType(data["document_type"]),
        document_issuer=data["document_issuer"],
        liveness_score=data["liveness_score"],
        face_score=data["face_score"],
        face_distance=data["face_distance"],
        evidence_sha256=data["evidence_sha256"],
        assurance_level=data["assurance_level"],
        verified_at=datetime.fromisoformat(at) if at else None,
        given_name=data["given_name"],
        family_name=data["family_name"],
        birth_date=data["birth_date"],
    )


# -- the runner's side ----------------------------------------------------------------
def approvable(outcome: Outcome) -> bool:
    """Whether an officer's APPROVED could be issued a code: the issuer's own rule, run
    on the outcome as it would be signed (no DECLINED check, every check of the assurance
    level approved or settled by the officer). After a local REVIEW the vendors were never
    asked, so a resident's registry check is missing and only a decline is possible."""
    from kyc_sdk.attestation import AUDIENCE, ISSUER, build_claims, reviewed
    from kyc_sdk.sana.issuance import require_approved

    try:
        decided = reviewed(outcome, "approvable?")
        claims = build_claims(
            decided, issuer=ISSUER, audience=AUDIENCE, now=datetime.now(UTC), ttl=1, subject_key=bytes(32)
        )
        require_approved(claims)
    except (InputError, NotApproved, InsufficientChecks):
        return False
    return True


def close_for_review(
    store: SqlStore,
    case_id: str,
    *,
    signed: Outcome,
    stages: Sequence[Stage],
    uploads: dict[str, str],
    outcome: dict[str, Any],
    fields: dict[str, Any],
) -> None:
    """End the case ``review`` and queue it for the officers, in one transaction
    (``CaseGone`` rolls both back when another run ended the case first)."""
    details = {s.name: {"ms": round(s.ms, 1), "outcome": s.outcome} for s in stages}
    seen = {
        **review.evidence_of(signed, details),
        "uploads_sha256": uploads,
        "approvable": approvable(signed),
    }
    evidence = review.evidence_json(seen)
    kept = {**outcome, "signed": outcome_json(signed)}

    def tx(q: Query) -> None:
        review.queue_in(store, q, case_id, evidence, fields["now"])  # the audit head's lock first
        cases.close_case(q, case_id, outcome=kept, sana_code=None, **fields)

    store._run(tx)


# -- the officer's side ---------------------------------------------------------------
def _decided(q: Query, case_id: str) -> tuple[str, str, float, float] | None:
    rows = q(
        "SELECT decision, decided_by, created_at, decided_at FROM review_items"
        " WHERE case_id = ? AND state = 'decided'",
        (case_id,),
    )
    return (str(rows[0][0]), str(rows[0][1]), float(rows[0][2]), float(rows[0][3])) if rows else None


def finish(services: Any, case_id: str) -> str | None:
    """End a decided review case (see the module's docstring); the status it ended in,
    or None when there was nothing to do."""
    from kyc_sdk.attestation import reviewed, sign
    from kyc_sdk.attestation.signer import as_signer
    from kyc_sdk.registration.reasons import explain

    store = services.pool.pooled
    case = cases.load(store, case_id)
    decided = store._run(lambda q: _decided(q, case_id), write=False)
    if case is None or case.status != cases.REVIEW or decided is None:
        return None
    if not case.outcome or "signed" not in case.outcome:  # queued by hand, not by the runner
        raise review.ReviewError("the case holds no signed outcome to decide on")
    verdict, officer, queued_at, decided_at = decided
    decision = Decision(verdict)
    outcome = reviewed(outcome_of(case.outcome["signed"]), officer, decision)
    now = datetime.now(UTC)
    token = sign(outcome, as_signer(services.keys.signer), now=now, subject_key=services.subject_key)
    stages = [s for s in case.outcome.get("stages", []) if s["name"] != "sana"]
    stages.append({"name": "review", "ms": round((decided_at - queued_at) * 1000, 1), "outcome": verdict})
    ended = {**case.outcome, "reasons": explain(outcome.result.reasons, verdict), "stages": stages}
    fields: dict[str, Any] = {
        "status": cases.DECIDED,
        "decision": verdict,
        "attestation": token,
        "vendor_reference": None,
        "now": time.time(),
        "from_status": cases.REVIEW,
    }
    try:
        if decision is Decision.APPROVED:
            _issue_and_close(services, case_id, token, ended, fields)
        else:
            done = {**ended, "stages": [*stages, {"name": "sana", "ms": 0.0, "outcome": "not_issued"}]}
            store._run(lambda q: cases.close_case(q, case_id, outcome=done, sana_code=None, **fields))
    except CaseGone:
        return None  # another run ended it first
    except (NotApproved, InsufficientChecks, SubjectRevoked) as err:
        # the checks cannot carry the assurance level, officer or not (the vendors were
        # never asked after a local REVIEW), or the person's code was revoked: running
        # again would fail again, so the case ends ``failed`` with the rule's code
        log.warning("a reviewed case cannot be issued a code: %s", err.code)
        failed = {**ended, "error": err.code, "message": str(err)}
        return cases.FAILED if cases.fail_case(store, case_id, failed, from_status=cases.REVIEW) else None
    return cases.DECIDED


def _issue_and_close(
    services: Any, case_id: str, token: str, ended: dict[str, Any], fields: dict[str, Any]
) -> None:
    """Verify the officer's attestation as any verifier would, issue its code and close
    the case with it, in one transaction."""
    started = time.perf_counter()

    def close(q: Query, record: Record) -> None:
        sana = {"name": "sana", "ms": round((time.perf_counter() - started) * 1000, 1), "outcome": "issued"}
        done = {**ended, "stages": [*ended["stages"], sana]}
        cases.close_case(q, case_id, outcome=done, sana_code=record.code, **fields)

    services.issuer.issue(token, then=close)


def on_decided(services: Any) -> review.OnDecided:
    """The queue's hook: end the case off the event loop (signing, one transaction)."""

    async def hook(case_id: str, decision: str) -> None:
        await anyio.to_thread.run_sync(finish, services, case_id)

    return hook


async def finish_decided(services: Any) -> int:
    """At start-up: end every case an officer decided while its ending was cut short."""
    done = 0
    for case_id in await services.pool.arun(cases.reviews_decided):
        try:
            done += await anyio.to_thread.run_sync(finish, services, case_id) is not None
        except Exception as err:  # the next start tries again; the officer may also decide again
            log.error("a decided review case could not be ended: %s", type(err).__name__)
    return done
