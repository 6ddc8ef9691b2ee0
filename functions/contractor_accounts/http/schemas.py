"""The API's request and response bodies (what OpenAPI documents), and their translation to
the domain's own types. Field types come from ``fields``; views build the responses."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, Tag, ValidationInfo, field_validator

from contractor_accounts.domain.passwords import password_context, password_problem
from contractor_accounts.domain.policy import DEVICE_TOKEN_DAYS, MAX_PASSWORD_INPUT_CHARACTERS
from contractor_accounts.domain.requests import ContactDetails, NewAccount, NewPassword
from contractor_accounts.http.fields import (
    EmailAddress,
    LicenseNumber,
    MailingAddress,
    Password,
    Phone,
    SecurityAnswer,
    SecurityQuestion,
    StrictModel,
    Text,
    Token,
    WorkersComp,
)

# Requests.


class RegistrationRequest(StrictModel):
    license_number: LicenseNumber
    security_question: SecurityQuestion
    security_answer: SecurityAnswer
    business_name: Text
    contact_name: Text
    email: EmailAddress
    phone: Phone
    mailing_address: MailingAddress
    workers_comp: WorkersComp
    # Last, so the context it must not contain (license, business name, email) is validated first.
    password: Password

    @field_validator("password")
    @classmethod
    def _strong_password(cls, value: str, info: ValidationInfo) -> str:
        data = info.data
        problem = password_problem(
            value, password_context(data.get("license_number"), data.get("business_name"), data.get("email"))
        )
        if problem:
            raise ValueError(problem)
        return value

    def to_domain(self) -> NewAccount:
        return NewAccount(
            **self.model_dump(exclude={"mailing_address", "workers_comp"}),
            mailing_address=self.mailing_address.to_entity(),
            workers_comp=self.workers_comp.to_entity(),
        )


class SignInRequest(StrictModel):
    license_number: LicenseNumber
    # Not judged here: any wrong password is just a wrong password.
    password: Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_INPUT_CHARACTERS)]
    device_token: Token | None = Field(
        default=None,
        description=(
            "The device_token this browser got at its last sign-in for this license number, if any. "
            "While it is live, this sign-in is judged by the device's own failures, not by the "
            "account's lock; a dead or unknown one is ignored."
        ),
    )


class ForgotPasswordRequest(StrictModel):
    license_number: LicenseNumber


class ResetQuestionRequest(StrictModel):
    reset_token: Token


class TokenResetRequest(StrictModel):
    """After "Forgot Password": the emailed token, the answer and the new password."""

    reset_token: Token
    security_answer: SecurityAnswer
    new_password: Password
    # Only when the account has no security question yet.
    security_question: SecurityQuestion | None = None

    def to_domain(self) -> NewPassword:
        return NewPassword(self.reset_token, self.new_password, self.security_answer, self.security_question)


class ChallengeResetRequest(StrictModel):
    """First sign-in with a temporary password ("SAVE AND LOGIN")."""

    challenge_token: Token
    new_password: Password
    security_question: SecurityQuestion
    security_answer: SecurityAnswer

    def to_domain(self) -> NewPassword:
        return NewPassword(self.challenge_token, self.new_password, self.security_answer, self.security_question)


# A password being confirmed is not judged here: any wrong password is just a wrong password.
CurrentPassword = Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_INPUT_CHARACTERS)]


class ContactFields(StrictModel):
    """Contact fields a change may carry (absent or null: unchanged), validated as at registration."""

    contact_name: Text | None = None
    phone: Phone | None = None
    mailing_address: MailingAddress | None = None
    workers_comp: WorkersComp | None = None

    def to_domain(self) -> ContactDetails:
        return ContactDetails(
            contact_name=self.contact_name,
            phone=self.phone,
            mailing_address=self.mailing_address.to_entity() if self.mailing_address else None,
            workers_comp=self.workers_comp.to_entity() if self.workers_comp else None,
        )


class ProfileUpdateRequest(ContactFields):
    """``PATCH /me``: any of these. The license number and business name are changed only by
    staff, the email only through its link."""


class EmailChangeRequest(StrictModel):
    email: EmailAddress
    current_password: CurrentPassword


class PasswordChangeRequest(StrictModel):
    current_password: CurrentPassword
    # Judged against the account (strength, license, business name, email) by the use case.
    new_password: Password


class SecurityQuestionChangeRequest(StrictModel):
    current_password: CurrentPassword
    security_question: SecurityQuestion
    security_answer: SecurityAnswer


class EmailVerificationRequest(StrictModel):
    token: Token


def _reset_form(value: Any) -> str:
    if isinstance(value, dict) and "challenge_token" in value:
        return "ChallengeResetRequest"
    if isinstance(value, ChallengeResetRequest):
        return "ChallengeResetRequest"
    return "TokenResetRequest"


PasswordResetRequest = Annotated[
    Annotated[TokenResetRequest, Tag("TokenResetRequest")]
    | Annotated[ChallengeResetRequest, Tag("ChallengeResetRequest")],
    Discriminator(_reset_form),
]


# Responses.


class ErrorResponse(BaseModel):
    """The envelope of every error answer."""

    error: str = Field(description="A stable machine code, e.g. invalid_credentials.")
    message: str = Field(description="A sentence a contractor can act on.")
    fields: dict[str, str] | None = Field(
        default=None, description="validation_error only: what is wrong with each field, by dotted path."
    )


class SessionView(BaseModel):
    token: str
    expires_at: datetime


class ContractorSummary(BaseModel):
    license_number: str
    business_name: str


class RegistrationResponse(BaseModel):
    license_number: str
    session: SessionView


class LicenseCheckRequest(StrictModel):
    license_number: LicenseNumber


class LicenseCheckResponse(BaseModel):
    status: Literal["available", "registered", "on_file", "not_active", "not_found"] = Field(
        description=(
            "What registering this license would meet: available (registers; with StateLicenseCheck "
            '"review" a license the state list lacks registers too, for staff review, and reads '
            "not_found here), registered (409 license_already_registered), on_file (409 license_on_file), "
            "not_active (422 license_not_active), not_found (the state list lacks it; 422 "
            'license_not_found with "required"). License numbers are public: nothing here that '
            "registering would not say."
        )
    )


class StateLicenseView(BaseModel):
    status: Literal["active", "expired", "not_active", "not_listed"] = Field(
        description=(
            "active: in good standing (CSLB CLEAR) and not expired; expired: past its expiry date; "
            "not_active: suspended, inactive or otherwise not in good standing; not_listed: a later file "
            "no longer held it (cancelled or revoked)."
        )
    )
    expires_on: date | None
    classifications: list[str]
    business_name: str = Field(description="The business name on the state board's record.")
    as_of: date = Field(description="The date of the state board's file the record was read from.")


class SignInResponse(BaseModel):
    session: SessionView
    contractor: ContractorSummary
    device_token: str = Field(
        description=(
            f"Keep it for this license number and send it at the next sign-in. The one sent when it "
            f"was live, else a new one; it lives {DEVICE_TOKEN_DAYS} days and ends with a password "
            "reset or change, a temporary password, a disable, or signing out everywhere."
        )
    )


class ChallengeResponse(BaseModel):
    challenge: Literal["NEW_PASSWORD_REQUIRED"] = "NEW_PASSWORD_REQUIRED"
    challenge_token: str
    expires_at: datetime


class SecurityQuestionsResponse(BaseModel):
    questions: list[str]


class SecurityQuestionResponse(BaseModel):
    security_question: str | None


class MessageResponse(BaseModel):
    message: str


class PasswordResetResponse(BaseModel):
    """After "Forgot Password": the password is set; this browser's device token (it proved the
    email and the answer) makes its next sign-in judged by the device, not by the account's lock."""

    message: str
    license_number: str
    device_token: str


