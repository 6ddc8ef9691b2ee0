"""ForgotFunction: POST /password/forgot."""

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body
from contractor_accounts import runtime
from contractor_accounts.api import (
    BODY_ERRORS,
    answer_no_sooner_than,
    answers,
    create_resolver,
    lambda_handler_for,
    source_ip,
)
from contractor_accounts.recovery import PasswordRecovery, forgot_password_answer
from contractor_accounts.schemas import ForgotPasswordRequest, MessageResponse

app = create_resolver(runtime.cold_start_with_email())


@app.post(
    "/password/forgot",
    status_code=202,
    responses=answers(202, MessageResponse, "The same answer for every license number", 429, *BODY_ERRORS),
    middlewares=[answer_no_sooner_than(lambda: runtime.settings().forgot_min_answer_ms)],
)
def forgot_password(
    request: Annotated[ForgotPasswordRequest, Body()],
    recovery: Annotated[PasswordRecovery, Depends(runtime.password_recovery)],
) -> MessageResponse:
    recovery.request_password_reset(request.license_number, source_ip(app))
    return MessageResponse(message=forgot_password_answer(recovery.settings))


lambda_handler = lambda_handler_for(app)
