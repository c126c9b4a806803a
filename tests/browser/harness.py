"""Headless Chromium with a fake camera, a recording page on loopback, and its uploads.

The page (``record.html``) opens the camera, records with ``MediaRecorder`` (with the
options the capture page asks for, from the package's ``recording.js``, or others) and
posts the blob to the tiny Starlette app below, which keeps it; ``Recorder.record``
returns what arrived. The camera is a ``.y4m`` file (``kyc_sdk.liveness.fake_camera``), one per
browser: Chromium reads the file's path once, at launch.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kyc_sdk.liveness import Challenge, fake_camera, synth_video
from kyc_sdk.liveness.synth import Rng
from kyc_sdk.sandbox.serve import serving

CHROMIUM = Path("/usr/bin/chromium")
PAGE = Path(__file__).with_name("record.html")
MAX_UPLOAD = 20 * 1024 * 1024
# recorded past the camera file's length: under load Chromium plays the file slower than
# real time, and a recording of exactly its length cut the last step (the file then loops
# to its neutral lead, which changes nothing)
MARGIN_S = 1.0
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
Options = dict[str, int] | str
PAGE_OPTIONS = "page"  # record as the capture page does (its recording.js)
# MediaRecorder types tried, and the file suffix each is kept under
TYPES = {
    "vp8": ("video/webm;codecs=vp8", ".webm"),
    "vp9": ("video/webm;codecs=vp9", ".webm"),
    "mp4": ("video/mp4;codecs=avc1", ".mp4"),
}


def upload_app(store: dict[str, bytes]) -> Starlette:
    """The page at ``/``, the capture page's recording options at ``/recording.js``, and
    ``POST /upload/{name}``, which keeps the body in ``store``."""

    async def page(_: Request) -> HTMLResponse:
        return HTMLResponse(PAGE.read_text(encoding="utf-8"))

    async def recording(_: Request) -> PlainTextResponse:
        script = resources.files("kyc_sdk.service").joinpath("static", "recording.js").read_text("utf-8")
        return PlainTextResponse(script, media_type="text/javascript")

    async def upload(request: Request) -> Response:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_UPLOAD:
                return Response(status_code=413)
        store[request.path_params["name"]] = body
        return Response(status_code=204)

    return Starlette(
        routes=[
            Route("/", page),
            Route("/recording.js", recording),
            Route("/upload/{name}", upload, methods=["POST"]),
        ]
    )


def challenge_camera(
    path: Path, rgb: Any, points: Any, challenge: Challenge, rng: Rng, *, method: str = "3d"
) -> Path:
    """A camera file of the person performing ``challenge``, then fresh neutral frames for
    longer than ``MARGIN_S``. The recording runs past the file's challenge, and a file
    that loops within a recording repeats its first frames byte for byte: a codec coding
    each frame on its own (the page's MP4) then writes frames a real camera never would
    (``duplicate_frame``)."""
    frames = synth_video.animate(rgb, points, challenge.steps, rng, method=method, lead_s=1.5)
    tail = synth_video.animate(rgb, points, (), rng, method=method, lead_s=MARGIN_S + 1.0)
    return fake_camera.write_y4m(path, (f for _, f in [*frames, *tail]))


def challenge_seconds(camera: Path) -> float:
    """What to record of a ``challenge_camera`` file: its challenge (the tail is margin)."""
    return fake_camera.seconds(camera) - MARGIN_S - 1.0


@dataclass
class Recording:
    name: str
    mime: str
    data: bytes
    settings: dict[str, Any]


class Recorder:
    """One browser whose camera plays ``y4m``; ``record`` films it through the page."""

    def __init__(self, page: Any, base: str, store: dict[str, bytes]) -> None:
        self.page, self.base, self.store = page, base, store

    def supported(self, mime: str) -> bool:
        return bool(self.page.evaluate("(m) => MediaRecorder.isTypeSupported(m)", mime))

    def record(self, name: str, mime: str, seconds: float, options: Options = PAGE_OPTIONS) -> Recording:
        """``seconds`` (and ``MARGIN_S``) of the camera in ``mime``, with the ``MediaRecorder``
        options the capture page asks for (``PAGE_OPTIONS``), or these (``videoBitsPerSecond``...;
        the browser's defaults for those left out: ``{}``)."""
        self.page.goto(self.base + "/")
        answer = self.page.evaluate(
            "([m, ms, n, o]) => record(m, ms, n, o)",
            [mime, int((seconds + MARGIN_S) * 1000), name, options],
        )
        if not answer.get("supported"):
            raise LookupError(f"MediaRecorder does not record {mime}")
        if answer["status"] != 204:
            raise RuntimeError(f"upload answered {answer['status']}")
        return Recording(name, answer["mime"], self.store.pop(name), answer["settings"])


@contextlib.contextmanager
def browser(y4m: Path) -> Iterator[Recorder]:
    """Headless Chromium (the system's; a fresh profile) filming ``y4m``, and the page's server."""
    from playwright.sync_api import sync_playwright

    store: dict[str, bytes] = {}
    args = [*BROWSER_ARGS, f"--use-file-for-fake-video-capture={y4m}"]
    with (
        serving(upload_app(store)) as base,
        tempfile.TemporaryDirectory(prefix="kyc-chromium-") as profile,
        sync_playwright() as pw,
    ):
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=args
        )
        try:
            context.grant_permissions(["camera"], origin=base)
            yield Recorder(context.new_page(), base, store)
        finally:
            context.close()
