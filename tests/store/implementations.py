"""What the store suites share: the fixture's implementation of a port, fake or DynamoDB."""

from collections.abc import Callable

import pytest


def implementation[Port](
    request: pytest.FixtureRequest, in_memory: Callable[[], Port], dynamodb: Callable[[], Port]
) -> Port:
    """The fixture's implementation of a port: the fake, or the DynamoDB adapter under moto."""
    if request.param == "in_memory":
        return in_memory()
    request.getfixturevalue("aws")
    return dynamodb()
