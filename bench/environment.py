"""The environment a deployed function gets from the template, for the bench and its children.

Mirrors tests/conftest.py (same parameters and names), so the bench and the tests run the
handlers exactly as configured by infra/template.yaml, against moto, never a real account."""

import os
import sys
from functools import cache
from pathlib import Path
from typing import Final

from local_portal.parameters import LOCAL_PARAMETERS
from local_portal.template import SamTemplate, load_template

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR: Final = REPO_ROOT / "functions"

# The tests' names (tests/conftest.py): tests/performance drives the bench's scenarios in the
# tests' environment, so both must name the same moto resources.
TABLE_NAME: Final = "contractors-test"
CONFIGURATION_SET: Final = "contractor-emails-test"
FAKE_IDENTITY: Final = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-west-2",
}


@cache
def template() -> SamTemplate:
    """The template as the local product reads it."""
    return load_template(
        parameters=LOCAL_PARAMETERS,
        resource_names={"ContractorsTable": TABLE_NAME, "EmailConfigurationSet": CONFIGURATION_SET},
    )


def function_environment() -> dict[str, str]:
    """What every function's environment holds (the union of theirs, as in the tests), with
    X-Ray off (no daemon here)."""
    environment = dict(FAKE_IDENTITY)
    for function in template().functions.values():
        environment.update(function.environment)
    environment["POWERTOOLS_TRACE_DISABLED"] = "true"
    return environment


def configure() -> None:
    """Set this process up as the tests do: the functions' environment, functions/ importable."""
    os.environ.update(function_environment())
    os.environ.pop("AWS_ENDPOINT_URL", None)
    if str(FUNCTIONS_DIR) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS_DIR))


def function_names() -> list[str]:
    return list(template().functions)


def handler_path(logical_id: str) -> str:
    """e.g. "login.app.lambda_handler"."""
    handler: str = template().functions[logical_id].handler
    return handler


def memory_mb(logical_id: str) -> int:
    memory: int = template().functions[logical_id].memory_mb
    return memory
