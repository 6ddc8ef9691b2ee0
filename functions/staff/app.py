"""StaffFunction: staff actions from the Lambda console or `aws lambda invoke` (no API route)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from contractor_accounts import runtime
from contractor_accounts.http.staff_events import StaffConsole
from contractor_accounts.observability import logger
from contractor_accounts.use_cases.staff_desk import StaffDesk

runtime.cold_start_with_portal()


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Wired here, not in runtime: only this function imports the staff module.
    desk = StaffDesk(runtime.store(), runtime.clock(), runtime.hasher(), runtime.settings())
    return StaffConsole(desk, runtime.pending_reviews()).handle(event)
