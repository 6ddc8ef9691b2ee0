"""The SES adapter tags each send with the account's license number, so SES's bounce and
complaint events (which carry the tags) name the account without a lookup by address."""

import boto3
from botocore.stub import Stubber
from contractor_accounts.adapters.ses_mailer import SesMailer
from contractor_accounts.domain.emails import EmailMessage


def expected_send(tags: list[dict[str, str]]) -> dict[str, object]:
    return {
        "FromEmailAddress": "permits@weho.example",
        "Destination": {"ToAddresses": ["maria@sunsetbuilders.example"]},
        "Content": {
            "Simple": {
                "Subject": {"Data": "Subject", "Charset": "UTF-8"},
                "Body": {
                    "Text": {"Data": "text", "Charset": "UTF-8"},
                    "Html": {"Data": "<p>html</p>", "Charset": "UTF-8"},
                },
            }
        },
        "ConfigurationSetName": "contractor-accounts",
        "EmailTags": tags,
    }


def test_given_an_email_about_an_account_when_sent_then_ses_gets_its_license_number_as_a_tag() -> None:
    # Given an SES client that expects exactly this call
    client = boto3.client("sesv2", region_name="us-west-2")
    mailer = SesMailer(lambda: client, "permits@weho.example", "contractor-accounts")
    with Stubber(client) as ses:
        ses.add_response(
            "send_email", {"MessageId": "1"}, expected_send([{"Name": "license_number", "Value": "1234567"}])
        )
        ses.add_response("send_email", {"MessageId": "2"}, expected_send([]))
        # When an email about account 1234567 is sent, then one about no account
        email = EmailMessage("maria@sunsetbuilders.example", "Subject", "text", "<p>html</p>", license_number="1234567")
        mailer.send(email)
        mailer.send(EmailMessage("maria@sunsetbuilders.example", "Subject", "text", "<p>html</p>"))
        # Then both calls were the expected ones
        ses.assert_no_pending_responses()


def test_given_ses_throttles_when_sent_then_it_is_retried_after_jittered_waits_within_the_budget() -> None:
    from contractor_accounts.adapters.ses_mailer import ThrottleRetry

    client = boto3.client("sesv2", region_name="us-west-2")
    slept: list[float] = []
    mailer = SesMailer(
        lambda: client, "permits@weho.example", "contractor-accounts", ThrottleRetry(4, 0.2, 2.0), slept.append
    )
    email = EmailMessage("maria@sunsetbuilders.example", "Subject", "text", "<p>html</p>")
    with Stubber(client) as ses:
        # Given SES refuses twice for the send rate, then accepts
        ses.add_client_error("send_email", "TooManyRequestsException", http_status_code=429)
        ses.add_client_error("send_email", "TooManyRequestsException", http_status_code=429)
        ses.add_response("send_email", {"MessageId": "1"}, expected_send([]))
        # When the email is sent
        mailer.send(email)
        # Then it went out on the third try, after two waits within their jitter bounds
        ses.assert_no_pending_responses()
    assert len(slept) == 2
    assert 0 <= slept[0] <= 0.2
    assert 0 <= slept[1] <= 0.4


def test_given_ses_keeps_throttling_or_refuses_otherwise_when_sent_then_it_gives_up() -> None:
    import pytest
    from contractor_accounts.adapters.ses_mailer import ThrottleRetry
    from contractor_accounts.ports.mailer import EmailNotSent

    client = boto3.client("sesv2", region_name="us-west-2")
    slept: list[float] = []
    mailer = SesMailer(
        lambda: client, "permits@weho.example", "contractor-accounts", ThrottleRetry(3, 0.2, 2.0), slept.append
    )
    email = EmailMessage("maria@sunsetbuilders.example", "Subject", "text", "<p>html</p>")
    with Stubber(client) as ses:
        for _ in range(3):
            ses.add_client_error("send_email", "TooManyRequestsException", http_status_code=429)
        with pytest.raises(EmailNotSent):
            mailer.send(email)
        ses.assert_no_pending_responses()
        # A refusal that is not the send rate (a rejected message, a daily quota) is not retried
        ses.add_client_error("send_email", "MessageRejected", http_status_code=400)
        with pytest.raises(EmailNotSent):
            mailer.send(email)
        ses.assert_no_pending_responses()
    assert len(slept) == 2


def test_the_retries_never_wait_longer_than_the_budget() -> None:
    from contractor_accounts.adapters.ses_mailer import ThrottleRetry

    waits = ThrottleRetry(attempts=10, base_seconds=1.0, budget_seconds=2.0).waits(uniform=lambda low, high: high)
    assert sum(waits) <= 2.0
    assert waits == [1.0]
