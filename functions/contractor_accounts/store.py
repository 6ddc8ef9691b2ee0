"""The port through which the domain keeps its data.

``ContractorStore`` speaks the domain's language (create an account, start a session,
change a password); every write that must not race is one conditional write or one
transaction in the DynamoDB adapter (``dynamodb_store``), and the in-memory fake in the
tests honours the same conditions."""

from datetime import datetime
from typing import Protocol

from contractor_accounts.entities import AccountStatus, AuditEntry, Contractor, PasswordChange, TokenRecord


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
