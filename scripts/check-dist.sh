#!/usr/bin/env bash
# Build the sdist and the wheel, check their metadata, and install the wheel alone (the
# base install: the client, no extras) into a fresh virtualenv: it must import, answer
# `kyc-sdk --version` only with the cli extra, carry py.typed, and leave out tests and data.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=$(mktemp -d /tmp/kyc-sdk-dist.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

"$PY" -m build --sdist --wheel --outdir "$OUT/dist" . >/dev/null 2>&1
"$PY" -m twine check --strict "$OUT"/dist/*
wheel=$(ls "$OUT"/dist/*.whl)
unzip -l "$wheel" > "$OUT/wheel.txt"; tar -tzf "$OUT"/dist/*.tar.gz > "$OUT/sdist.txt"
grep -q "kyc_sdk/py.typed" "$OUT/wheel.txt" || { echo "py.typed missing from the wheel" >&2; exit 1; }
for asset in register.html register.css register.js; do  # the capture page is served from the package
  grep -q "kyc_sdk/service/static/$asset" "$OUT/wheel.txt" || { echo "$asset missing from the wheel" >&2; exit 1; }
done
if grep -Eq " (tests|benchmarks|shared)/" "$OUT/wheel.txt"; then echo "the wheel carries tests or data" >&2; exit 1; fi
grep -q "/LICENSE$" "$OUT/sdist.txt" || { echo "LICENSE missing from the sdist" >&2; exit 1; }

python3 -m venv "$OUT/base"
"$OUT/base/bin/pip" install -q --disable-pip-version-check "$wheel"
"$OUT/base/bin/python" - <<'PY'
import sys
import kyc_sdk
from kyc_sdk import KYC, Subject, VerificationRequest, CheckKind  # the client works on the base install
from kyc_sdk.identifiers import national_code
assert national_code.is_valid("0499370899")
for extra_module in ("click", "starlette", "numpy", "cv2", "dlib", "joserfc", "psycopg"):
    try:
        __import__(extra_module)
    except ImportError:
        continue
    sys.exit(f"the base install pulled in {extra_module}")
print("base install: kyc_sdk", kyc_sdk.__version__, "imports; no extra pulled in")
PY
# Without the cli extra the command says which extra to install (exit 12), not a traceback.
set +e; "$OUT/base/bin/kyc-sdk" --version --json > "$OUT/out.json" 2> "$OUT/err.txt"; rc=$?; set -e
[ "$rc" -eq 12 ] && grep -q '"extra": "cli"' "$OUT/out.json" || { echo "kyc-sdk without the cli extra: exit $rc" >&2; cat "$OUT/out.json" "$OUT/err.txt" >&2; exit 1; }
"$OUT/base/bin/pip" install -q --disable-pip-version-check "$wheel[cli]"
"$OUT/base/bin/kyc-sdk" --version
echo "dist check passed"
