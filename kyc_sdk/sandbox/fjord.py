"""Sandbox of the ``fjord`` style: signed bodies, presigned ZIP upload, job polling,
stringly typed results, per-ID-number rate limit (modelled on Smile ID's testapi).

Spec: docs/styles/fjord.md. Choices the spec leaves open, written down there:
- Every JSON call checks ``partner_id`` + ``signature`` (``2203``/``2204``) and a
  timestamp within an hour of the sandbox clock (``2209``); answers are signed.
- ``/v1/upload`` answers a presigned ``upload_url`` (``/uploads/{token}``) that
  expires after ``url_ttl`` seconds (403 on the PUT). A job_id whose ZIP arrived is
  ``2215`` (with its ``smile_job_id``); one whose ZIP did not gets a fresh URL.
- Sandbox control: test ID numbers. ``id_info.id_number`` in the ZIP's ``info.json``
  (and in ``/v1/id_verification``) picks the scenario in ``scenario_data/fjord.json``
  (``control.subject.national_code``); any other number is approved. The sandbox does
  not look at the images, only checks that the ZIP lists them.
- A job completes on the second ``job_status`` after its ZIP; a provisional ``0814``
  becomes the scenario's ``final`` result ``final_after`` reads later, the provisional
  one kept in ``history``. Each result is POSTed to ``callback_url`` with its own
  ``timestamp`` + ``signature``.
- Per ID number: ``id_limit`` (30) calls per rolling 3 days → 429 ``2222`` with
  ``Retry-After``; ``/v1/id_number_rate_limit_reset`` clears a number.
"""

from __future__ import annotations

import io
import json
import secrets
import uuid
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from kyc_sdk.sandbox._crypto import hmac_base64, same
from kyc_sdk.sandbox.base import SandboxApp
from kyc_sdk.sandbox.scenarios import scenarios

PARTNER_ID = "2718"
API_KEY = "fjord_sandbox_key_7d1c2b3a4f5e6d7c"
WINDOW = 3 * 24 * 3600.0
DEFAULT = {
    "ResultCode": "1012",
    "ResultText": "ID Validated",
    "Actions": {
        "Liveness_Check": "Passed",
        "Selfie_To_ID_Card_Compare": "Passed",
        "Verify_Document": "Passed",
        "Verify_ID_Number": "Verified",
    },
}
REGISTRY_DEFAULT = {
    "ResultCode": "1012",
    "ResultText": "ID Validated",
    "Actions": {"Verify_ID_Number": "Verified"},
}


IMAGE_TYPES = range(8)  # image_type_id values a job package may list
MAX_PACKAGE = 20_000_000  # bytes, unpacked


def credentials(base_url: str) -> dict[str, Any]:
    """What a client of this sandbox is configured with (public test values)."""
    return {
        "base_url": base_url,
        "partner_id": PARTNER_ID,
        "api_key": API_KEY,
        "first_interval": 0.02,
        "interval": 0.04,
    }


def signature(timestamp: str, partner_id: str = PARTNER_ID, api_key: str = API_KEY) -> str:
    """base64 HMAC-SHA256 of timestamp + partner id + "sid_request": requests, answers and
    callbacks alike (the body itself is not covered)."""
    return hmac_base64(api_key, f"{timestamp}{partner_id}sid_request")


def signature_ok(body: Mapping[str, Any]) -> bool:
    stamp = body.get("timestamp")
    return isinstance(stamp, str) and stamp.isascii() and same(body.get("signature"), signature(stamp))


