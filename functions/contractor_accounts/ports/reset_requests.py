"""Forgot-password requests on their way from ForgotFunction to the reset mailer.

ForgotFunction answers at once and hands every well-formed license number over here, the same
work whether or not an account exists, so the answer's time tells nothing; the mailer
(``recovery.PasswordRecovery.send_reset_link``) decides later whether an email goes out."""

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class MalformedResetRequest(ValueError):
    """A queued message that is not a reset request (it goes to the dead-letter queue)."""


@dataclass(frozen=True)
class ResetRequest:
    """One "Forgot Password" click. The mailer records ``request_id`` with the link it issues,
    so a redelivered message is recognised and sends nothing; ``requested_at`` lets it drop a
    request that waited longer than a link would have lived."""

    license_number: str
    requested_at: datetime
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def to_message(self) -> str:
        return json.dumps(
            {
                "license_number": self.license_number,
                "requested_at": self.requested_at.astimezone(UTC).strftime(_TIME_FORMAT),
                "request_id": self.request_id,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_message(cls, body: str) -> "ResetRequest":
        try:
            fields = json.loads(body)
            license_number = fields["license_number"]
            requested_at = datetime.strptime(fields["requested_at"], _TIME_FORMAT).replace(tzinfo=UTC)
            request_id = fields["request_id"]
        except (ValueError, TypeError, KeyError) as error:
            raise MalformedResetRequest(str(error)) from error
        if not isinstance(license_number, str) or not (license_number.isascii() and license_number.isdigit()):
            raise MalformedResetRequest("license_number is not a normalized license number")
        if not isinstance(request_id, str) or not 1 <= len(request_id) <= 64:
            raise MalformedResetRequest("request_id is not a request id")
        return cls(license_number, requested_at, request_id)


class ResetRequestQueue(Protocol):
    """The port ForgotFunction hands requests to (SQS in ``sqs_reset_requests``)."""

    def hand_over(self, request: ResetRequest) -> None: ...
