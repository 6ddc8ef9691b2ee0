"""Forgot password through the handlers: ForgotFunction queues the request, ResetMailerFunction
gets it in a real SQS event (tests.handlers.conftest.deliver_queued), the email is read back
from moto's SES."""

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.exceptions import ClientError
from contractor_accounts import runtime

from tests.support.api import Api, deliver_queued, invoke, register_verified, reset_emails, sent_emails, staff
from tests.support.clock import MovableClock
from tests.support.environment import TEMPLATE
from tests.support.samples import ANSWER, NEW_PASSWORD


def reset_token_from_last_email() -> str:
    body = sent_emails()[-1]["body"]
    match = re.search(r"reset-password\.html#token=([A-Za-z0-9_-]{43})", body)
    assert match, body
    return match.group(1)


@contextmanager
def refused(client: Any, service: str, operation: str, code: str) -> Iterator[None]:
    """``client``'s ``operation`` fails with ``code`` inside the block, as AWS would answer."""

    def refuse(**_: Any) -> None:
        raise ClientError({"Error": {"Code": code, "Message": "injected"}}, operation)

    client.meta.events.register(f"before-call.{service}.{operation}", refuse)
    try:
        yield
    finally:
        client.meta.events.unregister(f"before-call.{service}.{operation}", refuse)


def forgot(api: Api, license_number: str = "1234567") -> Any:
    answer = api.post("/password/forgot", {"license_number": license_number})
    assert answer.status == 202
    return answer.json


def test_forgot_answers_the_same_for_everyone(api: Api) -> None:
    register_verified(api)
    staff({"action": "import_contractors", "contractors": [{"license_number": "5555555", "business_name": "No Mail"}]})
    real = forgot(api)
    unknown = forgot(api, "9999999")
    no_email = forgot(api, "5555555")
    assert real == unknown == no_email
    assert len(reset_emails()) == 1


def test_reset_story(api: Api) -> None:
    created = register_verified(api)
    session = created.json["session"]["token"]
    forgot(api)
    email = sent_emails()[-1]
    assert email["to"] == ["maria@sunsetbuilders.example"]
    assert "?token" not in email["body"]
    token = reset_token_from_last_email()
    question = api.post("/password/reset/question", {"reset_token": token})
    assert question.json == {"security_question": "What was the name of your first pet?"}
    done = api.post(
        "/password/reset", {"reset_token": token, "security_answer": "  mister WHISKERS ", "new_password": NEW_PASSWORD}
    )
    assert done.status == 200, done.body
    # The browser that reset gets a device token (contract v3): its next sign-in is judged by it
    assert done.json["license_number"] == "1234567"
    device_token = done.json["device_token"]
    assert api.get("/me", token=session).status == 401  # every session revoked
    signed_in = api.post(
        "/sessions", {"license_number": "1234567", "password": NEW_PASSWORD, "device_token": device_token}
    )
    assert signed_in.status == 200
    assert signed_in.json["device_token"] == device_token
    assert "password was changed" in sent_emails()[-1]["subject"]
    replay = api.post(
        "/password/reset", {"reset_token": token, "security_answer": "misterwhiskers", "new_password": NEW_PASSWORD}
    )
    assert replay.status == 401
    assert replay.json["error"] == "invalid_or_expired_token"


def test_only_the_newest_link_works(api: Api) -> None:
    register_verified(api)
    forgot(api)
    first = reset_token_from_last_email()
    forgot(api)
    second = reset_token_from_last_email()
    assert api.post("/password/reset/question", {"reset_token": first}).status == 401
    assert api.post("/password/reset/question", {"reset_token": second}).status == 200


def test_link_expires_after_an_hour(api: Api, clock: MovableClock) -> None:
    register_verified(api)
    forgot(api)
    token = reset_token_from_last_email()
    clock.advance(minutes=60, seconds=1)
    assert api.post("/password/reset/question", {"reset_token": token}).status == 401


def test_five_wrong_answers_burn_the_link(api: Api) -> None:
    register_verified(api)
    forgot(api)
    token = reset_token_from_last_email()
    for _ in range(5):
        wrong = api.post(
            "/password/reset", {"reset_token": token, "security_answer": "Rex", "new_password": NEW_PASSWORD}
        )
        assert wrong.status == 401
        assert wrong.json["error"] == "incorrect_security_answer"
    right = api.post("/password/reset", {"reset_token": token, "security_answer": ANSWER, "new_password": NEW_PASSWORD})
    assert right.status == 401
    assert right.json["error"] == "invalid_or_expired_token"


