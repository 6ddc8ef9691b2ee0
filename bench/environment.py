"""The environment a deployed function gets from the template, for the bench and its children.

Mirrors tests/conftest.py (same parameters and names), so the bench and the tests run the
handlers exactly as configured by infra/template.yaml, against moto, never a real account."""

import importlib
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any, Final

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR: Final = REPO_ROOT / "functions"

LOCAL_PARAMETERS: Final = {
    "CityName": "City of West Hollywood",
    "StaffPhoneNumber": "(323) 848-6475",
    "AllowedOrigins": "http://127.0.0.1:8080,http://localhost:8080",
    "SenderEmail": "no-reply@permits.example.gov",
    "ResetPageUrl": "http://127.0.0.1:8080/reset-password.html",
}
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
def template() -> Any:
    """The template as the local product reads it. The loader's package is being renamed
    (local_stack -> local_portal) in parallel; either name works until that lands."""
    for module_name in ("local_portal.template", "local_stack.template"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        return module.load_template(
            parameters=LOCAL_PARAMETERS,
            resource_names={"ContractorsTable": TABLE_NAME, "EmailConfigurationSet": CONFIGURATION_SET},
        )
    raise ModuleNotFoundError("no template loader (local_portal.template or local_stack.template)")


def function_environment() -> dict[str, str]:
    """What every function's environment holds (the union of theirs, as in the tests), with
    X-Ray off (no daemon here) and the forgot-password floor at 0: the bench reports that
    billed sleep apart instead of timing it 200 times."""
    environment = dict(FAKE_IDENTITY)
    for function in template().functions.values():
        environment.update(function.environment)
    environment["POWERTOOLS_TRACE_DISABLED"] = "true"
    environment["FORGOT_MIN_ANSWER_MS"] = "0"
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
