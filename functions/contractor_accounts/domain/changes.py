"""What the store writes at once, or not at all: each change a use case decided, with the
conditions on what it read (the ``ContractorStore`` port takes these)."""

from dataclasses import dataclass
from datetime import datetime

from contractor_accounts.domain.entities import AuditEntry, TokenKind, TokenRecord, TrustedDevice
from contractor_accounts.domain.policy import MAX_WRONG_ANSWERS
from contractor_accounts.domain.requests import ContactDetails


@dataclass(frozen=True, slots=True)
class PasswordChange:
    """Everything a password change writes at once, or not at all."""

    license_number: str
    expected_generation: int
    consumed_token_hash: str
    consumed_token_kind: TokenKind
    password_hash: str
    at: datetime
    audit: AuditEntry
    security_question: str | None = None
    security_answer_hash: str | None = None
    new_session: TokenRecord | None = None
    # The change ends every trusted device; the browser that made it (it proved the link and
    # the answer, or held the challenge) is the only one left.
    new_device: TrustedDevice | None = None
    # For an emailed link: the account's newest reset token must still be this one.
    expected_reset_token_hash: str | None = None
    max_answers: int = MAX_WRONG_ANSWERS

    @classmethod
    def through(
        cls,
        token: TokenRecord,
        password_hash: str,
        at: datetime,
        action: str,
        device: TrustedDevice,
        *,
        security_question: str | None = None,
        security_answer_hash: str | None = None,
        new_session: TokenRecord | None = None,
    ) -> "PasswordChange":
        """A new password set through ``token`` (an emailed reset link, only while it is the
        account's newest; or a first sign-in challenge), audited as ``action``, with ``device``
        as the account's one trusted device."""
        return cls(
            license_number=token.license_number,
            expected_generation=token.session_generation,
            consumed_token_hash=token.token_hash,
            consumed_token_kind=token.kind,
            password_hash=password_hash,
            at=at,
            audit=AuditEntry(token.license_number, action, "contractor", at),
            security_question=security_question,
            security_answer_hash=security_answer_hash,
            new_session=new_session,
            new_device=device,
            expected_reset_token_hash=token.token_hash if token.kind == "reset" else None,
        )


@dataclass(frozen=True, slots=True)
class OwnPasswordChange:
    """``PUT /me/password``: every session ends; the one that asked continues as ``new_session``."""

    license_number: str
    expected_generation: int
    seen_password_hash: str
    password_hash: str
    ended_session_hash: str
    new_session: TokenRecord
    at: datetime
    audit: AuditEntry


@dataclass(frozen=True, slots=True)
class ContactChange:
    """Contact fields written at once: the contractor's own (``PATCH /me``) or staff's
    (``update_contact``). ``business_name`` and ``email`` come only from staff (an email set by
    staff counts as verified)."""

    license_number: str
    details: ContactDetails
    audit: AuditEntry
    # The contractor's own change: the session's generation (a change of a signed-out account
    # is refused). None for staff.
    expected_generation: int | None = None


@dataclass(frozen=True, slots=True)
class VerificationIssue:
    """A new emailed verification link: its token, the account's email-time list, and for an
    email change the address waiting for it."""

    token: TokenRecord
    sent_at: tuple[datetime, ...]
    pending_email: str | None
    audit: AuditEntry | None = None
    # The current password was confirmed for this change: its claimed sign-in attempt is taken
    # back (the failure count reset) in the same write. Never for a plain resend.
    password_confirmed: bool = False


@dataclass(frozen=True, slots=True)
class DeviceChange:
    """What a successful sign-in does to the account's trusted devices."""

    # The live device token the sign-in was judged by: its failures go back to zero.
    signed_in_with: str | None = None
    # A new device token for the browser, and the older ones it pushes out.
    added: TrustedDevice | None = None
    evicted: tuple[str, ...] = ()
