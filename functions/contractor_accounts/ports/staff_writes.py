"""Staff's writes to an account, part of the ``ContractorStore`` port (``ports.store``): each
change is one write with its audit entry, no read before or after it."""

from datetime import datetime
from typing import Protocol

from contractor_accounts.domain.entities import AccountStatus, AuditEntry


class StaffWrites(Protocol):
    # Staff: each change is one write with its audit entry, no read before or after it. Each
    # raises NoSuchContractor when there is no such account, and ConflictingWrite with the
    # account as ``found`` when it exists but the condition named below failed.

    def approve(self, license_number: str, audit: AuditEntry, registered_at: datetime | None = None) -> None:
        """Ends ``awaiting_approval`` of an active account, and (given the account's registration
        time) removes it from the pending list in the same write. ConflictingWrite when the
        account is not awaiting it or is disabled."""
        ...

    def set_temporary_password(
        self, license_number: str, password_hash: str, expires_at: datetime, audit: AuditEntry
    ) -> None:
        """Ends every session, reset link and trusted device, and removes every passkey.
        ConflictingWrite when the account is not active."""
        ...

    def unlock(self, license_number: str, audit: AuditEntry) -> None: ...

    def remove_passkeys(self, license_number: str, audit: AuditEntry) -> None:
        """Every passkey of the account removed (its user handle stays)."""
        ...

    def set_account_status(self, license_number: str, status: AccountStatus, audit: AuditEntry) -> bool:
        """A disable ends every session, reset link and trusted device, for good. Returns whether
        the account, as written, still awaits staff approval (an enabled account stays
        ``pending_review`` until ``approve``), read by the write itself: no read around it."""
        ...
