"""Settings from the function's environment, validated once at cold start.

Nothing deployment-specific has a default: a missing or malformed variable stops the
function from starting instead of running half-configured."""

import os
from collections.abc import Mapping
from datetime import timedelta
from functools import cached_property
from typing import Annotated, Final, Literal, Self
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator

from contractor_accounts.domain import policy


class _FromEnvironment(BaseModel):
    """Settings read from environment variables by their aliases; other variables are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        return cls.model_validate(dict(os.environ if environ is None else environ))


_EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# A passkey is bound to its RP ID for ever: none is offered on a domain the site will leave
# (CloudFront's or API Gateway's default one, the template's placeholder).
PROVISIONAL_DOMAINS: Final = (".cloudfront.net", ".amazonaws.com", ".invalid")


class Settings(_FromEnvironment):
    table_name: Annotated[str, Field(alias="TABLE_NAME", min_length=3, max_length=255)]
    city_name: Annotated[str, Field(alias="CITY_NAME", min_length=1, max_length=120)]
    staff_phone_number: Annotated[str, Field(alias="STAFF_PHONE_NUMBER", min_length=7, max_length=40)]
    city_time_zone: Annotated[str, Field(alias="CITY_TIME_ZONE")]
    allowed_origins: Annotated[tuple[str, ...], Field(alias="ALLOWED_ORIGINS", min_length=1)]

    # Policies of the contract (values in policy.py); overridable per deployment, never required.
    session_idle_minutes: Annotated[int, Field(alias="SESSION_IDLE_MINUTES", ge=1, le=120)] = (
        policy.SESSION_IDLE_MINUTES
    )
    session_absolute_hours: Annotated[int, Field(alias="SESSION_ABSOLUTE_HOURS", ge=1, le=24)] = (
        policy.SESSION_ABSOLUTE_HOURS
    )
    temporary_password_days: Annotated[int, Field(alias="TEMPORARY_PASSWORD_DAYS", ge=1, le=30)] = (
        policy.TEMPORARY_PASSWORD_DAYS
    )
    challenge_minutes: Annotated[int, Field(alias="CHALLENGE_MINUTES", ge=1, le=60)] = policy.CHALLENGE_MINUTES
    reset_token_minutes: Annotated[int, Field(alias="RESET_TOKEN_MINUTES", ge=5, le=240)] = policy.RESET_TOKEN_MINUTES
    reset_emails_per_hour: Annotated[int, Field(alias="RESET_EMAILS_PER_HOUR", ge=1, le=20)] = (
        policy.RESET_EMAILS_PER_HOUR
    )
    # Per caller address (API Gateway's sourceIp), per minute: credential stuffing and email
    # bombing from one address, whatever license numbers it tries. Generous for shared offices.
    sign_ins_per_ip_per_minute: Annotated[int, Field(alias="SIGN_INS_PER_IP_PER_MINUTE", ge=1)] = (
        policy.SIGN_INS_PER_IP_PER_MINUTE
    )
    forgot_requests_per_ip_per_minute: Annotated[int, Field(alias="FORGOT_REQUESTS_PER_IP_PER_MINUTE", ge=1)] = (
        policy.FORGOT_REQUESTS_PER_IP_PER_MINUTE
    )
    # Registration hashes a password and an answer (two argon2id runs): counted before the body
    # is even parsed.
    registrations_per_ip_per_minute: Annotated[int, Field(alias="REGISTRATIONS_PER_IP_PER_MINUTE", ge=1)] = (
        policy.REGISTRATIONS_PER_IP_PER_MINUTE
    )
    # Where those per-address limits are counted: "function" (a counter item, one DynamoDB write
    # per request) or "edge" (the API's AWS WAF rate-based rule; the functions count nothing).
    per_address_limits_at: Annotated[Literal["function", "edge"], Field(alias="PER_ADDRESS_LIMITS_AT")]

    # RequireStaffApproval: a self-registration waits for staff ``approve`` ("pending_review").
    require_staff_approval: Annotated[bool, Field(alias="REQUIRE_STAFF_APPROVAL")] = policy.REQUIRE_STAFF_APPROVAL
    # StateLicenseCheck: what registration does with the state board's list (contract v3):
    # "off" checks nothing; "review" refuses a listed license that is not active and sends one the
    # list lacks to staff review; "required" also refuses one the list lacks.
    state_license_check: Annotated[Literal["off", "review", "required"], Field(alias="STATE_LICENSE_CHECK")]

    # Passkeys (contract v3): the RP ID, the host of the web client's final origin (PasskeyRpId);
    # empty: passkeys are not offered.
    passkey_rp_id: Annotated[
        str, Field(alias="PASSKEY_RP_ID", max_length=253, pattern=r"^([a-z0-9]([a-z0-9.-]*[a-z0-9])?)?$")
    ] = ""

    @field_validator("city_time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown IANA time zone {value!r}") from error
        return value

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(origin.strip().rstrip("/") for origin in value.split(",") if origin.strip())
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _origins_are_urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            if not origin.startswith(("https://", "http://")) or origin.count("/") != 2:
                raise ValueError(f"{origin!r} is not an origin like https://permits.example.gov")
        return value

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.city_time_zone)

    @property
    def session_lifetime(self) -> timedelta:
        """A session's absolute lifetime (``expires_at``)."""
        return timedelta(hours=self.session_absolute_hours)

    @property
    def passkey_origins(self) -> tuple[str, ...]:
        """The allowed web origins on the RP ID's host: the only origins a passkey answer may name."""
        return tuple(origin for origin in self.allowed_origins if urlsplit(origin).hostname == self.passkey_rp_id)

    @property
    def passkeys_offered(self) -> bool:
        """Only once the site's final domain is configured, and the web client is served on it."""
        rp_id = self.passkey_rp_id
        return bool(rp_id) and not rp_id.endswith(PROVISIONAL_DOMAINS) and bool(self.passkey_origins)

    @property
    def counts_per_address(self) -> bool:
        """The functions count the per-address limits themselves (not left to the edge)."""
        return self.per_address_limits_at == "function"

    @property
    def call_staff(self) -> str:
        """The sentence that sends a contractor to permit staff."""
        return f"Please call permit staff at {self.staff_phone_number}"


