"""``create_app(config)``: the Starlette application and its life cycle.

At start-up (the ASGI lifespan) the service checks the schema (see ``config``), opens
the store pool, the vendors and the keys, enqueues again the cases left submitted,
opens the officers' review queue (and ends the cases decided there while a stop cut
their ending short), starts the job workers, signs the audit chain's head every
``checkpoint_s`` seconds and, in the background, starts the stage pool: worker processes that
each open their own services and load the face, liveness and OCR models, and run whole
registrations (``runner.run_in_process``: only a case id crosses over). ``/readyz``
answers 200 only once every worker is warm, so a load balancer sends no registration to
a replica that would pay a cold model load. Without a pool (``processes=0``) the models
load in this process and registrations run on a thread.

At shutdown (uvicorn's SIGTERM) the workers stop taking jobs, the running ones get
``grace_s`` seconds to finish, and what is still running is handed back to the queue
for another replica; a job cut short by a kill is taken again once its lease expires.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from kyc_sdk.errors import KycError
from kyc_sdk.service import cases, review_cases
from kyc_sdk.service.api import ROUTES, AnswerUnexpected, ApiError, error_response
from kyc_sdk.service.config import ServiceConfig, Services, open_services
from kyc_sdk.service.metrics import Metrics, MetricsMiddleware, metrics_route
from kyc_sdk.service.page import ROUTES as PAGE_ROUTES
from kyc_sdk.service.review import ReviewQueue
from kyc_sdk.service.runner import Runner, init_process, run_in_process

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


def watch(metrics: Metrics, services: Services) -> None:
    """Let each scrape read the queue depth and the (shared) breakers' states, from
    whatever queue and client ``services`` hold at the time."""

    async def depth() -> int:
        return int(await services.jobs.depth())

    metrics.queue_depth_from(depth)
    metrics.breakers_from(lambda: {name: b.state for name, b in services.kyc.breakers.items()})


async def _warm(services: Services) -> None:
    if services.config.warm_up:
        try:
            await anyio.to_thread.run_sync(warm_up)
        except Exception as err:  # missing models stay visible on /readyz
            services.notes["warm_up"] = type(err).__name__
            log.error("loading the models failed: %s", type(err).__name__)
            return
    services.ready = True


async def _checkpoints(store: Any, services: Services, every_s: float, stop: anyio.Event) -> None:
    from kyc_sdk.attestation.signer import as_signer
    from kyc_sdk.sana.checkpoints import run_checkpoints

    await run_checkpoints(store, as_signer(services.keys.signer), every_s=every_s, stop=stop)


def start_worker(config: ServiceConfig) -> None:
    """A stage worker process's start: its own services (``runner.init_process``), then
    the models, so its first registration is warm."""
    init_process(config)
    if config.warm_up:
        from kyc_sdk.service.pool import warm_models

        warm_models()


def _shared_keys(config: ServiceConfig, folder: Path) -> ServiceConfig:
    """Worker processes must sign with this process's keys: without key files, make
    throw-away ones (for this run only) that they all load."""
    from kyc_sdk.service.config import throwaway_keys

    if config.signing_key and config.subject_key:
        return config
    signing, subject = throwaway_keys(folder)
    return dataclasses.replace(
        config, signing_key=config.signing_key or signing, subject_key=config.subject_key or subject
    )


def _pool_offload(pool: Any, timeout: float) -> Callable[..., Awaitable[Any]]:
    from kyc_sdk.service.pool import WARM_TIMEOUT_S, StageCrashed

    async def offload(fn: Callable[[str], Any], case_id: str) -> Any:
        # a job taken while the workers (re)start waits for them: no cold run
        if not pool.ready():
            with anyio.move_on_after(WARM_TIMEOUT_S):
                await pool.wait_ready()
            if not pool.ready():
                raise StageCrashed("the stage workers are not ready")
        # the whole case in a worker; a dead or stuck worker is StageCrashed (retryable)
        return await pool.run(run_in_process, case_id, timeout=timeout)

    return offload


async def _until(stop: anyio.Event, work: Awaitable[None]) -> None:
    """``work``, cancelled if the service stops first (a shutdown does not wait for a warm-up)."""
    async with anyio.create_task_group() as tg:

        async def cancel_on_stop() -> None:
            await stop.wait()
            tg.cancel_scope.cancel()

        tg.start_soon(cancel_on_stop)
        try:
            await work
        finally:
            tg.cancel_scope.cancel()


async def _start_pool(services: Services, pool: Any) -> None:
    try:
        await pool.start()
    except Exception as err:  # workers that cannot warm up stay visible on /readyz
        services.notes["warm_up"] = type(err).__name__
        log.error("starting the stage workers failed: %s", type(err).__name__)
        return
    services.ready = True


async def _shut_down(services: Services, pool: Any) -> None:
    """After the job workers returned (every job finished or handed back): close the
    queue, then the stage pool; a worker still busy with a handed-back case is stopped
    (its uncommitted transaction rolls back)."""
    aclose = getattr(services.jobs, "aclose", None)
    if aclose is not None:
        with contextlib.suppress(Exception):
            await aclose()
    if pool is not None:
        await pool.aclose(timeout=1.0)


def create_app(config: ServiceConfig | None = None) -> Starlette:
    """The service; ``config`` defaults to ``ServiceConfig.from_env()`` (read at start-up).
    Its Prometheus metrics are served at ``/metrics`` (``app.state.metrics``)."""
    metrics = Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        settings = config or ServiceConfig.from_env()
        processes = 0 if settings.offload else settings.stage_processes()
        with contextlib.ExitStack() as stack:
            if processes:
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kyc-keys-")))
                settings = _shared_keys(settings, folder)
            services = await anyio.to_thread.run_sync(lambda: stack.enter_context(open_services(settings)))
            app.state.services = services
            stop = anyio.Event()
            pool, offload = None, settings.offload
            if processes:
                from kyc_sdk.service.pool import StagePool

                # the workers' own services: no pool of their own, the schema already checked
                worker = dataclasses.replace(settings, processes=0, upgrade=False, jobs_factory=None)
                pool = StagePool(processes, warm=functools.partial(start_worker, worker))
                offload = _pool_offload(pool, 2 * settings.deadline_s)
                services.stages = pool
            runner = Runner(services, offload, metrics=metrics)
            watch(metrics, services)
            if getattr(services.jobs, "on_give_up", False) is None:
                services.jobs.on_give_up = runner.give_up
            await requeue_submitted(services)
            store = cases.PooledStore(services.pool)
            app.state.review_queue = ReviewQueue(
                store, on_decided=review_cases.on_decided(services), threads=True
            )
            await review_cases.finish_decided(services)
            try:
                async with anyio.create_task_group() as tg:
                    warming = _start_pool(services, pool) if pool else _warm(services)
                    tg.start_soon(_until, stop, warming)
                    tg.start_soon(lambda: services.jobs.work(runner, stop=stop))
                    if settings.checkpoint_s > 0:
                        tg.start_soon(_checkpoints, store, services, settings.checkpoint_s, stop)
                    try:
                        yield
                    finally:
                        stop.set()  # workers finish what they run (within the grace), then return
            finally:
                with anyio.CancelScope(shield=True):
                    await _shut_down(services, pool)

    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        return error_response(exc)

    handlers: dict[Any, Any] = {ApiError: on_error, KycError: on_error}
    app = Starlette(
        routes=[*ROUTES, *PAGE_ROUTES, metrics_route(metrics)],
        middleware=[Middleware(MetricsMiddleware, metrics=metrics), Middleware(AnswerUnexpected)],
        lifespan=lifespan,
        exception_handlers=handlers,
    )
    app.state.metrics = metrics
    return app
