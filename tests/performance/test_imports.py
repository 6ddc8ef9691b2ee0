"""Importing a handler (Lambda's init phase) loads nothing on its function's deny list, and
builds no AWS client but DynamoDB's. Each handler is imported in a fresh interpreter."""

from functools import cache

import pytest

from tests.performance.imports import DENIED, Denied, Imported, clients_at_import, import_handler
from tests.support.environment import function_names


class DeniedModuleLoaded(AssertionError):
    """A module on the function's deny list was imported with its handler."""


@cache
def imported(function: str) -> Imported:
    return import_handler(function)


@pytest.mark.parametrize("denied", [pytest.param(denied, id=f"{denied.function}-{denied.module}") for denied in DENIED])
def test_handler_import_loads_nothing_on_its_deny_list(denied: Denied) -> None:
    # Given a fresh interpreter, When the handler module is imported as Lambda does
    loaded = imported(denied.function)
    # Then the denied module is not among the loaded ones
    if loaded.loads(denied.module):
        culprits = sorted(name for name in loaded.modules if name.split(".")[0] == denied.module.split(".")[0])
        raise DeniedModuleLoaded(f"{denied.function} loads {denied.module} at import ({denied.why}): {culprits[:5]}")


@pytest.mark.parametrize("function", function_names())
def test_handler_import_builds_only_the_clients_every_request_needs(function: str) -> None:
    assert set(imported(function).clients) <= clients_at_import(function)


def test_the_probe_sees_what_a_handler_loads() -> None:
    # The deny list would pass vacuously if the probe saw nothing: a handler surely loads these.
    loaded = imported("LoginFunction")
    assert loaded.loads("login.app")
    assert loaded.loads("pydantic")
    assert loaded.clients == ("dynamodb",)