class EmailSettings(_FromEnvironment):
    """Only the functions that send email need these (register, account, forgot, reset, reminders)."""

    sender_email: Annotated[str, Field(alias="SENDER_EMAIL", pattern=_EMAIL_PATTERN, max_length=254)]
    configuration_set: Annotated[str, Field(alias="SES_CONFIGURATION_SET", min_length=1, max_length=64)]
    reset_page_url: Annotated[AnyHttpUrl, Field(alias="RESET_PAGE_URL")]
    verify_page_url: Annotated[AnyHttpUrl, Field(alias="VERIFY_PAGE_URL")]

    def link(self, page: AnyHttpUrl, token: str) -> str:
        """``<page>#token=<token>``: the link comes from configuration, never from a request, and
        the token rides in the fragment, which browsers never send to a server."""
        return f"{str(page).rstrip('#')}#token={token}"


class PortalSettings(_FromEnvironment):
    """The functions whose emails link to the portal itself (reminders, the approval email)."""

    portal_url: Annotated[AnyHttpUrl, Field(alias="PORTAL_URL")]


class ResetQueueSettings(_FromEnvironment):
    """Only ForgotFunction needs this: the queue it hands forgot-password requests to."""

    reset_requests_queue_url: Annotated[AnyHttpUrl, Field(alias="RESET_REQUESTS_QUEUE_URL")]


class LicenseImportSettings(_FromEnvironment):
    """Only LicenseDataFunction needs this: the text encoding of the board's license file
    (CSLB's download is UTF-8; a file saved from Excel on Windows is Windows-1252)."""

    license_file_encoding: Annotated[Literal["utf-8", "windows-1252"], Field(alias="LICENSE_FILE_ENCODING")] = "utf-8"
