"""A registration backend: the kyc-sdk service (``kyc_sdk.service``) on the in-process
vendor sandboxes (aurora + hirkan), its state in a SQLite file.

    python examples/backend/app.py --port 8000          # state in a temporary folder
    python examples/backend/app.py --folder ./state     # state kept between runs

The API is the service's (``/v1/cases``, uploads, submit, webhooks, JWKS, attestation;
``GET /v1/openapi.json`` describes it): see docs/service.md. In production the same
service runs as ``kyc-sdk serve --db postgresql://... --workers N`` with shared keys.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from kyc_sdk.service import ServiceConfig, create_app
from kyc_sdk.service.logs import logging_config


def config(folder: str | Path) -> ServiceConfig:
    """The service on the sandboxes, with its database and uploads in ``folder``."""
    root = Path(folder)
    # processes=0: registrations run in this process, so the in-process sandboxes' webhook
    # outbox is here to deliver (with a stage pool each worker process has its own sandboxes)
    return ServiceConfig(
        db=f"sqlite://{root / 'service.db'}",
        blob_dir=str(root / "blobs"),
        sandboxes=("aurora", "hirkan"),
        processes=0,
    )


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--folder", default=None, help="where the state lives (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(config(args.folder or scratch))
        uvicorn.run(app, host=args.host, port=args.port, log_config=logging_config("INFO"))  # JSON, no PII


if __name__ == "__main__":
    main()
