"""schemathesis against the generated OpenAPI document (docs/openapi.json), on the local stack
over HTTP: no input gets a 5xx, and every answer has a documented status and conforms to the
documented schema. Bounded and reproducible: derandomized hypothesis, a fixed number of
examples per operation, its own portal (its requests use up per-address limits)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from local_portal import Stack, running
from tests.e2e.support import http, make_license, make_passphrase
from tests.support.samples import registration_body

pytestmark = pytest.mark.e2e

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
schema = schemathesis.openapi.from_path(OPENAPI)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Per-address limits out of the way, or after a few requests every operation would only answer
# 429 (documented, and proved by the handler tests) and nothing behind it would be attacked.
UNLIMITED = {
    "SignInsPerAddressPerMinute": "1000000",
    "ForgotRequestsPerAddressPerMinute": "1000000",
    "RegistrationsPerAddressPerMinute": "1000000",
}


@pytest.fixture(scope="module")
def api_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    log = tmp_path_factory.mktemp("schemathesis") / "local-stack.log"
    with running(log=log, parameters=UNLIMITED) as started:
        yield started


@pytest.fixture(scope="module")
def session_token(api_stack: Stack) -> str:
    """A live session, so GET /me is checked signed in too (its 200 against the schema)."""
    body = registration_body(license_number=make_license(), password=make_passphrase())
    body["workers_comp"] = {"exempt": True}
    created = http(f"{api_stack.api_url}/contractors", "POST", body)
    assert created.status == 201, created
    return str(created.json()["session"]["token"])


@schema.parametrize()
@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_documented_operation_answers_as_documented_and_never_5xx(
    case: schemathesis.Case, api_stack: Stack, session_token: str
) -> None:
    headers = {"Authorization": f"Bearer {session_token}"} if case.path == "/me" else None
    case.call_and_validate(base_url=api_stack.api_url, headers=headers, checks=CHECKS, timeout=30)
