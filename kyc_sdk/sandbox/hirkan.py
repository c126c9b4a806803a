"""Sandbox of the ``hirkan`` style: an Iranian inquiry gateway (Shahkar, civil registry).

Every endpoint is a synchronous JSON POST answered with HTTP 200 and a business code:
``{"result": 1, "message": "موفق", "data": {...}}`` on success, another ``result`` and a
Persian message otherwise. Our code table (the style leaves it to us):

    1  موفق                               success
    2  کد ملی نامعتبر است                 invalid national code (checksum, or Persian
                                           digits on shahkarInquiry, which wants ASCII)
    3  شماره تلفن همراه نامعتبر است       invalid mobile
    4  تاریخ تولد نامعتبر است            birth date not Jalali YYYY/MM/DD
    5  رضایت کاربر ثبت نشده است          consent missing
    6  سامانه ثبت احوال در دسترس نیست    registry unavailable
    7  مهلت پاسخ‌گویی به پایان رسید       upstream timeout
    8  سقف استعلام به پایان رسیده است     quota exhausted (sent with HTTP 409)
    9  خطای داخلی سامانه                  internal error
    10 آدرس IP مجاز نیست                  caller IP not on the allowlist (HTTP 403)
    11 توکن نامعتبر است                   bad token (HTTP 401)

A body that is not JSON gets HTTP 415 with plain Persian text. Sandbox control: the
fixture people in ``scenario_data/hirkan.json``, keyed by national code; a valid code
not listed there has no registry record. ``allowed_ips`` turns on the caller allowlist.
``zohal=True`` answers as the "Zohal variant": request and answer fields in snake_case,
``{"result": 1, "response_body": {"data": {...}, "message": "..."}}``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from kyc_sdk.identifiers import jalali, mobile, national_code
from kyc_sdk.sandbox._crypto import same
from kyc_sdk.sandbox.base import SandboxApp
from kyc_sdk.sandbox.scenarios import scenarios
from kyc_sdk.text import normalize_digits, to_persian_digits

TOKEN = "hirkan-sandbox-token"

MESSAGES = {
    1: "موفق",
    2: "کد ملی نامعتبر است",
    3: "شماره تلفن همراه نامعتبر است",
    4: "تاریخ تولد نامعتبر است؛ قالب درست ۱۳۷۰/۰۱/۰۱ است",
    5: "رضایت کاربر ثبت نشده است",
    6: "سامانه ثبت احوال در دسترس نیست",
    7: "مهلت پاسخ‌گویی به پایان رسید",
    8: "سقف استعلام به پایان رسیده است",
    9: "خطای داخلی سامانه",
    10: "آدرس IP مجاز نیست",
    11: "توکن نامعتبر است",
}


def credentials(base_url: str) -> dict[str, Any]:
    """What a client of this sandbox is configured with (public test values)."""
    return {"base_url": base_url, "token": TOKEN}


def snake(key: str) -> str:
    """``nationalCode`` → ``national_code``: the Zohal variant's spelling."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def camel(key: str) -> str:
    """``national_code`` → ``nationalCode``."""
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)


def answer(result: int, data: dict[str, Any] | None = None, status: int = 200) -> JSONResponse:
    body: dict[str, Any] = {"result": result, "message": MESSAGES[result]}
    if data is not None:
        body["data"] = data
    return JSONResponse(body, status_code=status)


