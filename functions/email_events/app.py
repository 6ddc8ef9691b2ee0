"""EmailEventsFunction: SES bounce and complaint events (configuration set -> SNS) mark the
contractor's address undeliverable (``contractor_accounts.use_cases.deliverability``)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from contractor_accounts import runtime
from contractor_accounts.observability import logger, metrics

runtime.cold_start()


@metrics.log_metrics
@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    deliverability = runtime.deliverability()
    marked = sum(deliverability.record_notification(record["Sns"]["Message"]) for record in event["Records"])
    return {"marked": marked}
