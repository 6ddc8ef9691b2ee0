"""ForgotFunction: POST /password/forgot.

Answers at once: the request goes to the reset-request queue for every well-formed license
number (the same work whoever asks, so the time tells nothing), and ResetMailerFunction decides
whether an email goes out."""

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body
from contractor_accounts import runtime
from contractor_accounts.http.api import BODY_ERRORS, answers, create_resolver, lambda_handler_for, source_ip
from contractor_accounts.http.schemas import ForgotPasswordRequest, MessageResponse
from contractor_accounts.use_cases.forgot_password import ForgotPassword, forgot_password_answer

app = create_resolver(runtime.cold_start_with_reset_queue())


@app.post(
    "/password/forgot",
    status_code=202,
    responses=answers(202, MessageResponse, "The same answer for every license number", 429, *BODY_ERRORS),
)
def forgot_password(
    request: Annotated[ForgotPasswordRequest, Body()],
    forgot: Annotated[ForgotPassword, Depends(runtime.forgot_password)],
) -> MessageResponse:
    forgot.request_password_reset(request.license_number, source_ip(app))
    return MessageResponse(message=forgot_password_answer(forgot.settings))


lambda_handler = lambda_handler_for(app)
