"""The contractor-facing operations: register, sign in and out, the dashboard, forgot and
reset password. Pure domain: it talks to its ports (store, mailer, clock, hasher) only."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Final

from contractor_accounts.clock import Clock
from contractor_accounts.errors import (
    IncorrectSecurityAnswer,
    InvalidCredentials,
    InvalidOrExpiredToken,
    LicenseAlreadyRegistered,
    LicenseOnFile,
    ServiceUnavailable,
    TemporaryPasswordExpired,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
)
from contractor_accounts.mail import Email, EmailNotSent, Mailer, render
from contractor_accounts.models import (
    ChallengeResetRequest,
    DashboardResponse,
    MailingAddressView,
    RegistrationRequest,
    TokenResetRequest,
    WorkersCompPolicy,
    WorkersCompView,
    registration_context,
)
from contractor_accounts.observability import logger, metrics
from contractor_accounts.passwords import PasswordHasher, password_problem
from contractor_accounts.settings import EmailSettings, Settings
from contractor_accounts.store import (
    AuditEntry,
    ConflictingWrite,
    Contractor,
    ContractorExists,
    ContractorStore,
    PasswordChange,
    TokenKind,
    TokenRecord,
)
from contractor_accounts.tokens import is_token_shaped, new_token, token_hash

LOCKOUT_THRESHOLD: Final = 5
LOCKOUT_CAP: Final = timedelta(minutes=15)
MAX_WRONG_ANSWERS: Final = 5
EXPIRING_SOON: Final = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token as the client gets it, and the record the store keeps (hash only)."""

    token: str
    record: TokenRecord


@dataclass(frozen=True, slots=True)
class SignedIn:
    session: IssuedToken
    contractor: Contractor


@dataclass(frozen=True, slots=True)
class ChallengeIssued:
    challenge: IssuedToken


def lockout_delay(failures: int) -> timedelta:
    """Cognito's progressive delay: 2^(n-5) seconds after the 5th failure, capped."""
    if failures < LOCKOUT_THRESHOLD:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - LOCKOUT_THRESHOLD, 20)), LOCKOUT_CAP)


def locked_until(contractor: Contractor) -> datetime | None:
    if contractor.last_failed_login_at is None or contractor.failed_login_count < LOCKOUT_THRESHOLD:
        return None
    return contractor.last_failed_login_at + lockout_delay(contractor.failed_login_count)


def workers_comp_view(workers_comp: dict[str, object] | None, today: date) -> WorkersCompView | None:
    if not workers_comp:
        return None
    if workers_comp.get("exempt"):
        return WorkersCompView(exempt=True, status="exempt")
    expires_on = date.fromisoformat(str(workers_comp["expires_on"]))
    if expires_on < today:
        status = "expired"
    elif expires_on <= today + EXPIRING_SOON:
        status = "expiring_soon"
    else:
        status = "valid"
    return WorkersCompView(
        carrier=str(workers_comp["carrier"]),
        policy_number=str(workers_comp["policy_number"]),
        expires_on=expires_on,
        status=status,
    )


def dashboard_of(contractor: Contractor, today: date) -> DashboardResponse:
    return DashboardResponse(
        license_number=contractor.license_number,
        business_name=contractor.business_name,
        contact_name=contractor.contact_name,
        email=contractor.email,
        phone=contractor.phone,
        mailing_address=MailingAddressView(**contractor.mailing_address) if contractor.mailing_address else None,
        workers_comp=workers_comp_view(contractor.workers_comp, today),
        account_status=contractor.account_status,
    )


def _context_of(contractor: Contractor) -> list[tuple[str, str | None]]:
    return registration_context(
        {
            "license_number": contractor.license_number,
            "business_name": contractor.business_name,
            "email": contractor.email,
        }
    )


