"""The running stack, over HTTP, with the fixture template's tiny functions."""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

import local_portal
from local_portal import FunctionError, Stack
from tests.local_portal import ECHO_ENVIRONMENT, FIXTURES


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with local_portal.running(
        template=FIXTURES / "template.yaml",
        web_dir=FIXTURES / "web",
        parameters={"Greeting": "hello", "SenderEmail": "no-reply@permits.example.gov"},
    ) as running:
        yield running


def request(url: str, method: str = "GET", body: Any = None) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - local http
    try:
        with urllib.request.urlopen(req, timeout=30) as reply:  # noqa: S310
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_given_a_route_with_a_path_parameter_when_requested_then_the_handler_gets_a_rest_proxy_event(
    stack: Stack,
) -> None:
    # When GET /items/{id} is requested with an encoded id and a repeated query parameter
    status, headers, body = request(f"{stack.api_url}/items/a%20b?x=1&x=2")

    # Then the handler got API Gateway's REST proxy event
    assert status == 200
    event = json.loads(body)["event"]
    assert event["resource"] == "/items/{id}"
    assert event["path"] == "/items/a b"
    assert event["httpMethod"] == "GET"
    assert event["pathParameters"] == {"id": "a b"}
    assert event["queryStringParameters"] == {"x": "2"}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["requestContext"]["resourcePath"] == "/items/{id}"
    assert event["requestContext"]["stage"] == "v1"
    assert event["requestContext"]["identity"]["sourceIp"] == "127.0.0.1"
    assert event["requestContext"]["requestId"] == headers["x-amzn-RequestId"]
    assert event["body"] is None
    assert event["isBase64Encoded"] is False
    # And its proxy result became the response, multi-value headers included
    assert headers["Content-Type"] == "application/json"


def test_given_a_post_with_a_body_when_routed_then_the_body_and_headers_reach_the_handler(stack: Stack) -> None:
    # When a JSON body is posted
    status, _, body = request(f"{stack.api_url}/items", "POST", {"name": "x"})

    # Then the handler sees it as text, with its headers
    assert status == 200
    event = json.loads(body)["event"]
    assert json.loads(event["body"]) == {"name": "x"}
    assert event["pathParameters"] is None
    assert event["headers"]["Content-Type"] == "application/x-www-form-urlencoded"  # urllib's default


def test_given_template_and_globals_variables_when_the_handler_runs_then_it_sees_them_resolved(
    stack: Stack,
) -> None:
    # When the function reports its environment
    _, _, body = request(f"{stack.api_url}/items/1")

    # Then it has Globals and its own variables, Refs resolved, boto3 pointed at the emulator
    assert json.loads(body)["environment"] == {**ECHO_ENVIRONMENT, "AWS_ENDPOINT_URL": stack.aws_endpoint}


def test_given_a_declared_options_route_when_preflighted_then_the_function_answers(stack: Stack) -> None:
    # When the browser's preflight comes for a path whose OPTIONS the template declares
    status, headers, _ = request(f"{stack.api_url}/items", "OPTIONS")

    # Then it reached the function
    assert status == 204
    assert headers["X-Preflight"] == "echo"


def test_given_an_undeclared_route_or_method_when_requested_then_api_gateway_answers_403(stack: Stack) -> None:
    # When a path or a method the template does not declare is requested
    for method, path in (("GET", "/nowhere"), ("DELETE", "/items"), ("OPTIONS", "/items/1")):
        status, headers, body = request(f"{stack.api_url}{path}", method)

        # Then it is API Gateway's 403, shaped by the template's DEFAULT_4XX gateway response
        assert status == 403, (method, path)
        assert json.loads(body) == {"error": "request_rejected", "message": "Missing Authentication Token"}
        assert headers["Cache-Control"] == "no-store"


