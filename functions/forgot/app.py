"""ForgotFunction: POST /password/forgot."""

from typing import Annotated

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
from contractor_accounts.models import ForgotPasswordRequest, MessageResponse

app = create_resolver(runtime.cold_start())
runtime.email_settings()  # validated at cold start, like the rest of the settings

# The same answer for every well-formed license number: it must not tell who has an account.
FORGOT_ANSWER = (
    "If an account with an email address exists for this license number, we have sent it a link "
    "to reset the password. The link works for one hour. No email? Check your spam folder or call "
    "permit staff."
)


@app.post(
    "/password/forgot",
    status_code=202,
    responses=answers(202, MessageResponse, "The same answer for every license number", 429, *BODY_ERRORS),
    middlewares=[answer_no_sooner_than(lambda: runtime.settings().forgot_min_answer_ms)],
)
def forgot_password(request: Annotated[ForgotPasswordRequest, Body()]) -> MessageResponse:
    runtime.accounts_with_email().request_password_reset(request.license_number, source_ip(app))
    return MessageResponse(message=FORGOT_ANSWER)


lambda_handler = lambda_handler_for(app)
