"""Persian text normalisation, in one place for OCR, validation and cross-checks.

- ``normalize_digits``: Persian (۰–۹) and Arabic-Indic (٠–٩) digits to ASCII. Python's
  ``\\d`` and ``str.isdigit()`` accept both, and ``²`` too: normalise with this, then
  validate with ``[0-9]``.
- ``normalize_persian``: one spelling of each letter (Arabic yeh ي/ى → ی, kaf ك → ک,
  heh, kaf and teh-marbuta variants), no tatweel, diacritics or bidi marks, one space
  between words. Decision on the zero-width non-joiner (ZWNJ, U+200C): it is kept, because
  it is Persian spelling (می‌خواهم), as one ZWNJ in place of any run of ZWNJs and spaces
  around it, and dropped at either end; names are compared with ``name_key``, which drops it.
- ``name_key`` / ``names_match`` / ``name_similarity``: a comparison key that forgives the
  variants people and registries actually write (ZWNJ, space or nothing in compound
  names such as عبدالله / عبد الله; alef with hamza or madda; hamza seats; teh marbuta).
  ``normalize_persian`` itself keeps hamza seats (مسئول stays مسئول): it is for text.

References: Unicode Arabic block https://www.unicode.org/charts/PDF/U0600.pdf, and the
Persian Academy's orthography (دستور خط فارسی) for ZWNJ and ی/ک.

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
        "ك": "ک",  # Arabic kaf
        "ھ": "ه",  # heh doachashmee, from Urdu keyboards
        "ہ": "ه",  # heh goal, likewise
        "ڪ": "ک",  # swash kaf
        "ە": "ه",
        "ۀ": "ه",  # heh with yeh above: the ezafe is not part of a name
        "ة": "ه",  # teh marbuta
        "ـ": None,  # tatweel
    }
)
# Only for comparing names: a yeh seat of hamza (رئیسی / رییسی), a bare hamza
# (علاءالدین / علاالدین) and alef variants are spelling choices, not different names.
_NAME_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ئ": "ی", "ؤ": "و", "ء": None})
_NAME_LIMIT = 256  # name_similarity looks at the first 256 characters of a key
ZWNJ = "\u200c"
_BIDI_AND_JOINERS = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalize_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII; nothing else changes."""
    return text.translate(_DIGITS)


def to_persian_digits(text: str) -> str:
    """ASCII (and Arabic-Indic) digits to Persian ۰–۹, for display."""
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
    text = normalize_persian(name).translate(_NAME_VARIANTS)
    return re.sub(f"[\\s{ZWNJ}\\-.]", "", text).casefold()


def names_match(a: str | None, b: str | None) -> bool:
    """True when two spellings of a name are the same name (both present, both text:
    a vendor's payload may hold anything)."""
    if not (a and b and isinstance(a, str) and isinstance(b, str)):
        return False
    return name_key(a) == name_key(b)


def name_similarity(a: str | None, b: str | None) -> float:
    """0..1, from the edit distance between the two names' keys (1.0: same spelling key;
    0.0 when either is missing or not text)."""
    if not (a and b and isinstance(a, str) and isinstance(b, str)):
        return 0.0
    x, y = name_key(a)[:_NAME_LIMIT], name_key(b)[:_NAME_LIMIT]  # quadratic below: bound it
    if not x or not y:
        return 1.0 if x == y else 0.0
    previous = list(range(len(y) + 1))
    for i, cx in enumerate(x, 1):
        current = [i]
        for j, cy in enumerate(y, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (cx != cy)))
        previous = current
    return 1.0 - previous[-1] / max(len(x), len(y))
