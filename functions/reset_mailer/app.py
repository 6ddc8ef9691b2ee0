"""ResetMailerFunction: the reset-request queue (SQS) → a reset link by email (no API route).

Each message is one "Forgot Password" request ForgotFunction queued; most send nothing (an
unknown license, no verified address, 5 emails this hour) and are simply consumed. A record
that fails unexpectedly (DynamoDB unavailable, a malformed message) is reported back in
``batchItemFailures``, so only it is delivered again; after maxReceiveCount deliveries it waits
in the dead-letter queue (docs/operations.md). A failed SES send is not such a failure: the
link is withdrawn and the request used up (recovery.send_reset_link)."""

import logging
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from contractor_accounts import runtime
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.reset_requests import ResetRequest

runtime.cold_start_with_email()

# Never raise for a whole failed batch: the failed items are reported like any others. Each
# failure is logged with its traceback through the service's logger (Powertools' formatter).
_processor = BatchProcessor(
    event_type=EventType.SQS, raise_on_entire_batch_failure=False, logger=logging.getLogger(logger.name)
)


def send_reset_link(record: SQSRecord) -> None:
    runtime.reset_links().send_reset_link(ResetRequest.from_message(record.body))


@metrics.log_metrics
@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=send_reset_link, processor=_processor, context=context)
