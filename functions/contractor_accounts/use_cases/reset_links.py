"""The reset mailer (ResetMailerFunction): one queued "Forgot Password" request becomes an
emailed single-use link, when the account may have one."""

from dataclasses import dataclass
from datetime import timedelta

from contractor_accounts.domain.emails import EmailMessage, render
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.policy import duration_words
from contractor_accounts.domain.tokens import issue_token
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.mailer import EmailNotSent, Mailer
from contractor_accounts.ports.reset_requests import ResetRequest
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore
from contractor_accounts.settings import EmailSettings, Settings


@dataclass(frozen=True)
class ResetLinks:
    store: ContractorStore
    clock: Clock
    mailer: Mailer
    settings: Settings
    email_settings: EmailSettings

    def send_reset_link(self, request: ResetRequest) -> None:
        """Emails a reset link for ``request`` when its account may have one; otherwise (no such
        account, no verified address, 5 emails this hour already) the request is simply used up.
        A redelivered request sends nothing twice: its ``request_id`` is recorded on the account
        in the same conditional write that issues the link (a redelivery that comes after a
        newer request was handled would send one more link, within the hourly limit)."""
        license_number = request.license_number
        now = self.clock.now()
        window_start = now - timedelta(hours=1)
        if request.requested_at <= window_start:
            # A link the contractor asked for over an hour ago (a message redriven from the
            # dead-letter queue): they have asked again or called staff by now.
            logger.info("reset_not_sent", extra={"license_number": license_number, "reason": "request_too_old"})
            return
        contractor = self.store.get_contractor(license_number)
        if contractor is None or not contractor.email or contractor.account_status != "active":
            logger.info("reset_not_sent", extra={"license_number": license_number, "reason": "no_usable_account"})
            return
        if not contractor.email_verified:
            # Checklist 30: a reset link goes only to an address proven to be the contractor's.
            logger.info("reset_not_sent", extra={"license_number": license_number, "reason": "email_not_verified"})
            return
        if contractor.deliverable_email is None:
            # It bounced or was reported as spam: nothing more goes there (the dashboard asks
            # the contractor for another address).
            logger.info("reset_not_sent", extra={"license_number": license_number, "reason": "email_undeliverable"})
            return
        if request.request_id == contractor.reset_request_id:
            logger.info("reset_not_sent", extra={"license_number": license_number, "reason": "already_handled"})
            return
        recent = tuple(sent for sent in contractor.reset_emails_sent_at if sent > window_start)
        if len(recent) >= self.settings.reset_emails_per_hour:
            logger.info("reset_not_sent", extra={"license_number": license_number, "reason": "rate_limited"})
            metrics.add_metric(name="ResetEmailRateLimited", unit="Count", value=1)
            return
        reset = issue_token("reset", contractor, now, timedelta(minutes=self.settings.reset_token_minutes))
        try:
            self.store.issue_reset_token(contractor, reset.record, (*recent, now), request.request_id)
        except ConflictingWrite:
            # Another request (or this one, delivered twice at once) changed the account first.
            logger.info("reset_not_sent", extra={"license_number": license_number, "reason": "concurrent_request"})
            return
        try:
            self.mailer.send(self._reset_email(contractor, reset.token))
        except EmailNotSent as failure:
            # The link is withdrawn and the request used up (not retried: SES may have refused
            # the address for good); the contractor can ask again. ResetEmailFailed counts them.
            logger.warning("reset_email_failed", extra={"license_number": license_number, "error": str(failure)})
            metrics.add_metric(name="ResetEmailFailed", unit="Count", value=1)
            try:
                self.store.withdraw_reset_token(contractor, reset.record)
            except ConflictingWrite:
                logger.warning("reset_withdraw_lost_race", extra={"license_number": license_number})
            return
        logger.info("reset_email_sent", extra={"license_number": license_number})
        metrics.add_metric(name="ResetEmailSent", unit="Count", value=1)

    def _reset_email(self, contractor: Contractor, token: str) -> EmailMessage:
        # The link comes from configuration, never from the request; the token rides in the
        # fragment, which browsers never send to a server. No text a contractor typed (name,
        # business name) goes in: the address may not be theirs (checklist 30).
        link = self.email_settings.link(self.email_settings.reset_page_url, token)
        return render(
            "reset_link",
            to=str(contractor.deliverable_email),
            license_number=contractor.license_number,
            subject=f"{self.settings.city_name}: reset your permit portal password",
            values={
                "license_number": contractor.license_number,
                "city_name": self.settings.city_name,
                "staff_phone_number": self.settings.staff_phone_number,
                "valid_for": duration_words(self.settings.reset_token_minutes),
                "reset_link": link,
            },
        )