def test_given_a_function_when_invoked_through_boto3_then_its_result_and_context_come_back(stack: Stack) -> None:
    # When the function without API events is invoked like `aws lambda invoke`
    reply = stack.lambda_client().invoke(FunctionName="PlainFunction", Payload=json.dumps({"license": "123"}))

    # Then its result comes back, and the handler had a Lambda-like context
    assert reply["StatusCode"] == 200
    assert "FunctionError" not in reply
    result = json.loads(reply["Payload"].read())
    assert result["echo"] == {"license": "123"}
    assert result["function_name"] == "PlainFunction"
    assert result["memory_limit_in_mb"] == "256"
    assert result["invoked_function_arn"] == "arn:aws:lambda:us-west-2:123456789012:function:PlainFunction"
    assert 0 < result["remaining_ms"] <= 1000


def test_given_a_warm_function_when_invoked_again_then_the_same_process_serves_it(stack: Stack) -> None:
    # Given a function invoked once (by ARN this time)
    first = stack.invoke("arn:aws:lambda:us-west-2:123456789012:function:PlainFunction", {})

    # When invoked again
    second = stack.invoke("PlainFunction", {})

    # Then the module was imported once and served both
    assert second["pid"] == first["pid"]
    assert second["invocations"] == first["invocations"] + 1


def test_given_a_function_that_raises_when_invoked_then_lambda_reports_a_function_error(stack: Stack) -> None:
    # When the function raises
    reply = stack.lambda_client().invoke(FunctionName="PlainFunction", Payload=json.dumps({"fail": "on purpose"}))

    # Then it is still a 200, with X-Amz-Function-Error and Lambda's error payload
    assert reply["StatusCode"] == 200
    assert reply["FunctionError"] == "Unhandled"
    error = json.loads(reply["Payload"].read())
    assert error["errorType"] == "ValueError"
    assert error["errorMessage"] == "asked to fail: on purpose"
    assert any("plain/app.py" in frame for frame in error["stackTrace"])


def test_given_an_unknown_function_when_invoked_then_resource_not_found(stack: Stack) -> None:
    # When a function the template does not have is invoked
    with pytest.raises(ClientError) as raised:
        stack.lambda_client().invoke(FunctionName="NoSuchFunction", Payload=b"{}")

    # Then Lambda's 404 ResourceNotFoundException comes back
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_given_a_worker_that_dies_when_invoked_again_then_it_is_restarted(stack: Stack) -> None:
    # Given a function whose process exits during an invocation
    with pytest.raises(FunctionError) as raised:
        stack.invoke("PlainFunction", {"exit": True})
    assert raised.value.payload["errorType"] == "Runtime.ExitError"

    # When it is invoked again / Then a fresh process (cold start) serves it
    assert stack.invoke("PlainFunction", {})["invocations"] == 1


def test_given_a_function_over_its_timeout_when_invoked_then_it_times_out_like_lambda(stack: Stack) -> None:
    # When the function (Timeout: 1) runs longer than its timeout
    with pytest.raises(FunctionError) as raised:
        stack.invoke("PlainFunction", {"sleep": 3})

    # Then Lambda's timeout error, and the next invocation is a cold start that works
    assert "Task timed out after 1.00 seconds" in raised.value.payload["errorMessage"]
    assert stack.invoke("PlainFunction", {})["invocations"] == 1


def test_given_a_function_sending_email_when_it_runs_then_the_outbox_shows_it(stack: Stack) -> None:
    # When a function sends an email through SES v2 with both bodies
    email = {"to": "pat@example.com", "subject": "Reset your password", "text": "Plain link", "html": "<p>Link</p>"}
    status, _, _ = request(f"{stack.api_url}/mail", "POST", email)
    assert status == 202

    # Then the outbox has it first, both bodies included
    newest = stack.outbox()[0]
    assert newest["to"] == ["pat@example.com"]
    assert newest["from"] == "no-reply@permits.example.gov"
    assert newest["subject"] == "Reset your password"
    assert newest["text"] == "Plain link"
    assert newest["html"] == "<p>Link</p>"
    assert newest["sent_at"]
    # And the outbox page renders it
    _, headers, page = request(f"{stack.web_url}/outbox")
    assert headers["Content-Type"].startswith("text/html")
    assert b"Reset your password" in page
    message_id = newest["message_id"]
    assert f'src="/outbox/{message_id}.html"'.encode() in page
    _, preview_headers, preview = request(f"{stack.web_url}/outbox/{message_id}.html")
    assert preview.endswith(b"<p>Link</p>")
    assert "script-src" not in preview_headers["Content-Security-Policy"]  # default-src 'none': no script


