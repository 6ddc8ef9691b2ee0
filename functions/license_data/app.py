"""LicenseDataFunction: a license file put into LicenseDataBucket (its S3 "Object Created" event,
through EventBridge) → the import (use_cases/license_import.py). Also started by the import's own
``import-state/resume.json`` when an invocation ran short of time. No API route.

A refused file (a required column missing) answers ``{"ok": false, "status": "refused"}`` and is
not retried; an import that fails (DynamoDB throttled past every retry...) raises, so Lambda's
asynchronous retries run it again from its saved progress (docs/operations.md)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from contractor_accounts import runtime
from contractor_accounts.http.license_events import answer, license_event
from contractor_accounts.observability import logger, metrics

runtime.cold_start_license_data()


@metrics.log_metrics
@logger.inject_lambda_context(log_event=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    received = license_event(event)
    if received.ignored:
        return {"ok": True, "status": "ignored", "key": received.file.key}
    importer = runtime.license_import(received.file.bucket)
    remaining = context.get_remaining_time_in_millis
    outcome = importer.resume(remaining) if received.resume else importer.run(received.file, remaining)
    return answer(outcome)
