"""The Mailer port on Amazon SES (v2 API)."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from contractor_accounts.domain.emails import LICENSE_TAG, EmailMessage
from contractor_accounts.ports.mailer import EmailNotSent

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import MessageTagTypeDef

# SES refused the send because of the account's send rate: nothing was sent, so a retry cannot
# send it twice (unlike a timeout, whose send may have gone out). A daily quota
# (LimitExceededException) or a paused account is not waited out.
THROTTLING_CODES = frozenset({"TooManyRequestsException", "Throttling", "ThrottlingException"})


@dataclass(frozen=True, slots=True)
class ThrottleRetry:
    """Retries of a throttled send: exponential backoff with full jitter (a random wait up to
    base * 2^n, so concurrent mailers spread out), never past `budget_seconds` in all, which
    stays well within the function's timeout."""

    attempts: int = 4
    base_seconds: float = 0.1
    budget_seconds: float = 2.0

    def waits(self, uniform: Callable[[float, float], float] = random.uniform) -> list[float]:
        waits: list[float] = []
        for retry in range(self.attempts - 1):
            wait = uniform(0.0, self.base_seconds * 2**retry)
            if sum(waits) + wait > self.budget_seconds:
                break
            waits.append(wait)
        return waits


NO_RETRY = ThrottleRetry(attempts=1)


class SesMailer:
    """``client`` is a factory: the SES client is built on the first email, not at cold start."""

    def __init__(
        self,
        client: "Callable[[], SESV2Client]",
        sender: str,
        configuration_set: str,
        throttle_retry: ThrottleRetry = NO_RETRY,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._sender = sender
        self._configuration_set = configuration_set
        self._throttle_retry = throttle_retry
        self._sleep = sleep

    def send(self, email: EmailMessage) -> None:
        waits = iter(self._throttle_retry.waits())
        while True:
            try:
                self._send_once(email)
                return
            except ClientError as error:
                wait = next(waits, None) if error.response.get("Error", {}).get("Code") in THROTTLING_CODES else None
                if wait is None:
                    raise EmailNotSent(type(error).__name__) from error
                self._sleep(wait)
            except BotoCoreError as error:
                raise EmailNotSent(type(error).__name__) from error

    def _send_once(self, email: EmailMessage) -> None:
        tags: list[MessageTagTypeDef] = (
            [{"Name": LICENSE_TAG, "Value": email.license_number}] if email.license_number else []
        )
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