class SessionResponse(BaseModel):
    session: SessionView


class ActivityEventView(BaseModel):
    at: datetime
    event: str = Field(description="What happened, e.g. signed_in, password_changed; staff actions in the past tense.")
    by: Literal["contractor", "staff"]
    browser: str | None = Field(description='The browser, from a fixed vocabulary ("Chrome on Android"), or null.')
    ip: str | None = Field(description="The caller's address, or null (a staff action).")


class ActivityResponse(BaseModel):
    events: list[ActivityEventView] = Field(description="Newest first, at most 50, the last 90 days.")
    failed_sign_ins_since_last_success: int


class EmailVerifiedResponse(BaseModel):
    email: str = Field(description="The address now verified (the account's email from now on).")


class WorkersCompView(BaseModel):
    exempt: bool = False
    carrier: str | None = None
    policy_number: str | None = None
    expires_on: date | None = None
    status: Literal["valid", "expiring_soon", "expired", "exempt"]


class MailingAddressView(BaseModel):
    street: str
    city: str
    state: str
    postal_code: str


class DashboardResponse(BaseModel):
    license_number: str
    business_name: str
    contact_name: str | None
    email: str | None
    phone: str | None
    mailing_address: MailingAddressView | None
    workers_comp: WorkersCompView | None
    account_status: Literal["active", "disabled", "pending_review"] = Field(
        description="pending_review: a new registration waits for staff approval (RequireStaffApproval)."
    )
    email_verified: bool = Field(description="The email address was proven by its link, or set by staff.")
    pending_email: str | None = Field(description="A new address waiting for its link to be used, or null.")
    state_license: StateLicenseView | None = Field(
        default=None, description="The state board's record of the license (CSLB), or null when its list lacks it."
    )
    email_undeliverable: bool = Field(
        default=False,
        description="Mail to the email address bounced or was reported as spam: nothing is sent to it; "
        "the contractor is asked to change it.",
    )
