"""Structured logs: one JSON object a line, with no personal data in it.

Stdlib ``logging`` with a JSON formatter rather than structlog: the SDK, uvicorn,
Starlette and httpx already log through stdlib loggers, and one formatter on the root
handler turns all of them into JSON (structlog would add a dependency and still need this
formatter for the others' records). Fields given with ``extra={...}`` come out as keys.

Nothing leaves the formatter without passing ``kyc_sdk.redact.redact``: values under a
sensitive key (``national_code``, ``mobile``, ``name``, ``authorization``…) are dropped,
and every string, the message and the traceback included, is scrubbed twice: of the
values of the person being processed, when the code says whose they are
(``with person(PiiValues.of_subject(...))``, a context variable, so concurrent
registrations do not mix), and of anything shaped like personal data
(``IdentifierShapes``: long digit runs in any script, credentials, Arabic-script text;
so a client's IP address goes too, an address being personal data as well).

    uvicorn.run(app, log_config=logging_config("INFO"))   # in every worker
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import traceback
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from kyc_sdk.redact import IdentifierShapes, PiiValues, redact

_person: ContextVar[PiiValues | None] = ContextVar("kyc_sdk_log_person", default=None)
_SHAPES = IdentifierShapes()
#: LogRecord's own attributes: anything else on a record came from ``extra``.
#: (uvicorn adds ``color_message``: the message again, with terminal colours.)
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",
}


@contextlib.contextmanager
def person(values: PiiValues) -> Iterator[None]:
    """Log lines written in this block are scrubbed of ``values`` too (names in Latin
    letters, which no shape gives away)."""
    token = _person.set(values)
    try:
        yield
    finally:
        _person.reset(token)


class _Scrub:
    """The current person's values, then the shapes of personal data."""

    def __init__(self, values: PiiValues | None) -> None:
        self.values = values

    def scrub(self, text: str) -> str:
        if self.values is not None:
            text = self.values.scrub(text)
        return _SHAPES.scrub(text)


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, extra fields, and
    the exception's type and traceback, all redacted."""

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRS and key not in fields:
                fields[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            fields["exc_type"] = record.exc_info[0].__name__
            fields["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        elif record.exc_text:
            fields["traceback"] = record.exc_text
        if record.stack_info:
            fields["stack"] = record.stack_info
        clean = redact(_jsonable(fields), values=_Scrub(_person.get()))
        # the time is ours, not the person's: added after redaction, whose digit runs it has
        stamp = dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
        return json.dumps({"time": stamp, **clean}, ensure_ascii=False, separators=(",", ":"))


def _jsonable(value: Any) -> Any:
    """What JSON can hold: containers walked, other objects as their ``str``."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` sending every logger (uvicorn's included) to
    stderr as JSON; give it to uvicorn as ``log_config`` so each worker applies it."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": f"{__name__}.JsonFormatter"}
        },  # by name: uvicorn pickles it for workers
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            name: {"handlers": [], "propagate": True, "level": level}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }
