"""Each function's package, as sam build would make it (computed without the SAM CLI: pip for
the Lambda platform, cached under .cache/), stays within its documented budget."""

from functools import cache

import pytest

from bench.package import BUDGET_BYTES, OUR_CODE, Package, computed
from tests.support.environment import function_names

# The runtime's AWS SDK must come from the runtime: a bundled copy overrides it (and its fixes).
SDK_FROM_THE_RUNTIME = ("boto3", "botocore", "s3transfer", "urllib3")


@cache
def package() -> Package:
    return computed()


def test_every_function_has_a_budget() -> None:
    assert set(BUDGET_BYTES) == set(function_names())


@pytest.mark.parametrize("function", function_names())
def test_shipped_package_is_within_its_budget(function: str) -> None:
    # Given the package sam build makes for the function (every function shares the code root)
    shipped = package()
    # Then what it ships beyond the runtime is within the documented budget
    largest = ", ".join(f"{name} {size:,}" for name, size in shipped.largest())
    assert shipped.shipped_bytes <= BUDGET_BYTES[function], (
        f"{function} ships {shipped.shipped_bytes:,} bytes, over its budget of {BUDGET_BYTES[function]:,} "
        f"(largest: {largest}); see docs/PERFORMANCE.md"
    )


def test_the_package_bundles_no_aws_sdk() -> None:
    bundled = {name: size for name, size in package().by_distribution.items() if name in SDK_FROM_THE_RUNTIME}
    assert bundled == {}


def test_the_computed_package_holds_the_code_and_its_dependencies() -> None:
    # The budget would pass vacuously on an empty package.
    shipped = package().by_distribution
    assert shipped[OUR_CODE] > 50_000
    assert {"pydantic", "pydantic-core", "aws-lambda-powertools", "argon2-cffi"} <= set(shipped)
