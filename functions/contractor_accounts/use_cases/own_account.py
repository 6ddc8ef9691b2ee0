"""The contractor's own account without the password: the dashboard, contact details and
workers' compensation (``PATCH /me``), resending the confirmation link, signing out
everywhere. Every change is audit-logged with the change itself."""

from dataclasses import dataclass

from contractor_accounts.domain.changes import ContactChange
from contractor_accounts.domain.contact import check_contact_change, with_contact
from contractor_accounts.domain.entities import AuditEntry, Contractor
from contractor_accounts.domain.errors import ServiceUnavailable, Unauthorized
from contractor_accounts.domain.requests import ContactDetails
from contractor_accounts.domain.results import Dashboard
from contractor_accounts.domain.state_license import StateLicense
from contractor_accounts.domain.tokens import speaks_for
from contractor_accounts.domain.workers_comp import city_today
from contractor_accounts.observability import logger
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.license_checks import LicenseChecks
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore
from contractor_accounts.settings import Settings
from contractor_accounts.steps.confirmation_links import ConfirmationLinks
from contractor_accounts.steps.sessions import Sessions


@dataclass(frozen=True)
class OwnAccount:
    """What a signed-in contractor sees and changes without their password."""

    sessions: Sessions
    store: ContractorStore
    clock: Clock
    settings: Settings
    links: ConfirmationLinks
    checks: LicenseChecks

    def dashboard(self, token: str | None) -> Dashboard:
        contractor, record = self._signed_in(token)
        return Dashboard(contractor, city_today(self.clock.now(), self.settings.zone), record)

    def _signed_in(self, token: str | None) -> tuple[Contractor, StateLicense | None]:
        """The session's account and the board's record of its license, read together (one
        consistent BatchGetItem in place of the account's GetItem): Unauthorized as ``authenticate``."""
        session = self.sessions.live_session(token)
        found = self.checks.account_and_license(session.license_number)
        if found.account is None or not speaks_for(session, found.account):
            logger.info("token_refused", extra={"kind": session.kind, "license_number": session.license_number})
            raise Unauthorized
        return found.account, found.lookup.record

    def update_profile(self, token: str | None, details: ContactDetails) -> Dashboard:
        """``PATCH /me``: contact name, phone, mailing address, workers' compensation."""
        contractor, record = self._signed_in(token)
        today = city_today(self.clock.now(), self.settings.zone)
        changed = check_contact_change(details, today)
        audit = AuditEntry(
            contractor.license_number, "contact_updated", "contractor", self.clock.now(), {"fields": ",".join(changed)}
        )
        try:
            self.store.update_contact(
                ContactChange(contractor.license_number, details, audit, contractor.session_generation, contractor)
            )
        except ConflictingWrite as conflict:
            found = conflict.found
            if found and found.session_generation == contractor.session_generation and found.account_status == "active":
                # Still signed in: staff changed a searchable field meanwhile. Try again.
                raise ServiceUnavailable from conflict
            raise Unauthorized from conflict
        logger.info("contact_updated", extra={"license_number": contractor.license_number, "fields": list(changed)})
        return Dashboard(with_contact(contractor, details), today, record)

    def resend_verification(self, token: str | None) -> None:
        self.links.resend(self.sessions.authenticate(token))

    def sign_out_everywhere(self, token: str | None) -> None:
        # The session alone: the write itself checks the account is active and of its generation.
        session = self.sessions.live_session(token)
        audit = AuditEntry(session.license_number, "signed_out_everywhere", "contractor", self.clock.now())
        try:
            self.store.end_all_sessions(session.license_number, session.session_generation, audit)
        except ConflictingWrite as conflict:
            raise Unauthorized from conflict
        logger.info("signed_out_everywhere", extra={"license_number": session.license_number})
