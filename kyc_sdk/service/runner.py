"""One case through ``kyc_sdk.registration``, committed once.

``Runner`` is the jobs' handler. It reads the case; a case no longer ``submitted`` is a
no-op (another run ended it). It runs the registration off the event loop (``offload``:
a thread by default; the one place a process pool plugs in), then commits the ending in
one transaction: status, decision, reasons, stages, evidence, attestation and, for an
APPROVED case, the SANA code (issued in the same transaction: ``Issuer.issue(then=)``).
Two runs racing on one case (a worker thought dead, that was only slow) both compute;
the second commit finds the case ended and rolls back, its code included.

A REVIEW case ends in status ``review`` with its evidence (every check's score and
reasons, the uploads' SHA-256 digests), queued for the officers in the same transaction
(``review_cases``). A case whose input breaks a rule at run time (an unreadable video)
ends ``failed`` with the error's code: running it again would fail again.

Vendors that are not idempotent (``Provider.idempotent`` False) are wrapped in
``OnceOnlyProvider``: the first run records the call per case and vendor before making it
and stores the result after; a later run reuses that result, or, when the earlier run
died mid-call, passes the vendor over (routing falls back) rather than open a second
verification at that vendor.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio.to_thread

from kyc_sdk.errors import InputError, KycError, ProviderUnavailable
from kyc_sdk.models import Check, CheckKind, Decision, VerificationResult
from kyc_sdk.providers.base import Clock, Flow
from kyc_sdk.redact import PiiValues
from kyc_sdk.sana.store import Query, Record
from kyc_sdk.service import cases
from kyc_sdk.service.cases import Case, CaseGone, StorePool
from kyc_sdk.service.logs import person
from kyc_sdk.service.metrics import Metrics

log = logging.getLogger(__name__)
NEEDED = ("document_front", "selfie_video")
#: the registration's stages that have a duration metric, by the metric's stage label
TIMED_STAGES = {"document": "ocr", "liveness": "liveness", "face_match": "faces", "providers": "vendor"}


class CaseNonce:
    """The ``OnceGuard`` a run uses: the case's own challenge nonce was spent when its
    video arrived (``api.upload``), so the run accepts that nonce, and only that one."""

    def __init__(self, nonce: str) -> None:
        self.nonce = nonce

    def first_use(self, namespace: str, key: str, *, expires_at: float, now: float) -> bool:
        return key == self.nonce


def _in_thread(fn: Callable[..., Any], *args: Any) -> Awaitable[Any]:
    return anyio.to_thread.run_sync(fn, *args)


class Runner:
    """The handler ``Jobs.work`` calls with a case id."""

    def __init__(
        self,
        services: Any,
        offload: Callable[..., Awaitable[Any]] | None = None,
        *,
        metrics: Metrics | None = None,
    ) -> None:
        self.services = services
        self.offload = offload or _in_thread
        self.metrics = metrics or Metrics()

    async def __call__(self, case_id: str) -> None:
        await self.offload(self.run, case_id)

    def run(self, case_id: str) -> str | None:
        """Run the case to its end; the status it ended in, or None for a no-op."""
        s = self.services
        case = s.pool.run(lambda st: cases.load(st, case_id))
        if case is None or case.status != cases.SUBMITTED:
            return None
        try:
            result = self._register(case)
        except InputError as err:  # the same input fails again: end the case, do not retry
            return self._commit_failure(case, err)
        except KycError as err:
            self.metrics.attempts(getattr(err, "attempts", ()))
            if err.retryable:
                raise  # the job is handed back and tried again
            return self._commit_failure(case, err)
        return self._counted(result, self._commit(case, result))

    def _counted(self, result: Any, status: str | None) -> str | None:
        """Count the run's failed vendor calls, and its decision when this run ended the
        case (a run that lost a race to another decided nothing)."""
        self.metrics.attempts(result.result.attempts)
        if status is not None:
            self.metrics.decision(result.decision)
        return status

    def _stage_done(self, stage: Any) -> None:
        label = TIMED_STAGES.get(stage.name)
        if label is not None and stage.outcome != "skipped":
            self.metrics.stage_took(label, stage.ms / 1000)

    def _register(self, case: Case) -> Any:
        from kyc_sdk.registration import Application, Registration

        s = self.services
        reg = Registration(
            s.kyc,
            keys=s.keys,
            subject_key=s.subject_key,
            once=CaseNonce(case.challenge["nonce"]),
            deadline=s.config.deadline_s,
            on_stage=self._stage_done,
        )
        up = case.uploads
        back = up.get("document_back")
        app = Application(
            case.path,
            case.subject,
            s.blobs.get(up["document_front"].sha256),
            s.blobs.get(up["selfie_video"].sha256),
            cases.challenge_of(case.challenge),
            s.blobs.get(back.sha256) if back else None,
            reference=case.id,
            recorded_at=up["selfie_video"].received_at,
        )
        with person(PiiValues.of_subject(case.subject)):  # log lines of this run skip its values
            return reg.register(app)

    def _outcome(self, case: Case, result: Any) -> dict[str, Any]:
        done = result.to_dict()
        return {
            "reasons": done["reasons"],
            "stages": done["stages"],
            "document": done["document"],
            "evidence": {
                "reasons": list(result.reasons),
                "checks": result.result.to_dict()["checks"],
                "uploads": {k: u.sha256 for k, u in sorted(case.uploads.items())},
            },
            "claims": result.claims,
        }

    def _commit(self, case: Case, result: Any) -> str | None:
        status = cases.REVIEW if result.decision is Decision.REVIEW else cases.DECIDED
        outcome = self._outcome(case, result)
        now = time.time()
        fields = {
            "status": status,
            "decision": result.decision.value,
            "attestation": result.attestation,
            "vendor_reference": result.result.reference,
            "now": now,
        }
        try:
            if result.decision is Decision.APPROVED and result.attestation:
                self._issue_and_close(case, result, outcome, fields)
            elif result.decision is Decision.REVIEW and result.outcome is not None:
                self._close_for_review(case, result, outcome, fields)
            else:
                self.services.pool.pooled._run(
                    lambda q: cases.close_case(q, case.id, outcome=outcome, sana_code=None, **fields)
                )
        except CaseGone:
            log.info("a case was already ended by another run")
            return None
        return status

    def _close_for_review(
        self, case: Case, result: Any, outcome: dict[str, Any], fields: dict[str, Any]
    ) -> None:
        from kyc_sdk.service.review_cases import close_for_review

        close_for_review(
            self.services.pool.pooled,
            case.id,
            signed=result.outcome,
            stages=result.stages,
            uploads={k: u.sha256 for k, u in sorted(case.uploads.items())},
            outcome=outcome,
            fields=fields,
        )

    def _issue_and_close(
        self, case: Case, result: Any, outcome: dict[str, Any], fields: dict[str, Any]
    ) -> None:
        started = time.perf_counter()

        def close(q: Query, record: Record) -> None:
            ms = (time.perf_counter() - started) * 1000
            outcome["stages"] = [
                *[st for st in outcome["stages"] if st["name"] != "sana"],
                {"name": "sana", "ms": round(ms, 1), "outcome": "issued"},
            ]
            cases.close_case(q, case.id, outcome=outcome, sana_code=record.code, **fields)

        self.services.issuer.issue(result.attestation, then=close)

    async def give_up(self, case_id: str) -> None:
        """End a case whose job kept crashing (the queue gave up on it) as ``failed``."""
        case = await self.services.pool.arun(lambda st: cases.load(st, case_id))
        if case is not None and case.status == cases.SUBMITTED:
            failure = KycError("the registration could not be run; start a new case")
            await anyio.to_thread.run_sync(self._commit_failure, case, failure, "internal_error")

    def _commit_failure(self, case: Case, err: KycError, code: str | None = None) -> str | None:
        why = code or err.code
        outcome = {"error": why, "message": str(err), "reasons": [], "stages": [], "document": {}}
        if not cases.fail_case(self.services.pool.pooled, case.id, outcome):
            return None
        self.metrics.failed(why)
        return cases.FAILED


# -- runs in a worker process ----------------------------------------------------------
_process_runner: Runner | None = None


def init_process(config: Any = None) -> None:
    """Initializer of a worker process (``ProcessPoolExecutor(initializer=...)``): opens
    the process's own services (store pool, vendors, keys) once, from ``config`` or the
    environment, for ``run_in_process``."""
    import atexit
    import contextlib

    from kyc_sdk.service.config import ServiceConfig, open_services

    global _process_runner  # noqa: PLW0603 -- one runner per worker process, made by its initializer
    stack = contextlib.ExitStack()
    services = stack.enter_context(open_services(config or ServiceConfig.from_env()))
    atexit.register(stack.close)
    _process_runner = Runner(services)


def run_in_process(case_id: str) -> str | None:
    """``Runner.run`` in a worker process set up by ``init_process`` (only the case id
    crosses the process boundary)."""
    if _process_runner is None:
        raise RuntimeError("init_process was not run in this worker process")
    return _process_runner.run(case_id)


# -- vendors that are not idempotent ---------------------------------------------------
def result_to_json(result: VerificationResult) -> dict[str, Any]:
    return {**result.to_dict(), "attempts": [], "vendor": dict(result.vendor)}


def result_from_json(data: dict[str, Any]) -> VerificationResult:
    return VerificationResult(
        Decision(data["decision"]),
        data["provider"],
        data.get("reference"),
        tuple(
            Check(
                CheckKind(c["kind"]),
                Decision(c["outcome"]),
                c["provider"],
                c.get("score"),
                tuple(c["reasons"]),
            )
            for c in data["checks"]
        ),
        (),
        tuple(data["reasons"]),
        data.get("raw_status"),
        tuple(data.get("raw_codes", ())),
        {},
        data.get("vendor", {}),
    )


class OnceOnlyProvider:
    """A non-idempotent vendor's adapter, made safe to run again per case (see above)."""

    def __init__(self, inner: Any, pool: StorePool) -> None:
        self.inner, self.pool = inner, pool

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def flow(self, request: Any, *, now: Clock, wait: bool = True) -> Flow:
        import json

        case_id, name = request.reference, self.inner.name
        claimed, stored = self.pool.run(lambda st: cases.claim_vendor_call(st, case_id, name, now()))
        if not claimed:
            if stored:
                return result_from_json(json.loads(stored))
            raise ProviderUnavailable(f"{name}: an earlier run's call has no known outcome", provider=name)
        result: VerificationResult = yield from self.inner.flow(request, now=now, wait=wait)
        text = json.dumps(result_to_json(result), default=str)
        self.pool.run(lambda st: cases.finish_vendor_call(st, case_id, name, text))
        return result
