"""In-memory stand-ins for the domain's ports: the store and the mailer (the clock: tests/support/clock.py).

``InMemoryContractorStore``, ``InMemoryRequestCounters`` and ``InMemoryReminderLog`` honour
exactly the conditions of the DynamoDB adapter (``adapters.dynamodb``: every conditional write and
transaction is all-or-nothing), so a domain test against them says something about production.
A test can make the next write, or a named method, fail.
"""

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from contractor_accounts.domain.activity import Activity, activity_of
from contractor_accounts.domain.changes import (
    Claim,
    ContactChange,
    DeviceChange,
    OwnPasswordChange,
    PasswordChange,
    VerificationIssue,
)
from contractor_accounts.domain.contact import with_contact
from contractor_accounts.domain.emails import EmailMessage
from contractor_accounts.domain.entities import (
    AccountStatus,
    AuditEntry,
    Contractor,
    PolicyHolder,
    TokenRecord,
    TrustedDevice,
)
from contractor_accounts.domain.license_check import AccountAndLicense, PendingReview
from contractor_accounts.domain.passwords import normalize_answer, normalize_password
from contractor_accounts.domain.policy import DEVICE_MAX_FAILURES, DEVICE_TOKEN_DAYS, MAX_WRONG_ANSWERS, lock_ends
from contractor_accounts.domain.search import (
    MIN_SEARCH_CHARACTERS,
    SEARCH_FIELDS,
    SearchField,
    keys_after,
    search_key,
    search_keys,
)
from contractor_accounts.domain.state_license import LicenseLookup, StateLicense
from contractor_accounts.domain.values import MailingAddress, WorkersCompExempt, WorkersCompPolicy
from contractor_accounts.ports.mailer import EmailNotSent
from contractor_accounts.ports.request_counters import RequestCount
from contractor_accounts.ports.store import ConflictingWrite, ContractorExists, NoSuchContractor
from contractor_accounts.settings import EmailSettings, Settings

from tests.support import clock
from tests.support.environment import TEMPLATE
from tests.support.samples import BUSINESS_NAME, EMAIL, LICENSE, QUESTION

START = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)

# What the template gives a deployed function locally (tests/support/environment.py reads it from the
# template with the local parameters): one source for the unit tests too.
SETTINGS_ENV: dict[str, str] = {
    name: value for function in TEMPLATE.functions.values() for name, value in function.environment.items()
}


def settings(overrides: Mapping[str, str] | None = None) -> Settings:
    return Settings.from_env({**SETTINGS_ENV, **(overrides or {})})


def email_settings(overrides: Mapping[str, str] | None = None) -> EmailSettings:
    return EmailSettings.from_env({**SETTINGS_ENV, **(overrides or {})})


@dataclass
class FakeMailer:
    """Records what was sent; ``fail = True`` makes every send raise EmailNotSent (the
    attempt is still recorded in ``attempted``)."""

    sent: list[EmailMessage] = field(default_factory=list)
    attempted: list[EmailMessage] = field(default_factory=list)
    fail: bool = False

    def send(self, email: EmailMessage) -> None:
        self.attempted.append(email)
        if self.fail:
            raise EmailNotSent("MessageRejected")
        self.sent.append(email)


@dataclass
class _Recorded:
    """What every in-memory port records of its calls, and the failures a test injects."""

    # The next write (any method that changes something) raises this instead of writing.
    fail_next: Exception | None = None
    # One-shot failures of a named method, reads included: {"get_contractor": error}.
    fail_on: dict[str, Exception] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def _enter(self, method: str, *, write: bool) -> None:
        self.calls.append(method)
        if method in self.fail_on:
            raise self.fail_on.pop(method)
        if write and self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error


@dataclass
class InMemoryRequestCounters(_Recorded):
    # (key, minute since the epoch) -> requests
    request_counts: dict[tuple[str, int], int] = field(default_factory=dict)

    def count_request(self, key: str, now: datetime) -> RequestCount:
        self._enter("count_request", write=True)
        minute = int(now.timestamp()) // 60
        self.request_counts[key, minute] = self.request_counts.get((key, minute), 0) + 1
        return RequestCount(self.request_counts[key, minute], self.request_counts.get((key, minute - 1), 0))


