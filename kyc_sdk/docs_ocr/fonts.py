"""The Persian faces the card code knows, each with its files and its role: one table.

The card generator (``synth``) prints in them, the digit templates (``_digits``) are drawn
from some, the digit classifier (``benchmarks/train_digits.py``) is fitted on some, and
the card evaluation (``benchmarks/ocr_eval.py``) holds others out. Who may see which face
is a property of the face, written once here, so a new face cannot be trained on and
held out at once.

Roles:
- ``tune``: the card evaluation's tuning fonts (``ocr_eval.TUNE_FONTS``); in the templates
  and the classifier's training.
- ``held-out``: ``ocr_eval.HELD_OUT_FONTS``; in the shipped templates (each card's own face
  left out while it is read, ``KYC_OCR_HOLDOUT_FONTS``), never in the classifier's training.
- ``train``: faces no evaluated card is printed in; in the templates and the training.
- ``net``: faces no evaluated card is printed in, for the classifier's training only: the
  templates are matched one by one for every glyph, and the eight @fontsource faces
  nearly doubled them (twice the time per glyph) without a gain on held-out cards.
- ``fresh``, ``fresh2``, ``fresh3``, ``fresh4``, ``fresh5``, ``fresh6``, ``fresh7``: later
  held-out groups (``ocr_eval.FRESH_HELD_OUT_FONTS``, ``FRESH2_HELD_OUT_FONTS``,
  ``FRESH3_HELD_OUT_FONTS``, ``FRESH4_HELD_OUT_FONTS``, ``FRESH5_HELD_OUT_FONTS``,
  ``FRESH6_HELD_OUT_FONTS``, ``FRESH7_HELD_OUT_FONTS``); in neither
  the templates nor the training, nor anything tuned.

Files are under ``/usr/share/fonts`` (Debian packages and the npm faces of
``scripts/setup.sh``); the first file of a face is the one cards print in, the others are
its other weights. A face whose file is missing is skipped wherever it is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path("/usr/share/fonts")
Role = Literal[
    "tune", "held-out", "train", "net", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7"
]


@dataclass(frozen=True)
class Face:
    files: tuple[str, ...]
    role: Role


def _fontsource(face: str, *weights: int) -> tuple[str, ...]:
    # @fontsource faces, turned into TrueType by scripts/setup.sh (regular weight first)
    return tuple(f"truetype/fontsource/{face}-{w}.ttf" for w in weights)


FACES: dict[str, Face] = {
    "nazli": Face(("truetype/farsiweb/nazli.ttf", "truetype/farsiweb/nazlib.ttf"), "tune"),
    "titr": Face(("truetype/farsiweb/titr.ttf",), "tune"),
    "noto-naskh": Face(
        ("truetype/noto/NotoNaskhArabic-Regular.ttf", "truetype/noto/NotoNaskhArabic-Bold.ttf"), "tune"
    ),
    "noto-sans": Face(
        ("truetype/noto/NotoSansArabic-Regular.ttf", "truetype/noto/NotoSansArabic-Bold.ttf"), "tune"
    ),
    "noto-kufi": Face(
        ("truetype/noto/NotoKufiArabic-Regular.ttf", "truetype/noto/NotoKufiArabic-Bold.ttf"), "held-out"
    ),
    "vazirmatn": Face(
        ("truetype/vazirmatn/Vazirmatn-Regular.ttf", "truetype/vazirmatn/Vazirmatn-Bold.ttf"), "held-out"
    ),
    "freefarsi": Face(
        ("truetype/freefarsi/FreeFarsi.ttf", "truetype/freefarsi/FreeFarsi-Bold.ttf"), "held-out"
    ),
    "amiri": Face(("opentype/fonts-hosny-amiri/Amiri-Regular.ttf",), "held-out"),
    "lateef": Face(("opentype/lateef/Lateef-Regular.ttf",), "held-out"),
    "scheherazade": Face(("truetype/scheherazade/Scheherazade-Regular.ttf",), "held-out"),
    "harmattan": Face(("truetype/harmattan/Harmattan-Regular.ttf",), "held-out"),
    "kacst-one": Face(("truetype/kacst-one/KacstOne.ttf",), "held-out"),
    "lemonada": Face(("opentype/lemonada/Lemonada-Regular.otf",), "held-out"),
    # npm, rastikerdar's faces (OFL)
    "sahel": Face(
        tuple(f"truetype/sahel/Sahel{w}.ttf" for w in ("", "-Bold", "-Light", "-SemiBold", "-Black")), "train"
    ),
    "parastoo": Face(("truetype/parastoo/Parastoo.ttf", "truetype/parastoo/Parastoo-Bold.ttf"), "train"),
    "gandom": Face(("truetype/gandom/Gandom.ttf",), "train"),
    # Shabnam is held out also because its digits are near copies of Vazirmatn's
    "samim": Face(("truetype/samim/Samim.ttf",), "fresh"),
    "tanha": Face(("truetype/tanha/Tanha.ttf",), "fresh"),
    "shabnam": Face(("truetype/shabnam/Shabnam.ttf",), "fresh"),
    # npm, Google's Arabic-script faces (@fontsource, OFL), added 2026-12-06 to train the
    # digit classifier on more digit designs (Changa is Kufi-like: Kufi was the worst face)
    "cairo": Face(_fontsource("Cairo", 400, 700), "net"),
    "changa": Face(_fontsource("Changa", 400, 700), "net"),
    "alexandria": Face(_fontsource("Alexandria", 400, 700), "net"),
    "almarai": Face(_fontsource("Almarai", 400, 700), "net"),
    "zain": Face(_fontsource("Zain", 400, 700), "net"),
    "lalezar": Face(_fontsource("Lalezar", 400), "net"),
    "aref-ruqaa": Face(_fontsource("ArefRuqaa", 400, 700), "net"),
    "ibm-plex-arabic": Face(_fontsource("IBMPlexSansArabic", 400, 700), "net"),
    # ... and three held out from everything (Reem Kufi is Kufi-like), chosen before training
    "reem-kufi": Face(_fontsource("ReemKufi", 400), "fresh2"),
    "el-messiri": Face(_fontsource("ElMessiri", 400), "fresh2"),
    "baloo-bhaijaan": Face(_fontsource("BalooBhaijaan2", 400), "fresh2"),
    # ... and three more held out from everything, chosen and committed (issue 13, h-digit3)
    # before any card in them was read: Kufi (Kufam), Naskh (Markazi Text, whose ۰ is a
    # ring) and a heavy display face (Rakkas)
    "kufam": Face(_fontsource("Kufam", 400), "fresh3"),
    "markazi-text": Face(_fontsource("MarkaziText", 400), "fresh3"),
    "rakkas": Face(_fontsource("Rakkas", 400), "fresh3"),
    # ... and three more held out from everything, chosen and committed (issue 13, h-cnn)
    # before any card in them was read or the convolutional digit network was kept: a
    # plain sans (Mada), a Kufi (Qahiri: Kufi faces were the worst) and a rounded display
    # face (Marhey). Tajawal, Readex Pro and Alkalami were asked first: their @fontsource
    # Arabic subsets have no Persian digits.
    "mada": Face(_fontsource("Mada", 400), "fresh4"),
    "qahiri": Face(_fontsource("Qahiri", 400), "fresh4"),
    "marhey": Face(_fontsource("Marhey", 400), "fresh4"),
    # ... and three more held out from everything, chosen and committed (issue 13, h-tess)
    # before any card in them was read or the Persian recogniser was chosen: a Naskh
    # (Mirza), a calligraphic display face (Katibeh) and a heavy condensed display face
    # (Jomhuria); names are lost to faces like the last two
    "mirza": Face(_fontsource("Mirza", 400), "fresh5"),
    "katibeh": Face(_fontsource("Katibeh", 400), "fresh5"),
    "jomhuria": Face(_fontsource("Jomhuria", 400), "fresh5"),
    # ... and three more held out from everything, chosen and committed (issue 13, h-cards6)
    # before any card in them was made or read and before that session's name and digit
    # work: a plain grotesque sans (Beiruti), a modular display face drawn on a grid
    # (Handjet) and a rounded hand-written face (Playpen Sans Arabic). Gulzar, Badeen
    # Display, Amiri Quran and Vibes were asked first: their Arabic subsets lack پ چ ژ گ.
    "beiruti": Face(_fontsource("Beiruti", 400), "fresh6"),
    "handjet": Face(_fontsource("Handjet", 400), "fresh6"),
    "playpen-sans-arabic": Face(_fontsource("PlaypenSansArabic", 400), "fresh6"),
    # ... and two more held out from everything, chosen and committed (issue 13, h-cards7)
    # before any card in them was made or read and before that session's digit work: a
    # blackletter-like display face (Blaka) and a geometric Kufi (Reem Kufi Fun, Reem Kufi's
    # sibling, itself held out in fresh2). Noto Nastaliq Urdu was asked first: the digit
    # classifier trains on it; Ruwudu's Arabic subset has no Persian digits.
    "blaka": Face(_fontsource("Blaka", 400), "fresh7"),
    "reem-kufi-fun": Face(_fontsource("ReemKufiFun", 400), "fresh7"),
}


def files(*roles: Role) -> tuple[str, ...]:
    """Every file (all weights) of the faces in ``roles``, in table order."""
    return tuple(f for face in FACES.values() if face.role in roles for f in face.files)


def names(*roles: Role) -> tuple[str, ...]:
    """The short names of the faces in ``roles``, in table order."""
    return tuple(name for name, face in FACES.items() if face.role in roles)
