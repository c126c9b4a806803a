"""Tesseract through ``tesserocr``, in process: one API object per (language, mode),
created once and reused under a lock (they are not thread-safe; docs/evaluation.md "Traps":
``pytesseract`` would start a process per call).

Data: Debian's ``tesseract-ocr-fas`` / ``tesseract-ocr-eng`` traineddata, found in
``KYC_TESSDATA`` or the usual Debian folders; and, where installed, a second Persian model,
``fas_best`` (``SECOND_FAS``): Google's larger "best" network for Persian (48 px lines, a
192-wide LSTM; Debian's is the small "fast" one, 36 px and 128), which
``scripts/setup.sh`` installs from npm into ``/usr/share/kyc-sdk/tessdata``. Names are read
by both where ``fas`` disagrees with itself (``national_card._read_name``); without the
second model they are read by ``fas`` alone. When ``KYC_TESSDATA`` is set, it is the only
folder looked in for either. Nothing downloads.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import tesserocr
from PIL import Image

from kyc_sdk.errors import KycError, MissingExtra

_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)
SECOND_FAS = "fas_best"  # the language name of the larger Persian model's file
# not a Debian package's folder: what a package manager does not know it must not own
_OWN_DATA = "/usr/share/kyc-sdk/tessdata"
_LOCK = threading.Lock()
_SMALL_LINE = 36  # px: the height a line that read as nothing is read again at (``read_rtl``)


def _new_lock_in_child() -> None:
    # A thread reading when the process forked does not exist in the child: its hold
    # on the lock must not outlive it there.
    global _LOCK  # noqa: PLW0603 -- a fork hook must rebind the lock every reader takes
    _LOCK = threading.Lock()


os.register_at_fork(after_in_child=_new_lock_in_child)


class OcrUnavailable(KycError):
    """Tesseract's language data is not installed (like a missing extra: install, then
    run again; not the caller's input)."""

    exit_code = MissingExtra.exit_code


def _folders() -> tuple[str, ...]:
    chosen = os.environ.get("KYC_TESSDATA")
    return (chosen,) if chosen else (*_CANDIDATES, _OWN_DATA)


def _folder_of(lang: str) -> str | None:
    for folder in _folders():
        if (Path(folder) / f"{lang}.traineddata").is_file():
            return folder.rstrip("/") + "/"
    return None


def tessdata() -> str:
    folder = _folder_of("fas")
    if folder is None:
        raise OcrUnavailable("Tesseract data for 'fas' not found (install tesseract-ocr-fas and -eng)")
    return folder


def second_fas() -> str | None:
    """``SECOND_FAS`` when its data is installed (where ``tessdata`` says), else None."""
    return SECOND_FAS if _folder_of(SECOND_FAS) else None


@lru_cache(maxsize=12)
def _api(
    lang: str, psm: int, whitelist: str, alternatives: bool = True, inverted: bool = True
) -> tesserocr.PyTessBaseAPI:
    folder = tessdata() if lang in ("fas", "eng") else _folder_of(lang)
    if folder is None:
        raise OcrUnavailable(f"Tesseract data for {lang!r} not found")
    api = tesserocr.PyTessBaseAPI(path=folder, lang=lang, psm=psm, oem=tesserocr.OEM.LSTM_ONLY)
    api.SetVariable("debug_file", "/dev/null")
    if alternatives:  # keep the LSTM's alternatives per character (a tenth of its time)
        api.SetVariable("lstm_choice_mode", "2")
    if not inverted:  # a line read poorly is not read again as light print on dark
        api.SetVariable("tessedit_do_invert", "0")
    if whitelist:
        api.SetVariable("tessedit_char_whitelist", whitelist)
    return api


@dataclass(frozen=True)
class Symbol:
    """One recognised character with its alternatives (best first) and confidence 0..1.
    ``sure`` is the reader's verdict on whether this glyph may count towards a ``valid``
    field (``_glyphs``); None when the reader did not judge, and ``fields`` then judges
    by the margin between the first two choices. ``shape`` is the glyph's normalised
    shape vector when a template read it (compared with its neighbours on the card), and
    ``script`` the digit forms it was read as (glyphs of one script and value on one card
    share a form); ``size`` a digit's height over its line's; ``net_input`` the glyph as
    the learned classifier reads it."""

    text: str
    confidence: float
    choices: tuple[tuple[str, float], ...]
    sure: bool | None = None
    shape: np.ndarray | None = field(default=None, compare=False, repr=False)
    script: str | None = field(default=None, compare=False)  # a digit's script: eastern, latin
    size: float | None = field(default=None, compare=False)
    # the glyph as the learned classifier reads it (``_digitnet.features``), when it did
    net_input: np.ndarray | None = field(default=None, compare=False, repr=False)


def read_line(
    image: np.ndarray,
    lang: str,
    *,
    psm: int = 7,
    whitelist: str = "",
    symbols: bool = False,
    alternatives: bool = True,
    inverted: bool = True,
) -> tuple[str, float, list[Symbol]]:
    """OCR one text line (grey uint8): text, mean confidence 0..1, and per-symbol choices;
    ``alternatives`` False: by a model that keeps no alternatives per character (the
    same text, a tenth faster; for a reader that asks for no symbols); ``inverted``
    False: a line Tesseract reads with little confidence is not read again inverted
    (light print on dark; for dark print binarised on white, where that second reading
    only ever won on noise, another tenth of the time)."""
    with _LOCK:
        api = _api(lang, psm, whitelist, alternatives, inverted)
        api.SetImage(Image.fromarray(image))
        text = api.GetUTF8Text().strip()
        conf = api.MeanTextConf() / 100.0
        found = _symbols(api) if symbols else []
    return text, conf, found


def _symbols(api: tesserocr.PyTessBaseAPI) -> list[Symbol]:
    out: list[Symbol] = []
    iterator = api.GetIterator()
    level = tesserocr.RIL.SYMBOL
    for item in tesserocr.iterate_level(iterator, level):
        try:
            text = item.GetUTF8Text(level)
        except RuntimeError:  # an empty result at this level
            continue
        if not text:
            continue
        choices = tuple((c.GetUTF8Text(), c.Confidence() / 100.0) for c in item.GetChoiceIterator())
        out.append(Symbol(text, item.Confidence(level) / 100.0, choices or ((text, 1.0),)))
    return out


def read_rtl(image: np.ndarray, lang: str = "fas") -> tuple[str, float]:
    """A Persian line, read by ``fas`` or another Persian model (``SECOND_FAS``). Tesseract
    ``fas`` in single-line mode sometimes returns nothing for a clean line (seen with Noto
    Naskh's تاریخ). For a short word printed large that is a
    matter of size: a clean مینا or سینا in a 60-72 px crop reads as nothing at every scale
    above about half, and right at half and below (tuning and development faces, 2026-12-06).
    So the line is read again at ``_SMALL_LINE`` px high. Raw-line mode comes last: it reads
    such a word without its final alef (سین), at times in visual (mirrored) order, which
    it marks with a left-to-right mark: undo that."""
    text, conf, _ = read_line(image, lang, psm=7)
    if text:
        return text, conf
    if image.shape[0] > _SMALL_LINE:
        scale = _SMALL_LINE / image.shape[0]
        small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        text, conf, _ = read_line(small, lang, psm=7)
        if text:
            return text, conf
    text, conf, _ = read_line(image, lang, psm=13)
    if "\u200e" in text:
        text = text[::-1]
    return text.replace("\u200e", "").replace("\u200f", "").strip(), conf
