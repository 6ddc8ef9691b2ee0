"""Email confirmation links (checklist 30): issued at registration, on an email change and on
a resend, and mailed. Only the newest link works, at most VERIFICATION_EMAILS_PER_HOUR an hour.
An email to an address not yet verified carries only the city's fixed words and the link:
nothing the requester typed, so the city's sender cannot carry anyone's message."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from contractor_accounts.domain.changes import Claim, VerificationIssue
from contractor_accounts.domain.emails import EmailMessage, render
from contractor_accounts.domain.entities import AuditEntry, Contractor
from contractor_accounts.domain.errors import NothingToVerify, ServiceUnavailable, VerificationEmailsLimited
from contractor_accounts.domain.policy import VERIFICATION_EMAILS_PER_HOUR, VERIFY_TOKEN_HOURS, duration_words
from contractor_accounts.domain.tokens import verification_token
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.mailer import EmailNotSent, Mailer
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore
from contractor_accounts.settings import EmailSettings, Settings


def address_to_verify(contractor: Contractor) -> str | None:
    """A change waiting for its link, else the account's own address if not yet verified."""
    if contractor.pending_email:
        return contractor.pending_email
    if contractor.email and not contractor.email_verified:
        return contractor.email
    return None


@dataclass(frozen=True)
class ConfirmationLinks:
    store: ContractorStore
    clock: Clock
    mailer: Mailer
    settings: Settings
    email_settings: EmailSettings

    def link_email(self, address: str, token: str, license_number: str | None = None) -> EmailMessage:
        """Fixed words and the link only: the address is not yet proven to be the contractor's.
        The license number only tags the send (a bounce then names the account)."""
        return render(
            "verify_email",
            to=address,
            license_number=license_number,
            subject=f"{self.settings.city_name}: confirm your email address",
            values={
                "city_name": self.settings.city_name,
                "staff_phone_number": self.settings.staff_phone_number,
                "valid_for": duration_words(VERIFY_TOKEN_HOURS * 60),
                "verify_link": self.email_settings.link(self.email_settings.verify_page_url, token),
            },
        )

    def send_link(self, address: str, token: str, license_number: str | None = None) -> bool:
        """True when SES took the email."""
        try:
            self.mailer.send(self.link_email(address, token, license_number))
        except EmailNotSent as failure:
            logger.warning("verification_email_failed", extra={"error": str(failure)})
            metrics.add_metric(name="VerificationEmailFailed", unit="Count", value=1)
            return False
        metrics.add_metric(name="VerificationEmailSent", unit="Count", value=1)
        return True

    def check_limit(self, contractor: Contractor) -> tuple[datetime, ...]:
        """The email times of the last hour; VerificationEmailsLimited at the limit."""
        now = self.clock.now()
        recent = tuple(sent for sent in contractor.verification_emails_sent_at if sent > now - timedelta(hours=1))
        if len(recent) >= VERIFICATION_EMAILS_PER_HOUR:
            logger.info("verification_not_sent", extra={"license_number": contractor.license_number})
            raise VerificationEmailsLimited
        return recent

    def issue_and_send(
        self,
        contractor: Contractor,
        address: str,
        audit: AuditEntry | None = None,
        *,
        confirmed: Claim | None = None,
    ) -> None:
        """Makes a new link the only valid one (at most VERIFICATION_EMAILS_PER_HOUR an hour) and
        emails it; for an address other than the account's, it becomes the pending change.
        ``confirmed``: the current password's claim, which the write also takes back."""
        recent = self.check_limit(contractor)
        now = self.clock.now()
        issued = verification_token(contractor, address, now)
        pending = address if address != contractor.email else None
        issue = VerificationIssue(issued.record, (*recent, now), pending, audit, confirmed)
        try:
            self.store.issue_verification(contractor, issue)
        except ConflictingWrite as conflict:
            raise ServiceUnavailable from conflict
        if not self.send_link(address, issued.token, contractor.license_number):
            raise ServiceUnavailable("We could not send the email just now. Please try again in a minute.")
        logger.info("verification_email_sent", extra={"license_number": contractor.license_number})

    def resend(self, contractor: Contractor) -> None:
        address = address_to_verify(contractor)
        if address is None:
            raise NothingToVerify
        self.issue_and_send(contractor, address)