def test_at_most_five_emails_an_hour(api: Api, clock: MovableClock) -> None:
    register_verified(api)
    for _ in range(6):
        forgot(api)
        clock.advance(minutes=1)
    assert len(reset_emails()) == 5
    clock.advance(minutes=55)
    forgot(api)
    assert len(reset_emails()) == 6


def test_new_password_follows_the_policy(api: Api) -> None:
    register_verified(api)
    forgot(api)
    token = reset_token_from_last_email()
    weak = api.post(
        "/password/reset", {"reset_token": token, "security_answer": ANSWER, "new_password": "1234567890123456"}
    )
    assert weak.status == 422
    assert "new_password" in weak.json["fields"]
    # The link still works after a refused password
    assert api.post("/password/reset/question", {"reset_token": token}).status == 200


def test_imported_account_without_question_sets_one(api: Api) -> None:
    staff(
        {
            "action": "import_contractors",
            "contractors": [{"license_number": "3333333", "business_name": "Q Co", "email": "q@q.example"}],
        }
    )
    forgot(api, "3333333")
    token = reset_token_from_last_email()
    assert api.post("/password/reset/question", {"reset_token": token}).json == {"security_question": None}
    missing = api.post(
        "/password/reset", {"reset_token": token, "security_answer": "abc", "new_password": NEW_PASSWORD}
    )
    assert missing.status == 422
    assert "security_question" in missing.json["fields"]
    done = api.post(
        "/password/reset",
        {
            "reset_token": token,
            "security_question": "In what city was your first job?",
            "security_answer": "Fresno",
            "new_password": NEW_PASSWORD,
        },
    )
    assert done.status == 200
    assert api.post("/sessions", {"license_number": "3333333", "password": NEW_PASSWORD}).status == 200


@pytest.mark.parametrize("code", ["Throttling", "MessageRejected"])
def test_ses_failure_changes_nothing_the_contractor_sees(api: Api, code: str) -> None:
    register_verified(api)
    forgot(api)
    working = reset_token_from_last_email()
    with refused(runtime.sesv2(), "sesv2", "SendEmail", code):
        answer = forgot(api)
    assert answer == forgot(api, "9999999")
    # The failed attempt left nothing behind: the earlier link still works
    assert api.post("/password/reset/question", {"reset_token": working}).status == 200


def test_forgot_requests_are_limited_per_caller_address(api: Api) -> None:
    for number in range(10):
        assert api.post("/password/forgot", {"license_number": f"100000{number}"}).status == 202
    limited = api.post("/password/forgot", {"license_number": "1234567"})
    assert limited.status == 429
    assert limited.json["error"] == "too_many_requests"
    assert api.post("/password/forgot", {"license_number": "1234567"}, source_ip="203.0.113.50").status == 202


def test_a_contractor_still_on_a_temporary_password_may_use_forgot_password(api: Api) -> None:
    # Given staff imported a contractor with an email and issued a temporary password
    staff(
        {
            "action": "import_contractors",
            "contractors": [{"license_number": "4444444", "business_name": "Temp Co", "email": "t@temp.example"}],
        }
    )
    temporary = staff({"action": "issue_temporary_password", "license_number": "4444444"})["temporary_password"]
    # When they use Forgot Password instead, choosing a question since they have none
    forgot(api, "4444444")
    token = reset_token_from_last_email()
    done = api.post(
        "/password/reset",
        {
            "reset_token": token,
            "security_question": "In what city was your first job?",
            "security_answer": "Fresno",
            "new_password": NEW_PASSWORD,
        },
    )
    # Then the new password signs them in directly and the temporary one is dead
    assert done.status == 200
    assert "session" in api.post("/sessions", {"license_number": "4444444", "password": NEW_PASSWORD}).json
    assert api.post("/sessions", {"license_number": "4444444", "password": temporary}).status == 401


def _queued() -> list[dict[str, Any]]:
    """What waits in the reset-request queue (received, then made visible again)."""
    import boto3

    sqs = boto3.client("sqs")
    url = TEMPLATE.queue_url("ResetRequestsQueue")
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
    return [json.loads(message["Body"]) for message in messages]


