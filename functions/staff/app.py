"""StaffFunction: staff actions from the Lambda console or `aws lambda invoke` (no API route)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from contractor_accounts import runtime
from contractor_accounts.observability import logger

runtime.cold_start()


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return runtime.staff_desk().handle(event)