@dataclass
class Accounts:
    store: ContractorStore
    clock: Clock
    settings: Settings
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    mailer: Mailer | None = None
    email_settings: EmailSettings | None = None

    # Helpers.

    def today(self) -> date:
        return self.clock.now().astimezone(self.settings.zone).date()

    def _issue(self, kind: TokenKind, contractor: Contractor, now: datetime, lifetime: timedelta) -> IssuedToken:
        token = new_token()
        return IssuedToken(
            token=token,
            record=TokenRecord(
                token_hash=token_hash(token),
                kind=kind,
                license_number=contractor.license_number,
                session_generation=contractor.session_generation,
                created_at=now,
                expires_at=now + lifetime,
                last_seen_at=now if kind == "session" else None,
            ),
        )

    def _session_lifetime(self) -> timedelta:
        return timedelta(hours=self.settings.session_absolute_hours)

    def _throttle(self, action: str, source_ip: str | None, limit: int) -> None:
        """A fixed one-minute window per caller address; checked before any password work."""
        if not source_ip:
            return
        now = self.clock.now()
        window_start = now.replace(second=0, microsecond=0)
        hits = self.store.count_request(f"{action}#{source_ip}", window_start, window_start + timedelta(minutes=1))
        if hits > limit:
            logger.warning("rate_limited", extra={"action": action, "source_ip": source_ip, "hits": hits})
            metrics.add_metric(name="RateLimited", unit="Count", value=1)
            raise TooManyRequests

    def _call_staff(self) -> str:
        return f"Please call permit staff at {self.settings.staff_phone_number}"

    # Registration.

    def register(self, request: RegistrationRequest) -> SignedIn:
        workers_comp = request.workers_comp
        if isinstance(workers_comp, WorkersCompPolicy) and workers_comp.expires_on < self.today():
            raise ValidationFailed(
                fields={"workers_comp.expires_on": "The policy has expired; enter a current policy (today or later)."}
            )
        now = self.clock.now()
        contractor = Contractor(
            license_number=request.license_number,
            business_name=request.business_name,
            created_at=now,
            created_by="self_registration",
            contact_name=request.contact_name,
            email=request.email,
            phone=request.phone,
            mailing_address=request.mailing_address.model_dump(),
            workers_comp=workers_comp.model_dump(mode="json"),
            security_question=request.security_question,
            security_answer_hash=self.hasher.hash_answer(request.security_answer),
            password_hash=self.hasher.hash_password(request.password),
            password_state="set",
            password_changed_at=now,
        )
        session = self._issue("session", contractor, now, self._session_lifetime())
        audit = AuditEntry(contractor.license_number, "account_registered", "contractor", now)
        try:
            self.store.create_contractor(contractor, session.record, audit)
        except ContractorExists as exists:
            logger.info("registration_refused", extra={"license_number": request.license_number})
            if exists.existing is not None and exists.existing.password_state != "set":
                raise LicenseOnFile(
                    "Your license is already on file with the city. "
                    f"{self._call_staff()} to complete your account registration."
                ) from exists
            raise LicenseAlreadyRegistered from exists
        except ConflictingWrite as conflict:
            raise ServiceUnavailable from conflict
        logger.info("account_registered", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="AccountRegistered", unit="Count", value=1)
        return SignedIn(session, contractor)

    # Sign-in.

    def sign_in(self, license_number: str, password: str, source_ip: str | None = None) -> SignedIn | ChallengeIssued:
        self._throttle("sign_in", source_ip, self.settings.sign_ins_per_ip_per_minute)
        contractor = self.store.get_contractor(license_number)
        now = self.clock.now()
        # One verification whatever happens next: unknown, locked and disabled cost the same.
        matched = self.hasher.verify_password(contractor.password_hash if contractor else None, password)
        until = locked_until(contractor) if contractor else None
        refused = until is not None and now < until
        if contractor is None or not matched or refused or contractor.account_status != "active":
            self.store.record_failed_sign_in(license_number, now)
            logger.info(
                "sign_in_failed",
                extra={
                    "license_number": license_number,
                    "reason": "unknown"
                    if contractor is None
                    else "locked"
                    if refused
                    else "disabled"
                    if contractor.account_status != "active"
                    else "wrong_password",
                },
            )
            metrics.add_metric(name="SignInFailed", unit="Count", value=1)
            raise InvalidCredentials
        if contractor.password_state == "temporary":
            return self._challenge(contractor, now)
        rehashed = (
            self.hasher.hash_password(password)
            if contractor.password_hash and self.hasher.needs_rehash(contractor.password_hash)
            else None
        )
        session = self._issue("session", contractor, now, self._session_lifetime())
        try:
            self.store.start_session(contractor, session.record, now, rehashed)
        except ConflictingWrite as conflict:
            # The password or the account changed while signing in: treat as a failure.
            raise InvalidCredentials from conflict
        logger.info("sign_in_succeeded", extra={"license_number": license_number, "rehashed": bool(rehashed)})
        metrics.add_metric(name="SignInSucceeded", unit="Count", value=1)
        return SignedIn(session, contractor)

    def _challenge(self, contractor: Contractor, now: datetime) -> ChallengeIssued:
        expires_at = contractor.temporary_password_expires_at
        if expires_at is None or expires_at <= now:
            logger.info("temporary_password_expired", extra={"license_number": contractor.license_number})
            raise TemporaryPasswordExpired(f"Your temporary password has expired. {self._call_staff()} for a new one.")
        lifetime = min(timedelta(minutes=self.settings.challenge_minutes), expires_at - now)
        challenge = self._issue("challenge", contractor, now, lifetime)
        try:
            self.store.start_session(contractor, challenge.record, now, None)
        except ConflictingWrite as conflict:
            raise InvalidCredentials from conflict
        logger.info("new_password_challenge_issued", extra={"license_number": contractor.license_number})
        return ChallengeIssued(challenge)

    # Sessions.

    def authenticate(self, token: str | None) -> Contractor:
        if not token or not is_token_shaped(token):
            raise Unauthorized
        now = self.clock.now()
        idle_since = now - timedelta(minutes=self.settings.session_idle_minutes)
        session = self.store.touch_session(token_hash(token), now, idle_since)
        if session is None:
            raise Unauthorized
        contractor = self.store.get_contractor(session.license_number)
        if (
            contractor is None
            or contractor.session_generation != session.session_generation
            or contractor.account_status != "active"
        ):
            raise Unauthorized
        return contractor

    def dashboard(self, token: str | None) -> DashboardResponse:
        return dashboard_of(self.authenticate(token), self.today())

    def sign_out(self, token: str | None) -> None:
        if not token or not is_token_shaped(token) or not self.store.delete_session(token_hash(token)):
            raise Unauthorized
        logger.info("signed_out")

    # First sign-in with a temporary password ("SAVE AND LOGIN").

    def complete_first_sign_in(self, request: ChallengeResetRequest) -> SignedIn:
        now = self.clock.now()
        challenge = self._live_token(request.challenge_token, "challenge", now)
        contractor = self.store.get_contractor(challenge.license_number)
        if (
            contractor is None
            or contractor.password_state != "temporary"
            or contractor.session_generation != challenge.session_generation
            or contractor.account_status != "active"
        ):
            raise InvalidOrExpiredToken
        self._check_new_password(contractor, request.new_password)
        if self.hasher.verify_password(contractor.password_hash, request.new_password):
            raise ValidationFailed(fields={"new_password": "Choose a password different from the temporary one."})
        session = self._issue("session", _next_generation(contractor), now, self._session_lifetime())
        change = PasswordChange(
            license_number=contractor.license_number,
            expected_generation=contractor.session_generation,
            consumed_token_hash=challenge.token_hash,
            consumed_token_kind="challenge",
            password_hash=self.hasher.hash_password(request.new_password),
            at=now,
            audit=AuditEntry(contractor.license_number, "password_set_at_first_sign_in", "contractor", now),
            security_question=request.security_question,
            security_answer_hash=self.hasher.hash_answer(request.security_answer),
            new_session=session.record,
        )
        try:
            self.store.change_password(change)
        except ConflictingWrite as conflict:
            raise InvalidOrExpiredToken from conflict
        logger.info("first_sign_in_completed", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="FirstSignInCompleted", unit="Count", value=1)
        return SignedIn(session, contractor)

    # Forgot password.

    def request_password_reset(self, license_number: str, source_ip: str | None = None) -> None:
        """Answers nothing: the caller says the same thing whatever happens here."""
        self._throttle("forgot", source_ip, self.settings.forgot_requests_per_ip_per_minute)
        contractor = self.store.get_contractor(license_number)
        if contractor is None or not contractor.email or contractor.account_status != "active":
            logger.info("reset_not_sent", extra={"license_number": license_number, "reason": "no_usable_account"})
            return
        now = self.clock.now()
        window_start = now - timedelta(hours=1)
        recent = tuple(sent for sent in contractor.reset_emails_sent_at if sent > window_start)
        if len(recent) >= self.settings.reset_emails_per_hour:
            logger.info("reset_not_sent", extra={"license_number": license_number, "reason": "rate_limited"})
            metrics.add_metric(name="ResetEmailRateLimited", unit="Count", value=1)
            return
        reset = self._issue("reset", contractor, now, timedelta(minutes=self.settings.reset_token_minutes))
        try:
            self.store.issue_reset_token(contractor, reset.record, (*recent, now))
        except ConflictingWrite:
            logger.info("reset_not_sent", extra={"license_number": license_number, "reason": "concurrent_request"})
            return
        try:
            self._mailer().send(self._reset_email(contractor, reset.token))
        except EmailNotSent as failure:
            logger.warning("reset_email_failed", extra={"license_number": license_number, "error": str(failure)})
            metrics.add_metric(name="ResetEmailFailed", unit="Count", value=1)
            try:
                self.store.withdraw_reset_token(contractor, reset.record)
            except ConflictingWrite:
                logger.warning("reset_withdraw_lost_race", extra={"license_number": license_number})
            return
        logger.info("reset_email_sent", extra={"license_number": license_number})
        metrics.add_metric(name="ResetEmailSent", unit="Count", value=1)

    def _mailer(self) -> Mailer:
        if self.mailer is None or self.email_settings is None:
            raise RuntimeError("this function is not configured to send email")
        return self.mailer

    def _reset_email(self, contractor: Contractor, token: str) -> Email:
        assert self.email_settings is not None
        # The link comes from configuration, never from the request; the token rides in the
        # fragment, which browsers never send to a server.
        link = f"{str(self.email_settings.reset_page_url).rstrip('#')}#token={token}"
        return render(
            "reset_link",
            to=str(contractor.email),
            subject=f"{self.settings.city_name}: reset your permit portal password",
            values={
                "contact_name": contractor.contact_name or contractor.business_name,
                "license_number": contractor.license_number,
                "city_name": self.settings.city_name,
                "staff_phone_number": self.settings.staff_phone_number,
                "valid_minutes": str(self.settings.reset_token_minutes),
                "reset_link": link,
            },
        )

    def reset_question(self, reset_token: str) -> str | None:
        _, contractor = self._live_reset(reset_token, self.clock.now())
        return contractor.security_question

    def reset_with_token(self, request: TokenResetRequest) -> None:
        now = self.clock.now()
        reset, contractor = self._live_reset(request.reset_token, now)
        setting_question = contractor.security_question is None
        if setting_question and request.security_question is None:
            raise ValidationFailed(
                fields={"security_question": "Choose a security question; your account does not have one yet."}
            )
        if not setting_question and request.security_question is not None:
            raise ValidationFailed(
                fields={"security_question": "Your account already has a security question; answer it instead."}
            )
        self._check_new_password(contractor, request.new_password)
        if not setting_question and not self.hasher.verify_answer(
            contractor.security_answer_hash, request.security_answer
        ):
            wrong = self.store.count_wrong_answer(reset.token_hash)
            logger.info("reset_wrong_answer", extra={"license_number": contractor.license_number, "count": wrong})
            if wrong >= MAX_WRONG_ANSWERS or wrong == 0:
                raise IncorrectSecurityAnswer(
                    "The answer is not correct, and this link no longer works. "
                    "Use Forgot Password to get a new link, or call permit staff."
                )
            raise IncorrectSecurityAnswer
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
            max_wrong_answers=MAX_WRONG_ANSWERS,
        )
        try:
            self.store.change_password(change)
        except ConflictingWrite as conflict:
            raise InvalidOrExpiredToken from conflict
        logger.info("password_reset", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="PasswordReset", unit="Count", value=1)
        self._notify_password_changed(contractor, now)

    def _notify_password_changed(self, contractor: Contractor, at: datetime) -> None:
        if not contractor.email or self.mailer is None:
            return
        local = at.astimezone(self.settings.zone)
        email = render(
            "password_changed",
            to=contractor.email,
            subject=f"{self.settings.city_name}: your permit portal password was changed",
            values={
                "contact_name": contractor.contact_name or contractor.business_name,
                "license_number": contractor.license_number,
                "city_name": self.settings.city_name,
                "staff_phone_number": self.settings.staff_phone_number,
                "changed_at": local.strftime("%B %d, %Y at %I:%M %p %Z"),
            },
        )
        try:
            self.mailer.send(email)
        except EmailNotSent as failure:
            # The password is changed either way; the notice is best effort.
            logger.warning("password_changed_notice_failed", extra={"error": str(failure)})
            metrics.add_metric(name="NoticeEmailFailed", unit="Count", value=1)

    # Token checks.

    def _live_token(self, token: str, kind: TokenKind, now: datetime) -> TokenRecord:
        if not is_token_shaped(token):
            raise InvalidOrExpiredToken
        record = self.store.get_token(token_hash(token))
        if record is None or record.kind != kind or record.expires_at <= now:
            raise InvalidOrExpiredToken
        return record

    def _live_reset(self, token: str, now: datetime) -> tuple[TokenRecord, Contractor]:
        reset = self._live_token(token, "reset", now)
        if reset.wrong_answers >= MAX_WRONG_ANSWERS:
            raise InvalidOrExpiredToken
        contractor = self.store.get_contractor(reset.license_number)
        if (
            contractor is None
            or contractor.reset_token_hash != reset.token_hash
            or contractor.account_status != "active"
        ):
            raise InvalidOrExpiredToken
        return reset, contractor

    def _check_new_password(self, contractor: Contractor, new_password: str) -> None:
        problem = password_problem(new_password, _context_of(contractor))
        if problem:
            raise ValidationFailed(fields={"new_password": problem})


def _next_generation(contractor: Contractor) -> Contractor:
    """The account as it will be once the password change ends its older sessions."""
    return replace(contractor, session_generation=contractor.session_generation + 1)
