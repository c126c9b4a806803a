"""A minimal reference vendor (adapter + sandbox) for testing the drivers and routing,
like libcloud's dummy driver: it decides from the subject's first name (ok, no, later)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from typing import Any, ClassVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kyc_sdk.models import Check, CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers.base import Clock, Flow, Provider, ProviderSettings, SubFlow, credential
from kyc_sdk.sandbox.base import SandboxApp


@dataclass(frozen=True, kw_only=True)
class RefSettings(ProviderSettings):
    token: str = credential(default="ref-token")


class RefProvider(Provider[RefSettings]):
    """What an adapter on the base needs: a flow, its tables, nothing else (its errors are
    plain HTTP statuses, which ``decipher`` reads without hooks)."""

    style = "ref"
    settings_class = RefSettings
    capabilities = frozenset({CheckKind.DOCUMENT})
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "ok": Decision.APPROVED,
        "no": Decision.DECLINED,
        "wait": None,
    }
    idempotent = True

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        job = yield from self._call("POST", "/jobs", json={"code": request.subject.first_name})
        job_id = self.vendor_id(job.get("id"), "job id")
        if self.map_status(job.get("status")) is None:
            read = partial(self._decided, job_id)
            done = yield from self.poll(read, schedule=repeat(0.01), wait=wait, look_first=False)
            if done is None:
                return self.pending(job_id, "wait")
            job = done
        decision = self.map_status(job.get("status")) or Decision.REVIEW
        check = Check(CheckKind.DOCUMENT, decision, self.name)
        return VerificationResult(
            decision, self.name, reference=job_id, checks=(check,), raw_status=job["status"]
        )

    def _call(self, method: str, path: str, **kwargs: Any) -> SubFlow[dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.settings.token}"}
        return self.answer((yield self.build(method, path, headers=headers, **kwargs)))

    def _decided(self, job_id: str) -> SubFlow[dict[str, Any] | None]:
        job = yield from self._call("GET", f"/jobs/{job_id}")
        return job if self.map_status(job.get("status")) is not None else None


class RefSandbox(SandboxApp):
    style = "ref"

    def __init__(self, **kw: object) -> None:
        self.polls: dict[str, int] = {}
        super().__init__(**kw)  # type: ignore[arg-type]

    def routes(self) -> list[BaseRoute]:
        return [Route("/jobs", self.create, methods=["POST"]), Route("/jobs/{id}", self.get)]

    def _status(self, code: str) -> str:
        return {"ok": "ok", "no": "no"}[code]

    async def create(self, request: Request) -> Response:
        if request.headers.get("authorization") != "Bearer ref-token":
            return self.auth_failed()
        code = (await request.json())["code"]
        job = f"job-{code}"
        if code == "later":  # decides after two polls
            self.polls[job] = 2
            return JSONResponse({"id": job, "status": "wait"})
        return JSONResponse({"id": job, "status": self._status(code)})

    async def get(self, request: Request) -> Response:
        job = request.path_params["id"]
        self.polls[job] -= 1
        return JSONResponse({"id": job, "status": "wait" if self.polls[job] > 0 else "ok"})
