"""Environment every test runs in: what the template gives a deployed function, with a fake
AWS identity so nothing can reach a real account."""

import os
from collections.abc import Iterator

import pytest

from local_portal.parameters import LOCAL_PARAMETERS
from local_portal.template import load_template

TABLE_NAME = "contractors-test"
CONFIGURATION_SET = "contractor-emails-test"

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-west-2",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "contractor-accounts",
        "POWERTOOLS_METRICS_NAMESPACE": "ContractorAccounts",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)

TEMPLATE = load_template(
    parameters=LOCAL_PARAMETERS,
    resource_names={"ContractorsTable": TABLE_NAME, "EmailConfigurationSet": CONFIGURATION_SET},
)
# The functions' environment comes from the template itself (Globals + each function), so a
# variable the code needs and the template lacks fails the tests. In-process, the functions
# share one environment: the union of theirs.
for _function in TEMPLATE.functions.values():
    os.environ.update(_function.environment)
os.environ["POWERTOOLS_TRACE_DISABLED"] = "true"  # no X-Ray daemon here


@pytest.fixture
def aws() -> Iterator[None]:
    """moto in place of AWS, with the table, email resources and queues the template defines."""
    import boto3
    from contractor_accounts import runtime
    from moto import mock_aws

    with mock_aws():
        TEMPLATE.create_table(boto3.client("dynamodb"), table_name=TABLE_NAME)
        TEMPLATE.create_email_resources(boto3.client("sesv2"), boto3.client("ses"))
        TEMPLATE.create_queues(boto3.client("sqs"))
        runtime.reset()
        yield
        runtime.reset()