@pytest.fixture
def aws_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every botocore call from here on: (service, operation, the parameters' names)."""
    from botocore.client import BaseClient

    made: list[tuple[str, str, tuple[str, ...]]] = []
    original = BaseClient._make_api_call

    def record(self: BaseClient, operation_name: str, api_params: Any) -> Any:
        made.append((self.meta.service_model.service_name, operation_name, tuple(sorted(api_params))))
        return original(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", record)
    return made


def test_forgot_queues_one_request_for_a_real_account_and_an_unknown_license_with_the_same_calls(
    clock: MovableClock, aws_calls: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    # Given a verified account, and an API whose queue nobody delivers yet
    register_verified(Api())
    quiet = Api(deliver_queued=False)

    # When its license and an unknown one ask, each from its own address
    aws_calls.clear()
    real = quiet.post("/password/forgot", {"license_number": "1234567"}, source_ip="203.0.113.1")
    real_calls = list(aws_calls)
    aws_calls.clear()
    unknown = quiet.post("/password/forgot", {"license_number": "9999999"}, source_ip="203.0.113.2")
    unknown_calls = list(aws_calls)

    # Then the same answer, the same AWS calls (the address counter, one SendMessage), no email
    assert (real.status, real.body) == (unknown.status, unknown.body)
    assert real_calls == unknown_calls
    assert [(service, operation) for service, operation, _ in real_calls] == [
        ("dynamodb", "UpdateItem"),
        ("sqs", "SendMessage"),
    ]
    assert [message["license_number"] for message in _queued()] == ["1234567", "9999999"]
    assert reset_emails() == []

    # And once delivered, only the real account is emailed and the queue is empty
    results = deliver_queued()
    assert [result["batchItemFailures"] for result in results] == [[]]
    assert len(reset_emails()) == 1
    assert _queued() == []


def test_a_redelivered_request_sends_no_second_email(clock: MovableClock) -> None:
    import boto3

    # Given a request the mailer handled, but whose message was not deleted (a lost delete,
    # a timeout after the send): SQS delivers it again
    register_verified(Api())
    Api(deliver_queued=False).post("/password/forgot", {"license_number": "1234567"})
    sqs = boto3.client("sqs")
    url = TEMPLATE.queue_url("ResetRequestsQueue")
    (message,) = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["All"])["Messages"]
    from local_portal.queues import sqs_event

    queue_arn = TEMPLATE.resolve({"Fn::GetAtt": ["ResetRequestsQueue", "Arn"]})
    assert invoke("ResetMailerFunction", sqs_event([message], queue_arn)) == {"batchItemFailures": []}
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    first_link = reset_token_from_last_email()

    # When it is delivered again
    deliver_queued()

    # Then no second email, the first link still works, and the message is gone
    assert len(reset_emails()) == 1
    assert Api().post("/password/reset/question", {"reset_token": first_link}).status == 200
    assert _queued() == []


def test_only_the_record_that_fails_is_reported_and_the_rest_of_the_batch_is_sent(api: Api) -> None:
    import boto3

    # Given a batch of a well-formed request and a message that is not one
    register_verified(api)
    sqs = boto3.client("sqs")
    url = TEMPLATE.queue_url("ResetRequestsQueue")
    sqs.send_message(QueueUrl=url, MessageBody='{"license_number": "1234567"}')
    Api(deliver_queued=False).post("/password/forgot", {"license_number": "1234567"})

    # When the mailer gets them together
    (result,) = deliver_queued()

    # Then the malformed one alone is reported (it comes back, then goes to the dead-letter
    # queue), and the contractor's email went out
    assert len(result["batchItemFailures"]) == 1
    assert len(reset_emails()) == 1


def test_when_dynamodb_fails_the_request_is_reported_for_another_delivery(api: Api) -> None:
    # Given a queued request and DynamoDB unavailable to the mailer
    register_verified(api)
    Api(deliver_queued=False).post("/password/forgot", {"license_number": "1234567"})
    with refused(runtime.dynamodb(), "dynamodb", "GetItem", "InternalServerError"):
        (result,) = deliver_queued()

    # Then the record is reported as failed (SQS delivers it again) and nothing was sent
    assert len(result["batchItemFailures"]) == 1
    assert reset_emails() == []


def test_ses_failure_withdraws_the_link_and_uses_up_the_request(api: Api) -> None:
    # Given SES refusing the mailer's send
    register_verified(api)
    quiet = Api(deliver_queued=False)
    quiet.post("/password/forgot", {"license_number": "1234567"})
    with refused(runtime.sesv2(), "sesv2", "SendEmail", "MessageRejected"):
        (result,) = deliver_queued()

    # Then the request is not retried (the contractor can ask again) and no link is live
    assert result == {"batchItemFailures": []}
    assert _queued() == []
    assert reset_emails() == []
    api.post("/password/forgot", {"license_number": "1234567"})
    assert len(reset_emails()) == 1
