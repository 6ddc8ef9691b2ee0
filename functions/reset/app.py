"""ResetFunction: POST /password/reset/question and POST /password/reset (emailed link or
first sign-in with a temporary password)."""

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body
from contractor_accounts import runtime
from contractor_accounts.http.api import BODY_ERRORS, answers, create_resolver, lambda_handler_for
from contractor_accounts.http.schemas import (
    ChallengeResetRequest,
    PasswordResetRequest,
    PasswordResetResponse,
    ResetQuestionRequest,
    SecurityQuestionResponse,
    SignInResponse,
)
from contractor_accounts.http.views import signed_in_view
from contractor_accounts.use_cases.first_sign_in import FirstSignIn
from contractor_accounts.use_cases.password_reset import PasswordReset

app = create_resolver(runtime.cold_start())

RESET_DONE = "Your password has been changed and every device was signed out. Log in with your new password."


@app.post(
    "/password/reset/question",
    responses=answers(200, SecurityQuestionResponse, "The account's question (null: choose one)", 401, *BODY_ERRORS),
)
def reset_question(
    request: Annotated[ResetQuestionRequest, Body()],
    recovery: Annotated[PasswordReset, Depends(runtime.password_reset)],
) -> SecurityQuestionResponse:
    return SecurityQuestionResponse(security_question=recovery.reset_question(request.reset_token))


@app.post(
    "/password/reset",
    responses=answers(
        200,
        PasswordResetResponse | SignInResponse,
        "Password changed, with this browser's device token (first sign-in: signed in)",
        401,
        *BODY_ERRORS,
    ),
)
def reset_password(
    request: Annotated[PasswordResetRequest, Body()],
    recovery: Annotated[PasswordReset, Depends(runtime.password_reset)],
    first_sign_in: Annotated[FirstSignIn, Depends(runtime.first_sign_in)],
) -> PasswordResetResponse | SignInResponse:
    if isinstance(request, ChallengeResetRequest):
        return signed_in_view(first_sign_in.complete_first_sign_in(request.to_domain()))
    done = recovery.reset_with_token(request.to_domain())
    return PasswordResetResponse(message=RESET_DONE, license_number=done.license_number, device_token=done.device_token)


lambda_handler = lambda_handler_for(app)
