"""The registration service (ASGI app, jobs, review queue).

    uvicorn kyc_sdk.service:app          # configured from the environment (see config)
    kyc-sdk serve --db URL --port 8000   # the same, with the command line's options

``create_app(ServiceConfig(...))`` builds one in code. Importing this package starts
nothing: the module-level ``app`` is made on first access. See docs/service.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kyc_sdk.service.app import create_app
    from kyc_sdk.service.config import ServiceConfig

__all__ = ["ServiceConfig", "app", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from kyc_sdk.service.app import create_app

        made = create_app()  # reads the environment at start-up, not now
        globals()["app"] = made
        return made
    if name == "create_app":
        from kyc_sdk.service.app import create_app

        return create_app
    if name == "ServiceConfig":
        from kyc_sdk.service.config import ServiceConfig

        return ServiceConfig
    raise AttributeError(f"module 'kyc_sdk.service' has no attribute {name!r}")
