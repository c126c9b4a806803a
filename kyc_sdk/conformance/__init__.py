"""The conformance kit: a vendor that implements one of the eight styles (or a sandbox
of it) runs the kit against its own endpoint to show that it speaks the style, the way
identity providers run the OpenID Foundation's conformance suite.

    from kyc_sdk.conformance import Options, run
    report = run("aurora", kyc_sdk.sandbox.settings("aurora", "http://127.0.0.1:8000"))

See docs/conformance.md for the modules, the reports and the fault table.
"""

from kyc_sdk.conformance.kit import Options
from kyc_sdk.conformance.model import Condition, Exchange, ModuleResult, Report, Status
from kyc_sdk.conformance.runner import PLANS, load_settings, load_waivers, modules, plan, run

__all__ = [
    "PLANS",
    "Condition",
    "Exchange",
    "ModuleResult",
    "Options",
    "Report",
    "Status",
    "load_settings",
    "load_waivers",
    "modules",
    "plan",
    "run",
]
