"""The domain's own types: the account, its tokens, its audit trail and what the use cases
take and give. No HTTP and no DynamoDB here: ``schemas`` (the API) and ``dynamodb_store``
(the table) translate to and from these."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from contractor_accounts.policy import MAX_WRONG_ANSWERS

PasswordState = Literal["none", "temporary", "set"]
AccountStatus = Literal["active", "disabled"]
TokenKind = Literal["session", "challenge", "reset", "verify"]


@dataclass(frozen=True, slots=True)
class TrustedDevice:
    """A browser the contractor signed in from (OWASP device cookie): only the SHA-256 of its
    token is kept. It lives ``policy.DEVICE_TOKEN_DAYS`` from ``issued_at`` and dies after
    ``policy.DEVICE_MAX_FAILURES`` failed sign-ins through it."""

    token_hash: str
    issued_at: datetime
    failures: int = 0


@dataclass(frozen=True, slots=True)
class Contractor:
    license_number: str
    business_name: str
    created_at: datetime
    created_by: Literal["self_registration", "staff_import"]
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    mailing_address: dict[str, str] | None = None
    workers_comp: dict[str, Any] | None = None
    security_question: str | None = None
    security_answer_hash: str | None = None
    password_hash: str | None = None
    password_state: PasswordState = "none"
    temporary_password_expires_at: datetime | None = None
    password_changed_at: datetime | None = None
    account_status: AccountStatus = "active"
    failed_login_count: int = 0
    last_failed_login_at: datetime | None = None
    last_login_at: datetime | None = None
    # Bumped by every event that must end all sessions (password change, temporary password,
    # disable); a session or challenge of an older generation is dead.
    session_generation: int = 0
    # Only the newest emailed reset link works: its hash is kept here.
    reset_token_hash: str | None = None
    reset_emails_sent_at: tuple[datetime, ...] = field(default_factory=tuple)
    # The queued forgot-password request that issued the newest link: a redelivery of it is
    # recognised and sends nothing (recovery.send_reset_link).
    reset_request_id: str | None = None
    # Oldest first. Ended (all at once) by a password change, a temporary password, a disable.
    trusted_devices: tuple[TrustedDevice, ...] = field(default_factory=tuple)
    # Checklist 30: an address is trusted for recovery only once a link sent to it was used,
    # or staff set it. A change waits in ``pending_email`` until its link is used.
    email_verified: bool = False
    pending_email: str | None = None
    # Only the newest emailed verification link works: its hash is kept here.
    verification_token_hash: str | None = None
    verification_emails_sent_at: tuple[datetime, ...] = field(default_factory=tuple)
    # RequireStaffApproval: a self-registration waits for staff ``approve`` (the API says
    # "pending_review"; ``account_status`` stays active/disabled, which every check reads).
    awaiting_approval: bool = False
    # The address SES reported as bouncing permanently or as complained about (``deliverability``).
    # It stays recorded when the email changes; only mail to that very address stops.
    undeliverable_email: str | None = None
    undeliverable_since: datetime | None = None

    @property
    def deliverable_email(self) -> str | None:
        """The address mail may go to: none when the account has none or it cannot receive mail."""
        if self.email and self.email != self.undeliverable_email:
            return self.email
        return None

    @property
    def email_undeliverable(self) -> bool:
        return self.email is not None and self.email == self.undeliverable_email


@dataclass(frozen=True, slots=True)
class TokenRecord:
    token_hash: str
    kind: TokenKind
    license_number: str
    session_generation: int
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None = None
    # Reset links: security answers counted so far, each before it was judged.
    answers_counted: int = 0
    # Verification links: the address the link proves.
    email: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    license_number: str
    action: str
    actor: str
    at: datetime
    details: dict[str, str] = field(default_factory=dict)


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
    # The change ends every trusted device; this one (SAVE AND LOGIN signs in) is the only one left.
    new_device: TrustedDevice | None = None
    # For an emailed link: the account's newest reset token must still be this one.
    expected_reset_token_hash: str | None = None
    max_answers: int = MAX_WRONG_ANSWERS


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token as the client gets it, and the record the store keeps (hash only)."""

    token: str
    record: TokenRecord


@dataclass(frozen=True, slots=True)
class DeviceChange:
    """What a successful sign-in does to the account's trusted devices."""

    # The live device token the sign-in was judged by: its failures go back to zero.
    signed_in_with: str | None = None
    # A new device token for the browser, and the older ones it pushes out.
    added: TrustedDevice | None = None
    evicted: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SignedIn:
    session: IssuedToken
    contractor: Contractor
    # The browser's device token: the one it sent when live, else a new one (None at registration).
    device_token: str | None = None


@dataclass(frozen=True, slots=True)
class ChallengeIssued:
    challenge: IssuedToken


@dataclass(frozen=True, slots=True)
class MailingAddress:
    street: str
    city: str
    state: str
    postal_code: str


@dataclass(frozen=True, slots=True)
class WorkersCompPolicy:
    carrier: str
    policy_number: str
    expires_on: date


@dataclass(frozen=True, slots=True)
class WorkersCompExempt:
    pass


@dataclass(frozen=True, slots=True)
class NewAccount:
    """What a contractor gives to set up an account (already validated by the API schema)."""

    license_number: str
    password: str
    security_question: str
    security_answer: str
    business_name: str
    contact_name: str
    email: str
    phone: str
    mailing_address: MailingAddress
    workers_comp: WorkersCompPolicy | WorkersCompExempt


@dataclass(frozen=True, slots=True)
class NewPassword:
    """A password change with a token: an emailed reset link or a first sign-in challenge."""

    token: str
    new_password: str
    security_answer: str
    # Set only when the account has no security question yet (always at first sign-in).
    security_question: str | None = None


@dataclass(frozen=True, slots=True)
class ContactChange:
    """Contact fields written at once: the contractor's own (``PATCH /me``) or staff's
    (``update_contact``). Keys of ``values``: ``contact_name``, ``phone``, ``mailing_address``,
    ``workers_comp``, and for staff only ``business_name`` and ``email`` (an email set by staff
    counts as verified)."""

    license_number: str
    values: dict[str, Any]
    audit: AuditEntry
    # The contractor's own change: the session's generation (a change of a signed-out account
    # is refused). None for staff.
    expected_generation: int | None = None


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
class PolicyHolder:
    """What the reminder job reads of an account from the expiry index (its projection)."""

    license_number: str
    email: str | None
    email_verified: bool
    account_status: AccountStatus
    workers_comp: dict[str, Any]
    undeliverable_email: str | None = None

    @property
    def deliverable_email(self) -> str | None:
        """As ``Contractor.deliverable_email``: no reminder goes to an address that bounced."""
        if self.email and self.email != self.undeliverable_email:
            return self.email
        return None


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """Contact fields to change (None: unchanged). ``business_name`` and ``email`` only from staff."""

    contact_name: str | None = None
    phone: str | None = None
    mailing_address: MailingAddress | None = None
    workers_comp: WorkersCompPolicy | WorkersCompExempt | None = None
    business_name: str | None = None
    email: str | None = None
