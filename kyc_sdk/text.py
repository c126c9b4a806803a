"""Persian text normalisation, in one place for OCR, validation and cross-checks.

- ``normalize_digits``: Persian (۰–۹) and Arabic-Indic (٠–٩) digits to ASCII. Python's
  ``\\d`` and ``str.isdigit()`` accept both, and ``²`` too: normalise with this, then
  validate with ``[0-9]``.
- ``normalize_persian``: one spelling of each letter (Arabic yeh ي/ى → ی, kaf ك → ک,
  heh variants), no tatweel or diacritics, one space between words; a zero-width
  non-joiner (ZWNJ, U+200C) is kept, single, between two letters, because it is part of
  Persian spelling (می‌خواهم), but names are compared with ``name_key`` which ignores it.
- ``name_key`` / ``names_match``: a comparison key that forgives the variants people and
  registries actually write (ZWNJ, space or nothing in compound names such as
  عبدالله / عبد الله; alef with hamza or madda; teh marbuta).

>>> normalize_digits("۰۴۹۹٣٧٠٨٩٩")
'0499370899'
>>> normalize_persian("علي  كريمي")
'علی کریمی'
>>> names_match("عبد الله", "عبدالله") and names_match("محمدرضا", "محمد‌رضا")
True
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_LATIN_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ئ": "ی",
        "ك": "ک",  # Arabic kaf
        "ە": "ه",
        "ۀ": "ه",  # heh with yeh above: the ezafe is not part of a name
        "ة": "ه",  # teh marbuta
        "ـ": None,  # tatweel
    }
)
_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})
ZWNJ = "\u200c"
_BIDI_AND_JOINERS = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalize_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII; nothing else changes."""
    return text.translate(_DIGITS)


def to_persian_digits(text: str) -> str:
    return normalize_digits(text).translate(_LATIN_TO_PERSIAN)


def normalize_persian(text: str) -> str:
    """One spelling of Persian text (see the module docstring); digits become ASCII."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))  # harakat, tanwin
    text = _BIDI_AND_JOINERS.sub("", normalize_digits(text).translate(_LETTERS))
    text = re.sub(f"\\s*{ZWNJ}[\\s{ZWNJ}]*", ZWNJ, text)  # one ZWNJ, no spaces around it
    text = re.sub(f"^{ZWNJ}+|{ZWNJ}+$", "", text)
    return " ".join(text.split())


def name_key(name: str) -> str:
    """A key under which spellings of one name compare equal."""
    text = normalize_persian(name).translate(_ALEFS)
    return re.sub(f"[\\s{ZWNJ}\\-.]", "", text).casefold()


def names_match(a: str | None, b: str | None) -> bool:
    """True when two spellings of a name are the same name (both present)."""
    if not a or not b:
        return False
    return name_key(a) == name_key(b)


def name_similarity(a: str, b: str) -> float:
    """0..1, from the edit distance between the two names' keys (1.0: same name)."""
    x, y = name_key(a), name_key(b)
    if not x and not y:
        return 1.0
    previous = list(range(len(y) + 1))
    for i, cx in enumerate(x, 1):
        current = [i]
        for j, cy in enumerate(y, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (cx != cy)))
        previous = current
    return 1.0 - previous[-1] / max(len(x), len(y))
