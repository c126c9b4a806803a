#!/usr/bin/env bash
# Everything kyc-sdk needs on a fresh Debian machine: system packages, a virtualenv at
# .venv/ in the repo root, the package with all its extras. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libzbar0                                  # pyzbar
  tesseract-ocr-fas tesseract-ocr-eng       # Persian and Latin OCR data for tesserocr
  fonts-farsiweb fonts-noto-core fonts-ocr-b  # the synthetic document generator
  fonts-freefarsi fonts-hosny-amiri fonts-sil-lateef fonts-sil-scheherazade  # more Persian
  fonts-sil-harmattan fonts-kacst-one fonts-lemonada  # faces for the held-out OCR evaluation
  fonts-liberation fonts-urw-base35  # monospaced faces of a held-out MRZ group
  postgresql                                # the PostgreSQL store's tests
  chromium chromium-driver                  # tests/browser: headless, a .y4m file as its camera
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ((${#missing[@]})); then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Vazirmatn, the commonest free Persian face, is in no Debian release: npm ships it (OFL).
VAZIR=/usr/share/fonts/truetype/vazirmatn
if [ ! -f "$VAZIR/Vazirmatn-Regular.ttf" ] && command -v npm >/dev/null; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack -q vazirmatn@33.0.3 >/dev/null && tar xzf vazirmatn-*.tgz) \
    && $SUDO mkdir -p "$VAZIR" \
    && $SUDO cp "$tmp"/package/fonts/ttf/Vazirmatn-{Regular,Bold}.ttf "$tmp"/package/OFL.txt "$VAZIR"/ \
    || echo "vazirmatn not installed: the OCR evaluation skips that font"
  rm -rf "$tmp"
fi

# A larger Persian recogniser than Debian's tesseract-ocr-fas (the small "fast" network):
# Google's "best" Persian model as integers (Apache-2.0), which npm ships for tesseract.js
# (@tesseract.js-data/fas, MIT). Names are read by it too where fas disagrees with itself
# (kyc_sdk/docs_ocr/_tess.py). Our own folder, not Debian's, under another language name
# (fas_best) so that neither shadows the other; checked by its hash. Without it the reader
# uses Debian's fas alone.
KYC_TESSDATA_DIR=/usr/share/kyc-sdk/tessdata
FAS_BEST_SHA256=ff6a6743a643ebd93717346ae6526aed110aad4e08ca10240279787fc567522c
if [ ! -f "$KYC_TESSDATA_DIR/fas_best.traineddata" ] && command -v npm >/dev/null; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack -q @tesseract.js-data/fas@1.0.0 >/dev/null && tar xzf ./*.tgz \
    && gunzip -c package/4.0.0_best_int/fas.traineddata.gz >fas_best.traineddata \
    && echo "$FAS_BEST_SHA256  fas_best.traineddata" | sha256sum -c --quiet) \
    && $SUDO mkdir -p "$KYC_TESSDATA_DIR" \
    && $SUDO cp "$tmp/fas_best.traineddata" "$KYC_TESSDATA_DIR"/ \
    || echo "fas_best not installed: names are read by Debian's fas alone"
  rm -rf "$tmp"
fi

# More free Persian faces from npm (OFL, rastikerdar's): the card generator prints in them;
# some train the digit classifier, others are a held-out group (benchmarks/ocr_eval.py).
# A face that fails to install is only skipped.
for spec in sahel-font@3.4.0:Sahel samim-font@4.0.5:Samim shabnam-font@5.0.0:Shabnam \
  tanha-font@0.10.0:Tanha parastoo-font@2.0.1:Parastoo gandom-font@0.8.0:Gandom; do
  pkg=${spec%%:*} face=${spec##*:}
  dir=/usr/share/fonts/truetype/${pkg%%-font@*}
  if [ -f "$dir/$face.ttf" ] || ! command -v npm >/dev/null; then continue; fi
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack -q "$pkg" >/dev/null && tar xzf ./*.tgz) \
    && $SUDO mkdir -p "$dir" \
    && $SUDO cp "$tmp"/package/dist/"$face"*.ttf "$tmp"/package/LICENSE "$dir"/ \
    && $SUDO rm -f "$dir/$face-VF.ttf" \
    || echo "${pkg%@*} not installed: the OCR evaluation and the digit training skip that face"
  rm -rf "$tmp"
done

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check "pip>=24" "setuptools>=77,<81" wheel
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

# Google's Arabic-script faces as npm ships them (@fontsource, OFL: woff2 subsets, turned
# into TrueType by fontTools, the bench extra's fonttools and brotli). Each face's role is
# in kyc_sdk/docs_ocr/fonts.py: most only TRAIN the digit classifier; Reem Kufi, El Messiri
# and Baloo Bhaijaan 2 are a held-out group of the card evaluation, Kufam, Markazi Text and
# Rakkas a third (FRESH3: Kufi, Naskh and a heavy display face), Mada, Qahiri and Marhey a
# fourth (FRESH4: a plain sans, a Kufi, a rounded display face), Mirza, Katibeh and Jomhuria
# a fifth (FRESH5: a Naskh, a calligraphic display face, a heavy condensed display face),
# Beiruti, Handjet and Playpen Sans Arabic a sixth (FRESH6: a grotesque sans, a modular
# display face, a rounded hand-written face), Blaka and Reem Kufi Fun a seventh (FRESH7: a
# blackletter-like display face, a geometric Kufi; Blaka's package ships no LICENSE file).
# Only the Arabic subset
# is kept, and only when it draws the Persian digits; a face that fails is only skipped.
FONTSOURCE=/usr/share/fonts/truetype/fontsource
if command -v npm >/dev/null; then
  .venv/bin/python -c "import fontTools, brotli" 2>/dev/null \
    || .venv/bin/python -m pip install -q --disable-pip-version-check "fonttools>=4.40" "brotli>=1.1"
  for spec in cairo@5.3.0:Cairo:400,700 changa@5.3.0:Changa:400,700 alexandria@5.3.0:Alexandria:400,700 \
    almarai@5.3.0:Almarai:400,700 zain@5.3.0:Zain:400,700 lalezar@5.3.0:Lalezar:400 \
    aref-ruqaa@5.3.0:ArefRuqaa:400,700 ibm-plex-sans-arabic@5.3.0:IBMPlexSansArabic:400,700 \
    reem-kufi@5.3.0:ReemKufi:400 el-messiri@5.3.0:ElMessiri:400 baloo-bhaijaan-2@5.3.0:BalooBhaijaan2:400 \
    kufam@5.3.0:Kufam:400 markazi-text@5.3.0:MarkaziText:400 rakkas@5.3.0:Rakkas:400 \
    mada@5.3.0:Mada:400 qahiri@5.2.9:Qahiri:400 marhey@5.3.0:Marhey:400 \
    mirza@5.3.0:Mirza:400 katibeh@5.3.0:Katibeh:400 jomhuria@5.3.0:Jomhuria:400 \
    beiruti@5.3.0:Beiruti:400 handjet@5.3.0:Handjet:400 playpen-sans-arabic@5.3.0:PlaypenSansArabic:400 \
    blaka@4.5.3:Blaka:400 reem-kufi-fun@5.2.11:ReemKufiFun:400; do
    IFS=: read -r pkg face weights <<<"$spec"
    [ -f "$FONTSOURCE/$face-${weights%%,*}.ttf" ] && continue
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack -q "@fontsource/$pkg" >/dev/null && tar xzf ./*.tgz) \
      && $SUDO mkdir -p "$FONTSOURCE" \
      && $SUDO .venv/bin/python - "$tmp/package" "${pkg%@*}" "$face" "$weights" "$FONTSOURCE" <<'PY' \
      || echo "@fontsource/${pkg%@*} not installed: the OCR evaluation and the digit training skip that face"
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

package, name, face, weights, out = sys.argv[1:]
for weight in weights.split(","):
    font = TTFont(f"{package}/files/{name}-arabic-{weight}-normal.woff2")
    if not all(0x6F0 + i in font.getBestCmap() for i in range(10)):
        sys.exit(f"{name} {weight}: no Persian digits")
    font.flavor = None  # woff2 -> plain TrueType/OpenType
    font.save(f"{out}/{face}-{weight}.ttf")
if (Path(package) / "LICENSE").is_file():
    (Path(out) / f"{face}-LICENSE").write_bytes((Path(package) / "LICENSE").read_bytes())
PY
    rm -rf "$tmp"
  done
fi
