"""NoticeFunction: the table's stream (its activity records that ask for a notice, by the event
source mapping's filter) → one email each (no API route; contract v3, "Notices").

The request that wrote the record has answered already: a notice never delays or fails it.
Records are handled in order; at the first that fails unexpectedly (DynamoDB unavailable, a
malformed image) its sequence number is reported (``batchItemFailures``), so Lambda gives it and
those after it again, and no record before it twice. After the mapping's retries the batch's
description goes to the on-failure queue (docs/operations.md). A failed SES send is not such a
failure: a notice is best effort, logged and counted (``NoticeEmailFailed``)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from contractor_accounts import runtime
from contractor_accounts.observability import logger, metrics

runtime.cold_start_with_email()


@metrics.log_metrics
@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    notices = runtime.notices()
    for record in event.get("Records") or []:
        stream = record.get("dynamodb") or {}
        try:
            notices.send(runtime.activity_of_stream_image(stream["NewImage"]))
        except Exception:  # report it, and every record after it, for another delivery
            logger.exception("notice_record_failed", extra={"sequence_number": stream.get("SequenceNumber")})
            metrics.add_metric(name="NoticeRecordFailed", unit="Count", value=1)
            return {"batchItemFailures": [{"itemIdentifier": stream.get("SequenceNumber", "")}]}
    return {"batchItemFailures": []}
