"""docs/openapi.json is generated from the code and agrees with the template and the contract."""

import json
from pathlib import Path

from infra.openapi import openapi_document
from tests.support.environment import TEMPLATE

COMMITTED = Path(__file__).parents[1] / "docs" / "openapi.json"


def test_committed_document_is_current() -> None:
    # If this fails: python -m infra.openapi > docs/openapi.json
    assert json.loads(COMMITTED.read_text()) == openapi_document()


def test_document_and_template_route_the_same_operations() -> None:
    documented = {(method.upper(), path) for path, item in openapi_document()["paths"].items() for method in item}
    routed = {
        (event.method.upper(), event.path)
        for function in TEMPLATE.functions.values()
        for event in function.api_events
        if event.method != "options"
    }
    assert documented == routed


def test_statuses_are_the_contracts() -> None:
    paths = openapi_document()["paths"]
    assert {"201", "409", "422"} <= set(paths["/contractors"]["post"]["responses"])
    # v2: a body that is not JSON is 415; registrations are limited per caller address (429)
    assert {"400", "413", "415", "429"} <= set(paths["/contractors"]["post"]["responses"])
    for path, item in paths.items():
        for method, operation in item.items():
            if "requestBody" in operation:
                assert {"400", "413", "415", "422"} <= set(operation["responses"]), (method, path)
    assert "202" in paths["/password/forgot"]["post"]["responses"]
    assert "204" in paths["/sessions/current"]["delete"]["responses"]
    assert "401" in paths["/me"]["get"]["responses"]
    error = openapi_document()["components"]["schemas"]["HTTPValidationError"]
    assert set(error["properties"]) == {"error", "message", "fields"}
