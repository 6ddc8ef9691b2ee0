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
