"""The capture page (``/register``): a person registers in a browser.

Plain HTML, CSS and a little JavaScript, all served from ``kyc_sdk/service/static``
(no build step, nothing fetched from elsewhere). The page talks to the ``/v1`` API like
any client: it creates the case on the path the person chose (a national card in Iran, a
passport abroad), keeps its token in memory only (never in storage: a closed tab forgets
it), uploads the card or the passport page and the challenge video recorded by
``MediaRecorder``, submits and polls the result. The headers keep it that way: a
Content-Security-Policy allows this origin only, the camera is allowed to this origin
only, and nothing is cached.
"""

from __future__ import annotations

import functools
from importlib import resources

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

STATIC = "/static/register"
HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
    ),
    "permissions-policy": "camera=(self), microphone=(), geolocation=()",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
}


@functools.cache
def page_html() -> str:
    return resources.files("kyc_sdk.service").joinpath("static", "register.html").read_text("utf-8")


async def register_page(request: Request) -> Response:
    return HTMLResponse(page_html(), headers=HEADERS)


ROUTES = [
    Route("/register", register_page, methods=["GET"]),
    Mount(STATIC, StaticFiles(packages=[("kyc_sdk.service", "static")]), name="register_static"),
]