@dataclass
class InMemoryLicenseRecords(_Recorded):
    """The state board's list as the import leaves it: ``loaded`` once a first file was imported."""

    records: dict[str, StateLicense] = field(default_factory=dict)
    loaded: bool = False

    def look_up_license(self, license_number: str) -> LicenseLookup:
        self._enter("look_up_license", write=False)
        return LicenseLookup(self.loaded, self.records.get(license_number))


@dataclass
class InMemoryLicenseChecks(InMemoryLicenseRecords):
    """The list's reads beside the accounts (``ports.license_checks``), over the fake store's
    accounts and pending list."""

    store: "InMemoryContractorStore | None" = None

    def _accounts(self) -> "InMemoryContractorStore":
        if self.store is None:
            raise AssertionError("InMemoryLicenseChecks needs the store it reads accounts from")
        return self.store

    def account_and_license(self, license_number: str) -> AccountAndLicense:
        self._enter("account_and_license", write=False)
        return AccountAndLicense(
            self._accounts().contractors.get(license_number),
            LicenseLookup(self.loaded, self.records.get(license_number)),
        )

    def licenses(self, license_numbers: Sequence[str]) -> dict[str, StateLicense]:
        self._enter("licenses", write=False)
        return {number: self.records[number] for number in license_numbers if number in self.records}

    def accounts(self, license_numbers: Sequence[str]) -> list[Contractor]:
        self._enter("accounts", write=False)
        held = self._accounts().contractors
        return sorted(
            (held[number] for number in set(license_numbers) if number in held), key=lambda c: c.license_number
        )

    def licenses_expiring_on(self, day: date) -> list[str]:
        self._enter("licenses_expiring_on", write=False)
        return sorted(number for number, record in self.records.items() if record.expires_on == day)

    def pending_reviews(self, limit: int) -> list[PendingReview]:
        self._enter("pending_reviews", write=False)
        pending = sorted(self._accounts().pending.items())[:limit]
        return [PendingReview(number, name, at) for (at, number), name in pending]


@dataclass
class InMemoryReminderLog(_Recorded):
    reminders: dict[str, datetime] = field(default_factory=dict)

    def claim_reminder(self, key: str, keep_until: datetime) -> bool:
        self._enter("claim_reminder", write=True)
        if key in self.reminders:
            return False
        self.reminders[key] = keep_until
        return True

    def release_reminder(self, key: str) -> None:
        self._enter("release_reminder", write=True)
        self.reminders.pop(key, None)


