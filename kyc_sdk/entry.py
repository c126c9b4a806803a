"""The ``kyc-sdk`` console script.

It runs the click application (``kyc_sdk.cli.main``) and turns what click leaves as a
traceback into exit codes: a missing optional dependency is a ``MissingExtra`` (exit 12,
a JSON error object under ``--json``), Ctrl-C exits 130 as shells expect, and a stdout
that cannot encode Persian (a non-UTF-8 locale, a pipe under ``LANG=C``) gets escapes
instead of a ``UnicodeEncodeError``. It imports click only inside ``run``, so even a
missing ``cli`` extra is reported this way.
"""

from __future__ import annotations

import json
import sys
from typing import NoReturn

from kyc_sdk.extras import missing_extra

#: what shells return for a process ended by SIGINT (128 + 2)
EXIT_INTERRUPTED = 130


def run(argv: list[str] | None = None) -> NoReturn:
    args = sys.argv[1:] if argv is None else argv
    as_json = "--json" in args
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        from click.exceptions import Abort, ClickException, Exit

        from kyc_sdk.cli import main

        try:
            main.main(args=args, prog_name="kyc-sdk", standalone_mode=False)
        except Exit as done:
            sys.exit(done.exit_code)
        except ClickException as bad:
            bad.show()
            sys.exit(bad.exit_code)
        except Abort:
            sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except ModuleNotFoundError as err:
        missing = missing_extra(err)
        if missing is None:
            raise
        if as_json:
            print(json.dumps(missing.to_dict()))
        else:
            print(f"error: {missing}", file=sys.stderr)
        sys.exit(missing.exit_code)
    sys.exit(0)
