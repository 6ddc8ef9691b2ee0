"""Domain errors. Each carries the HTTP status, the stable machine code and a message a
contractor can act on; ``api`` turns them into responses in one place."""

from typing import ClassVar

from contractor_accounts.domain.policy import (
    MAX_BODY_BYTES,
    MAX_PASSKEYS,
    STATE_BOARD,
    STATE_BOARD_PHONE,
    VERIFICATION_EMAILS_PER_HOUR,
    size_words,
)


class DomainError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    default_message: ClassVar[str] = "The request could not be processed."

    def __init__(self, message: str | None = None, fields: dict[str, str] | None = None) -> None:
        self.message = message or self.default_message
        self.fields = fields
        super().__init__(self.message)


class InvalidJson(DomainError):
    status = 400
    code = "invalid_json"
    default_message = "The request body is not valid JSON."


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    default_message = f"The request body is larger than {size_words(MAX_BODY_BYTES)}."


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"
    default_message = "Send the request body as JSON, with the header Content-Type: application/json."


class ValidationFailed(DomainError):
    status = 422
    code = "validation_error"
    default_message = "Some fields are missing or not valid. Please correct them and try again."


class LicenseAlreadyRegistered(DomainError):
    status = 409
    code = "license_already_registered"
    default_message = (
        "An account already exists for this license number. Sign in, or use Forgot Password "
        "if you do not remember your password."
    )


class LicenseOnFile(DomainError):
    status = 409
    code = "license_on_file"


class LicenseNotActive(DomainError):
    """The state board's list holds the license, not in good standing (contract v3)."""

    status = 422
    code = "license_not_active"
    default_message = (
        f"The state board's list shows this license as not active (expired, suspended or inactive). "
        f"Please contact {STATE_BOARD} at {STATE_BOARD_PHONE} to renew or reactivate it, then register."
    )

    def __init__(self) -> None:
        super().__init__(fields={"license_number": "The state board's list shows this license as not active."})


class LicenseNotFound(DomainError):
    """``StateLicenseCheck`` "required": the state board's list does not hold the license."""

    status = 422
    code = "license_not_found"
    default_message = (
        f"The state board's license list does not show this license number. Check the number on your "
        f"license; a new license reaches the list about a day after it is issued. Questions about the "
        f"license: {STATE_BOARD} at {STATE_BOARD_PHONE}."
    )

    def __init__(self) -> None:
        super().__init__(fields={"license_number": "The state board's license list does not show this license."})


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"
    default_message = "The license number or password is not correct."


class TemporaryPasswordExpired(DomainError):
    status = 401
    code = "temporary_password_expired"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    default_message = "Your session has ended. Please log in again."


class InvalidOrExpiredToken(DomainError):
    status = 401
    code = "invalid_or_expired_token"
    default_message = (
        "This link or code is not valid or has expired. Please start again: use Forgot Password "
        "for a new link, or log in again."
    )


class IncorrectSecurityAnswer(DomainError):
    status = 401
    code = "incorrect_security_answer"
    default_message = "The answer to the security question is not correct."


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"
    default_message = "Too many attempts from your network. Please wait a minute and try again."


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = "There is nothing at this address."


class ServiceUnavailable(DomainError):
    status = 503
    code = "service_unavailable"
    default_message = "The service is busy right now. Please try again in a minute."


class ContractorNotFound(DomainError):
    """Staff only: no account for that license number."""

    status = 404
    code = "contractor_not_found"
    default_message = "No contractor is on file with that license number."


class AccountDisabled(DomainError):
    """Staff only: the action needs an enabled account."""

    status = 409
    code = "account_disabled"
    default_message = "The account is disabled. Enable it first."


class VerificationLinkRefused(InvalidOrExpiredToken):
    default_message = (
        "This confirmation link is not valid or has expired. Log in and select "
        '"Send the link again" on your Dashboard for a new one.'
    )


class NothingToVerify(DomainError):
    status = 409
    code = "nothing_to_verify"
    default_message = "Your email address is already confirmed, and no new address is waiting for a link."


class VerificationEmailsLimited(TooManyRequests):
    default_message = (
        f"We have sent {VERIFICATION_EMAILS_PER_HOUR} links in the last hour. "
        "Please use the newest one, or wait an hour and ask again."
    )


class NotPendingReview(DomainError):
    """Staff only: ``approve`` of an account that is not waiting for it."""

    status = 409
    code = "not_pending_review"
    default_message = "The account is not waiting for approval."


class PasskeyRejected(DomainError):
    """``POST /me/passkeys``: the new passkey's answer does not verify."""

    status = 422
    code = "passkey_rejected"
    default_message = (
        "This passkey could not be added. Please start again with Add a passkey, and confirm with your "
        "device's face, fingerprint or screen lock."
    )


class TooManyPasskeys(DomainError):
    status = 409
    code = "too_many_passkeys"
    default_message = f"An account can have at most {MAX_PASSKEYS} passkeys. Remove one you no longer use first."


class PasskeysNotOffered(NotFound):
    """The site's final domain is not configured (no RP ID, or a provisional domain)."""

    default_message = "Passkeys are not offered on this site yet."
