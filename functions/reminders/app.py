"""ReminderFunction: workers' compensation reminders, run daily by an EventBridge schedule (no
API route). Staff or a developer may run it by hand with an event like events/reminders.json;
``today`` (optional) replays a recent missed day, never a future one."""

from datetime import date
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from contractor_accounts import runtime
from contractor_accounts.domain.errors import DomainError
from contractor_accounts.observability import logger, metrics
from pydantic import BaseModel, ConfigDict, ValidationError

runtime.cold_start_with_portal()


class ReminderEvent(BaseModel):
    # EventBridge's scheduled event carries more (time, resources, ...): only ``today`` is read.
    model_config = ConfigDict(extra="ignore")
    today: date | None = None


@metrics.log_metrics
@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        requested = ReminderEvent.model_validate(event or {}).today
        run = runtime.workers_comp_reminders().run(requested)
    except ValidationError:
        return {"ok": False, "error": "validation_error", "message": "today must be a date like 2027-06-30."}
    except DomainError as error:
        return {"ok": False, "error": error.code, "message": error.message, "fields": error.fields}
    return {
        "ok": True,
        "today": run.today.isoformat(),
        "windows": run.thresholds,
        "sent": run.sent,
        "already_sent": run.already_sent,
        "failed": run.failed,
        "not_eligible": run.not_eligible,
    }
