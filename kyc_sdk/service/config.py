"""The service's settings (``ServiceConfig``, from the environment by default) and the
parts they wire together at start-up (``Services``).

Environment (``ServiceConfig.from_env``):

- ``KYC_SDK_DB``: ``sqlite:///path`` or a plain path (default ``kyc-service.db``), or a
  ``postgresql://`` URL; cases, jobs and SANA codes live there together.
- ``KYC_SDK_BLOBS``: the folder of uploaded evidence (default ``<db>.blobs`` beside a
  SQLite file, ``./kyc-blobs`` for PostgreSQL; replicas on several hosts share it).
- ``KYC_SDK_SIGNING_KEY``: the attestation key (PEM or JWK file). ``KYC_SDK_SUBJECT_KEY``:
  a file of at least 32 random bytes keying the subject hash. Replicas must share both;
  without them each process makes its own (development only).
- ``KYC_SDK_SANDBOXES``: the in-process vendor sandboxes to verify against (default
  ``aurora,hirkan``). A deployment on live vendors passes ``ServiceConfig(kyc=...)``.
- ``KYC_SDK_PROCESSES``: worker processes of the stage pool (default: the cores this
  process may use; ``kyc-sdk serve --workers N`` divides them between its N processes;
  ``0`` runs registrations on a thread of the server process instead).
- ``KYC_SDK_JOBS`` (registrations run at once per process; default one per stage worker
  process, or 1), ``KYC_SDK_LEASE_S`` (how long a job stays with a replica that stopped
  answering for it before another takes it, default 15), ``KYC_SDK_GRACE_S`` (at
  shutdown, how long running jobs may take to finish before they are handed back,
  default 20), ``KYC_SDK_WARM_UP`` (``0`` skips loading the models at start-up),
  ``KYC_SDK_UPGRADE`` (``1``: migrate the schema at start-up; default only on SQLite).
- ``KYC_SDK_CHECKPOINT_S``: how often the audit chain's head is signed and published
  (seconds, default 300; ``0`` turns it off).

On PostgreSQL the jobs go through ``PgJobs`` (procrastinate), on SQLite through
``LocalJobs``; ``ServiceConfig(jobs_factory=...)`` replaces either.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kyc_sdk.sana.errors import SchemaError
from kyc_sdk.sana.store import SCHEMA_VERSION, is_postgres, open_store
from kyc_sdk.service.blobs import Blobs
from kyc_sdk.service.cases import PooledOnce, StoreBreakerStates, StorePool

MiB = 1024 * 1024
UPGRADE_HINT = "run `kyc-sdk db upgrade --db URL` first"


@dataclass(frozen=True)
class ServiceConfig:
    db: str = "kyc-service.db"
    blob_dir: str | None = None
    signing_key: str | None = None
    subject_key: str | None = None
    sandboxes: tuple[str, ...] = ("aurora", "hirkan")
    sandbox_faults: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    max_image_bytes: int = 10 * MiB
    max_video_bytes: int = 50 * MiB
    jobs: int | None = None  # None: one per stage worker process (at least 1)
    processes: int | None = None  # None: the usable cores; 0: no process pool (a thread)
    lease_s: float = 15.0
    grace_s: float = 20.0
    warm_up: bool = True
    upgrade: bool | None = None  # None: SQLite migrates itself, PostgreSQL needs `kyc-sdk db upgrade`
    store_pool: int = 8
    deadline_s: float = 60.0
    checkpoint_s: float = 300.0  # signing the audit head (``sana.checkpoints``); 0: never
    # Hooks for parts built elsewhere: a ``KYC`` on live vendors (replaces the sandboxes;
    # build it with ``clock=time.time``: its breakers' state is shared by replicas, whose
    # monotonic clocks differ), a ``Jobs`` over the pool (replaces ``LocalJobs``), and how
    # the runner leaves the event loop for the heavy registration (default: a thread).
    kyc: Callable[[], Any] | None = None
    jobs_factory: Callable[[StorePool, ServiceConfig], Any] | None = None
    offload: Callable[..., Awaitable[Any]] | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServiceConfig:
        e = os.environ if env is None else env
        flag = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
        upgrade = e.get("KYC_SDK_UPGRADE")
        return cls(
            db=e.get("KYC_SDK_DB", cls.db),
            blob_dir=e.get("KYC_SDK_BLOBS") or None,
            signing_key=e.get("KYC_SDK_SIGNING_KEY") or None,
            subject_key=e.get("KYC_SDK_SUBJECT_KEY") or None,
            sandboxes=tuple(s for s in e.get("KYC_SDK_SANDBOXES", "aurora,hirkan").split(",") if s),
            jobs=_int_or_none(e.get("KYC_SDK_JOBS")),
            processes=_int_or_none(e.get("KYC_SDK_PROCESSES")),
            lease_s=float(e.get("KYC_SDK_LEASE_S", "15")),
            grace_s=float(e.get("KYC_SDK_GRACE_S", "20")),
            warm_up=flag.get(e.get("KYC_SDK_WARM_UP", "1").lower(), True),
            upgrade=None if upgrade is None else flag.get(upgrade.lower(), False),
            checkpoint_s=float(e.get("KYC_SDK_CHECKPOINT_S", "300")),
        )

    def stage_processes(self) -> int:
        """Worker processes of the stage pool (0: none)."""
        if self.processes is not None:
            return max(0, self.processes)
        from kyc_sdk.service.pool import usable_cores

        return usable_cores()

    def job_slots(self) -> int:
        """Registrations one process runs at once: each holds a stage worker while it runs."""
        return self.jobs if self.jobs else max(1, self.stage_processes())

    @property
    def postgres(self) -> bool:
        return is_postgres(self.db)

    def blobs_folder(self) -> Path:
        if self.blob_dir:
            return Path(self.blob_dir)
        if self.postgres:
            return Path("kyc-blobs")
        return Path(self.db.removeprefix("sqlite://") + ".blobs")


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text not in (None, "") else None


def check_schema(config: ServiceConfig) -> int:
    """Bring the schema up (SQLite, or ``upgrade``) or refuse an outdated one with what to
    run; the version in force."""
    upgrade = (not config.postgres) if config.upgrade is None else config.upgrade
    if upgrade:
        with contextlib.closing(open_store(config.db)) as store:
            version = store.schema_version()
        if config.postgres:
            from kyc_sdk.service import pgjobs

            pgjobs.upgrade_sync(config.db)
        return version
    with contextlib.closing(open_store(config.db, read_only=True)) as store:
        version = store.schema_version()
    if version < SCHEMA_VERSION:
        raise SchemaError(
            f"the database schema is version {version}, this service needs {SCHEMA_VERSION}: {UPGRADE_HINT}"
        )
    if config.postgres:
        from kyc_sdk.service import pgjobs

        pgjobs.check_sync(config.db)
    return version


@dataclass
class Services:
    """Everything a request or a job needs, made once per process at start-up."""

    config: ServiceConfig
    pool: StorePool
    blobs: Blobs
    keys: Any  # attestation.KeyRing
    subject_key: bytes
    kyc: Any  # kyc_sdk.KYC
    sandboxes: Any = None  # kyc_sdk.sandbox.Sandboxes when verifying against them
    jobs: Any = None  # a jobs.Jobs
    stages: Any = None  # the pool.StagePool running registrations, when there is one
    ready: bool = False
    notes: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def issuer(self) -> Any:
        """The ``sana.Issuer`` of this process's cases, over the pool. It verifies each
        attestation before the store consumes it, against the key set built once here:
        the ring is fixed while the service runs."""
        from kyc_sdk.attestation import load_jwks
        from kyc_sdk.sana import Issuer

        return Issuer(self.pool.pooled, load_jwks(self.keys.jwks()))


def _keys(config: ServiceConfig) -> tuple[Any, bytes]:
    from kyc_sdk.attestation import KeyRing, generate
    from kyc_sdk.attestation.keys import load

    ring = KeyRing()
    ring.add(load(config.signing_key) if config.signing_key else generate())
    if config.subject_key:
        from kyc_sdk.files import read_bytes

        subject = read_bytes(config.subject_key, "subject key")[:1024]  # /dev/zero: refused, not read
        if len(subject) < 32:
            raise SchemaError("the subject key file must hold at least 32 bytes")
    else:
        subject = secrets.token_bytes(32)
    return ring, subject


def preflight(config: ServiceConfig) -> tuple[Any, bytes]:
    """The schema brought up or checked, then the keys loaded: what ``open_services`` does
    first. ``kyc-sdk serve`` runs it before the server starts, so a wrong ``--db`` or key
    file ends in a typed error and its exit code, not a traceback in the server's log."""
    check_schema(config)
    return _keys(config)


