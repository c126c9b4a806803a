"""Redaction of vendor payloads before they reach a result's ``raw`` or a log.

Two rules. By key: keys are compared after folding case and dropping ``_``, ``-`` and
spaces, so ``nationalCode``, ``national_code`` and ``national-code`` are one key; values
under a sensitive key become ``"[redacted]"``, and long base64-looking strings anywhere
(images, tokens) become ``"[redacted:blob]"``. By value: a vendor may echo the person's
data under any key (``mobileNumber``, ``nid``) or inside a message, so ``PiiValues`` made
from the request finds the request's own identifiers wherever they appear (in any digit
script, with separators: every run of digits is compared by its digits alone) and its
names and document numbers (as whole words, Arabic and Persian letter variants alike),
and replaces just them. Each string is scanned once: time is linear in the payload.

>>> redact({"data": {"nationalCode": "0499370899", "matched": True}})
{'data': {'nationalCode': '[redacted]', 'matched': True}}
>>> pii = PiiValues.of_subject(Subject(national_code="0499370899"))
>>> redact({"message": "no person ۰۴۹۹-۳۷۰-۸۹۹ found"}, values=pii)
{'message': 'no person [redacted] found'}
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from kyc_sdk.models import Subject

if TYPE_CHECKING:
    from kyc_sdk.models import VerificationRequest, VerificationResult

REDACTED = "[redacted]"
BLOB = "[redacted:blob]"

PII_KEYS = frozenset(
    {
        "nationalcode",
        "nationalid",
        "idnumber",
        "documentnumber",
        "passportnumber",
        "personalnumber",
        "firstname",
        "lastname",
        "fathername",
        "givenname",
        "givennames",
        "surname",
        "familyname",
        "fullname",
        "name",
        "firstnames",
        "middlename",
        "namefirst",
        "namelast",
        "namemiddle",
        "identificationnumber",
        "mobile",
        "mobilephone",
        "phone",
        "phonenumber",
        "msisdn",
        "email",
        "birthdate",
        "birthday",
        "dateofbirth",
        "dob",
        "dobday",
        "address",
        "photo",
        "image",
        "content",
        "file",
        "selfie",
        "face",
        "userdata",
        "value",
        "original",
        "cardserial",
        "serial",
        "mrz",
    }
)
SECRET_KEYS = frozenset(
    {
        "token",
        "apikey",
        "authtoken",
        "accesstoken",
        "sessiontoken",
        "logintoken",
        "refreshtoken",
        "clientsecret",
        "secret",
        "password",
        "signature",
        "authorization",
        "webhooktoken",
        "uploadurl",
    }
)
_BLOB = re.compile(r"^[A-Za-z0-9+/=_-]{200,}$")
# A run of digits in any script, with the separators people and vendors put between them
# (spaces, dashes, dots, slashes, parentheses, a leading "+", bidi marks, ZWNJ). Each
# separator run is short and digits and separators are disjoint: no backtracking blow-up.
_DIGIT_RUN = re.compile(r"\+?\d(?:[\s\-._/()\u200c\u200e\u200f\u066b\u066c]{0,3}\d)*")
_LETTER_VARIANTS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه"})  # one char for one
MIN_DIGITS = 6  # shorter numbers (a day, a count) are not the person's


def fold(key: str) -> str:
    return re.sub(r"[\s_-]", "", key).lower()


def _digits(text: str) -> str:
    return "".join(str(unicodedata.digit(c)) for c in text if c.isdecimal())


@dataclass(frozen=True, slots=True)
class PiiValues:
    """The request's own identifying values, ready to be found in a vendor's payload."""

    numbers: tuple[str, ...] = ()  # ASCII digit strings (national code, mobile, birth date)
    words: re.Pattern[str] | None = None  # names and document numbers, as whole words

    @classmethod
    def of_subject(cls, subject: Subject, *, document_numbers: Iterable[str | None] = ()) -> PiiValues:
        numbers: set[str] = set()
        words: set[str] = set()
        if subject.national_code:
            code = _digits(subject.national_code)
            numbers |= {code, code.lstrip("0")}  # a JSON number drops the leading zeros
        if subject.mobile:
            digits = _digits(subject.mobile)
            numbers.add(digits[-10:] if len(digits) >= 10 else digits)  # 9xx… in 09xx…, +989xx…, 00989xx…
        if subject.birth_date:
            numbers.add(_digits(subject.birth_date))
        for text in (
            subject.first_name,
            subject.last_name,
            subject.father_name,
            subject.passport_number,
            *document_numbers,
        ):
            if text and text.strip():
                words.add(text.strip())
                if text.strip() != " ".join(text.split()):
                    words.add(" ".join(text.split()))
        for text in (subject.passport_number, *document_numbers):
            if text and len(_digits(text)) >= MIN_DIGITS:
                numbers.add(_digits(text))
        return cls(tuple(sorted(n for n in numbers if len(n) >= MIN_DIGITS)), _words_pattern(words))

    @classmethod
    def of_request(cls, request: VerificationRequest) -> PiiValues:
        return cls.of_subject(request.subject, document_numbers=(request.evidence.card_serial,))

    def scrub(self, text: str) -> str:
        """``text`` with every occurrence of these values replaced by ``[redacted]``."""
        if self.numbers:
            text = _DIGIT_RUN.sub(self._number, text)
        if self.words is not None:
            folded = text.translate(_LETTER_VARIANTS)  # one char for one: offsets still match
            pieces, last = [], 0
            for m in self.words.finditer(folded):
                pieces += [text[last : m.start()], REDACTED]
                last = m.end()
            text = "".join(pieces) + text[last:] if pieces else text
        return text

    def _number(self, match: re.Match[str]) -> str:
        digits = _digits(match.group())
        return REDACTED if any(n in digits for n in self.numbers) else match.group()


class Scrubber(Protocol):
    """Replaces sensitive values inside one string (``PiiValues``, ``IdentifierShapes``)."""

    def scrub(self, text: str) -> str: ...


_CREDENTIAL = re.compile(r"(?i)\b(bearer|basic|token)(\s+|=)[^\s,;\"']+")
_JWT = re.compile(r"\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*")
_ARABIC_SCRIPT = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_WORDS = re.compile(f"[{_ARABIC_SCRIPT}]+(?:[\\s\u200c]+[{_ARABIC_SCRIPT}]+)*")


@dataclass(frozen=True, slots=True)
class IdentifierShapes:
    """For text whose person is unknown (a log line): replaces whatever is shaped like
    personal data. Every run of ``MIN_DIGITS`` or more digits, in any script and with
    separators (national codes, mobiles, birth dates, document numbers), a credential
    after ``Bearer``/``Basic``/``token``, a JWT, and all text in Arabic script: a Persian
    name cannot be told from other Persian words, so none is kept.

    >>> IdentifierShapes().scrub("mobile +98 912 123 4567, Authorization: Bearer abc")
    'mobile [redacted], Authorization: Bearer [redacted]'
    """

    def scrub(self, text: str) -> str:
        text = _CREDENTIAL.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
        text = _JWT.sub(REDACTED, text)
        text = _DIGIT_RUN.sub(_long_number, text)
        return _ARABIC_WORDS.sub(REDACTED, text)


def _long_number(match: re.Match[str]) -> str:
    return REDACTED if len(_digits(match.group())) >= MIN_DIGITS else match.group()


def _words_pattern(words: set[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    parts = []
    for word in sorted(words, key=len, reverse=True):
        pieces = word.translate(_LETTER_VARIANTS).split()
        parts.append(r"[\s\u200c_-]+".join(re.escape(p) for p in pieces))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def redact(payload: Any, *, extra_keys: Iterable[str] = (), values: Scrubber | None = None) -> Any:
    """A copy of ``payload`` with PII and secrets replaced (input is not modified);
    ``values`` also replaces the request's own data wherever it appears."""
    keys = PII_KEYS | SECRET_KEYS | {fold(k) for k in extra_keys}
    return _walk(payload, keys, values)


def redact_result(result: VerificationResult, request: VerificationRequest) -> VerificationResult:
    """``result`` with the request's own data removed from its vendor payload (``raw``)."""
    return replace(result, raw=redact(result.raw, values=PiiValues.of_request(request)))


def _walk(value: Any, keys: frozenset[str], values: Scrubber | None) -> Any:
    if isinstance(value, dict):
        return {
            (values.scrub(k) if values and isinstance(k, str) else k): (
                REDACTED if fold(str(k)) in keys and v not in (None, "") else _walk(v, keys, values)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_walk(item, keys, values) for item in value]
    if isinstance(value, str):
        if _BLOB.match(value):
            return BLOB
        return values.scrub(value) if values else value
    if values and isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**30:
        return REDACTED if values.scrub(str(value)) != str(value) else value
    return value
