"""``create_app(config)``: the Starlette application and its life cycle.

At start-up (the ASGI lifespan) the service checks the schema (see ``config``), opens
the store pool, the vendors and the keys, enqueues again the cases left submitted,
starts the job workers and, in the background,
loads the face and OCR models; ``/readyz`` answers 200 only once they are loaded, so a
load balancer sends no registration to a replica that would pay a cold model load. At
shutdown the workers stop taking jobs and let the running ones finish (a job cut short
by a kill is taken again by another worker once its lease expires).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse

from kyc_sdk.errors import KycError
from kyc_sdk.service import cases
from kyc_sdk.service.api import ROUTES, ApiError, error_response
from kyc_sdk.service.config import ServiceConfig, Services, open_services
from kyc_sdk.service.page import ROUTES as PAGE_ROUTES
from kyc_sdk.service.runner import Runner

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Load what the first registration would otherwise load: dlib's detector, landmark
    models and encoder weights, and the OCR recogniser."""
    from kyc_sdk.faces import _models

    _models.detector()
    for name in ("5", "68"):
        _models.shape_predictor(name)
    _models.network()
    with contextlib.suppress(ImportError):
        from kyc_sdk.docs_ocr import _pprec

        _pprec.available()


async def requeue_submitted(services: Services) -> int:
    """Enqueue every submitted case again: a process that died between committing a
    submit and enqueuing its job left a case nobody would run. Enqueuing a case already
    queued or running adds nothing (the ``Jobs`` contract), so this is safe on every
    start of every replica."""
    waiting = await services.pool.arun(cases.submitted)
    for case_id in waiting:
        await services.jobs.enqueue(case_id)
    return len(waiting)


async def _warm(services: Services) -> None:
    if services.config.warm_up:
        try:
            await anyio.to_thread.run_sync(warm_up)
        except Exception as err:  # missing models stay visible on /readyz
            services.notes["warm_up"] = type(err).__name__
            log.error("loading the models failed: %s", type(err).__name__)
            return
    services.ready = True


def create_app(config: ServiceConfig | None = None) -> Starlette:
    """The service; ``config`` defaults to ``ServiceConfig.from_env()`` (read at start-up)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        settings = config or ServiceConfig.from_env()
        with contextlib.ExitStack() as stack:
            services = await anyio.to_thread.run_sync(lambda: stack.enter_context(open_services(settings)))
            app.state.services = services
            stop = anyio.Event()
            runner = Runner(services, settings.offload)
            if getattr(services.jobs, "on_give_up", False) is None:
                services.jobs.on_give_up = runner.give_up
            await requeue_submitted(services)
            async with anyio.create_task_group() as tg:
                tg.start_soon(_warm, services)
                tg.start_soon(lambda: services.jobs.work(runner, stop=stop))
                try:
                    yield
                finally:
                    stop.set()  # workers finish what they run, then return

    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        return error_response(exc)

    handlers: dict[Any, Any] = {ApiError: on_error, KycError: on_error}
    return Starlette(routes=[*ROUTES, *PAGE_ROUTES], lifespan=lifespan, exception_handlers=handlers)