class HirkanSandbox(SandboxApp):
    style = "hirkan"

    def __init__(
        self,
        *,
        allowed_ips: Iterable[str] | None = None,
        quota: int | None = None,
        zohal: bool = False,
        **kw: Any,
    ) -> None:
        self.zohal = zohal
        self.people = {s.control["subject"]["national_code"]: s.vendor for s in scenarios("hirkan")}
        self.allowed_ips = set(allowed_ips) if allowed_ips is not None else None
        self.quota = quota  # inquiries left before code 8; None: unlimited
        self.inquiries = 0
        super().__init__(**kw)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/facility/shahkarInquiry", self._variant(self.shahkar), methods=["POST"]),
            Route("/facility/nationalIdentityInquiry", self._variant(self.identity), methods=["POST"]),
            Route("/facility/cardSerialPhotoInquiry", self._variant(self.card_serial), methods=["POST"]),
            Route("/facility/verify", self._variant(self.bundle), methods=["POST"]),
        ]

    def _variant(
        self, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        """The endpoint as the Zohal variant answers it, when ``zohal`` is on."""

        async def endpoint(request: Request) -> Response:
            response = await handler(request)
            if not self.zohal or not isinstance(response, JSONResponse):
                return response
            body = json.loads(bytes(response.body))
            data = body.get("data")
            inner = {
                "data": {snake(k): v for k, v in data.items()} if isinstance(data, dict) else data,
                "message": body.get("message"),
            }
            return JSONResponse(
                {"result": body.get("result"), "response_body": inner}, status_code=response.status_code
            )

        return endpoint

    def auth_failed(self) -> Response:
        return answer(11, status=401)

    def rate_limited(self) -> Response:
        return answer(8, status=409)

    def malformed(self) -> Response:
        return Response(b'{"result": 1, "message": "\xd9\x85\xd9\x88', media_type="application/json")

    async def _admit(self, request: Request) -> dict[str, Any] | Response:
        """Auth, allowlist, quota and JSON: what the gateway checks before any inquiry."""
        if not same(request.headers.get("authorization"), f"Bearer {TOKEN}"):
            return self.auth_failed()
        client = request.client.host if request.client else None
        if self.allowed_ips is not None and client not in self.allowed_ips:
            return answer(10, status=403)
        if self.quota is not None and self.inquiries >= self.quota:
            return self.rate_limited()
        try:
            body = json.loads(await request.body())
            if not isinstance(body, dict):
                raise TypeError("the body is not a JSON object")
        except (ValueError, TypeError):
            return PlainTextResponse("بدنه درخواست باید JSON معتبر باشد", status_code=415)
        self.inquiries += 1
        if self.zohal:  # this variant knows only snake_case names: camelCase ones are unknown
            return {camel(k): v for k, v in body.items() if k == k.lower()}
        return body

    def _person(self, body: dict[str, Any], *, ascii_only: bool) -> tuple[str, dict[str, Any]] | Response:
        raw = body.get("nationalCode")
        if not isinstance(raw, str) or (ascii_only and raw != normalize_digits(raw)):
            return answer(2)
        if not national_code.is_valid(raw):
            return JSONResponse({"result": 2, "message": f"{MESSAGES[2]}: {to_persian_digits(raw)[:10]}"})
        if body.get("consent") is False:
            return answer(5)
        code = national_code.compact(raw)
        return code, self.people.get(code, {"registry": {"matched": False}, "shahkar": {"matched": False}})

    async def shahkar(self, request: Request) -> Response:
        body = await self._admit(request)
        if isinstance(body, Response):
            return body
        person = self._person(body, ascii_only=True)  # this endpoint refuses Persian digits
        if isinstance(person, Response):
            return person
        if not isinstance(body.get("mobile"), str) or not mobile.is_valid(body["mobile"]):
            return answer(3)
        return answer(1, {"matched": bool(person[1]["shahkar"].get("matched"))})

    async def identity(self, request: Request) -> Response:
        body = await self._admit(request)
        if isinstance(body, Response):
            return body
        person = self._person(body, ascii_only=False)
        if isinstance(person, Response):
            return person
        birth = body.get("birthDate")
        if (
            not isinstance(birth, str)
            or not jalali.is_valid(birth)
            or int(normalize_digits(birth)[:4]) > 1500
        ):
            return answer(4)  # a Gregorian date (2024/03/20) has a year past 1500
        record = person[1]["registry"]
        if "result" in record:
            return answer(record["result"])
        return answer(1, dict(record.items()))

    async def card_serial(self, request: Request) -> Response:
        body = await self._admit(request)
        if isinstance(body, Response):
            return body
        person = self._person(body, ascii_only=False)
        if isinstance(person, Response):
            return person
        matched = bool(person[1]["registry"].get("matched")) and isinstance(body.get("cardSerial"), str)
        return answer(1, {"matched": matched, "photo": None})

    async def bundle(self, request: Request) -> Response:
        body = await self._admit(request)
        if isinstance(body, Response):
            return body
        person = self._person(body, ascii_only=False)
        if isinstance(person, Response):
            return person
        record = person[1]["registry"]
        if not record.get("matched"):
            return answer(1, {"recordStatus": "nomatch", "fields": []})
        fields = [
            {"name": name, "status": "match" if body.get(key) in (None, record.get(key)) else "nomatch"}
            for name, key in (("FirstName", "firstName"), ("LastName", "lastName"))
        ]
        status = "match" if all(f["status"] == "match" for f in fields) else "partial"
        return answer(1, {"recordStatus": status, "fields": fields})
