"""The port through which the domain keeps its data.

``ContractorStore`` speaks the domain's language (create an account, start a session,
change a password); every write that must not race is one conditional write or one
transaction in the DynamoDB adapter (``adapters.dynamodb``), and the in-memory fake in the
tests honours the same conditions. The per-address request counters and the reminders sent are
ports of their own (``ports.request_counters``, ``ports.reminder_log``)."""

from datetime import date, datetime
from typing import Protocol

from contractor_accounts.domain.activity import Activity
from contractor_accounts.domain.changes import (
    Claim,
    ContactChange,
    DeviceChange,
    OwnPasswordChange,
    PasswordChange,
    VerificationIssue,
)
from contractor_accounts.domain.entities import AuditEntry, Contractor, PolicyHolder, TokenRecord
from contractor_accounts.domain.policy import MAX_WRONG_ANSWERS
from contractor_accounts.domain.search import SearchField
from contractor_accounts.ports.staff_writes import StaffWrites


class ContractorExists(Exception):
    def __init__(self, existing: Contractor | None) -> None:
        super().__init__("a contractor with this license number exists")
        self.existing = existing


class ConflictingWrite(Exception):
    """A conditional write lost: the account or token changed since it was read. ``found``:
    the account as the failed condition saw it, when the write asked for it (staff writes:
    ReturnValuesOnConditionCheckFailure=ALL_OLD, so no read before or after the write)."""

    def __init__(self, reason: str = "ConditionalCheckFailed", found: Contractor | None = None) -> None:
        super().__init__(reason)
        self.found = found


class NoSuchContractor(ConflictingWrite):
    """The write's condition failed because there is no account with this license number."""


