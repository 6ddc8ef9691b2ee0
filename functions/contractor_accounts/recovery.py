"""Getting back in with "Forgot Password": an emailed single-use link, then the security question."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from contractor_accounts.clock import Clock
from contractor_accounts.entities import AuditEntry, Contractor, NewPassword, PasswordChange, TokenRecord
from contractor_accounts.errors import IncorrectSecurityAnswer, InvalidOrExpiredToken, ValidationFailed
from contractor_accounts.mail import Email, EmailNotSent, Mailer, render
from contractor_accounts.observability import logger, metrics
from contractor_accounts.passwords import Hasher
from contractor_accounts.policy import MAX_WRONG_ANSWERS, duration_words
from contractor_accounts.rate_limits import throttle
from contractor_accounts.reset_requests import ResetRequest, ResetRequestQueue
from contractor_accounts.settings import EmailSettings, Settings
from contractor_accounts.signin import check_new_password
from contractor_accounts.store import ConflictingWrite, ContractorStore
from contractor_accounts.tokens import holder_of, issue_token, live_token


def forgot_password_answer(settings: Settings) -> str:
    """The one answer to every well-formed forgot-password request: it must not tell who has an account."""
    return (
        "If an account with an email address exists for this license number, we have sent it a link "
        f"to reset the password. The link works for {duration_words(settings.reset_token_minutes)}. "
        "No email? Check your spam folder or call permit staff."
    )


def notify_password_changed(mailer: Mailer, settings: Settings, contractor: Contractor, at: datetime) -> None:
    """The "password changed" email, to a verified address only (best effort). Like the reset
    email: only the city's words, the license number and the time."""
    if not contractor.email_verified or contractor.deliverable_email is None:
        return
    local = at.astimezone(settings.zone)
    email = render(
        "password_changed",
        to=contractor.deliverable_email,
        license_number=contractor.license_number,
        subject=f"{settings.city_name}: your permit portal password was changed",
        values={
            "license_number": contractor.license_number,
            "city_name": settings.city_name,
            "staff_phone_number": settings.staff_phone_number,
            "changed_at": local.strftime("%B %d, %Y at %I:%M %p %Z"),
        },
    )
    try:
        mailer.send(email)
    except EmailNotSent as failure:
        # The password is changed either way; the notice is best effort.
        logger.warning("password_changed_notice_failed", extra={"error": str(failure)})
        metrics.add_metric(name="NoticeEmailFailed", unit="Count", value=1)


@dataclass(frozen=True)
class ForgotPassword:
    """POST /password/forgot: the per-address limit, then the request handed to the queue for
    every well-formed license number, so the answer's time is the same whoever asks."""

    store: ContractorStore
    clock: Clock
    queue: ResetRequestQueue
    settings: Settings

    def request_password_reset(self, license_number: str, source_ip: str | None = None) -> None:
        """Answers nothing: the caller says the same thing whatever happens later."""
        throttle(self.store, self.clock, self.settings, "forgot", source_ip)
        self.queue.hand_over(ResetRequest(license_number, self.clock.now()))


@dataclass(frozen=True)
class PasswordRecovery:
    store: ContractorStore
    clock: Clock
    hasher: Hasher
    mailer: Mailer
    settings: Settings
    email_settings: EmailSettings

    # The reset mailer (ResetMailerFunction): one queued "Forgot Password" request.

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

    def _reset_email(self, contractor: Contractor, token: str) -> Email:
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

    # The emailed link.

    def reset_question(self, reset_token: str) -> str | None:
        _, contractor = self._live_reset(reset_token, self.clock.now())
        return contractor.security_question

    def reset_with_token(self, request: NewPassword) -> None:
        now = self.clock.now()
        reset, contractor = self._live_reset(request.token, now)
        setting_question = contractor.security_question is None
        if setting_question and request.security_question is None:
            raise ValidationFailed(
                fields={"security_question": "Choose a security question; your account does not have one yet."}
            )
        if not setting_question and request.security_question is not None:
            raise ValidationFailed(
                fields={"security_question": "Your account already has a security question; answer it instead."}
            )
        check_new_password(contractor, request.new_password)
        if not setting_question:
            self._judge_answer(reset, contractor, request.security_answer)
        change = PasswordChange(
            license_number=contractor.license_number,
            expected_generation=contractor.session_generation,
            consumed_token_hash=reset.token_hash,
            consumed_token_kind="reset",
            password_hash=self.hasher.hash_password(request.new_password),
            at=now,
            audit=AuditEntry(contractor.license_number, "password_reset_by_email", "contractor", now),
            security_question=request.security_question if setting_question else None,
            security_answer_hash=self.hasher.hash_answer(request.security_answer) if setting_question else None,
            expected_reset_token_hash=reset.token_hash,
        )
        try:
            self.store.change_password(change)
        except ConflictingWrite as conflict:
            raise InvalidOrExpiredToken from conflict
        logger.info("password_reset", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="PasswordReset", unit="Count", value=1)
        notify_password_changed(self.mailer, self.settings, contractor, now)

    def _judge_answer(self, reset: TokenRecord, contractor: Contractor, answer: str) -> None:
        """Counts the answer (one conditional write) before judging it, so at most
        ``MAX_WRONG_ANSWERS`` answers are ever judged per link, however many arrive at once.
        Every answer after the last one counted gets the same refusal as a dead link, right or
        wrong: nothing singles out the right one."""
        counted = self.store.claim_answer_attempt(reset.token_hash, MAX_WRONG_ANSWERS)
        if counted is None:
            logger.info("token_refused", extra={"kind": "reset", "reason": "answers_used_up"})
            raise InvalidOrExpiredToken
        if self.hasher.verify_answer(contractor.security_answer_hash, answer):
            return
        logger.info("reset_wrong_answer", extra={"license_number": contractor.license_number, "count": counted})
        if counted >= MAX_WRONG_ANSWERS:
            raise IncorrectSecurityAnswer(
                "The answer is not correct, and this link no longer works. "
                "Use Forgot Password to get a new link, or call permit staff."
            )
        raise IncorrectSecurityAnswer

    def _live_reset(self, token: str, now: datetime) -> tuple[TokenRecord, Contractor]:
        reset = live_token(self.store, token, "reset", now)
        if reset is None or reset.answers_counted >= MAX_WRONG_ANSWERS:
            logger.info("token_refused", extra={"kind": "reset", "reason": "not_live"})
            raise InvalidOrExpiredToken
        return reset, holder_of(
            self.store, reset, InvalidOrExpiredToken, newest=lambda account: account.reset_token_hash
        )