def throwaway_keys(folder: Path) -> tuple[str, str]:
    """A signing key and a subject key made now, as files in ``folder`` (development: the
    processes of one run share them; attestations signed with them cannot be verified
    after it)."""
    from kyc_sdk.attestation import generate
    from kyc_sdk.attestation.keys import save

    signing, subject = folder / "signing.pem", folder / "subject.key"
    save(generate(), signing)
    subject.write_bytes(secrets.token_bytes(32))
    subject.chmod(0o600)
    return str(signing), str(subject)


def _shared_breakers(kyc: Any, pool: StorePool) -> None:
    """Give the client's circuit breakers one state per provider in the store."""
    from kyc_sdk.routing import CircuitBreaker

    states = StoreBreakerStates(pool)
    kyc.breakers = {
        name: CircuitBreaker(b.threshold, b.cooldown, states=states, name=name)
        for name, b in kyc.breakers.items()
    }


def _once_only(kyc: Any, pool: StorePool) -> None:
    """Vendors whose flow may not be repeated go through a record per case and vendor."""
    from kyc_sdk.service.runner import OnceOnlyProvider

    for name, provider in list(kyc.providers.items()):
        if not provider.idempotent:
            kyc.providers[name] = OnceOnlyProvider(provider, pool)


def _default_jobs(pool: StorePool, config: ServiceConfig) -> Any:
    """PostgreSQL: procrastinate's queue (``PgJobs``); SQLite: rows of the store (``LocalJobs``)."""
    if config.postgres:
        from kyc_sdk.service.pgjobs import PgJobs

        heartbeat = min(2.0, config.lease_s / 5)
        return PgJobs(
            config.db,
            concurrency=config.job_slots(),
            heartbeat=heartbeat,
            stalled_after=config.lease_s,
            grace=config.grace_s,
        )
    from kyc_sdk.service.jobs import LocalJobs

    return LocalJobs(pool, concurrency=config.job_slots(), lease=config.lease_s, grace=config.grace_s)


