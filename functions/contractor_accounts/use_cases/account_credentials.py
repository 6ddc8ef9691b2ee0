"""The changes to the contractor's own account that need the current password: email
(``PUT /me/email``), password (``PUT /me/password``) and security question. A wrong current
password counts toward the sign-in lockout, as a wrong password at sign-in does."""

from dataclasses import dataclass, replace

from contractor_accounts.domain.changes import Claim, OwnPasswordChange
from contractor_accounts.domain.entities import AuditEntry, Contractor, TokenRecord
from contractor_accounts.domain.errors import InvalidCredentials, Unauthorized, ValidationFailed
from contractor_accounts.domain.lockout import device_is_live
from contractor_accounts.domain.passwords import check_new_password, normalize_password
from contractor_accounts.domain.results import IssuedToken
from contractor_accounts.domain.tokens import issue_token
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore
from contractor_accounts.settings import Settings
from contractor_accounts.steps.confirmation_links import ConfirmationLinks
from contractor_accounts.steps.password_check import PasswordCheck
from contractor_accounts.steps.sessions import Sessions


@dataclass(frozen=True)
class AccountCredentials:
    """The changes that need the current password: email, password, security question. A wrong
    current password counts toward the sign-in lockout, as a wrong password at sign-in does."""

    sessions: Sessions
    store: ContractorStore
    clock: Clock
    hasher: Hasher
    settings: Settings
    links: ConfirmationLinks

    def confirm_password(self, session: TokenRecord, password: str) -> tuple[Contractor, Claim]:
        """The sign-in's own rule (``steps.password_check``): the attempt is claimed (counted
        as a failure by a conditional write) before the password is judged. A session that came
        from a trusted device is judged by that device, outside the account's lock (contract
        v3), while it is live; else by the account, refused without counting during a lockout.
        The change's write takes exactly that claim back. Returns the account as claimed (read
        by that write), which the change is conditioned on, and the claim."""
        try:
            return PasswordCheck(self.store, self.hasher).check_through(
                session.license_number, password, self.clock.now(), session.device_hash
            )
        except InvalidCredentials as refused:
            logger.info("current_password_refused", extra={"license_number": session.license_number})
            raise InvalidCredentials("Your current password is not correct.") from refused

    def change_email(self, token: str | None, email: str, current_password: str) -> None:
        """``PUT /me/email``: the new address gets a link and takes effect when it is used; a
        verified old address is told (no link)."""
        session, contractor = self.sessions.current(token)
        if contractor.email_verified and email == contractor.email:
            raise ValidationFailed(fields={"email": "This is already your email address."})
        # Refused before the password is claimed: a right password must not end up counted.
        self.links.check_limit(contractor)
        contractor, claim = self.confirm_password(session, current_password)
        audit = AuditEntry(contractor.license_number, "email_change_requested", "contractor", self.clock.now())
        # The old verified address is told by the notice function (the activity record's notice).
        self.links.issue_and_send(contractor, email, audit, confirmed=claim)

    def change_password(self, token: str | None, current_password: str, new_password: str) -> IssuedToken:
        """``PUT /me/password``: every other session, every reset link and every other trusted
        device ends; the session that asked continues as a new token (same absolute expiry), and
        its browser keeps its device (it proved the current password), with no failures."""
        session, contractor = self.sessions.current(token)
        check_new_password(contractor, new_password)
        if normalize_password(new_password) == normalize_password(current_password):
            raise ValidationFailed(fields={"new_password": "Choose a password different from your current one."})
        contractor, _ = self.confirm_password(session, current_password)
        now = self.clock.now()
        kept = next((d for d in contractor.trusted_devices if d.token_hash == session.device_hash), None)
        kept = replace(kept, failures=0) if kept is not None and device_is_live(kept, now) else None
        successor = issue_token(
            "session",
            replace(contractor, session_generation=contractor.session_generation + 1),
            now,
            session.expires_at - now,
            kept.token_hash if kept else None,
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
            kept_device=kept,
        )
        try:
            self.store.change_own_password(change)
        except ConflictingWrite as conflict:
            raise Unauthorized from conflict
        logger.info("password_changed", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="PasswordChanged", unit="Count", value=1)
        return successor

    def change_security_question(self, token: str | None, current_password: str, question: str, answer: str) -> None:
        session, _ = self.sessions.current(token)
        contractor, claim = self.confirm_password(session, current_password)
        audit = AuditEntry(contractor.license_number, "security_question_changed", "contractor", self.clock.now())
        try:
            self.store.set_security_question(
                contractor.license_number,
                contractor.session_generation,
                question,
                self.hasher.hash_answer(answer),
                audit,
                claim,
            )
        except ConflictingWrite as conflict:
            raise Unauthorized from conflict
        logger.info("security_question_changed", extra={"license_number": contractor.license_number})