def test_given_the_web_client_when_served_then_config_js_points_at_the_local_api(stack: Stack) -> None:
    # When the page and its config are fetched
    status, _, page = request(f"{stack.web_url}/")
    _, headers, script = request(f"{stack.web_url}/config.js")

    # Then the page is the static file, and config.js keeps its settings but uses the local API
    assert status == 200
    assert b"Fixture portal" in page
    assert headers["Content-Type"].startswith("text/javascript")
    assert b'cityName: "Fixture City"' in script
    # (on the page's own host name: the web client is at localhost, contract v3)
    assert f'"apiBaseUrl": "{stack.api_url.replace("127.0.0.1", "localhost")}"}}'.encode() in script
    assert request(f"{stack.web_url}/missing.html")[0] == 404


def _sqs(stack: Stack) -> Any:
    from local_portal.aws import client

    return client("sqs", stack.aws_endpoint)


def _eventually(check: Any, timeout: float = 20.0) -> Any:
    """Polls ``check`` until it returns something truthy (the queue is worked in the background)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_given_a_queue_with_an_event_source_mapping_when_a_message_arrives_then_its_function_gets_an_sqs_event(
    stack: Stack,
) -> None:
    # Given the template's queue (created by the portal, its URL given to the function by !Ref)
    sqs = _sqs(stack)
    queue_url = sqs.get_queue_url(QueueName="WorkQueue")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    assert attributes["SqsManagedSseEnabled"] == "true"
    assert json.loads(attributes["RedrivePolicy"])["maxReceiveCount"] == 2

    # When a message is sent to it
    sqs.send_message(QueueUrl=queue_url, MessageBody="queued hello")

    # Then the poller hands it to the function in Lambda's SQS event, and deletes it
    email = _eventually(lambda: [entry for entry in stack.outbox() if entry["subject"] == "queued hello"])
    assert email, "the queued message never reached its function"
    shape = json.loads(email[0]["text"])
    assert shape["eventSource"] == "aws:sqs"
    assert shape["eventSourceARN"] == "arn:aws:sqs:us-west-2:123456789012:WorkQueue"
    assert shape["receiveCount"] == "1"
    assert {"messageId", "receiptHandle", "body", "attributes", "md5OfBody", "awsRegion"} <= set(shape["keys"])
    assert _eventually(
        lambda: (
            sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"][
                "ApproximateNumberOfMessages"
            ]
            == "0"
        )
    )


def test_given_a_record_the_function_reports_as_failed_then_it_comes_back_and_ends_in_the_dead_letter_queue(
    stack: Stack,
) -> None:
    sqs = _sqs(stack)
    queue_url = sqs.get_queue_url(QueueName="WorkQueue")["QueueUrl"]
    dead_letters = sqs.get_queue_url(QueueName="WorkDeadLetterQueue")["QueueUrl"]

    # When a record fails every time, beside one that succeeds
    sqs.send_message(QueueUrl=queue_url, MessageBody="fail")
    sqs.send_message(QueueUrl=queue_url, MessageBody="queued beside a failure")

    # Then the other is handled once, and the failing one moves to the dead-letter queue after
    # maxReceiveCount deliveries
    def dead_lettered() -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = sqs.receive_message(QueueUrl=dead_letters, VisibilityTimeout=0).get(
            "Messages", []
        )
        return messages

    moved = _eventually(dead_lettered)
    assert [message["Body"] for message in moved] == ["fail"]
    assert len([entry for entry in stack.outbox() if entry["subject"] == "queued beside a failure"]) == 1
