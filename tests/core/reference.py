"""A minimal reference vendor (adapter + sandbox) for testing the drivers and routing,
like libcloud's dummy driver: it decides from the subject's first name (ok, no, later)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kyc_sdk.errors import AuthenticationFailed, ProviderUnavailable, RateLimited
from kyc_sdk.models import Check, CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers.base import Flow, Provider, ProviderSettings, Wait
from kyc_sdk.sandbox.base import SandboxApp


@dataclass(frozen=True, kw_only=True)
class RefSettings(ProviderSettings):
    token: str = "ref-token"


class RefProvider(Provider):
    style = "ref"
    settings_class = RefSettings
    capabilities = frozenset({CheckKind.DOCUMENT})
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "ok": Decision.APPROVED,
        "no": Decision.DECLINED,
        "wait": None,
    }
    idempotent = True

    def flow(self, request: VerificationRequest, *, wait: bool = True) -> Flow:
        assert isinstance(self.settings, RefSettings)
        headers = {"Authorization": f"Bearer {self.settings.token}"}
        response = yield self.build(
            "POST", "/jobs", json={"code": request.subject.first_name}, headers=headers
        )
        while True:
            if response.status_code == 401:
                raise AuthenticationFailed("ref: bad token", provider=self.name, status=401)
            if response.status_code == 429:
                raise RateLimited(
                    "ref: slow down",
                    provider=self.name,
                    status=429,
                    retry_after=float(response.headers.get("Retry-After", 0)),
                )
            if response.status_code >= 500:
                raise ProviderUnavailable("ref: down", provider=self.name, status=response.status_code)
            body = self.decode_json(response)
            decision = self.map_status(body.get("status"))
            if decision is not None:
                return VerificationResult(
                    decision,
                    self.name,
                    reference=body["id"],
                    checks=(Check(CheckKind.DOCUMENT, decision, self.name),),
                    raw_status=body["status"],
                )
            if not wait:
                return VerificationResult(Decision.PENDING, self.name, reference=body["id"])
            yield Wait(0.01)
            response = yield self.build("GET", f"/jobs/{body['id']}", headers=headers)


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
