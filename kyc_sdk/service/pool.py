"""A process pool per replica for the heavy stages (OCR, liveness, faces).

One worker process per core this process may use. Each worker loads the models once, in
the pool's initializer, so no request pays a cold start; ``ready()`` turns true when
every worker has done so (the readiness probe waits for it).

Why processes, started by ``forkserver``: the stages are CPU-bound numpy/OpenCV/dlib work
that holds the GIL in places, and a crash in native code (dlib) must cost a worker, not
the replica. ``fork`` from a server process that already runs threads (uvicorn, anyio,
the BLAS and ResNet helper threads of ``kyc_sdk.faces``) can copy a lock held by a thread
that does not exist in the child; the fork server is a clean single-threaded process. A
worker runs its BLAS, OpenMP and OpenCV on one thread: the pool already fills the cores.

A worker that dies (killed, out of memory, a segfault) breaks the executor: every call in
flight fails with ``StageCrashed`` (retryable: the job is run again) and the pool starts a
new set of workers. A stage that calls ``exit()``/``quit()`` gets the same error instead
of taking the host down with it.

Bounded: at most ``max_pending`` calls are submitted at once; more wait their turn in
``run`` (their arguments stay with their callers), so a burst cannot pile images up in
the executor's queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from kyc_sdk.errors import KycError

T = TypeVar("T")

log = logging.getLogger(__name__)

_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OPENCV_FOR_THREADS_NUM")
WARM_TIMEOUT_S = 300.0


class StageCrashed(KycError):
    """A worker process of the stage pool died during the call (killed, out of memory,
    a crash in native code) or tried to exit. Retryable: the pool has started new workers."""

    retryable = True


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter is not None:
        return int(counter() or 1)
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def warm_models() -> None:
    """Load the face, liveness and OCR models and run one face match, so the first real
    call is warm. A part whose extra is not installed is skipped."""
    try:
        from kyc_sdk.faces import match
        from kyc_sdk.registration import samples

        face = samples.face()
        match(face, face)
    except ModuleNotFoundError as err:
        log.info("face models not warmed: %s missing", err.name)
    try:
        from kyc_sdk.liveness import pad_model

        pad_model.model()
    except ModuleNotFoundError as err:
        log.info("liveness model not warmed: %s missing", err.name)
    try:
        from kyc_sdk.docs_ocr import _ocrb, _pprec

        _ocrb._bank()
        _pprec._model()
    except ModuleNotFoundError as err:
        log.info("OCR models not warmed: %s missing", err.name)


# -- in the worker process ------------------------------------------------------------
def _init_worker(warm: Callable[[], None] | None, host: int) -> None:
    _exit_with_host(host)
    # Ctrl-C reaches the whole process group: the host stops gracefully and still needs
    # its workers for the cases it lets finish.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in _ONE_THREAD:
        os.environ[name] = "1"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)  # numpy may already be loaded (a forkserver preload)
    except ModuleNotFoundError:
        pass
    if warm is not None:
        try:
            warm()
        except SystemExit as err:  # a library that calls quit() must not look like success
            raise RuntimeError("the warm-up tried to exit the worker") from err


def _exit_with_host(host: int) -> None:
    """End this worker when the host process ends, however it ends: a worker's parent is
    the fork server, so nothing else stops it outliving a SIGKILLed host."""
    try:
        fd: int | None = os.pidfd_open(host)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # not Linux >= 5.3: poll instead
        fd = None

    def watch() -> None:
        if fd is not None:
            select.select([fd], [], [])  # readable once the host has exited
        else:
            with contextlib.suppress(PermissionError):
                while True:
                    time.sleep(1.0)
                    os.kill(host, 0)
        os._exit(1)

    threading.Thread(target=watch, name="kyc-host-watch", daemon=True).start()


def _probe(pause: float) -> int:
    """This worker's pid, after ``pause`` s so that the other workers take probes too. A
    worker answers only once its initializer (the warm-up) has run."""
    time.sleep(pause)
    return os.getpid()


class _Raised(Exception):
    """A stage's exception carried back whole. Unpickling an exception calls its class with
    the message alone, which loses keyword fields (``ImageRejected.reason``) or fails."""

    def __init__(self, cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> None:
        super().__init__(cls, args, state)

    def rebuilt(self) -> BaseException:
        cls, args, state = self.args
        err: BaseException = cls.__new__(cls)
        err.args = args
        err.__dict__.update(state)
        return err


def _call(fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    try:
        return fn(*args)
    except SystemExit:
        raise StageCrashed("a stage tried to exit its worker process") from None
    except Exception as err:
        carried = (type(err), err.args, dict(vars(err)))
        try:
            pickle.dumps(carried)
        except Exception:
            # one that cannot make the trip would break the executor's result thread
            raise KycError(f"stage failed with {type(err).__name__}") from None
        raise _Raised(*carried) from err


# -- in the host ----------------------------------------------------------------------
def _kill_workers(executor: ProcessPoolExecutor) -> None:
    # The executor offers no way to stop a running call; killing its processes breaks it,
    # which fails the other calls in flight too (they are retryable). A shutdown that ends
    # meanwhile sets ``_processes`` to None: then there is nothing left to kill.
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.kill()


class StagePool:
    """``await pool.start()``, then ``await pool.run(fn, *args)`` for a picklable
    module-level ``fn``; ``pool.ready()`` once every worker is warm; ``await pool.aclose()``.

    ``warm`` runs once in each worker as it starts (default: ``warm_models``; None for
    none). ``workers`` defaults to the usable cores; ``max_pending`` to twice that.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        warm: Callable[[], None] | None = warm_models,
        max_pending: int | None = None,
        start_method: str = "forkserver",
    ) -> None:
        self.workers = workers or usable_cores()
        self.max_pending = max_pending or 2 * self.workers
        self._warm = warm
        self._context = multiprocessing.get_context(start_method)
        self._executor: ProcessPoolExecutor | None = None
        self._ready = asyncio.Event()
        self._slots: asyncio.Semaphore | None = None
        self._warming: asyncio.Task[None] | None = None
        self._closed = False

    def ready(self) -> bool:
        """True once every worker has loaded its models (false again while a broken
        pool's replacement warms up)."""
        return self._ready.is_set()

    async def wait_ready(self) -> None:
        await self._ready.wait()

    async def start(self) -> None:
        """Start the workers and return once all are warm (raises if warm-up fails)."""
        self._slots = asyncio.Semaphore(self.max_pending)
        self._executor = self._new_executor()
        await self._warm_up(self._executor)

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context,
            initializer=_init_worker,
            initargs=(self._warm, os.getpid()),
        )

    async def _warm_up(self, executor: ProcessPoolExecutor) -> None:
        """Probe until every worker has answered: each answers only after its warm-up."""
        loop = asyncio.get_running_loop()
        seen: set[int] = set()
        deadline = loop.time() + WARM_TIMEOUT_S
        while len(seen) < self.workers:
            if loop.time() > deadline:
                raise StageCrashed("the stage workers did not warm up in time")
            probes = [loop.run_in_executor(executor, _probe, 0.02) for _ in range(self.workers)]
            try:
                answers = await asyncio.gather(*probes)
            except BrokenProcessPool:
                raise StageCrashed("a stage worker failed while warming up") from None
            seen.update(answers)
        if executor is self._executor:  # not a set of workers replaced meanwhile
            self._ready.set()

    async def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """``fn(*args)`` in a worker. Waits for a slot when ``max_pending`` calls are out.
        After ``timeout`` seconds the workers are killed and restarted (a stuck native
        call cannot be interrupted otherwise) and the call fails with ``StageCrashed``."""
        if self._closed:
            raise StageCrashed("the stage pool is closed")
        if self._executor is None or self._slots is None:
            raise RuntimeError("StagePool.start() was not awaited")
        async with self._slots:
            executor = self._executor
            if executor is None:
                raise StageCrashed("the stage pool is closed")
            try:
                future = asyncio.wrap_future(executor.submit(_call, fn, args))
                return await asyncio.wait_for(future, timeout)
            except _Raised as raised:
                raise raised.rebuilt() from raised.__cause__  # the worker's traceback
            except TimeoutError:
                _kill_workers(executor)
                self._replace(executor)
                raise StageCrashed("a stage did not finish in time; its workers were restarted") from None
            except BrokenProcessPool:
                self._replace(executor)
                raise StageCrashed("a stage worker process died during the call") from None

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Start a new executor in place of ``broken`` (once, however many calls saw it)."""
        if self._executor is not broken or self._closed:
            return
        log.warning("a stage worker died; starting a new set of workers")
        broken.shutdown(wait=False, cancel_futures=True)
        self._ready.clear()
        self._executor = self._new_executor()
        self._warming = asyncio.create_task(self._rewarm(self._executor))

    async def _rewarm(self, executor: ProcessPoolExecutor) -> None:
        """Warm the replacement; while its warm-up keeps failing, try again ever more slowly
        (calls meanwhile fail with ``StageCrashed`` and readiness stays false)."""
        pause = 1.0
        while not self._closed:
            try:
                await self._warm_up(executor)
                return
            except StageCrashed:
                log.warning("stage workers failed to warm up; trying again in %.0f s", pause)
                await asyncio.sleep(pause)
                pause = min(2 * pause, 60.0)
                if self._closed or self._executor is not executor:
                    return
                executor.shutdown(wait=False, cancel_futures=True)
                executor = self._executor = self._new_executor()

    async def aclose(self, timeout: float | None = None) -> None:
        """Stop the workers once the calls already submitted have finished (at most
        ``max_pending``), or kill them after ``timeout`` seconds; later calls get
        ``StageCrashed``."""
        self._closed = True
        if self._warming is not None:
            self._warming.cancel()
        if self._executor is not None:
            executor, self._executor = self._executor, None
            closing = asyncio.ensure_future(asyncio.to_thread(executor.shutdown, wait=True))
            try:
                await asyncio.wait_for(asyncio.shield(closing), timeout)
            except TimeoutError:
                log.warning("stage workers still busy after %.0f s; stopping them", timeout)
                _kill_workers(executor)
                await closing

    async def __aenter__(self) -> StagePool:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