@dataclass
class InMemoryContractorStore(_Recorded):
    contractors: dict[str, Contractor] = field(default_factory=dict)
    tokens: dict[str, TokenRecord] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    # The pending list's index items: (registered at, license) -> the business name typed.
    pending: dict[tuple[datetime, str], str] = field(default_factory=dict)

    def _existing(self, license_number: str) -> Contractor:
        """An update whose condition names an attribute of the item fails on a missing item."""
        contractor = self.contractors.get(license_number)
        if contractor is None:
            raise NoSuchContractor("ConditionalCheckFailed")
        return contractor

    # Reads.

    def get_contractor(self, license_number: str) -> Contractor | None:
        self._enter("get_contractor", write=False)
        return self.contractors.get(license_number)

    def get_token(self, token_hash: str) -> TokenRecord | None:
        self._enter("get_token", write=False)
        return self.tokens.get(token_hash)

    def history(self, license_number: str, limit: int) -> list[AuditEntry]:
        self._enter("history", write=False)
        return self._newest_entries(license_number, limit)

    def get_contractor_with_audit(self, license_number: str, limit: int) -> tuple[Contractor, list[AuditEntry]] | None:
        self._enter("get_contractor_with_audit", write=False)
        contractor = self.contractors.get(license_number)
        if contractor is None:
            return None
        return contractor, self._newest_entries(license_number, limit)

    def contractor_with_activity(
        self, license_number: str, since: datetime
    ) -> tuple[Contractor, list[AuditEntry], list[Activity]] | None:
        """As the table's one Query: the account, its audit trail, and its activity records (here
        derived from the contractor's audit entries: the fake records no sign-ins)."""
        self._enter("contractor_with_activity", write=False)
        contractor = self.contractors.get(license_number)
        if contractor is None:
            return None
        audit = self._newest_entries(license_number, len(self.audit))
        activity = [
            found for found in (activity_of(entry, None, None) for entry in audit) if found and found.at >= since
        ]
        return contractor, audit, activity

    def _newest_entries(self, license_number: str, limit: int) -> list[AuditEntry]:
        entries = [entry for entry in reversed(self.audit) if entry.license_number == license_number]
        # Newest first; entries of the same instant keep "last written first" (stable sort).
        return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]

    # Accounts.

    def create_contractor(
        self,
        contractor: Contractor,
        first_session: TokenRecord | None,
        audit: AuditEntry | None,
        verification: TokenRecord | None = None,
    ) -> None:
        self._enter("create_contractor", write=True)
        existing = self.contractors.get(contractor.license_number)
        if existing is not None:
            raise ContractorExists(existing)
        new_tokens = [token for token in (first_session, verification) if token is not None]
        if any(token.token_hash in self.tokens for token in new_tokens):
            raise ConflictingWrite("ConditionalCheckFailed")
        self.contractors[contractor.license_number] = contractor
        for token in new_tokens:
            self.tokens[token.token_hash] = token
        if audit is not None:
            self.audit.append(audit)
        if contractor.awaiting_approval:
            self.pending[contractor.created_at, contractor.license_number] = contractor.business_name

    def claim_sign_in_attempt(self, license_number: str, now: datetime) -> Contractor | None:
        self._enter("claim_sign_in_attempt", write=True)
        contractor = self.contractors.get(license_number)
        if contractor is None:
            return None  # no item is created for an unknown license
        ends = lock_ends(contractor.failed_login_count, contractor.last_failed_login_at)
        if ends is not None and now < ends and contractor.password_state != "temporary":
            return None  # locked (and not a temporary password, judged even then): nothing written
        claimed = replace(contractor, failed_login_count=contractor.failed_login_count + 1, last_failed_login_at=now)
        self.contractors[license_number] = claimed
        return claimed

    def claim_device_attempt(self, license_number: str, device_hash: str, now: datetime) -> Contractor | None:
        self._enter("claim_device_attempt", write=True)
        contractor = self.contractors.get(license_number)
        device = next(
            (
                device
                for device in (contractor.trusted_devices if contractor else ())
                if device.token_hash == device_hash
            ),
            None,
        )
        if (
            contractor is None
            or device is None
            or not device.failures < DEVICE_MAX_FAILURES
            or not device.issued_at > now - timedelta(days=DEVICE_TOKEN_DAYS)
        ):
            return None
        claimed = replace(
            contractor, trusted_devices=_with_device(contractor, replace(device, failures=device.failures + 1))
        )
        self.contractors[license_number] = claimed
        return claimed

    def start_session(
        self,
        contractor: Contractor,
        token: TokenRecord,
        at: datetime,
        rehashed_password: str | None,
        claim: Claim,
        devices: DeviceChange | None = None,
    ) -> None:
        self._enter("start_session", write=True)
        devices = devices or DeviceChange()
        current = self._existing(contractor.license_number)
        if (
            current.session_generation != contractor.session_generation
            or contractor.password_hash is None
            or current.password_hash != contractor.password_hash
            or current.account_status != "active"
        ):
            raise ConflictingWrite("ConditionalCheckFailed", current)
        if devices.added and (
            len(current.trusted_devices) != devices.seen
            or not set(devices.evicted) <= {known.token_hash for known in current.trusted_devices}
        ):
            raise ConflictingWrite("ConditionalCheckFailed", current)
        updated = _taken_back(current, claim)
        if token.token_hash in self.tokens:
            raise ConflictingWrite("ConditionalCheckFailed")
        updated = replace(updated, last_login_at=at)
        if devices.added:
            updated = replace(updated, trusted_devices=_with_device(updated, devices.added))
        updated = replace(
            updated,
            trusted_devices=tuple(d for d in updated.trusted_devices if d.token_hash not in devices.evicted),
        )
        if rehashed_password:
            updated = replace(updated, password_hash=rehashed_password)
        self.contractors[contractor.license_number] = updated
        self.tokens[token.token_hash] = token

    def touch_session(self, token_hash: str, now: datetime, idle_since: datetime) -> TokenRecord | None:
        self._enter("touch_session", write=True)
        token = self.tokens.get(token_hash)
        if (
            token is None
            or token.kind != "session"
            or token.last_seen_at is None
            or not token.last_seen_at >= idle_since
            or not token.expires_at > now
        ):
            return None
        touched = replace(token, last_seen_at=now)
        self.tokens[token_hash] = touched
        return touched

    def delete_session(self, token_hash: str) -> bool:
        self._enter("delete_session", write=True)
        token = self.tokens.get(token_hash)
        if token is None or token.kind != "session":
            return False
        del self.tokens[token_hash]
        return True

    def change_password(self, change: PasswordChange) -> None:
        self._enter("change_password", write=True)
        token = self.tokens.get(change.consumed_token_hash)
        if token is None or token.kind != change.consumed_token_kind:
            raise ConflictingWrite("ConditionalCheckFailed")
        if change.consumed_token_kind == "reset" and not token.answers_counted <= change.max_answers:
            raise ConflictingWrite("ConditionalCheckFailed")
        current = self._existing(change.license_number)
        if current.session_generation != change.expected_generation or current.account_status != "active":
            raise ConflictingWrite("ConditionalCheckFailed")
        if change.expected_reset_token_hash and current.reset_token_hash != change.expected_reset_token_hash:
            raise ConflictingWrite("ConditionalCheckFailed")
        if change.new_session is not None and change.new_session.token_hash in self.tokens:
            raise ConflictingWrite("ConditionalCheckFailed")
        updated = replace(
            current,
            password_hash=change.password_hash,
            password_state="set",
            password_changed_at=change.at,
            failed_login_count=0,
            temporary_password_expires_at=None,
            last_failed_login_at=None,
            reset_token_hash=None,
            session_generation=current.session_generation + 1,
            trusted_devices=(change.new_device,) if change.new_device else (),
        )
        if change.security_question and change.security_answer_hash:
            updated = replace(
                updated,
                security_question=change.security_question,
                security_answer_hash=change.security_answer_hash,
            )
        del self.tokens[change.consumed_token_hash]
        self.contractors[change.license_number] = updated
        self.audit.append(change.audit)
        if change.new_session is not None:
            self.tokens[change.new_session.token_hash] = change.new_session

    def claim_answer_attempt(self, token_hash: str, limit: int = MAX_WRONG_ANSWERS) -> int | None:
        self._enter("claim_answer_attempt", write=True)
        token = self.tokens.get(token_hash)
        if token is None or token.kind != "reset" or not token.answers_counted < limit:
            return None
        counted = replace(token, answers_counted=token.answers_counted + 1)
        self.tokens[token_hash] = counted
        return counted.answers_counted

    def issue_reset_token(
        self, contractor: Contractor, token: TokenRecord, sent_at: tuple[datetime, ...], request_id: str
    ) -> None:
        self._enter("issue_reset_token", write=True)
        current = self._existing(contractor.license_number)
        if (
            current.account_status != "active"
            or current.email != contractor.email
            or not current.email_verified
            or current.deliverable_email is None
        ):
            raise ConflictingWrite("ConditionalCheckFailed", current)
        updated = self._swap_reset_token(
            contractor.license_number,
            expected=contractor.reset_token_hash,
            new=token.token_hash,
            sent_at=sent_at,
            request_id=request_id,
        )
        if token.token_hash in self.tokens:
            raise ConflictingWrite("ConditionalCheckFailed")
        self.contractors[contractor.license_number] = updated
        self.tokens[token.token_hash] = token

    def withdraw_reset_token(self, contractor: Contractor, token: TokenRecord) -> None:
        self._enter("withdraw_reset_token", write=True)
        updated = self._swap_reset_token(
            contractor.license_number,
            expected=token.token_hash,
            new=contractor.reset_token_hash,
            sent_at=contractor.reset_emails_sent_at,
            request_id=contractor.reset_request_id,
        )
        self.contractors[contractor.license_number] = updated
        self.tokens.pop(token.token_hash, None)  # an unconditional delete

    def _swap_reset_token(
        self,
        license_number: str,
        expected: str | None,
        new: str | None,
        sent_at: tuple[datetime, ...],
        request_id: str | None,
    ) -> Contractor:
        current = self._existing(license_number)
        if current.reset_token_hash != expected:
            raise ConflictingWrite("ConditionalCheckFailed")
        return replace(current, reset_token_hash=new, reset_emails_sent_at=tuple(sent_at), reset_request_id=request_id)

    # The contractor's own account.

    def find_contractors(self, field: SearchField, text: str, limit: int) -> tuple[list[Contractor], bool]:
        self._enter("find_contractors", write=False)
        key = search_key(text)
        if len(key) < MIN_SEARCH_CHARACTERS:
            return [], False
        matches = sorted(
            (keys[field], number)
            for number, contractor in self.contractors.items()
            if (keys := search_keys(contractor))[field].startswith(key)
        )
        return [self.contractors[number] for _, number in matches[:limit]], len(matches) > limit

    def update_contact(self, change: ContactChange) -> None:
        self._enter("update_contact", write=True)
        current = self._existing(change.license_number)
        if change.expected_generation is not None and current.session_generation != change.expected_generation:
            raise ConflictingWrite("ConditionalCheckFailed")
        before, after = search_keys(change.before), keys_after(search_keys(change.before), change.details)
        moved = [name for name in SEARCH_FIELDS if before[name] != after[name]]
        if any(getattr(current, name) != getattr(change.before, name, None) for name in moved):
            raise ConflictingWrite("ConditionalCheckFailed", current)
        updated = with_contact(current, change.details)
        if change.details.email is not None:
            updated = replace(
                updated, email_verified=True, pending_email=None, verification_token_hash=None, reset_token_hash=None
            )
        self.contractors[change.license_number] = updated
        self.audit.append(change.audit)

    def issue_verification(self, contractor: Contractor, issue: VerificationIssue) -> None:
        self._enter("issue_verification", write=True)
        current = self._existing(contractor.license_number)
        if (
            current.verification_token_hash != contractor.verification_token_hash
            or current.session_generation != contractor.session_generation
            or issue.token.token_hash in self.tokens
        ):
            raise ConflictingWrite("ConditionalCheckFailed")
        updated = replace(
            current,
            verification_token_hash=issue.token.token_hash,
            verification_emails_sent_at=tuple(issue.sent_at),
            pending_email=issue.pending_email or current.pending_email,
        )
        if issue.confirmed:
            updated = _taken_back(updated, issue.confirmed)
        self.contractors[contractor.license_number] = updated
        self.tokens[issue.token.token_hash] = issue.token
        if issue.audit is not None:
            self.audit.append(issue.audit)

    def verify_email(self, token: TokenRecord, audit: AuditEntry, replaced: str | None = None) -> None:
        self._enter("verify_email", write=True)
        stored = self.tokens.get(token.token_hash)
        current = self._existing(token.license_number)
        if (
            current.email != replaced
            or stored is None
            or stored.kind != "verify"
            or current.verification_token_hash != token.token_hash
            or current.session_generation != token.session_generation
        ):
            raise ConflictingWrite("ConditionalCheckFailed")
        del self.tokens[token.token_hash]
        self.contractors[token.license_number] = replace(
            current,
            email=token.email,
            email_verified=True,
            pending_email=None,
            verification_token_hash=None,
            reset_token_hash=None,
        )
        self.audit.append(audit)

    def change_own_password(self, change: OwnPasswordChange) -> None:
        self._enter("change_own_password", write=True)
        current = self._existing(change.license_number)
        ended = self.tokens.get(change.ended_session_hash)
        if (
            current.session_generation != change.expected_generation
            or current.password_hash != change.seen_password_hash
            or current.account_status != "active"
            or ended is None
            or ended.kind != "session"
            or change.new_session.token_hash in self.tokens
        ):
            raise ConflictingWrite("ConditionalCheckFailed", current)
        self.contractors[change.license_number] = replace(
            current,
            password_hash=change.password_hash,
            password_state="set",
            password_changed_at=change.at,
            reset_token_hash=None,
            failed_login_count=0,
            last_failed_login_at=None,
            session_generation=current.session_generation + 1,
            trusted_devices=(change.kept_device,) if change.kept_device else (),
        )
        del self.tokens[change.ended_session_hash]
        self.tokens[change.new_session.token_hash] = change.new_session
        self.audit.append(change.audit)

    def set_security_question(
        self,
        license_number: str,
        expected_generation: int,
        question: str,
        answer_hash: str,
        audit: AuditEntry,
        claim: Claim,
    ) -> None:
        self._enter("set_security_question", write=True)
        current = self._existing(license_number)
        if current.session_generation != expected_generation:
            raise ConflictingWrite("ConditionalCheckFailed", current)
        self.contractors[license_number] = replace(
            _taken_back(current, claim), security_question=question, security_answer_hash=answer_hash
        )
        self.audit.append(audit)

    def end_all_sessions(self, license_number: str, expected_generation: int, audit: AuditEntry) -> None:
        self._enter("end_all_sessions", write=True)
        current = self._existing(license_number)
        if current.session_generation != expected_generation or current.account_status != "active":
            raise ConflictingWrite("ConditionalCheckFailed")
        self.contractors[license_number] = replace(
            current, session_generation=current.session_generation + 1, trusted_devices=()
        )
        self.audit.append(audit)

    # Workers' compensation reminders.

    def policy_holders_expiring_on(self, day: date) -> list[PolicyHolder]:
        self._enter("policy_holders_expiring_on", write=False)
        return [
            PolicyHolder(
                contractor.license_number,
                contractor.email,
                contractor.email_verified,
                contractor.account_status,
                contractor.workers_comp,
                contractor.undeliverable_email,
            )
            for contractor in self.contractors.values()
            if isinstance(contractor.workers_comp, WorkersCompPolicy) and contractor.workers_comp.expires_on == day
        ]

    # Staff.

    def approve(self, license_number: str, audit: AuditEntry, registered_at: datetime | None = None) -> None:
        self._enter("approve", write=True)
        current = self._existing(license_number)
        if not current.awaiting_approval or current.account_status != "active":
            raise ConflictingWrite("ConditionalCheckFailed", current)
        self._staff_write(replace(current, awaiting_approval=False), audit)
        if registered_at is not None:
            self.pending.pop((registered_at, license_number), None)

    def set_temporary_password(
        self, license_number: str, password_hash: str, expires_at: datetime, audit: AuditEntry
    ) -> None:
        self._enter("set_temporary_password", write=True)
        current = self._existing(license_number)
        if current.account_status != "active":
            raise ConflictingWrite("ConditionalCheckFailed", current)
        self._staff_write(
            replace(
                current,
                password_hash=password_hash,
                password_state="temporary",
                temporary_password_expires_at=expires_at,
                failed_login_count=0,
                last_failed_login_at=None,
                session_generation=current.session_generation + 1,
                trusted_devices=(),
            ),
            audit,
        )

    def unlock(self, license_number: str, audit: AuditEntry) -> None:
        self._enter("unlock", write=True)
        current = self._existing(license_number)
        self._staff_write(replace(current, failed_login_count=0, last_failed_login_at=None), audit)

    def set_account_status(self, license_number: str, status: AccountStatus, audit: AuditEntry) -> bool:
        self._enter("set_account_status", write=True)
        current = self._existing(license_number)
        updated = replace(current, account_status=status)
        if status == "disabled":
            updated = replace(updated, session_generation=current.session_generation + 1, trusted_devices=())
        self._staff_write(updated, audit)
        return status == "active" and updated.awaiting_approval

    def _staff_write(self, updated: Contractor, audit: AuditEntry) -> None:
        self.contractors[updated.license_number] = updated
        self.audit.append(audit)

    # Email deliverability.

    def mark_email_undeliverable(self, license_number: str, address: str, at: datetime) -> bool:
        self._enter("mark_email_undeliverable", write=True)
        current = self.contractors.get(license_number)
        if current is None or current.email != address:
            return False
        self.contractors[license_number] = replace(current, undeliverable_email=address, undeliverable_since=at)
        return True

    # Test helpers.

    def put(self, contractor: Contractor) -> Contractor:
        """Seeds an account directly (no audit, no condition)."""
        self.contractors[contractor.license_number] = contractor
        return contractor

    def tokens_of(self, license_number: str, kind: str | None = None) -> list[TokenRecord]:
        return [
            token
            for token in self.tokens.values()
            if token.license_number == license_number and (kind is None or token.kind == kind)
        ]


