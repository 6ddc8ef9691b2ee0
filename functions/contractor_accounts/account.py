"""The contractor's own account: what the dashboard shows, and the changes a signed-in contractor
makes (``/me``): contact details and workers' compensation, email, password, security question,
signing out everywhere. Every change is audit-logged with the change itself."""

from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from contractor_accounts.clock import Clock
from contractor_accounts.entities import (
    AuditEntry,
    ContactChange,
    ContactDetails,
    Contractor,
    IssuedToken,
    OwnPasswordChange,
    WorkersCompPolicy,
)
from contractor_accounts.errors import InvalidCredentials, Unauthorized, ValidationFailed
from contractor_accounts.mail import EmailNotSent, render
from contractor_accounts.observability import logger, metrics
from contractor_accounts.passwords import Hasher, normalize_password
from contractor_accounts.policy import EXPIRING_SOON_DAYS
from contractor_accounts.recovery import notify_password_changed
from contractor_accounts.settings import Settings
from contractor_accounts.signin import Sessions, SignIn, check_new_password
from contractor_accounts.store import ConflictingWrite, ContractorStore
from contractor_accounts.tokens import issue_token
from contractor_accounts.verification import EmailVerification

WorkersCompStatus = Literal["valid", "expiring_soon", "expired", "exempt"]


def workers_comp_status(workers_comp: dict[str, object], today: date) -> WorkersCompStatus:
    if workers_comp.get("exempt"):
        return "exempt"
    expires_on = date.fromisoformat(str(workers_comp["expires_on"]))
    if expires_on < today:
        return "expired"
    if expires_on <= today + timedelta(days=EXPIRING_SOON_DAYS):
        return "expiring_soon"
    return "valid"


def city_today(clock: Clock, settings: Settings) -> date:
    """ "Today" in the city's time zone (workers' compensation expiry is a local date)."""
    return clock.now().astimezone(settings.zone).date()


def workers_comp_record(workers_comp: object) -> dict[str, object]:
    """How the account keeps workers' compensation: ``{"exempt": true}`` or the policy."""
    if isinstance(workers_comp, WorkersCompPolicy):
        return {**asdict(workers_comp), "expires_on": workers_comp.expires_on.isoformat()}
    return {"exempt": True}


def check_workers_comp(workers_comp: object, today: date) -> None:
    """A policy entered by a contractor or staff must not have expired (the city's today)."""
    if isinstance(workers_comp, WorkersCompPolicy) and workers_comp.expires_on < today:
        raise ValidationFailed(
            fields={"workers_comp.expires_on": "The policy has expired; enter a current policy (today or later)."}
        )


def contact_values(details: ContactDetails, today: date) -> dict[str, Any]:
    """The account attributes a change writes (validated; unchanged fields left out)."""
    check_workers_comp(details.workers_comp, today)
    values: dict[str, Any] = {
        name: getattr(details, name)
        for name in ("business_name", "contact_name", "email", "phone")
        if getattr(details, name) is not None
    }
    if details.mailing_address is not None:
        values["mailing_address"] = asdict(details.mailing_address)
    if details.workers_comp is not None:
        values["workers_comp"] = workers_comp_record(details.workers_comp)
    if not values:
        raise ValidationFailed(fields={"body": "Send at least one field to change."})
    return values


@dataclass(frozen=True, slots=True)
class Dashboard:
    contractor: Contractor
    today: date


@dataclass(frozen=True)
class OwnAccount:
    """What a signed-in contractor sees and changes without their password."""

    sessions: Sessions
    store: ContractorStore
    clock: Clock
    settings: Settings
    verification: EmailVerification

    def dashboard(self, token: str | None) -> Dashboard:
        return Dashboard(self.sessions.authenticate(token), city_today(self.clock, self.settings))

    def update_profile(self, token: str | None, details: ContactDetails) -> Dashboard:
        """``PATCH /me``: contact name, phone, mailing address, workers' compensation."""
        contractor = self.sessions.authenticate(token)
        today = city_today(self.clock, self.settings)
        values = contact_values(details, today)
        audit = AuditEntry(
            contractor.license_number, "contact_updated", "contractor", self.clock.now(), {"fields": ",".join(values)}
        )
        try:
            self.store.update_contact(
                ContactChange(contractor.license_number, values, audit, contractor.session_generation)
            )
        except ConflictingWrite as conflict:
            raise Unauthorized from conflict
        logger.info("contact_updated", extra={"license_number": contractor.license_number, "fields": list(values)})
        return Dashboard(replace(contractor, **values), today)

    def resend_verification(self, token: str | None) -> None:
        self.verification.resend(self.sessions.authenticate(token))

    def sign_out_everywhere(self, token: str | None) -> None:
        # The session alone: the write itself checks the account is active and of its generation.
        session = self.sessions.live_session(token)
        audit = AuditEntry(session.license_number, "signed_out_everywhere", "contractor", self.clock.now())
        try:
            self.store.end_all_sessions(session.license_number, session.session_generation, audit)
        except ConflictingWrite as conflict:
            raise Unauthorized from conflict
        logger.info("signed_out_everywhere", extra={"license_number": session.license_number})


