"""Environment every test runs in: what the template gives a deployed function, with a fake
AWS identity so nothing can reach a real account (tests/support/environment.py)."""

from collections.abc import Iterator

import pytest

from tests.support.environment import configure, mocked_aws

configure()


@pytest.fixture
def aws() -> Iterator[None]:
    """moto in place of AWS, with the table, email resources and queues the template defines."""
    with mocked_aws():
        yield
