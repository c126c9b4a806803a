"""JSON logs carry no personal data, wherever the code put it: message, arguments,
extra fields, exceptions."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from datetime import datetime

import anyio
import pytest

from kyc_sdk.models import Subject
from kyc_sdk.redact import PiiValues
from kyc_sdk.service.logs import JsonFormatter, logging_config, person

NATIONAL_CODE = "0499370899"
MOBILE = "09121234567"
PASSPORT = "X12345678"
NAME_FA = "علی رضایی"
TOKEN = "s3cr3t-T0ken.value_xyz"
JWT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
LATIN_NAME = "Dariush Farahani"
CASE_ID = "cAsE-id_abc"


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("kyc_sdk.test_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield logger, out
    finally:
        logger.removeHandler(handler)


def lines(out: io.StringIO) -> list[dict[str, object]]:
    text = out.getvalue()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]  # one JSON object a line


def assert_clean(text: str) -> None:
    for secret in (
        NATIONAL_CODE,
        "۰۴۹۹۳۷۰۸۹۹",
        "9121234567",
        "912 123 4567",
        "12345678",
        "علی",
        "رضایی",
        TOKEN,
        JWT,
    ):
        assert secret not in text, secret


def test_no_pii_in_message_arguments_extra_or_traceback(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = logged
    started = time.time()
    logger.info("case %s for %s, mobile %s", CASE_ID, NATIONAL_CODE, "+98 912 123 4567")
    logger.warning(
        "vendor said: %s",
        f"شخص {NAME_FA} با کد ملی ۰۴۹۹۳۷۰۸۹۹ یافت نشد",
        extra={"provider": "hirkan", "status": 404},
    )
    logger.info(
        "request",
        extra={
            "headers": {"Authorization": f"Bearer {TOKEN}", "X-Trace": "t-1"},
            "note": f"passport {PASSPORT}, Authorization: Bearer {JWT}",
            "national_code": NATIONAL_CODE,
            "subject": {"first_name": "Ali", "mobile": MOBILE, "birth_date": "1370/01/01"},
            "codes": [int(NATIONAL_CODE[1:]), 42],
        },
    )
    try:
        raise ValueError(f"bad mobile {MOBILE} for {NAME_FA}, token={TOKEN}")
    except ValueError:
        logger.exception("submit failed for %s", CASE_ID)
    text = out.getvalue()
    assert_clean(text)
    records = lines(out)
    assert len(records) == 4
    first, vendor, request, failed = records
    assert first["message"] == f"case {CASE_ID} for [redacted], mobile [redacted]"
    assert first["level"] == "INFO" and first["logger"] == "kyc_sdk.test_logs"
    assert started - 1 <= datetime.fromisoformat(str(first["time"])).timestamp() <= time.time() + 1
    assert vendor["provider"] == "hirkan" and vendor["status"] == 404  # what is not personal stays
    assert request["headers"] == {"Authorization": "[redacted]", "X-Trace": "t-1"}
    assert request["national_code"] == "[redacted]"
    assert request["codes"] == ["[redacted]", 42]
    assert failed["exc_type"] == "ValueError" and CASE_ID in str(failed["message"])
    assert "Traceback" in str(failed["traceback"]) and "[redacted]" in str(failed["traceback"])


def test_the_person_being_processed_is_scrubbed_by_value(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = logged
    values = PiiValues.of_subject(
        Subject(first_name="Dariush", last_name="Farahani", national_code=NATIONAL_CODE)
    )

    async def one(values: PiiValues | None) -> None:
        if values is None:
            logger.info("no person: %s", LATIN_NAME)
            return
        with person(values):
            await anyio.sleep(0.01)  # interleave with the other task
            logger.info("matched %s", LATIN_NAME)

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(one, values)
            group.start_soon(one, None)

    anyio.run(main)
    records = {str(r["message"]) for r in lines(out)}
    # inside the block the name goes; outside it a Latin name has no shape to find
    assert records == {"matched [redacted] [redacted]", f"no person: {LATIN_NAME}"}


def test_logging_config_routes_uvicorn_through_the_json_formatter() -> None:
    import logging.config

    out = io.StringIO()
    config = logging_config("INFO")
    config["handlers"]["stderr"]["stream"] = out
    before = logging.getLogger().handlers[:], logging.getLogger().level
    try:
        logging.config.dictConfig(config)
        logging.getLogger("uvicorn.error").info(
            "Started server process [%d] for %s", 12, MOBILE, extra={"color_message": "\x1b[36m%d\x1b[0m"}
        )
    finally:
        root = logging.getLogger()
        root.handlers[:] = before[0]
        root.setLevel(before[1])
    (record,) = lines(out)
    assert record["logger"] == "uvicorn.error"
    assert record["message"] == "Started server process [12] for [redacted]"
    assert "color_message" not in record  # uvicorn's coloured copy of the message