def seconds_since(timestamp: Any, now: float) -> float | None:
    """``now`` minus an ISO 8601 timestamp (no zone: UTC), or None when it is not one."""
    try:
        when = datetime.fromisoformat(timestamp) if isinstance(timestamp, str) else None
    except ValueError:
        return None
    if when is None:
        return None
    return now - (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def truth(value: Any) -> bool | None:
    """A fjord boolean: JSON true/false or the strings "true"/"false"; else None."""
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(value) if isinstance(value, str) else None


def read_job_zip(data: bytes) -> dict[str, Any] | None:
    """The package's ``info.json`` when every image it lists is in the ZIP; else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if sum(i.file_size for i in package.infolist()) > MAX_PACKAGE:
                return None
            info = json.loads(package.read("info.json"))
            names = set(package.namelist())
        images = info["images"]
        if not images or any(
            i["image_type_id"] not in IMAGE_TYPES or i["file_name"] not in names for i in images
        ):
            return None
    except (zipfile.BadZipFile, KeyError, TypeError, ValueError, RecursionError):
        return None
    return info if isinstance(info, dict) else None


def error(code: str, message: str, status: int = 400, **extra: Any) -> JSONResponse:
    return JSONResponse({"code": code, "error": message, **extra}, status_code=status)


class FjordSandbox(SandboxApp):
    style = "fjord"

    def __init__(
        self, *, id_limit: int = 30, url_ttl: float = 600.0, final_after: int = 2, **kw: Any
    ) -> None:
        self.id_limit, self.url_ttl, self.final_after = id_limit, url_ttl, final_after
        self.people = {s.control["subject"]["national_code"]: s.vendor for s in scenarios("fjord")}
        self.jobs: dict[str, dict[str, Any]] = {}  # by partner job_id
        self.urls: dict[str, tuple[str, float]] = {}  # token → (job_id, expires)
        self.calls: dict[str, list[float]] = {}  # id number → call times
        super().__init__(**kw)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/v1/upload", self.upload, methods=["POST"]),
            Route("/uploads/{token}", self.put_zip, methods=["PUT"]),
            Route("/v1/job_status", self.job_status, methods=["POST"]),
            Route("/v1/id_verification", self.id_verification, methods=["POST"]),
            Route("/v1/id_number_rate_limit_reset", self.reset_limit, methods=["POST"]),
        ]

    def auth_failed(self) -> Response:
        return error("2204", "Unauthorized", 401)

    def rate_limited(self) -> Response:
        return error("2220", "Too many requests", 429)

    # Edge: signature, clock, per-ID limit ---------------------------------------------

    async def _signed_body(self, request: Request) -> dict[str, Any] | Response:
        try:
            body = json.loads(await request.body())
            assert isinstance(body, dict)
        except (ValueError, AssertionError):
            return error("2213", "Request body must be a JSON object")
        if body.get("partner_id") != PARTNER_ID:
            return error("2204", "Partner not authorized", 401)
        if not signature_ok(body):
            return error("2203", "Invalid signature", 401)
        age = seconds_since(body["timestamp"], self.clock())
        if age is None or abs(age) > 3600:
            return error("2209", "Timestamp outside the allowed window", 401)
        return body

    def _limited(self, id_number: Any) -> Response | None:
        if not isinstance(id_number, str):
            return None
        now = self.clock()
        recent = [t for t in self.calls.get(id_number, []) if now - t < WINDOW]
        if len(recent) >= self.id_limit:
            self.calls[id_number] = recent
            retry = int(WINDOW - (now - recent[0])) + 1
            return JSONResponse(
                {"code": "2222", "error": "ID number rate limit exceeded"},
                status_code=429,
                headers={"Retry-After": str(retry)},
            )
        self.calls[id_number] = [*recent, now]
        return None

    def _answer(self, body: dict[str, Any], status: int = 200) -> JSONResponse:
        stamp = (
            datetime.fromtimestamp(self.clock(), UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z")
        )
        signed = {**body, "partner_id": PARTNER_ID, "timestamp": stamp, "signature": signature(stamp)}
        return JSONResponse(signed, status_code=status)

    # Jobs ------------------------------------------------------------------------------

    async def upload(self, request: Request) -> Response:
        body = await self._signed_body(request)
        if isinstance(body, Response):
            return body
        params = body.get("partner_params")
        if not isinstance(params, dict) or not params.get("job_id") or not params.get("user_id"):
            return error("2213", "Missing required keys: partner_params.job_id, user_id")
        if params.get("job_type") not in (1, 5, 6, 11):
            return error("2214", "Invalid job_type")
        limited = self._limited(body.get("id_number"))
        if limited is not None:
            return limited
        job = self.jobs.get(params["job_id"])
        if job is not None and job["zip"]:
            return error("2215", "Job already exists", smile_job_id=job["smile_job_id"])
        if job is None:
            job = {
                "smile_job_id": str(uuid.uuid4().int)[:10],
                "params": params,
                "zip": False,
                "reads": 0,
                "callback_url": body.get("callback_url") or None,
                "result": None,
                "history": [],
            }
            self.jobs[params["job_id"]] = job
        token = secrets.token_urlsafe(16)
        self.urls[token] = (params["job_id"], self.clock() + self.url_ttl)
        url = f"{str(request.base_url).rstrip('/')}/uploads/{token}?X-Expires={int(self.url_ttl)}"
        return self._answer({"upload_url": url, "smile_job_id": job["smile_job_id"], "ref_id": token[:8]})

    async def put_zip(self, request: Request) -> Response:
        found = self.urls.get(request.path_params["token"])
        if found is None or self.clock() > found[1]:
            return PlainTextResponse("AccessDenied: Request has expired", status_code=403)
        if request.headers.get("content-type") != "application/zip":
            return PlainTextResponse("Content-Type must be application/zip", status_code=400)
        info = read_job_zip(await request.body())
        if info is None:
            return PlainTextResponse("Invalid job package: info.json must list every image", status_code=400)
        job = self.jobs[found[0]]
        del self.urls[request.path_params["token"]]
        id_number = info.get("id_info", {}).get("id_number")
        job.update(zip=True, vendor=self.people.get(id_number, DEFAULT))
        return Response(status_code=200)

    async def job_status(self, request: Request) -> Response:
        body = await self._signed_body(request)
        if isinstance(body, Response):
            return body
        job = self.jobs.get(body.get("job_id"))  # type: ignore[arg-type]
        if job is None or job["params"]["user_id"] != body.get("user_id"):
            return error("2231", "Job not found")
        if job["zip"]:
            job["reads"] += 1
            await self._advance(job)
        answer: dict[str, Any] = {
            "job_complete": job["result"] is not None,
            "job_success": False,
            "result": None,
        }
        if job["result"] is not None:
            answer.update(job_success=job["result"]["ResultCode"] in ("1012", "1210"), result=job["result"])
            if truth(body.get("history")):
                answer["history"] = job["history"]
        return self._answer(answer)

    async def _advance(self, job: dict[str, Any]) -> None:
        vendor = job["vendor"]
        if job["result"] is None and job["reads"] >= 2:
            final = "false" if "final" in vendor else "true"
            await self._decide(job, {k: vendor[k] for k in ("ResultCode", "ResultText", "Actions")}, final)
        elif "final" in vendor and not job["history"] and job["reads"] >= 2 + self.final_after:
            job["history"].append(job["result"])
            await self._decide(job, vendor["final"], "true")

    async def _decide(self, job: dict[str, Any], result: dict[str, Any], final: str) -> None:
        job["result"] = {
            **result,
            "IsFinalResult": final,
            "SmileJobID": job["smile_job_id"],
            "PartnerParams": job["params"],
        }
        body = bytes(self._answer({**job["result"], "history": job["history"]}).body)
        await self.send_webhook(body, {"Content-Type": "application/json"}, url=job["callback_url"])

    async def id_verification(self, request: Request) -> Response:
        body = await self._signed_body(request)
        if isinstance(body, Response):
            return body
        if not body.get("id_number") or body.get("country") != "IR":
            return error("2213", "Missing required keys: country, id_type, id_number")
        limited = self._limited(body["id_number"])
        if limited is not None:
            return limited
        vendor = self.people.get(body["id_number"], {}).get("registry", REGISTRY_DEFAULT)
        return self._answer(
            {
                **vendor,
                "SmileJobID": str(uuid.uuid4().int)[:10],
                "IsFinalResult": "true",
                "PartnerParams": body.get("partner_params", {}),
            }
        )

    async def reset_limit(self, request: Request) -> Response:
        body = await self._signed_body(request)
        if isinstance(body, Response):
            return body
        self.calls.pop(str(body.get("id_number")), None)
        return self._answer({"success": "true"})
