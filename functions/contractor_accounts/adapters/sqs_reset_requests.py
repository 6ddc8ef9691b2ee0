"""The ResetRequestQueue port on Amazon SQS."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from contractor_accounts.ports.reset_requests import ResetRequest

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class SqsResetRequestQueue:
    """``client`` is a factory, as for the mailer: built at cold start by the runtime, reused."""

    def __init__(self, client: "Callable[[], SQSClient]", queue_url: str) -> None:
        self._client = client
        self._queue_url = queue_url

    def hand_over(self, request: ResetRequest) -> None:
        # A failure propagates: the API answers 503 for every license alike (http/api.py), and
        # the contractor tries again. A retried send that had in fact arrived queues the same
        # body twice; the mailer recognises the second by its ``request_id``.
        self._client().send_message(QueueUrl=self._queue_url, MessageBody=request.to_message())
