"""The hostile-input campaign: a seeded sample in CI, the big sweeps with --hostile-long.

Every test here draws its inputs from hypothesis strategies or seeded sweeps; the
``hostile_long`` fixture and the ``hostile_profile`` settings (profiles ``hostile-ci`` and
``hostile-long``) say how many.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "hostile-ci",
    max_examples=60,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "hostile-long",
    max_examples=5000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="session")
def hostile_long(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--hostile-long"))


@pytest.fixture(scope="session")
def hostile_profile(hostile_long: bool) -> settings:
    """Hypothesis settings for a campaign test: ``@hostile_profile`` is not possible, so
    tests call ``hostile_profile(test_fn)`` or read ``.max_examples``."""
    return settings.get_profile("hostile-long" if hostile_long else "hostile-ci")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The campaign drives subprocesses, servers and thousands of inputs: CI runs it
    # (`make test`), the quick loop (`make check`, `-m "not slow"`) does not.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.slow)
