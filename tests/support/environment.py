"""The environment a deployed function gets from infra/template.yaml, with a fake AWS identity so
nothing can reach a real account, and moto in place of AWS with the template's own resources."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from local_portal.parameters import LOCAL_PARAMETERS
from local_portal.template import load_template

REPO_ROOT: Final = Path(__file__).resolve().parents[2]
FUNCTIONS_DIR: Final = REPO_ROOT / "functions"
TABLE_NAME: Final = "contractors-test"
CONFIGURATION_SET: Final = "contractor-emails-test"
FAKE_IDENTITY: Final = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-west-2",
}

TEMPLATE: Final = load_template(
    parameters=LOCAL_PARAMETERS,
    resource_names={"ContractorsTable": TABLE_NAME, "EmailConfigurationSet": CONFIGURATION_SET},
)


def function_environment() -> dict[str, str]:
    """What every function's environment holds: the union of theirs (Globals + each function;
    in-process the functions share one), so a variable the code needs and the template lacks
    fails. X-Ray off: no daemon here."""
    environment = dict(FAKE_IDENTITY)
    for function in TEMPLATE.functions.values():
        environment.update(function.environment)
    environment["POWERTOOLS_TRACE_DISABLED"] = "true"
    return environment


def configure() -> None:
    """This process as a deployed function's: its environment, functions/ importable."""
    os.environ.update(function_environment())
    os.environ.pop("AWS_ENDPOINT_URL", None)
    if str(FUNCTIONS_DIR) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS_DIR))


def lambda_variables(logical_id: str) -> dict[str, str]:
    """What Lambda's runtime adds, so libraries behave as deployed (Powertools' Tracer, for one,
    stays off outside Lambda and would hide its import cost)."""
    return {
        "AWS_LAMBDA_FUNCTION_NAME": logical_id,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "LAMBDA_TASK_ROOT": "/var/task",
        "_HANDLER": TEMPLATE.functions[logical_id].handler,
    }


def function_names() -> list[str]:
    return list(TEMPLATE.functions)


def create_resources() -> None:
    """The template's table, email resources, queues and license bucket, where boto3's clients point now."""
    import boto3

    TEMPLATE.create_table(boto3.client("dynamodb"), table_name=TABLE_NAME)
    TEMPLATE.create_email_resources(boto3.client("sesv2"), boto3.client("ses"))
    TEMPLATE.create_queues(boto3.client("sqs"))
    TEMPLATE.create_buckets(boto3.client("s3"))


@contextmanager
def mocked_aws() -> Iterator[None]:
    """moto in place of AWS, with the template's resources, and the functions' clients rebuilt
    inside it."""
    from contractor_accounts import runtime
    from moto import mock_aws

    with mock_aws():
        create_resources()
        runtime.reset()
        try:
            yield
        finally:
            runtime.reset()
