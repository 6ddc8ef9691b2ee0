"""The state board's list as staff meet it (contract v3): the accounts waiting for review
(``list_pending``, no Scan), ``approve`` with its email to the contractor, and the state record
staff ``get`` shows beside the account's own details."""

from dataclasses import dataclass

from contractor_accounts.domain.emails import EmailMessage, render
from contractor_accounts.domain.entities import AuditEntry, Contractor
from contractor_accounts.domain.errors import (
    AccountDisabled,
    ContractorNotFound,
    NotPendingReview,
    ServiceUnavailable,
)
from contractor_accounts.domain.license_check import PendingReview
from contractor_accounts.domain.policy import PENDING_LIST_LENGTH
from contractor_accounts.domain.state_license import LicenseLookup, StateLicense
from contractor_accounts.observability import logger
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.license_checks import LicenseChecks
from contractor_accounts.ports.mailer import EmailNotSent, Mailer
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore, NoSuchContractor
from contractor_accounts.settings import PortalSettings, Settings


@dataclass(frozen=True)
class PendingReviews:
    store: ContractorStore
    checks: LicenseChecks
    clock: Clock
    mailer: Mailer
    settings: Settings
    portal: PortalSettings

    def list_pending(self) -> list[tuple[PendingReview, StateLicense | None]]:
        """Oldest first, each with the board's record of its license (None: the list lacks it)."""
        pending = self.checks.pending_reviews(PENDING_LIST_LENGTH)
        records = self.checks.licenses([review.license_number for review in pending]) if pending else {}
        return [(review, records.get(review.license_number)) for review in pending]

    def state_record(self, license_number: str) -> LicenseLookup:
        return self.checks.account_and_license(license_number).lookup

    def approve(self, license_number: str, actor: str) -> None:
        """The account read first (its address for the email, its registration time for the
        pending list's item), then one write conditioned on it awaiting approval and active."""
        contractor = self.store.get_contractor(license_number)
        if contractor is None:
            raise ContractorNotFound
        audit = AuditEntry(license_number, "approved", actor, self.clock.now())
        try:
            self.store.approve(license_number, audit, contractor.created_at)
        except NoSuchContractor as missing:
            raise ContractorNotFound from missing
        except ConflictingWrite as conflict:
            if conflict.found is None:
                raise ServiceUnavailable from conflict
            raise (AccountDisabled() if conflict.found.awaiting_approval else NotPendingReview()) from conflict
        logger.info("account_approved", extra={"license_number": license_number})
        self._email(contractor)

    def _email(self, contractor: Contractor) -> None:
        """Best effort: the account is approved either way (the contractor sees it on signing in)."""
        if contractor.deliverable_email is None:
            return
        try:
            self.mailer.send(self._approval(contractor, contractor.deliverable_email))
        except EmailNotSent as failure:
            logger.warning(
                "approval_email_failed", extra={"license_number": contractor.license_number, "error": str(failure)}
            )

    def _approval(self, contractor: Contractor, to: str) -> EmailMessage:
        # System values only: the address may not be verified yet (no business name, no typed text).
        return render(
            "account_approved",
            to=to,
            license_number=contractor.license_number,
            subject=f"{self.settings.city_name}: your contractor account is approved",
            values={
                "license_number": contractor.license_number,
                "city_name": self.settings.city_name,
                "portal_url": str(self.portal.portal_url),
                "staff_phone_number": self.settings.staff_phone_number,
            },
        )