def _taken_back(contractor: Contractor, claim: Claim) -> Contractor:
    """``contractor`` with exactly ``claim`` taken back (the adapter's ``take_back``): its count
    off the account's failures or its device's, provided they still hold it."""
    if claim.device is None:
        if contractor.failed_login_count < claim.counted:
            raise ConflictingWrite("ConditionalCheckFailed", contractor)
        return replace(contractor, failed_login_count=contractor.failed_login_count - claim.counted)
    device = next((known for known in contractor.trusted_devices if known.token_hash == claim.device), None)
    if device is None or device.failures < claim.counted:
        raise ConflictingWrite("ConditionalCheckFailed", contractor)
    return replace(
        contractor, trusted_devices=_with_device(contractor, replace(device, failures=device.failures - claim.counted))
    )


def _with_device(contractor: Contractor, device: TrustedDevice) -> tuple[TrustedDevice, ...]:
    """The account's devices with ``device`` put in (replacing one of the same hash), oldest first."""
    others = [known for known in contractor.trusted_devices if known.token_hash != device.token_hash]
    return tuple(sorted([*others, device], key=lambda known: (known.issued_at, known.token_hash)))


class FastHasher:
    """The Hasher port without argon2's cost: a salted SHA-256 of the same normalized secret.
    The use cases are what unit tests judge; test_passwords keeps the real argon2id."""

    PREFIX = "$sha256-test$"

    def hash_password(self, password: str) -> str:
        return self._hash(normalize_password(password))

    def hash_answer(self, answer: str) -> str:
        return self._hash(normalize_answer(answer))

    def verify_password(self, stored_hash: str | None, password: str) -> bool:
        return self._verify(stored_hash, normalize_password(password))

    def verify_answer(self, stored_hash: str | None, answer: str) -> bool:
        return self._verify(stored_hash, normalize_answer(answer))

    def needs_rehash(self, stored_hash: str) -> bool:
        return not stored_hash.startswith(self.PREFIX)

    def _hash(self, secret: str, salt: str | None = None) -> str:
        salt = salt or secrets.token_hex(8)
        return f"{self.PREFIX}{salt}${hashlib.sha256((salt + secret).encode()).hexdigest()}"

    def _verify(self, stored_hash: str | None, secret: str) -> bool:
        if not stored_hash or not stored_hash.startswith(self.PREFIX):
            return False
        salt = stored_hash.removeprefix(self.PREFIX).split("$", 1)[0]
        return hmac.compare_digest(stored_hash, self._hash(secret, salt))


def account(**overrides: object) -> Contractor:
    """The sample contractor as the store holds it (the store contract's and the fakes' tests)."""
    base = Contractor(
        license_number=LICENSE,
        business_name=BUSINESS_NAME,
        created_at=clock.START,
        created_by="self_registration",
        email=EMAIL,
        email_verified=True,
        password_hash="$argon2id$v=19$m=19456,t=2,p=1$first",
        password_state="set",
        security_question=QUESTION,
        security_answer_hash="$argon2id$v=19$m=19456,t=2,p=1$answer",
        mailing_address=MailingAddress("1 Main St", "West Hollywood", "CA", "90069"),
        workers_comp=WorkersCompExempt(),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]
