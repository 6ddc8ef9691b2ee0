"""Staff actions on accounts (the console's events are parsed in ``http.staff_events``). Each
change is one write with its audit entry, no read before or after it: its failed condition says
what was wrong. The one exception is ``update_contact``: it reads the account first, because a
change of a searchable field must remove the field's old ``find`` entry (and is conditioned on
the field being as read). ``find`` searches those entries, never the whole table."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from contractor_accounts.domain.activity import ActivityReport, report
from contractor_accounts.domain.changes import ContactChange
from contractor_accounts.domain.contact import check_contact_change
from contractor_accounts.domain.entities import AuditEntry, Contractor
from contractor_accounts.domain.errors import (
    AccountDisabled,
    ContractorNotFound,
    DomainError,
    ServiceUnavailable,
    ValidationFailed,
)
from contractor_accounts.domain.policy import ACTIVITY_DAYS, AUDIT_SUMMARY_LENGTH
from contractor_accounts.domain.requests import ContactDetails
from contractor_accounts.domain.search import MAX_SEARCH_RESULTS, MIN_SEARCH_CHARACTERS, SearchField, search_key
from contractor_accounts.domain.tokens import new_temporary_password
from contractor_accounts.domain.values import MailingAddress
from contractor_accounts.domain.workers_comp import city_today
from contractor_accounts.observability import logger
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.store import ConflictingWrite, ContractorExists, ContractorStore, NoSuchContractor
from contractor_accounts.settings import Settings


@dataclass(frozen=True, slots=True)
class ImportedContractor:
    """A row of the legacy list, validated."""

    license_number: str
    business_name: str
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    mailing_address: MailingAddress | None = None


@dataclass(frozen=True, slots=True)
class SkippedRow:
    license_number: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    imported: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TemporaryPassword:
    # Goes to staff (to read out on the phone) and nowhere else: never logged.
    password: str
    expires_at: datetime


@dataclass(frozen=True)
class StaffDesk:
    store: ContractorStore
    clock: Clock
    hasher: Hasher
    settings: Settings

    def _audit(self, license_number: str, action: str, actor: str, **details: str) -> AuditEntry:
        return AuditEntry(license_number, action, actor, self.clock.now(), details)

    def import_contractors(self, rows: Sequence[ImportedContractor | SkippedRow], actor: str) -> ImportReport:
        """Rows in order; a row refused by validation comes as its SkippedRow. Never overwrites."""
        report = ImportReport()
        imported = 0
        seen: set[str] = set()
        for row in rows:
            if isinstance(row, SkippedRow):
                report.skipped.append(row)
                continue
            if row.license_number in seen:
                report.skipped.append(SkippedRow(row.license_number, "duplicate_in_request"))
                continue
            seen.add(row.license_number)
            now = self.clock.now()
            contractor = Contractor(
                license_number=row.license_number,
                business_name=row.business_name,
                created_at=now,
                created_by="staff_import",
                contact_name=row.contact_name,
                email=row.email,
                # Staff set it: it counts as verified (checklist 30).
                email_verified=row.email is not None,
                phone=row.phone,
                mailing_address=row.mailing_address,
            )
            try:
                self.store.create_contractor(contractor, None, AuditEntry(row.license_number, "imported", actor, now))
            except ContractorExists:
                report.skipped.append(SkippedRow(row.license_number, "already_exists"))
                continue
            except ConflictingWrite:
                report.skipped.append(SkippedRow(row.license_number, "busy_try_again"))
                continue
            imported += 1
        logger.info("contractors_imported", extra={"imported": imported, "skipped": len(report.skipped)})
        return ImportReport(imported, report.skipped)

    def issue_temporary_password(self, license_number: str, actor: str) -> TemporaryPassword:
        temporary = new_temporary_password()
        expires_at = self.clock.now() + timedelta(days=self.settings.temporary_password_days)
        self._write(
            lambda: self.store.set_temporary_password(
                license_number,
                self.hasher.hash_password(temporary),
                expires_at,
                self._audit(license_number, "temporary_password_issued", actor),
            )
        )
        return TemporaryPassword(temporary, expires_at)

    def unlock(self, license_number: str, actor: str) -> None:
        self._write(lambda: self.store.unlock(license_number, self._audit(license_number, "unlocked", actor)))

    def remove_passkeys(self, license_number: str, actor: str) -> None:
        """Every passkey of the account removed (a lost phone, a hand-back): one write."""
        self._write(
            lambda: self.store.remove_passkeys(license_number, self._audit(license_number, "passkeys_removed", actor))
        )

    def disable(self, license_number: str, actor: str) -> None:
        self._write(
            lambda: self.store.set_account_status(
                license_number, "disabled", self._audit(license_number, "disabled", actor)
            )
        )

    def enable(self, license_number: str, actor: str) -> bool:
        """Whether the enabled account still awaits approval (``pending_review``), as written."""
        return self._write(
            lambda: self.store.set_account_status(
                license_number, "active", self._audit(license_number, "enabled", actor)
            )
        )

    def update_contact(self, license_number: str, details: ContactDetails, actor: str) -> None:
        changed = check_contact_change(details, self.today())
        before = self.store.get_contractor(license_number)
        if before is None:
            raise ContractorNotFound
        audit = self._audit(license_number, "contact_updated", actor, fields=",".join(changed))
        self._write(lambda: self.store.update_contact(ContactChange(license_number, details, audit, before=before)))

    def find(self, field: SearchField, text: str) -> tuple[list[Contractor], bool]:
        """At most ``MAX_SEARCH_RESULTS`` accounts whose ``field`` starts with ``text`` (case,
        spaces and punctuation aside), and whether there were more."""
        if len(search_key(text)) < MIN_SEARCH_CHARACTERS:
            raise ValidationFailed(
                fields={field: f"Type at least {MIN_SEARCH_CHARACTERS} letters or digits to search by."}
            )
        return self.store.find_contractors(field, text, MAX_SEARCH_RESULTS)

    def get(self, license_number: str) -> tuple[Contractor, list[AuditEntry], ActivityReport]:
        """The account, its newest audit entries and its activity (as ``GET /me/activity``
        shows it), in one read of its partition."""
        now = self.clock.now()
        found = self.store.contractor_with_activity(license_number, now - timedelta(days=ACTIVITY_DAYS))
        if found is None:
            raise ContractorNotFound
        contractor, audit, activity = found
        return contractor, audit[:AUDIT_SUMMARY_LENGTH], report(contractor, audit, activity, now)

    def today(self) -> date:
        return city_today(self.clock.now(), self.settings.zone)

    @staticmethod
    def _write[T](
        write: Callable[[], T], refused: Callable[[Contractor], DomainError] = lambda _: AccountDisabled()
    ) -> T:
        """One staff write, no read around it: its failed condition says what was wrong, from the
        account it returns (no such account; else ``refused`` tells which condition failed)."""
        try:
            return write()
        except NoSuchContractor as missing:
            raise ContractorNotFound from missing
        except ConflictingWrite as conflict:
            if conflict.found is None:  # a concurrent write on the account: try again
                raise ServiceUnavailable from conflict
            raise refused(conflict.found) from conflict
