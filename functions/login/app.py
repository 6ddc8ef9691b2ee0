"""LoginFunction: POST /sessions (sign in) and DELETE /sessions/current (sign out)."""

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from contractor_accounts import runtime
from contractor_accounts.http.api import (
    BODY_ERRORS,
    answers,
    bearer_token,
    create_resolver,
    lambda_handler_for,
    source_ip,
)
from contractor_accounts.http.schemas import ChallengeResponse, SignInRequest, SignInResponse
from contractor_accounts.http.views import sign_in_view
from contractor_accounts.steps.sessions import Sessions
from contractor_accounts.use_cases.sign_in import SignIn

app = create_resolver(runtime.cold_start())


@app.post(
    "/sessions",
    responses=answers(
        200,
        SignInResponse | ChallengeResponse,
        "A session, or the NEW_PASSWORD_REQUIRED challenge",
        401,
        429,
        *BODY_ERRORS,
    ),
)
def sign_in(
    request: Annotated[SignInRequest, Body()], signing_in: Annotated[SignIn, Depends(runtime.sign_in)]
) -> SignInResponse | ChallengeResponse:
    return sign_in_view(
        signing_in.sign_in(request.license_number, request.password, source_ip(app), request.device_token)
    )


@app.delete(
    "/sessions/current",
    status_code=204,
    responses=answers(204, None, "Signed out; the token no longer works", 401, 503),
)
def sign_out(sessions: Annotated[Sessions, Depends(runtime.sessions)]) -> Response[None]:
    sessions.sign_out(bearer_token(app))
    return Response(status_code=204)


lambda_handler = lambda_handler_for(app)
