"""Redaction of vendor payloads before they reach a result's ``raw`` or a log.

Keys are compared after folding case and dropping ``_``, ``-`` and spaces, so
``nationalCode``, ``national_code`` and ``national-code`` are one key. Values under a
sensitive key become ``"[redacted]"``; long base64-looking strings anywhere (images,
tokens) become ``"[redacted:blob]"``.

>>> redact({"data": {"nationalCode": "0499370899", "matched": True}})
{'data': {'nationalCode': '[redacted]', 'matched': True}}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[redacted]"
BLOB = "[redacted:blob]"

PII_KEYS = frozenset(
    {
        "nationalcode", "nationalid", "idnumber", "documentnumber", "passportnumber", "personalnumber",
        "firstname", "lastname", "fathername", "givenname", "givennames", "surname", "familyname",
        "fullname", "name", "firstnames", "middlename", "namefirst", "namelast", "namemiddle",
        "identificationnumber",
        "mobile", "mobilephone", "phone", "phonenumber", "msisdn", "email",
        "birthdate", "birthday", "dateofbirth", "dob", "dobday", "address",
        "photo", "image", "content", "file", "selfie", "face", "userdata", "value", "original",
        "cardserial", "serial", "mrz",
    }
)
SECRET_KEYS = frozenset(
    {
        "token", "apikey", "authtoken", "accesstoken", "sessiontoken", "logintoken", "refreshtoken",
        "clientsecret", "secret", "password", "signature", "authorization", "webhooktoken", "uploadurl",
    }
)
_BLOB = re.compile(r"^[A-Za-z0-9+/=_-]{200,}$")


def fold(key: str) -> str:
    return re.sub(r"[\s_-]", "", key).lower()


def redact(payload: Any, *, extra_keys: Iterable[str] = ()) -> Any:
    """A copy of ``payload`` with PII and secrets replaced (input is not modified)."""
    keys = PII_KEYS | SECRET_KEYS | {fold(k) for k in extra_keys}
    return _walk(payload, keys)


def _walk(value: Any, keys: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: (REDACTED if fold(str(k)) in keys and v not in (None, "") else _walk(v, keys))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(item, keys) for item in value]
    if isinstance(value, str) and _BLOB.match(value):
        return BLOB
    return value