class ContractorStore(StaffWrites, Protocol):
    def get_contractor(self, license_number: str) -> Contractor | None: ...

    def get_token(self, token_hash: str) -> TokenRecord | None: ...

    def create_contractor(
        self,
        contractor: Contractor,
        first_session: TokenRecord | None,
        audit: AuditEntry | None,
        verification: TokenRecord | None = None,
    ) -> None:
        """Raises ContractorExists; never overwrites. ``verification``: the emailed link of a
        self-registration (its hash is ``contractor.verification_token_hash``)."""
        ...

    # The account's history.

    def history(self, license_number: str, limit: int) -> list[AuditEntry]:
        """The account's ``limit`` newest audit entries, newest first, in one read (none for an
        unknown account): the reader of its history (the contractor's activity)."""
        ...

    def get_contractor_with_audit(self, license_number: str, limit: int) -> tuple[Contractor, list[AuditEntry]] | None:
        """The account and its ``history(license_number, limit)``, in one read of the account's
        items (staff ``get``); None when there is no such account."""
        ...

    def contractor_with_activity(
        self, license_number: str, since: datetime
    ) -> tuple[Contractor, list[AuditEntry], list[Activity]] | None:
        """The account, its whole audit trail (newest first) and its activity records since
        ``since`` (the contractor's own events, newest first), in one read of the account's
        items (``GET /me/activity``, staff ``get``); None when there is no such account."""
        ...

    # Sign-in: the attempt claimed before the password is judged, then the session.

    def claim_sign_in_attempt(self, license_number: str, now: datetime) -> Contractor | None:
        """Records a sign-in attempt BEFORE its password is judged, in one conditional write:
        unless the account is locked at ``now`` (``policy.lock_ends``), the attempt is counted
        as a failure (a success takes it back with ``start_session``) and the account is
        returned as counted. None, with nothing written, for an unknown license or a locked
        account: an attempt during a lock is neither counted nor extends it. However many
        attempts arrive at once, no more pass than the lockout rule allows. An account whose
        password is temporary is claimed (counted) even while locked (contract v3)."""
        ...

    def claim_device_attempt(self, license_number: str, device_hash: str, now: datetime) -> Contractor | None:
        """The same for a sign-in through a trusted device: counted against that device's own
        failures, provided the account has this live device (issued less than
        ``policy.DEVICE_TOKEN_DAYS`` ago, fewer than ``policy.DEVICE_MAX_FAILURES`` failures);
        the account's own count and lock are untouched. None, with nothing written, otherwise."""
        ...

    def start_session(
        self,
        contractor: Contractor,
        token: TokenRecord,
        at: datetime,
        rehashed_password: str | None,
        claim: Claim,
        devices: DeviceChange | None = None,
    ) -> None:
        """Takes back exactly ``claim`` (``claim.counted`` off the account's failure count, or off
        its device's; failures counted after the claim stay), stores the session or challenge
        token and applies ``devices``, provided the account is unchanged since it was claimed
        (same password hash, same generation, still active, still holding the claim) and, when
        a device is added, its devices are as many as ``devices.seen`` with the evicted among
        them. Raises ConflictingWrite (with the account as ``found``, for a retry)."""
        ...

    # Sessions.

    def touch_session(self, token_hash: str, now: datetime, idle_since: datetime) -> TokenRecord | None:
        """The live session (seen after ``idle_since``, not past its absolute expiry), with
        its last use moved to ``now``; None when there is none. A write: callers read the
        session first (``get_token``) and touch it only when its idle deadline needs moving."""
        ...

    def delete_session(self, token_hash: str) -> bool:
        """True when a session was deleted."""
        ...

    def end_all_sessions(self, license_number: str, expected_generation: int, audit: AuditEntry) -> None:
        """Signs the account out everywhere: every session, challenge, emailed link and trusted
        device ends, provided the account is active and its sessions are of ``expected_generation``.
        Raises ConflictingWrite."""
        ...

    # Credentials: the password (through a token, or signed in), the security question.

    def change_password(self, change: PasswordChange) -> None:
        """Consumes the token, sets the password, ends every session and trusted device,
        optionally opens a new session (and device) and writes the audit entry, all in one
        transaction. Raises ConflictingWrite."""
        ...

    def change_own_password(self, change: OwnPasswordChange) -> None:
        """Sets the password, ends every session, reset link and trusted device but
        ``change.kept_device`` (the asking browser's, with no failures), clears the failure
        count (a new password: the guesses were of the old one), deletes the session that asked
        and stores its successor, all at once, provided the password and the sessions are as
        read. Raises ConflictingWrite."""
        ...

    def set_security_question(
        self,
        license_number: str,
        expected_generation: int,
        question: str,
        answer_hash: str,
        audit: AuditEntry,
        claim: Claim,
    ) -> None:
        """Also takes back exactly ``claim`` (the confirmed current password's: the account's
        failures or its device's). Raises ConflictingWrite when the account's sessions are no
        longer of that generation, or the claim is no longer held."""
        ...

    def claim_answer_attempt(self, token_hash: str, limit: int = MAX_WRONG_ANSWERS) -> int | None:
        """Counts a security answer on a reset token BEFORE it is judged, in one conditional
        write; returns the count including this one, or None (nothing written) when the token
        is not a reset token or has already counted ``limit`` answers. However many answers
        arrive at once, at most ``limit`` are judged."""
        ...

    # Reset links.

    def issue_reset_token(
        self, contractor: Contractor, token: TokenRecord, sent_at: tuple[datetime, ...], request_id: str
    ) -> None:
        """Makes ``token`` the account's only valid reset token and records the email times and
        the request that asked for it, provided all are unchanged since ``contractor`` was read,
        and so is what the link was decided on: the account active, its email the one to be
        mailed, verified and deliverable. Raises ConflictingWrite."""
        ...

    def withdraw_reset_token(self, contractor: Contractor, token: TokenRecord) -> None:
        """Undoes ``issue_reset_token`` when the email could not be sent."""
        ...

    # Contact details (the contractor's own, and staff's) and the email confirmation link.

    def update_contact(self, change: ContactChange) -> None:
        """Writes the values and the audit entry at once, provided the account exists (and for
        the contractor's own change, its sessions are of ``expected_generation``). An email in
        the values is verified, and ends any pending change and reset link; a changed searchable
        field must still be as in ``change.before``. Raises ConflictingWrite."""
        ...

    def issue_verification(self, contractor: Contractor, issue: VerificationIssue) -> None:
        """Makes ``issue.token`` the account's only valid verification link, sets the pending
        email and the email times, provided the link, the times and the sessions are unchanged
        since ``contractor`` was read. Raises ConflictingWrite."""
        ...

    def verify_email(self, token: TokenRecord, audit: AuditEntry, replaced: str | None = None) -> None:
        """Consumes the verification link and makes ``token.email`` the account's verified
        email (ending a pending change and any reset link), provided it is still the newest link,
        the account's email is still ``replaced`` (as read; its ``find`` entry moves) and its
        sessions are of the link's generation. Raises ConflictingWrite."""
        ...

    # Workers' compensation reminders: who is due (what was sent: ``ports.reminder_log``).

    def policy_holders_expiring_on(self, day: date) -> list[PolicyHolder]:
        """The accounts whose workers' compensation policy expires on ``day`` (a Query on the
        sparse expiry index; never a Scan)."""
        ...

    def find_contractors(self, field: SearchField, text: str, limit: int) -> tuple[list[Contractor], bool]:
        """Staff ``find`` (never a Scan): at most ``limit`` accounts whose ``field`` starts with
        ``text`` as searched (``domain.search``), and whether there were more."""
        ...

    # Email deliverability.

    def mark_email_undeliverable(self, license_number: str, address: str, at: datetime) -> bool:
        """Records that ``address`` cannot receive mail, provided it is still the account's email
        (one conditional write); False when it is not, or there is no such account."""
        ...
