"""RegisterFunction: GET /security-questions, POST /contractors and POST /contractors/check."""

from collections.abc import Mapping
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body
from contractor_accounts import runtime
from contractor_accounts.http.api import BODY_ERRORS, answers, caller_address, create_resolver, lambda_handler_for
from contractor_accounts.http.fields import SECURITY_QUESTIONS
from contractor_accounts.http.schemas import (
    LicenseCheckRequest,
    LicenseCheckResponse,
    RegistrationRequest,
    RegistrationResponse,
    SecurityQuestionsResponse,
)
from contractor_accounts.http.views import registration_view
from contractor_accounts.use_cases.registration import Registration

app = create_resolver(runtime.cold_start_with_email())


@app.get("/security-questions", responses=answers(200, SecurityQuestionsResponse, "The questions to choose from", 503))
def security_questions() -> SecurityQuestionsResponse:
    return SecurityQuestionsResponse(questions=list(SECURITY_QUESTIONS))


@app.post(
    "/contractors",
    status_code=201,
    responses=answers(201, RegistrationResponse, "Account created; signed in", 409, 429, *BODY_ERRORS),
)
def register(
    request: Annotated[RegistrationRequest, Body()],
    registration: Annotated[Registration, Depends(runtime.registration)],
) -> RegistrationResponse:
    return registration_view(registration.register(request.to_domain()))


@app.post(
    "/contractors/check",
    responses=answers(200, LicenseCheckResponse, "What registering this license would meet", 429, *BODY_ERRORS),
)
def check_license(
    request: Annotated[LicenseCheckRequest, Body()],
    registration: Annotated[Registration, Depends(runtime.registration)],
) -> LicenseCheckResponse:
    return LicenseCheckResponse(status=registration.check(request.license_number))


def limit_registrations(event: Mapping[str, Any]) -> None:
    """Registrations (and early license checks) per caller address, counted before the body is
    validated: before the password is judged or anything hashed."""
    if event.get("httpMethod") == "POST":
        runtime.registration().limit(caller_address(event))


lambda_handler = lambda_handler_for(app, before_routing=limit_registrations)
