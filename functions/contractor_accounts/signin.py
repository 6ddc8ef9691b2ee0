"""Signing in and out, the sessions that follow, the lockout rule (checklist 5, 6, 17-19), and
the first sign-in with a temporary password (checklist 16)."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from contractor_accounts.clock import Clock
from contractor_accounts.entities import AuditEntry, ChallengeIssued, Contractor, NewPassword, PasswordChange, SignedIn
from contractor_accounts.errors import (
    InvalidCredentials,
    InvalidOrExpiredToken,
    TemporaryPasswordExpired,
    Unauthorized,
    ValidationFailed,
)
from contractor_accounts.observability import logger, metrics
from contractor_accounts.passwords import Hasher, password_context, password_problem
from contractor_accounts.policy import LOCKOUT_CAP, LOCKOUT_THRESHOLD
from contractor_accounts.rate_limits import throttle
from contractor_accounts.settings import Settings
from contractor_accounts.store import ConflictingWrite, ContractorStore
from contractor_accounts.tokens import holder_of, is_token_shaped, issue_token, live_token, token_hash


def lockout_delay(failures: int) -> timedelta:
    """Cognito's progressive delay: 2^(n-5) seconds after the 5th failure, capped."""
    if failures < LOCKOUT_THRESHOLD:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - LOCKOUT_THRESHOLD, 20)), LOCKOUT_CAP)


def locked_until(contractor: Contractor) -> datetime | None:
    if contractor.last_failed_login_at is None or contractor.failed_login_count < LOCKOUT_THRESHOLD:
        return None
    return contractor.last_failed_login_at + lockout_delay(contractor.failed_login_count)


def _failure_reason(contractor: Contractor | None, refused: bool) -> str:
    if contractor is None:
        return "unknown"
    if refused:
        return "locked"
    if contractor.account_status != "active":
        return "disabled"
    return "wrong_password"


@dataclass(frozen=True)
class SignIn:
    store: ContractorStore
    clock: Clock
    hasher: Hasher
    settings: Settings

    def sign_in(self, license_number: str, password: str, source_ip: str | None = None) -> SignedIn | ChallengeIssued:
        throttle(self.store, self.clock, "sign_in", source_ip, self.settings.sign_ins_per_ip_per_minute)
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
                extra={"license_number": license_number, "reason": _failure_reason(contractor, refused)},
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
        session = issue_token("session", contractor, now, self.settings.session_lifetime)
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
            raise TemporaryPasswordExpired(
                f"Your temporary password has expired. {self.settings.call_staff} for a new one."
            )
        lifetime = min(timedelta(minutes=self.settings.challenge_minutes), expires_at - now)
        challenge = issue_token("challenge", contractor, now, lifetime)
        try:
            self.store.start_session(contractor, challenge.record, now, None)
        except ConflictingWrite as conflict:
            raise InvalidCredentials from conflict
        logger.info("new_password_challenge_issued", extra={"license_number": contractor.license_number})
        return ChallengeIssued(challenge)


@dataclass(frozen=True)
class Sessions:
    """The bearer session behind every signed-in request."""

    store: ContractorStore
    clock: Clock
    settings: Settings

    def authenticate(self, token: str | None) -> Contractor:
        """The signed-in contractor; Unauthorized without a live session (idle or absolute
        timeout, signed out, or ended by a password change, temporary password or disable)."""
        if not token or not is_token_shaped(token):
            raise Unauthorized
        now = self.clock.now()
        idle_since = now - timedelta(minutes=self.settings.session_idle_minutes)
        session = self.store.touch_session(token_hash(token), now, idle_since)
        if session is None:
            logger.info("session_refused", extra={"reason": "no_live_session"})
            raise Unauthorized
        return holder_of(self.store, session, Unauthorized)

    def sign_out(self, token: str | None) -> None:
        if not token or not is_token_shaped(token) or not self.store.delete_session(token_hash(token)):
            logger.info("session_refused", extra={"reason": "sign_out_without_session"})
            raise Unauthorized
        logger.info("signed_out")


def check_new_password(contractor: Contractor, new_password: str) -> None:
    """The password policy for a new password of an existing account (checklist 1, 2, 14)."""
    problem = password_problem(
        new_password, password_context(contractor.license_number, contractor.business_name, contractor.email)
    )
    if problem:
        raise ValidationFailed(fields={"new_password": problem})


@dataclass(frozen=True)
class FirstSignIn:
    """The first sign-in with a staff-issued temporary password ("SAVE AND LOGIN")."""

    store: ContractorStore
    clock: Clock
    hasher: Hasher
    settings: Settings

    def complete_first_sign_in(self, request: NewPassword) -> SignedIn:
        now = self.clock.now()
        challenge = live_token(self.store, request.token, "challenge", now)
        if challenge is None:
            logger.info("token_refused", extra={"kind": "challenge", "reason": "not_live"})
            raise InvalidOrExpiredToken
        contractor = holder_of(self.store, challenge, InvalidOrExpiredToken)
        if contractor.password_state != "temporary" or request.security_question is None:
            raise InvalidOrExpiredToken
        check_new_password(contractor, request.new_password)
        if self.hasher.verify_password(contractor.password_hash, request.new_password):
            raise ValidationFailed(fields={"new_password": "Choose a password different from the temporary one."})
        # The change ends the account's older sessions: the new one belongs to the next generation.
        session = issue_token(
            "session",
            replace(contractor, session_generation=contractor.session_generation + 1),
            now,
            self.settings.session_lifetime,
        )
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
