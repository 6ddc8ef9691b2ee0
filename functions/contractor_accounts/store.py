"""The data the domain keeps and the port it keeps it through.

``ContractorStore`` speaks the domain's language (create an account, start a session,
change a password); every write that must not race is one conditional write or one
transaction in the DynamoDB adapter, and the in-memory fake in the tests honours the
same conditions."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

PasswordState = Literal["none", "temporary", "set"]
AccountStatus = Literal["active", "disabled"]
TokenKind = Literal["session", "challenge", "reset"]


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


@dataclass(frozen=True, slots=True)
class TokenRecord:
    token_hash: str
    kind: TokenKind
    license_number: str
    session_generation: int
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None = None
    wrong_answers: int = 0


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
    # For an emailed link: the account's newest reset token must still be this one.
    expected_reset_token_hash: str | None = None
    max_wrong_answers: int = 5


class ContractorExists(Exception):
    def __init__(self, existing: Contractor | None) -> None:
        super().__init__("a contractor with this license number exists")
        self.existing = existing


class ConflictingWrite(Exception):
    """A conditional write lost: the account or token changed since it was read."""


class ContractorStore(Protocol):
    def get_contractor(self, license_number: str) -> Contractor | None: ...

    def create_contractor(
        self, contractor: Contractor, first_session: TokenRecord | None, audit: AuditEntry | None
    ) -> None:
        """Raises ContractorExists; never overwrites."""
        ...

    def record_failed_sign_in(self, license_number: str, at: datetime) -> None:
        """Atomically counts a failure; does nothing for an unknown license."""
        ...

    def count_request(self, key: str, window_start: datetime, window_end: datetime) -> int:
        """Atomically counts one request of ``key`` (e.g. "sign_in#<ip>") in the window that
        starts at ``window_start``; returns the count so far."""
        ...

    def start_session(
        self,
        contractor: Contractor,
        token: TokenRecord,
        at: datetime,
        rehashed_password: str | None,
    ) -> None:
        """Resets the failure count and stores the session or challenge token, provided the
        account is unchanged since it was read (same password hash, same generation, still
        active). Raises ConflictingWrite."""
        ...

    def touch_session(self, token_hash: str, now: datetime, idle_since: datetime) -> TokenRecord | None:
        """The live session (seen after ``idle_since``, not past its absolute expiry), with
        its last use moved to ``now``; None when there is none."""
        ...

    def get_token(self, token_hash: str) -> TokenRecord | None: ...

    def delete_session(self, token_hash: str) -> bool:
        """True when a session was deleted."""
        ...

    def change_password(self, change: PasswordChange) -> None:
        """Consumes the token, sets the password, ends every session, optionally opens a new
        one and writes the audit entry, all in one transaction. Raises ConflictingWrite."""
        ...

    def count_wrong_answer(self, token_hash: str) -> int:
        """Atomically counts a wrong security answer on a reset token; returns the count."""
        ...

    def issue_reset_token(self, contractor: Contractor, token: TokenRecord, sent_at: tuple[datetime, ...]) -> None:
        """Makes ``token`` the account's only valid reset token and records the email times,
        provided both are unchanged since ``contractor`` was read. Raises ConflictingWrite."""
        ...

    def withdraw_reset_token(self, contractor: Contractor, token: TokenRecord) -> None:
        """Undoes ``issue_reset_token`` when the email could not be sent."""
        ...

    # Staff.

    def set_temporary_password(
        self, license_number: str, password_hash: str, expires_at: datetime, audit: AuditEntry
    ) -> Contractor:
        """Raises ConflictingWrite when there is no such account."""
        ...

    def unlock(self, license_number: str, audit: AuditEntry) -> Contractor: ...

    def set_account_status(self, license_number: str, status: AccountStatus, audit: AuditEntry) -> Contractor: ...

    def recent_audit(self, license_number: str, limit: int) -> list[AuditEntry]: ...
