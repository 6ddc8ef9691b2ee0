"""The Mailer port on Amazon SES (v2 API)."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from contractor_accounts.domain.emails import LICENSE_TAG, EmailMessage
from contractor_accounts.ports.mailer import EmailNotSent

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import MessageTagTypeDef


class SesMailer:
    """``client`` is a factory: the SES client is built on the first email, not at cold start."""

    def __init__(self, client: "Callable[[], SESV2Client]", sender: str, configuration_set: str) -> None:
        self._client = client
        self._sender = sender
        self._configuration_set = configuration_set

    def send(self, email: EmailMessage) -> None:
        tags: list[MessageTagTypeDef] = (
            [{"Name": LICENSE_TAG, "Value": email.license_number}] if email.license_number else []
        )
        try:
            self._client().send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": [email.to]},
                Content={
                    "Simple": {
                        "Subject": {"Data": email.subject, "Charset": "UTF-8"},
                        "Body": {
                            "Text": {"Data": email.text, "Charset": "UTF-8"},
                            "Html": {"Data": email.html, "Charset": "UTF-8"},
                        },
                    }
                },
                ConfigurationSetName=self._configuration_set,
                EmailTags=tags,
            )
        except (ClientError, BotoCoreError) as error:
            raise EmailNotSent(type(error).__name__) from error
