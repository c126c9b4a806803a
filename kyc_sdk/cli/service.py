"""``kyc-sdk serve`` (the registration service under uvicorn) and ``kyc-sdk db upgrade``
(the store's versioned migrations). See docs/service.md."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from kyc_sdk.cli.output import emit, errors_as_exit, json_option

db_option = click.option(
    "--db",
    default=lambda: os.environ.get("KYC_SDK_DB", "kyc-service.db"),
    help="SQLite file (sqlite:///path) or postgresql:// URL [default: $KYC_SDK_DB or kyc-service.db].",
)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback unless you mean otherwise.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="uvicorn processes."
)
@click.option("--blobs", default=None, help="Folder of uploaded evidence [default: beside the SQLite file].")
@click.option("--signing-key", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option("--subject-key", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=None, help="Registrations run at once per process."
)
@click.option(
    "--processes",
    type=click.IntRange(0, 256),
    default=None,
    help="Stage worker processes per uvicorn process [default: usable cores / --workers; 0: none].",
)
@click.option(
    "--grace", type=click.FloatRange(0, 3600), default=None, help="Seconds running jobs get at shutdown [20]."
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    default="info",
    show_default=True,
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="uvicorn's line per request (the requests are counted on /metrics either way).",
)
def serve(
    db: str,
    host: str,
    port: int,
    workers: int,
    blobs: str | None,
    signing_key: str | None,
    subject_key: str | None,
    jobs: int | None,
    processes: int | None,
    grace: float | None,
    log_level: str,
    access_log: bool,
) -> None:
    """Serve the registration service until interrupted.

    The options become the environment ``kyc_sdk.service:app`` reads, so every uvicorn
    worker process gets the same settings. Without key files, the processes of this
    command share keys made for this run only (development: attestations signed today
    cannot be verified after a restart). Logs go to stderr, one JSON object a line, with
    no personal data; Prometheus metrics are served at ``/metrics``."""
    import uvicorn

    from kyc_sdk.service.config import ServiceConfig, preflight, throwaway_keys
    from kyc_sdk.service.pool import usable_cores

    env = {"KYC_SDK_DB": db}
    if blobs:
        env["KYC_SDK_BLOBS"] = blobs
    if jobs:
        env["KYC_SDK_JOBS"] = str(jobs)
    if grace is not None:
        env["KYC_SDK_GRACE_S"] = str(grace)
    # each uvicorn process has its own stage pool: together they fill the cores once
    env["KYC_SDK_PROCESSES"] = str(max(1, usable_cores() // workers) if processes is None else processes)
    with tempfile.TemporaryDirectory(prefix="kyc-sdk-serve-") as folder:
        if not (signing_key and subject_key):
            made_signing, made_subject = throwaway_keys(Path(folder))
            signing_key, subject_key = signing_key or made_signing, subject_key or made_subject
        env["KYC_SDK_SIGNING_KEY"], env["KYC_SDK_SUBJECT_KEY"] = signing_key, subject_key
        # Metrics in prometheus_client's multiprocess mode even with one worker: stage
        # timings and decisions may be recorded in the stage pool's processes. Set before
        # anything here imports prometheus_client (it picks its value class on import).
        metrics = Path(folder) / "metrics"
        metrics.mkdir()
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
        os.environ.update(env)
        from kyc_sdk.service.logs import logging_config

        with errors_as_exit(False):
            preflight(ServiceConfig.from_env())

        # uvicorn's default: on SIGTERM, stop accepting, finish open requests, then the
        # lifespan's shutdown (the jobs' grace)
        uvicorn.run(
            "kyc_sdk.service:app",
            host=host,
            port=port,
            workers=workers,
            log_config=logging_config(log_level.upper()),
            access_log=access_log,
        )


@click.group()
def db() -> None:
    """The database the service and the SANA store share."""


@db.command()
@db_option
@json_option
def upgrade(db: str, as_json: bool) -> None:
    """Apply the versioned schema migrations, and on PostgreSQL the job queue's schema
    (safe to run again; replicas may run it together)."""
    from kyc_sdk.sana import SCHEMA_VERSION, open_store
    from kyc_sdk.sana.store import is_postgres

    with errors_as_exit(as_json):
        store = open_store(db)
        try:
            version = store.schema_version()
        finally:
            store.close()
        answer: dict[str, object] = {"schema_version": version, "current": version == SCHEMA_VERSION}
        human = f"schema version {version}"
        if is_postgres(db):
            from kyc_sdk.service.pgjobs import upgrade_sync

            answer["job_queue"] = upgrade_sync(db)
            human += f"; {answer['job_queue']}"
        emit(answer, as_json=as_json, human=human)
