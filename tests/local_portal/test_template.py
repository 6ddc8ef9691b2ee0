"""The template as the local portal reads it: functions, routes, environment, table, email."""

import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from local_portal import ApiEvent, TemplateError, load_template
from local_portal.parameters import LOCAL_PARAMETERS
from tests.local_portal import ECHO_ENVIRONMENT, FIXTURES

FIXTURE_TEMPLATE = FIXTURES / "template.yaml"
REPO = Path(__file__).resolve().parents[2]


def test_given_globals_and_function_environment_when_loaded_then_both_merge_with_refs_resolved() -> None:
    # Given a template whose Globals and functions both set variables, some by !Ref and !Sub
    # When it is loaded with a value for the parameter without Default
    template = load_template(FIXTURE_TEMPLATE, {"Greeting": "hello", "SenderEmail": "from@example.gov"})

    # Then each function has Globals' variables, overridden by its own, all resolved
    echo = template.functions["EchoFunction"]
    assert echo.environment == ECHO_ENVIRONMENT
    assert template.functions["MailFunction"].environment["SES_CONFIGURATION_SET"] == "MailConfigurationSet"
    assert template.functions["PlainFunction"].environment["SHARED"] == "from-globals"


def test_given_the_fixture_template_when_loaded_then_functions_have_handler_code_dir_and_routes() -> None:
    # Given the fixture template / When loaded
    template = load_template(FIXTURE_TEMPLATE, {"Greeting": "hi", "SenderEmail": "a@example.gov"})

    # Then each function knows where its code is, its handler and its Api events
    echo = template.functions["EchoFunction"]
    assert echo.handler == "echo.app.lambda_handler"
    assert echo.code_dir == (FIXTURES / "functions").resolve()
    assert echo.api_events == [
        ApiEvent("/items/{id}", "get"),
        ApiEvent("/items", "post"),
        ApiEvent("/items", "options"),
    ]
    assert echo.memory_mb == 256
    assert template.functions["PlainFunction"].api_events == []
    assert template.functions["PlainFunction"].timeout_seconds == 1.0


def test_given_a_parameter_without_default_when_functions_are_resolved_without_it_then_it_is_named() -> None:
    # Given no value for Greeting, which has no Default
    template = load_template(FIXTURE_TEMPLATE, {"SenderEmail": "a@example.gov"})

    # When the functions are resolved / Then the error names the missing parameter
    with pytest.raises(TemplateError, match="Greeting"):
        _ = template.functions


def test_given_the_real_template_when_loaded_then_every_route_and_variable_comes_from_it() -> None:
    # Given the product's template and the local parameters
    template = load_template(REPO / "infra" / "template.yaml", LOCAL_PARAMETERS)

    # Then the functions use functions/ as code root and get their variables resolved
    forgot = template.functions["ForgotFunction"]
    assert forgot.code_dir == REPO / "functions"
    assert forgot.environment["TABLE_NAME"] == "ContractorsTable"
    assert forgot.environment["CITY_TIME_ZONE"] == "America/Los_Angeles"
    assert forgot.environment["CITY_NAME"] == "City of West Hollywood"
    # A queue's !Ref is its URL, as CloudFormation gives it
    assert forgot.environment["RESET_REQUESTS_QUEUE_URL"] == (
        "https://sqs.us-west-2.amazonaws.com/123456789012/ResetRequestsQueue"
    )
    assert template.functions["ResetMailerFunction"].environment["SENDER_EMAIL"] == "no-reply@permits.example.gov"
    assert ApiEvent("/sessions/current", "delete") in template.functions["LoginFunction"].api_events
    assert template.functions["StaffFunction"].api_events == []
    assert template.functions["StaffFunction"].timeout_seconds == 60


@mock_aws
def test_given_the_real_template_when_create_table_then_key_schema_and_ttl_are_the_templates() -> None:
    # Given an emulated DynamoDB
    client = boto3.client("dynamodb", region_name="us-west-2")

    # When the table is created from the template (no Parameters needed for that)
    load_template(REPO / "infra" / "template.yaml").create_table(client, table_name="contractors-test")

    # Then it has the template's keys, billing mode and time to live
    table = client.describe_table(TableName="contractors-test")["Table"]
    assert table["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = client.describe_time_to_live(TableName="contractors-test")["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at_epoch"}


@mock_aws
def test_given_the_email_resources_when_created_then_a_sesv2_send_from_the_sender_succeeds() -> None:
    # Given the template's identity and configuration set created in an emulated SES
    template = load_template(FIXTURE_TEMPLATE, {"Greeting": "hi", "SenderEmail": "from@example.gov"})
    sesv2 = boto3.client("sesv2", region_name="us-west-2")
    template.create_email_resources(sesv2, boto3.client("ses", region_name="us-west-2"))

    # When the function's kind of email is sent
    reply = sesv2.send_email(
        FromEmailAddress="from@example.gov",
        Destination={"ToAddresses": ["to@example.com"]},
        Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}}},
        ConfigurationSetName="MailConfigurationSet",
    )

    # Then SES accepted it, and creating the resources again is harmless
    assert reply["MessageId"]
    template.create_email_resources(sesv2)


def test_given_the_real_template_when_gateway_and_email_fragments_resolve_then_first_origin_and_domain() -> None:
    # Given the product's template and two allowed origins
    template = load_template(
        REPO / "infra" / "template.yaml",
        {**LOCAL_PARAMETERS, "AllowedOrigins": "https://permits.example.gov,https://www.example.gov"},
    )
    # When API Gateway's own throttled answer and the email identity are resolved
    _, headers, _ = template.gateway_response("THROTTLED")
    identity = template.resolve(template.resource("EmailIdentity")["Properties"])
    # Then the answer names the first origin (!Sub [.., {Origin: !Select [0, !Split [",", ..]]}])
    assert headers["Access-Control-Allow-Origin"] == "https://permits.example.gov"
    # And the identity is the sender's domain, with its MAIL FROM subdomain
    assert identity["EmailIdentity"] == "permits.example.gov"
    assert identity["MailFromAttributes"]["MailFromDomain"] == "bounce.permits.example.gov"


def test_given_the_real_template_when_its_queues_are_read_then_the_mailer_is_fed_by_the_reset_queue() -> None:
    template = load_template(REPO / "infra" / "template.yaml", LOCAL_PARAMETERS)
    assert [(source.queue, source.function, source.reports_item_failures) for source in template.sqs_sources] == [
        ("ResetRequestsQueue", "ResetMailerFunction", True)
    ]


@mock_aws
def test_given_the_real_template_when_create_queues_then_the_dead_letter_queue_and_redrive_are_the_templates() -> None:
    template = load_template(REPO / "infra" / "template.yaml", LOCAL_PARAMETERS)
    sqs = boto3.client("sqs", region_name="us-west-2")
    template.create_queues(sqs)
    url = sqs.get_queue_url(QueueName="ResetRequestsQueue")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": "arn:aws:sqs:us-west-2:123456789012:ResetRequestsDeadLetterQueue",
        "maxReceiveCount": 3,
    }
    assert attributes["SqsManagedSseEnabled"] == "true"
    assert attributes["VisibilityTimeout"] == "60"
    assert sqs.get_queue_url(QueueName="ResetRequestsDeadLetterQueue")["QueueUrl"]
