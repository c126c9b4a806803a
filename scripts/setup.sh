#!/usr/bin/env bash
# Everything kyc-sdk needs on a fresh Debian machine: system packages, a virtualenv at
# .venv/ in the repo root, the package with all its extras. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libzbar0                                  # pyzbar
  tesseract-ocr-fas tesseract-ocr-eng       # Persian and Latin OCR data for tesserocr
  fonts-farsiweb fonts-noto-core fonts-ocr-b  # the synthetic document generator
  postgresql                                # the PostgreSQL store's tests
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check "pip>=24" "setuptools>=77,<81" wheel
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
