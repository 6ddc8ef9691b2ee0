"""The domain's entities: the account, its trusted devices, its tokens, its audit trail. No HTTP
and no DynamoDB here: ``http.schemas`` (the API) and ``adapters.dynamodb.items`` (the table)
translate to and from these."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from contractor_accounts.domain.values import MailingAddress, WorkersComp, WorkersCompPolicy

PasswordState = Literal["none", "temporary", "set"]
AccountStatus = Literal["active", "disabled"]
TokenKind = Literal["session", "challenge", "reset", "verify"]
PasskeyCeremony = Literal["sign_in", "registration"]


@dataclass(frozen=True, slots=True)
class TrustedDevice:
    """A browser the contractor signed in from (OWASP device cookie): only the SHA-256 of its
    token is kept. It lives ``policy.DEVICE_TOKEN_DAYS`` from ``issued_at`` and dies after
    ``policy.DEVICE_MAX_FAILURES`` failed sign-ins through it."""

    token_hash: str
    issued_at: datetime
    failures: int = 0


@dataclass(frozen=True, slots=True)
class Passkey:
    """A WebAuthn discoverable credential of the account (contract v3, "Passkeys"): its public key
    (COSE), never a secret; the sign count the authenticator last reported (clone detection)."""

    credential_id: str  # base64url, no padding, as the browser names it
    public_key: bytes
    sign_count: int
    name: str
    created_at: datetime
    last_used_at: datetime | None = None
    # The authenticator's backup-state flag: a synced passkey (a phone's or a password manager's).
    synced: bool = False


@dataclass(frozen=True, slots=True)
class PasskeyChallenge:
    """A WebAuthn challenge waiting for its answer: stored only as the SHA-256 of the challenge,
    used once (consumed by a conditional write), short-lived. A registration challenge belongs to
    the account and the session that asked for it."""

    challenge_hash: str
    ceremony: PasskeyCeremony
    created_at: datetime
    expires_at: datetime
    license_number: str | None = None
    session_hash: str | None = None


@dataclass(frozen=True, slots=True)
class Contractor:
    license_number: str
    business_name: str
    created_at: datetime
    created_by: Literal["self_registration", "staff_import"]
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    mailing_address: MailingAddress | None = None
    workers_comp: WorkersComp | None = None
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
    # Passkeys (contract v3): the account's random WebAuthn user handle (never the license or any
    # personal data), made with its first passkey's options, and its passkeys, oldest first.
    passkey_handle: str | None = None
    passkeys: tuple[Passkey, ...] = field(default_factory=tuple)

    def passkey(self, credential_id: str) -> Passkey | None:
        return next((passkey for passkey in self.passkeys if passkey.credential_id == credential_id), None)

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
    # Sessions: the trusted device of the browser that holds it (the one it signed in through,
    # or the one it was given then), which judges its ``current_password`` (contract v3).
    device_hash: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    license_number: str
    action: str
    actor: str
    at: datetime
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PolicyHolder:
    """What the reminder job reads of an account from the expiry index (its projection)."""

    license_number: str
    email: str | None
    email_verified: bool
    account_status: AccountStatus
    workers_comp: WorkersCompPolicy
    undeliverable_email: str | None = None

    @property
    def deliverable_email(self) -> str | None:
        """As ``Contractor.deliverable_email``: no reminder goes to an address that bounced."""
        if self.email and self.email != self.undeliverable_email:
            return self.email
        return None
