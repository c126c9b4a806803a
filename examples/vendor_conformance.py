"""A vendor's view: run the conformance kit against an endpoint that speaks a style.

Here the endpoint is our own sandbox of the style, served on a loopback port, the way
``kyc-sdk sandbox serve STYLE --port N`` serves it; a vendor points the kit at its own
base URL with its own credentials instead (``--credentials FILE``, docs/conformance.md).
With ``--fault`` the sandbox misbehaves and the report names the module that caught it.

    python examples/vendor_conformance.py [--style echo] [--fault slow] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys

from kyc_sdk.conformance import Options, load_settings, run
from kyc_sdk.conformance.report import table, write
from kyc_sdk.providers import STYLES
from kyc_sdk.sandbox import create
from kyc_sdk.sandbox.serve import serving

# Sandboxes answer in milliseconds: a short webhook wait and budgets a vendor on the
# internet would not meet (its defaults are 5 s, and 1 s / 3 s for p50 / p95).
OPTIONS = Options(webhook_wait=1.0, budget_p50_ms=100.0, budget_p95_ms=250.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", choices=STYLES, default="echo")
    parser.add_argument("--fault", action="append", default=[], help="a sandbox fault, e.g. auth or slow")
    parser.add_argument("--out", help="also write report.txt, report.json and junit.xml here")
    args = parser.parse_args()

    sandbox = create(args.style, faults=args.fault, slow_seconds=0.3)
    with serving(sandbox) as base_url:  # a real socket on 127.0.0.1
        report = run(args.style, load_settings(args.style, base_url), OPTIONS)
    print(table(report), end="")
    if args.out:
        for kind, path in write(report, args.out).items():
            print(f"{kind}: {path}")
    return 1 if report.failed else 0  # what CI would gate on


if __name__ == "__main__":
    sys.exit(main())