@dataclass(frozen=True)
class AccountCredentials:
    """The changes that need the current password: email, password, security question. A wrong
    current password counts toward the sign-in lockout, as a wrong password at sign-in does."""

    sessions: Sessions
    store: ContractorStore
    clock: Clock
    hasher: Hasher
    settings: Settings
    verification: EmailVerification

    def confirm_password(self, license_number: str, password: str) -> Contractor:
        """The sign-in's own rule (``SignIn.check_password``): the attempt is claimed (counted
        as a failure by a conditional write) before the password is judged, refused without
        counting during a lockout. The change's write takes the claim back. Returns the account
        as claimed (read by that write), which the change is conditioned on."""
        signing_in = SignIn(self.store, self.clock, self.hasher, self.settings)
        try:
            claimed, _ = signing_in.check_password(license_number, password, self.clock.now())
        except InvalidCredentials as refused:
            logger.info("current_password_refused", extra={"license_number": license_number})
            raise InvalidCredentials("Your current password is not correct.") from refused
        return claimed

    def change_email(self, token: str | None, email: str, current_password: str) -> None:
        """``PUT /me/email``: the new address gets a link and takes effect when it is used; a
        verified old address is told (no link)."""
        contractor = self.sessions.authenticate(token)
        if contractor.email_verified and email == contractor.email:
            raise ValidationFailed(fields={"email": "This is already your email address."})
        # Refused before the password is claimed: a right password must not end up counted.
        self.verification.check_limit(contractor)
        contractor = self.confirm_password(contractor.license_number, current_password)
        audit = AuditEntry(contractor.license_number, "email_change_requested", "contractor", self.clock.now())
        self.verification.issue_and_send(contractor, email, audit, password_confirmed=True)
        if contractor.email and contractor.email_verified:
            self._notify_email_change(contractor, contractor.email)

    def change_password(self, token: str | None, current_password: str, new_password: str) -> IssuedToken:
        """``PUT /me/password``: every other session and every reset link ends; the session that
        asked continues as a new token (same absolute expiry)."""
        session, contractor = self.sessions.current(token)
        check_new_password(contractor, new_password)
        if normalize_password(new_password) == normalize_password(current_password):
            raise ValidationFailed(fields={"new_password": "Choose a password different from your current one."})
        contractor = self.confirm_password(contractor.license_number, current_password)
        now = self.clock.now()
        successor = issue_token(
            "session",
            replace(contractor, session_generation=contractor.session_generation + 1),
            now,
            session.expires_at - now,
        )
        change = OwnPasswordChange(
            license_number=contractor.license_number,
            expected_generation=contractor.session_generation,
            seen_password_hash=str(contractor.password_hash),
            password_hash=self.hasher.hash_password(new_password),
            ended_session_hash=session.token_hash,
            new_session=successor.record,
            at=now,
            audit=AuditEntry(contractor.license_number, "password_changed", "contractor", now),
        )
        try:
            self.store.change_own_password(change)
        except ConflictingWrite as conflict:
            raise Unauthorized from conflict
        logger.info("password_changed", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="PasswordChanged", unit="Count", value=1)
        notify_password_changed(self.verification.mailer, self.settings, contractor, now)
        return successor

    def change_security_question(self, token: str | None, current_password: str, question: str, answer: str) -> None:
        contractor = self.confirm_password(self.sessions.authenticate(token).license_number, current_password)
        audit = AuditEntry(contractor.license_number, "security_question_changed", "contractor", self.clock.now())
        try:
            self.store.set_security_question(
                contractor.license_number,
                contractor.session_generation,
                question,
                self.hasher.hash_answer(answer),
                audit,
            )
        except ConflictingWrite as conflict:
            raise Unauthorized from conflict
        logger.info("security_question_changed", extra={"license_number": contractor.license_number})

    def _notify_email_change(self, contractor: Contractor, old_address: str) -> None:
        if old_address == contractor.undeliverable_email:
            return  # it bounced or was reported as spam: nothing more goes there
        email = render(
            "email_change_notice",
            to=old_address,
            license_number=contractor.license_number,
            subject=f"{self.settings.city_name}: a change of your email address was requested",
            values={
                "license_number": contractor.license_number,
                "city_name": self.settings.city_name,
                "staff_phone_number": self.settings.staff_phone_number,
            },
        )
        try:
            self.verification.mailer.send(email)
        except EmailNotSent as failure:
            logger.warning("email_change_notice_failed", extra={"error": str(failure)})
            metrics.add_metric(name="NoticeEmailFailed", unit="Count", value=1)
