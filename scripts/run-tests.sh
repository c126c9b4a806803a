#!/usr/bin/env bash
# The whole suite as `make test` and CI run it (under scripts/with-postgres.sh). First every
# test that may share the cores, one pytest-xdist worker per core (tests/conftest.py gives
# each worker a database of its own); then, alone, the tests marked `serial`, which measure
# real time: a browser filming at its frame rate, a sandbox's latency, a replica's SIGTERM
# grace. Both parts always run; the exit status is the first failing part's. Each part lists
# its slowest tests, so a CI log says where the suite's time goes.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# Keep the compiled modules: with PYTHONDONTWRITEBYTECODE set (as on our machines) every
# pytest worker rewrites and compiles all test modules again, and every process a test
# starts compiles the package again (about 10 s of CPU per pytest process). __pycache__ is
# ignored by git and left out of the sdist and the wheel.
unset PYTHONDONTWRITEBYTECODE
# The serial part's browser tests film generated camera files (tests/browser/cameras.py):
# made here beside the parallel part, at a lower priority than its workers, not in the
# serial part, where one test runs at a time; build/test-cache keeps them until the code
# that makes them changes.
nice -n 5 "$PY" -m tests.browser.cameras &
cameras=$!
"$PY" -m pytest -q -n auto --maxprocesses 4 -m "not serial" --durations=30
shared=$?
wait "$cameras" || echo "browser cameras not made ahead: the browser tests make them" >&2
"$PY" -m pytest -q -m serial --durations=10
alone=$?
exit $((shared != 0 ? shared : alone))
