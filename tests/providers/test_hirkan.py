"""hirkan specifics: business codes inside HTTP 200, 409 quota, Persian digits, Jalali
dates, the caller allowlist, and input refused before any inquiry is made."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from kyc_sdk import KYC, CheckKind, Decision, Subject, VerificationRequest
from kyc_sdk.errors import AuthenticationFailed, InvalidIdentifier, NoProviderAvailable, RateLimited
from kyc_sdk.sandbox import create, provider
from kyc_sdk.sandbox.hirkan import TOKEN
from kyc_sdk.sandbox.transport import HostRouter
from tests.providers.conftest import FAST, base_request


def kyc_for(app) -> tuple[KYC, HostRouter]:
    router = HostRouter({"hirkan.sandbox": app})
    return KYC([provider("hirkan")], transport=router, backoff=FAST), router


def with_subject(**changes: str) -> VerificationRequest:
    request = base_request()
    return dataclasses.replace(request, subject=dataclasses.replace(request.subject, **changes))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"national_code": "1234567890"}, "national_code"),
        ({"mobile": "0912123"}, "mobile"),
        ({"birth_date": "1404/12/30"}, "jalali_date"),
    ],
)
def test_bad_input_is_refused_before_any_inquiry(changes: dict[str, str], field: str) -> None:
    app = create("hirkan")
    kyc, router = kyc_for(app)
    with kyc, pytest.raises(InvalidIdentifier) as info:
        kyc.verify(with_subject(**changes))
    router.close()
    assert info.value.field == field and app.inquiries == 0


def test_persian_digits_are_normalised_before_the_strict_endpoint() -> None:
    app = create("hirkan")
    kyc, router = kyc_for(app)
    with kyc:
        result = kyc.verify(
            with_subject(national_code="۰۴۹۹۳۷۰۸۹۹", mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷", birth_date="۱۳۷۰/۱/۱")
        )
    router.close()
    assert result.decision is Decision.APPROVED and app.inquiries == 2


def test_the_strict_endpoint_itself_refuses_persian_digits() -> None:
    with httpx.Client(transport=HostRouter({"h": create("hirkan")})) as http:
        answer = http.post(
            "http://h/facility/shahkarInquiry",
            headers={"Authorization": f"Bearer {TOKEN}"},
            json={"nationalCode": "۰۴۹۹۳۷۰۸۹۹", "mobile": "09121234567"},
        )
        lenient = http.post(
            "http://h/facility/nationalIdentityInquiry",
            headers={"Authorization": f"Bearer {TOKEN}"},
            json={"nationalCode": "۰۴۹۹۳۷۰۸۹۹", "birthDate": "1370/01/01"},
        )
        garbage = http.post(
            "http://h/facility/nationalIdentityInquiry",
            headers={"Authorization": f"Bearer {TOKEN}"},
            content=b"not json",
        )
    assert answer.status_code == 200 and answer.json()["result"] == 2
    assert lenient.json()["result"] == 1
    assert garbage.status_code == 415 and "JSON" in garbage.text


def test_a_gregorian_birth_date_comes_back_as_business_code_4() -> None:
    app = create("hirkan")
    kyc, router = kyc_for(app)
    with kyc, pytest.raises(InvalidIdentifier, match="birth date"):
        kyc.verify(with_subject(birth_date="2024/03/20"))  # a valid shape, a Gregorian year
    router.close()


def test_quota_is_409_and_rate_limited() -> None:
    app = create("hirkan", quota=1)
    kyc, router = kyc_for(app)
    with kyc, pytest.raises(NoProviderAvailable) as info:
        kyc.verify(base_request())
    router.close()
    assert all(
        isinstance(e, RateLimited) and e.status == 409 and e.vendor_code == "8" for e in info.value.errors
    )


def test_caller_allowlist() -> None:
    app = create("hirkan", allowed_ips=["10.9.9.9"])
    kyc, router = kyc_for(app)
    with kyc, pytest.raises(AuthenticationFailed) as info:
        kyc.verify(base_request())
    router.close()
    assert info.value.status == 403 and info.value.vendor_code == "10"
    allowed = create("hirkan", allowed_ips=["127.0.0.1"])  # the in-process client's address
    kyc, router = kyc_for(allowed)
    with kyc:
        assert kyc.verify(base_request()).decision is Decision.APPROVED
    router.close()


def test_only_the_checks_asked_for_are_inquired() -> None:
    app = create("hirkan")
    kyc, router = kyc_for(app)
    request = dataclasses.replace(base_request(), checks=frozenset({CheckKind.MOBILE_MATCH}))
    with kyc:
        result = kyc.verify(request)
    router.close()
    assert [c.kind for c in result.checks] == [CheckKind.MOBILE_MATCH] and app.inquiries == 1


def test_registry_names_compare_across_spelling_variants() -> None:
    # The fixture registry spells علي/رضايي with Arabic yeh; the person typed Persian yeh.
    app = create("hirkan")
    kyc, router = kyc_for(app)
    with kyc:
        result = kyc.verify(with_subject(first_name="علی", last_name="رضایی"))
    router.close()
    assert result.decision is Decision.APPROVED
    assert result.vendor["registry_fields"] == {
        "first_name": "match",
        "last_name": "match",
        "father_name": "match",
    }


def test_registry_alone_needs_no_mobile() -> None:
    app = create("hirkan")
    kyc, router = kyc_for(app)
    request = VerificationRequest(
        Subject(national_code="0499370899", birth_date="1370/01/01"), checks=frozenset({CheckKind.REGISTRY})
    )
    with kyc:
        assert kyc.verify(request).decision is Decision.APPROVED
    router.close()


@pytest.mark.parametrize("driver", ["sync", "async"])
@pytest.mark.parametrize("name", ["approved", "review", "registry_down"])
def test_zohal_variant_reads_the_same_outcomes(driver: str, name: str) -> None:
    from kyc_sdk.errors import KycError
    from kyc_sdk.sandbox import Sandboxes, apply_scenario, scenario
    from tests.providers.conftest import run

    item = scenario("hirkan", name)
    with Sandboxes(["hirkan"], zohal=True) as sb:
        try:
            outcome: object = run(
                driver, [provider("hirkan", zohal=True)], sb.transport, apply_scenario(base_request(), item)
            )
        except KycError as err:
            outcome = err
    if "error" in item.expected:
        assert isinstance(outcome, NoProviderAvailable) and outcome.errors[0].code == item.expected["error"]
    else:
        assert outcome.decision.name == item.expected["decision"]  # type: ignore[attr-defined]
        assert list(outcome.reasons) == item.expected["reasons"]  # type: ignore[attr-defined]


def test_zohal_wire_shape_and_a_client_of_the_other_shape() -> None:
    app = create("hirkan", zohal=True)
    with httpx.Client(transport=HostRouter({"hirkan.sandbox": app})) as http:
        answer = http.post(
            "http://hirkan.sandbox/facility/nationalIdentityInquiry",
            json={"national_code": "0499370899", "birth_date": "1370/01/01"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        ).json()
    assert answer["result"] == 1 and answer["response_body"]["data"]["first_name"] == "علي"
    kyc, router = kyc_for(app)  # an adapter without the flag sends camelCase names
    with kyc, pytest.raises(InvalidIdentifier) as info:
        kyc.verify(base_request())  # the variant finds no national_code: refused, never misread
    router.close()
    assert info.value.field == "national_code"


@pytest.mark.parametrize(
    "code", sorted(__import__("kyc_sdk.providers.hirkan", fromlist=["x"]).RESULT_ERRORS, key=int)
)
def test_each_business_code_in_http_200_is_its_error_and_echoes_nothing(code: str) -> None:
    # The gateway's Persian message may echo the national code in Persian digits; our
    # error must say which failure it was and carry none of it.
    from kyc_sdk.providers.hirkan import RESULT_ERRORS

    adapter = provider("hirkan")
    flow = adapter.flow(base_request(), now=lambda: 1_700_000_000.0)
    sent = next(flow)
    echoed = {"result": int(code), "message": "کد ملی ۰۴۹۹۳۷۰۸۹۹ — 0499370899"}
    with pytest.raises(RESULT_ERRORS[code].error) as info:
        flow.send(httpx.Response(200, json=echoed, request=sent))
    text = str(info.value) + repr(info.value.to_dict())
    assert "0499370899" not in text and "۰۴۹۹۳۷۰۸۹۹" not in text and f"code {code}" in text
