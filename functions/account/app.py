"""AccountFunction: the contractor's own account (``/me``, bearer) and ``POST /email/verify``
(the emailed confirmation link; no session needed)."""

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from contractor_accounts import runtime
from contractor_accounts.http.api import BODY_ERRORS, answers, bearer_token, create_resolver, lambda_handler_for
from contractor_accounts.http.passkey_bodies import (
    OptionsResponse,
    PasskeyAddRequest,
    PasskeyOptionsRequest,
    PasskeyRenameRequest,
    PasskeyResponse,
    PasskeysResponse,
    credential_json,
    passkey_view,
)
from contractor_accounts.http.schemas import (
    ActivityResponse,
    DashboardResponse,
    EmailChangeRequest,
    EmailVerificationRequest,
    EmailVerifiedResponse,
    MessageResponse,
    PasswordChangeRequest,
    ProfileUpdateRequest,
    SecurityQuestionChangeRequest,
    SessionResponse,
)
from contractor_accounts.http.views import activity_view, dashboard_view, session_view
from contractor_accounts.use_cases.account_activity import AccountActivity
from contractor_accounts.use_cases.account_credentials import AccountCredentials
from contractor_accounts.use_cases.email_verification import EmailVerification
from contractor_accounts.use_cases.own_account import OwnAccount
from contractor_accounts.use_cases.passkeys import OwnPasskeys

app = create_resolver(runtime.cold_start_with_email())

Account = Annotated[OwnAccount, Depends(runtime.own_account)]
Credentials = Annotated[AccountCredentials, Depends(runtime.account_credentials)]
Passkeys = Annotated[OwnPasskeys, Depends(runtime.own_passkeys)]
LINK_SENT = "We have sent a link to the new address. Your email changes when you open that link."
LINK_SENT_AGAIN = "We have sent a new link. Only the newest link works."


@app.get("/me", responses=answers(200, DashboardResponse, "The dashboard", 401, 503))
def dashboard(account: Account) -> DashboardResponse:
    return dashboard_view(account.dashboard(bearer_token(app)))


@app.patch("/me", responses=answers(200, DashboardResponse, "Changed; the dashboard", 401, *BODY_ERRORS))
def update_profile(request: Annotated[ProfileUpdateRequest, Body()], account: Account) -> DashboardResponse:
    return dashboard_view(account.update_profile(bearer_token(app), request.to_domain()))


@app.put(
    "/me/email",
    status_code=202,
    responses=answers(202, MessageResponse, "A link went to the new address", 401, 429, *BODY_ERRORS),
)
def change_email(request: Annotated[EmailChangeRequest, Body()], credentials: Credentials) -> MessageResponse:
    credentials.change_email(bearer_token(app), request.email, request.current_password)
    return MessageResponse(message=LINK_SENT)


@app.post(
    "/me/email/verification",
    status_code=202,
    responses=answers(202, MessageResponse, "The link was sent again", 401, 409, 429, 503),
)
def resend_verification(account: Account) -> MessageResponse:
    account.resend_verification(bearer_token(app))
    return MessageResponse(message=LINK_SENT_AGAIN)


@app.put(
    "/me/password",
    responses=answers(200, SessionResponse, "Changed; this browser's new session", 401, *BODY_ERRORS),
)
def change_password(request: Annotated[PasswordChangeRequest, Body()], credentials: Credentials) -> SessionResponse:
    session = credentials.change_password(bearer_token(app), request.current_password, request.new_password)
    return SessionResponse(session=session_view(session))


@app.put(
    "/me/security-question",
    status_code=204,
    responses=answers(204, None, "Changed", 401, *BODY_ERRORS),
)
def change_security_question(
    request: Annotated[SecurityQuestionChangeRequest, Body()], credentials: Credentials
) -> Response[None]:
    credentials.change_security_question(
        bearer_token(app), request.current_password, request.security_question, request.security_answer
    )
    return Response(status_code=204)


@app.get("/me/activity", responses=answers(200, ActivityResponse, "The account's activity", 401, 503))
def activity(activities: Annotated[AccountActivity, Depends(runtime.account_activity)]) -> ActivityResponse:
    return activity_view(activities.activity(bearer_token(app)))


@app.delete("/me/sessions", status_code=204, responses=answers(204, None, "Signed out everywhere", 401, 503))
def sign_out_everywhere(account: Account) -> Response[None]:
    account.sign_out_everywhere(bearer_token(app))
    return Response(status_code=204)


@app.post(
    "/me/passkeys/options",
    responses=answers(
        200, OptionsResponse, "PublicKeyCredentialCreationOptionsJSON for this account", 401, 404, 409, *BODY_ERRORS
    ),
)
def passkey_options(request: Annotated[PasskeyOptionsRequest, Body()], passkeys: Passkeys) -> OptionsResponse:
    return OptionsResponse(options=passkeys.registration_options(bearer_token(app), request.current_password))


@app.post(
    "/me/passkeys",
    status_code=201,
    responses=answers(201, PasskeyResponse, "The passkey was added", 401, 404, 409, *BODY_ERRORS),
)
def add_passkey(request: Annotated[PasskeyAddRequest, Body()], passkeys: Passkeys) -> PasskeyResponse:
    added = passkeys.add(bearer_token(app), credential_json(request.credential), request.name)
    return PasskeyResponse(passkey=passkey_view(added))


@app.get("/me/passkeys", responses=answers(200, PasskeysResponse, "The account's passkeys", 401, 404, 503))
def list_passkeys(passkeys: Passkeys) -> PasskeysResponse:
    return PasskeysResponse(passkeys=[passkey_view(passkey) for passkey in passkeys.list(bearer_token(app))])


@app.patch("/me/passkeys/<id>", responses=answers(200, PasskeyResponse, "Renamed", 401, 404, *BODY_ERRORS))
def rename_passkey(
    id: str,
    request: Annotated[PasskeyRenameRequest, Body()],
    passkeys: Passkeys,
) -> PasskeyResponse:
    return PasskeyResponse(passkey=passkey_view(passkeys.rename(bearer_token(app), id, request.name)))


@app.delete("/me/passkeys/<id>", status_code=204, responses=answers(204, None, "Removed", 401, 404, 503))
def remove_passkey(id: str, passkeys: Passkeys) -> Response[None]:
    passkeys.remove(bearer_token(app), id)
    return Response(status_code=204)


@app.post("/email/verify", responses=answers(200, EmailVerifiedResponse, "The address is verified", 401, *BODY_ERRORS))
def verify_email(
    request: Annotated[EmailVerificationRequest, Body()],
    verification: Annotated[EmailVerification, Depends(runtime.email_verification)],
) -> EmailVerifiedResponse:
    return EmailVerifiedResponse(email=verification.verify(request.token))


lambda_handler = lambda_handler_for(app)
