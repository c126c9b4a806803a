"""The adapter base's one reading of an answer (``Provider.decipher``), its one poll loop
and ``Decision.worst``, on a small adapter made for the test: the order is the base's,
whatever a style's table says."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx
import pytest

from kyc_sdk.errors import (
    AuthenticationFailed,
    InvalidIdentifier,
    KycError,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
)
from kyc_sdk.models import CAUTION, CheckKind, Decision, VerificationRequest
from kyc_sdk.providers.base import (
    SENT_AT,
    Clock,
    Flow,
    Provider,
    ProviderSettings,
    SubFlow,
    VendorError,
    Wait,
    credential,
)

NOW = 1_700_000_000.0


@dataclass(frozen=True, kw_only=True)
class ToySettings(ProviderSettings):
    key: str = credential()


class Toy(Provider[ToySettings]):
    """Errors as ``{"error": code}`` in any status; successes as ``{"data": ...}``."""

    style = "toy"
    settings_class = ToySettings
    capabilities = frozenset({CheckKind.REGISTRY})
    error_table: ClassVar[Mapping[str, VendorError]] = {
        "bad_key": VendorError(AuthenticationFailed, "key refused"),
        "slow_down": VendorError(RateLimited, "quota"),
        "upstream": VendorError(ProviderUnavailable),
        "bad_code": VendorError(InvalidIdentifier, "national code refused", "national_code"),
        "consent": VendorError(ProviderError, "no consent on record"),
    }

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        raise NotImplementedError

    def error_code(self, response: httpx.Response, body: Any) -> str | None:
        code = body.get("error") if isinstance(body, dict) else None
        return code if isinstance(code, str) else None

    def unwrap(self, body: Any, response: httpx.Response) -> Any:
        return body["data"]


TOY = Toy(ToySettings(base_url="http://toy.test", key="k-123"))


def answer(
    status: int, body: Any = None, content: bytes | None = None, headers: Mapping[str, str] | None = None
) -> httpx.Response:
    request = httpx.Request("GET", "http://toy.test/x", extensions={SENT_AT: NOW})
    if content is not None:
        return httpx.Response(status, content=content, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


def deciphered(response: httpx.Response) -> Any:
    return TOY.decipher(response)


def test_a_success_is_unwrapped() -> None:
    assert deciphered(answer(200, {"data": {"matched": True}})) == {"matched": True}


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        # authentication first: a 401 stays one whatever code rides along
        (401, {"error": "slow_down"}, AuthenticationFailed),
        (200, {"error": "bad_key"}, AuthenticationFailed),
        # then the rate limit, before unavailable
        (429, {"error": "upstream"}, RateLimited),
        (200, {"error": "slow_down"}, RateLimited),
        # then unavailable, before the table
        (503, {"error": "consent"}, ProviderUnavailable),
        (200, {"error": "upstream"}, ProviderUnavailable),
        # then the style's table
        (200, {"error": "consent"}, ProviderError),
        (400, {"error": "bad_code"}, InvalidIdentifier),
        # and anything else is a protocol error
        (200, {"error": "never_heard_of"}, ProviderProtocolError),
        (404, {"nothing": 1}, ProviderProtocolError),
        (302, None, ProviderProtocolError),
    ],
)
def test_every_answer_lands_in_one_fixed_order(status: int, body: Any, error: type[KycError]) -> None:
    with pytest.raises(KycError) as info:
        deciphered(answer(status, body))
    assert type(info.value) is error


def test_a_success_that_is_not_json_is_a_protocol_error() -> None:
    with pytest.raises(ProviderProtocolError, match="not JSON"):
        deciphered(answer(200, content=b"<html>"))


def test_errors_carry_our_words_and_the_code_never_the_vendor_message() -> None:
    with pytest.raises(ProviderError) as info:
        deciphered(answer(200, {"error": "consent", "message": "0499370899 has no consent"}))
    assert info.value.vendor_code == "consent" and info.value.status == 200
    assert "no consent on record" in str(info.value) and "0499370899" not in str(info.value)
    with pytest.raises(InvalidIdentifier) as bad:
        deciphered(answer(400, {"error": "bad_code"}))
    assert bad.value.field == "national_code"


@pytest.mark.parametrize(
    ("value", "date", "wait"),
    [
        ("7", None, 7.0),
        ("1.5", None, 1.5),
        ("Tue, 14 Nov 2023 22:13:50 GMT", None, 30.0),  # from when we sent it, without a Date
        ("Tue, 14 Nov 2023 22:14:20 GMT", "Tue, 14 Nov 2023 22:14:00 GMT", 20.0),  # from theirs
        ("soon", None, None),
    ],
)
def test_the_one_retry_after_reader(value: str, date: str | None, wait: float | None) -> None:
    headers = {"Retry-After": value} | ({"Date": date} if date else {})
    with pytest.raises(RateLimited) as info:
        deciphered(answer(429, {}, headers=headers))
    if wait is None:
        assert info.value.retry_after is None
    else:
        assert info.value.retry_after == pytest.approx(wait)


def test_a_retry_date_without_any_clock_says_nothing_but_seconds_still_do() -> None:
    for value, wait in (("Tue, 14 Nov 2023 22:13:50 GMT", None), ("3", 3.0)):
        bare = httpx.Response(429, json={}, headers={"Retry-After": value})
        with pytest.raises(RateLimited) as info:
            TOY.decipher(bare)
        assert info.value.retry_after == wait


def test_the_kit_spoils_exactly_the_declared_credentials() -> None:
    spoiled = TOY.spoiled()
    assert TOY.settings.credentials() == ("key",)
    assert spoiled.key != TOY.settings.key and len(spoiled.key) == len(TOY.settings.key)
    assert spoiled.base_url == TOY.settings.base_url
    assert "k-123" not in repr(TOY.settings)


def drive(flow: SubFlow[Any], answers: list[httpx.Response]) -> tuple[Any, list[float]]:
    """Run a flow by hand: hand it the answers in turn, note the waits it asks for."""
    waits: list[float] = []
    try:
        step = next(flow)
        while True:
            if isinstance(step, Wait):
                waits.append(step.seconds)
                step = next(flow)
            else:
                step = flow.send(answers.pop(0))
    except StopIteration as stop:
        return stop.value, waits


def looks(answers_done: list[bool]) -> tuple[Callable[[], SubFlow[str | None]], list[httpx.Response]]:
    def read() -> SubFlow[str | None]:
        response = yield httpx.Request("GET", "http://toy.test/status")
        return "done" if response.json()["done"] else None

    return read, [answer(200, {"done": d}) for d in answers_done]


def test_poll_waits_the_schedule_between_looks_and_returns_the_value() -> None:
    read, answers = looks([False, False, True])
    value, waits = drive(TOY.poll(read, schedule=[1.0, 2.0, 4.0]), answers)
    assert value == "done" and waits == [1.0, 2.0]


def test_poll_gives_up_when_the_schedule_runs_out_and_looks_once_without_wait() -> None:
    read, answers = looks([False, False, False])
    with pytest.raises(ProviderUnavailable, match="3 looks"):
        drive(TOY.poll(read, schedule=[1.0, 1.0]), answers)
    read, answers = looks([False])
    assert drive(TOY.poll(read, schedule=[1.0], wait=False), answers) == (None, [])
    assert drive(TOY.poll(read, schedule=[1.0], wait=False, look_first=False), []) == (None, [])


def test_poll_can_wait_before_its_first_look() -> None:
    read, answers = looks([False, True])
    value, waits = drive(TOY.poll(read, schedule=[1.0, 2.0, 4.0], look_first=False), answers)
    assert value == "done" and waits == [1.0, 2.0]


def test_worst_follows_the_named_order() -> None:
    assert Decision.worst([Decision.APPROVED, Decision.RETRY, Decision.REVIEW]) is Decision.REVIEW
    assert Decision.worst([Decision.PENDING, Decision.APPROVED]) is Decision.PENDING
    assert Decision.worst([], Decision.REVIEW) is Decision.REVIEW
    assert CAUTION[0] is Decision.DECLINED and CAUTION[-1] is Decision.APPROVED
    with pytest.raises(ValueError, match="no decisions"):
        Decision.worst([])