@contextlib.contextmanager
def open_services(config: ServiceConfig) -> Iterator[Services]:
    """The parts, opened in order and closed in reverse."""
    import time

    from kyc_sdk.client import KYC
    from kyc_sdk.routing import Fallback

    ring, subject = preflight(config)
    with contextlib.ExitStack() as stack:
        pool = StorePool(config.db, config.store_pool)
        stack.callback(pool.close)
        sandboxes = None
        if config.kyc is not None:
            kyc = config.kyc()
            kyc.once = PooledOnce(pool)  # webhook ids in the store, whoever built the client
        else:
            from kyc_sdk.sandbox import Sandboxes

            faults = {k: list(v) for k, v in config.sandbox_faults.items()}
            sandboxes = stack.enter_context(Sandboxes(list(config.sandboxes), faults=faults))
            kyc = KYC(
                sandboxes.providers(),
                transport=sandboxes.transport,
                policy=Fallback(),
                once=PooledOnce(pool),
                clock=time.time,  # breakers shared by replicas compare wall-clock times
            )
        stack.callback(kyc.close)
        _shared_breakers(kyc, pool)
        _once_only(kyc, pool)
        make_jobs = config.jobs_factory or _default_jobs
        yield Services(
            config,
            pool,
            Blobs(config.blobs_folder()),
            ring,
            subject,
            kyc,
            sandboxes,
            make_jobs(pool, config),
        )
