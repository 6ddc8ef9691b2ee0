"""LoginFunction: POST /sessions (sign in), the passkey sign-in (``POST /sessions/passkey/options``,
``POST /sessions/passkey``) and DELETE /sessions/current (sign out)."""

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
from contractor_accounts.http.passkey_bodies import (
    OptionsResponse,
    PasskeySignInOptionsRequest,
    PasskeySignInRequest,
    credential_json,
)
from contractor_accounts.http.schemas import ChallengeResponse, SignInRequest, SignInResponse
from contractor_accounts.http.views import sign_in_view, signed_in_view
from contractor_accounts.steps.sessions import Sessions
from contractor_accounts.use_cases.passkey_sign_in import PasskeySignInCase
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


PasskeySigningIn = Annotated[PasskeySignInCase, Depends(runtime.passkey_sign_in)]


@app.post(
    "/sessions/passkey/options",
    responses=answers(
        200, OptionsResponse, "PublicKeyCredentialRequestOptionsJSON: no account named", 404, 429, *BODY_ERRORS
    ),
)
def passkey_sign_in_options(
    request: Annotated[PasskeySignInOptionsRequest, Body()], signing_in: PasskeySigningIn
) -> OptionsResponse:
    return OptionsResponse(options=signing_in.options(source_ip(app)))


@app.post(
    "/sessions/passkey",
    responses=answers(
        200, SignInResponse, "A session, as POST /sessions gives it, and a device token", 401, 404, 429, *BODY_ERRORS
    ),
)
def passkey_sign_in(request: Annotated[PasskeySignInRequest, Body()], signing_in: PasskeySigningIn) -> SignInResponse:
    return signed_in_view(signing_in.sign_in(credential_json(request.credential), source_ip(app)))


@app.delete(
    "/sessions/current",
    status_code=204,
    responses=answers(204, None, "Signed out; the token no longer works", 401, 503),
)
def sign_out(sessions: Annotated[Sessions, Depends(runtime.sessions)]) -> Response[None]:
    sessions.sign_out(bearer_token(app))
    return Response(status_code=204)


lambda_handler = lambda_handler_for(app)
