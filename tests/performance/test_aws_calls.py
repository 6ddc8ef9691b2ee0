"""Every request makes exactly its documented minimum of AWS calls (minimums.py, beside this).

Driven through the real handlers under moto, calls counted by botocore's before-call hook."""

from collections.abc import Iterator

import pytest

from tests.performance.minimums import LIMITS_AT, MINIMUMS, Minimum
from tests.performance.scenarios import SCENARIOS, World
from tests.support.api import ROUTES
from tests.support.aws_calls import AwsCalls, counted_aws


class CallsAboveMinimum(AssertionError):
    """The request made other AWS calls than its documented minimum."""


@pytest.fixture(params=LIMITS_AT)
def limits_at(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The template parameter PerAddressLimitsAt: the functions count, or the edge does."""
    monkeypatch.setenv("PER_ADDRESS_LIMITS_AT", request.param)
    return str(request.param)


@pytest.fixture
def aws(limits_at: str) -> Iterator[AwsCalls]:
    with counted_aws() as calls:
        yield calls


@pytest.mark.parametrize("minimum", [pytest.param(minimum, id=minimum.case) for minimum in MINIMUMS])
def test_request_makes_its_documented_minimum_of_aws_calls(aws: AwsCalls, limits_at: str, minimum: Minimum) -> None:
    # Given the state the case needs, with the per-address limits counted at ``limits_at``
    world = World()
    scenario = SCENARIOS[minimum.case]
    state = scenario.given(world)
    # When the one request is made
    with aws.record():
        outcome = scenario.when(world, state)
    # Then it answered as the contract says, with exactly the documented calls
    scenario.check(outcome)
    made = (dict(aws.by_service()), aws.dynamodb_writes())
    documented = minimum.calls(limits_at)
    if made != documented:
        raise CallsAboveMinimum(
            f"{minimum.request} ({minimum.outcome}) made {aws.summary()}: {made[0]} with {made[1]} DynamoDB "
            f"write(s); the documented minimum (per-address limits at {limits_at}) is {documented[0]} with "
            f"{documented[1]} ({minimum.why}). "
            "Found a cheaper way? Change tests/performance/minimums.py and docs/PERFORMANCE.md (make bench)."
        )


def test_every_case_has_a_scenario_and_every_route_a_minimum() -> None:
    assert set(SCENARIOS) == {minimum.case for minimum in MINIMUMS}
    documented = {minimum.request for minimum in MINIMUMS}
    # (not OPTIONS: API Gateway's CORS preflight is answered by the same resolver, no AWS calls)
    for method, path, function in [route for route in ROUTES.routes if route[0] != "OPTIONS"]:
        assert f"{method} {path}" in documented, f"{method} {path} ({function}) has no documented minimum"
