"""Honest mapping: every vendor word and code in every adapter's tables lands on one of
our decisions or error classes, and every word the scenario files use is in a table."""

from __future__ import annotations

import pytest

from kyc_sdk.errors import KycError
from kyc_sdk.models import Decision
from kyc_sdk.providers import provider_class
from kyc_sdk.sandbox import scenarios
from tests.providers.conftest import styles_with_scenarios

STYLES = styles_with_scenarios()


@pytest.mark.parametrize("style", STYLES)
def test_every_status_word_maps_to_a_decision_or_not_final(style: str) -> None:
    cls = provider_class(style)
    assert cls.status_map, f"{style} declares no status words"
    for word, decision in cls.status_map.items():
        assert decision is None or isinstance(decision, Decision), (style, word)


@pytest.mark.parametrize("style", STYLES)
def test_every_error_code_maps_to_an_error_class(style: str) -> None:
    cls = provider_class(style)
    assert cls.error_table, f"{style} declares no error codes"
    for code, meaning in cls.error_table.items():
        assert isinstance(code, str) and code, (style, code)
        assert isinstance(meaning.error, type) and issubclass(meaning.error, KycError), (style, code)


@pytest.mark.parametrize("style", STYLES)
def test_every_expected_outcome_is_ours(style: str) -> None:
    for item in scenarios(style):
        if "decision" in item.expected:
            Decision(item.expected["decision"])
        else:
            assert item.expected["error"] in {c().code if False else _code(c) for c in _errors()}


def _errors() -> list[type[KycError]]:
    from kyc_sdk.errors import ALL_ERRORS

    return list(ALL_ERRORS)


def _code(cls: type[KycError]) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in cls.__name__).lstrip("_")


def test_aurora_report_outcomes_cover_the_sandbox_vocabulary() -> None:
    from kyc_sdk.providers.aurora import REPORT_OUTCOMES
    from kyc_sdk.sandbox.aurora import SUB_RESULTS

    for sub in SUB_RESULTS:
        assert ("consider", sub) in REPORT_OUTCOMES
    for item in scenarios("aurora"):
        for name, report in item.vendor["reports"].items():
            key = (report["result"], report.get("sub_result") if name == "document" else None)
            assert key in REPORT_OUTCOMES, (item.name, name)


def test_hirkan_result_codes_cover_the_sandbox_table() -> None:
    from kyc_sdk.providers.hirkan import RESULT_ERRORS
    from kyc_sdk.sandbox.hirkan import MESSAGES

    assert set(RESULT_ERRORS) == {str(code) for code in MESSAGES if code != 1}
