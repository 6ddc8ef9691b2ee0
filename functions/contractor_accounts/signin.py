"""Signing in and out, the sessions that follow, the lockout rule (checklist 5, 6, 17-19), and
the first sign-in with a temporary password (checklist 16)."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from contractor_accounts.clock import Clock
from contractor_accounts.entities import (
    AuditEntry,
    ChallengeIssued,
    Contractor,
    DeviceChange,
    NewPassword,
    PasswordChange,
    SignedIn,
    TokenRecord,
    TrustedDevice,
)
from contractor_accounts.errors import (
    InvalidCredentials,
    InvalidOrExpiredToken,
    TemporaryPasswordExpired,
    Unauthorized,
    ValidationFailed,
)
from contractor_accounts.observability import logger, metrics
from contractor_accounts.passwords import Hasher, password_context, password_problem
from contractor_accounts.policy import (
    DEVICE_MAX_FAILURES,
    DEVICE_TOKEN_DAYS,
    MAX_TRUSTED_DEVICES,
    SESSION_LAST_SEEN_RESOLUTION_SECONDS,
    lock_ends,
)
from contractor_accounts.rate_limits import throttle
from contractor_accounts.settings import Settings
from contractor_accounts.store import ConflictingWrite, ContractorStore
from contractor_accounts.tokens import holder_of, is_token_shaped, issue_token, live_token, new_token, token_hash


def locked_until(contractor: Contractor) -> datetime | None:
    return lock_ends(contractor.failed_login_count, contractor.last_failed_login_at)


def device_is_live(device: TrustedDevice, now: datetime) -> bool:
    return device.failures < DEVICE_MAX_FAILURES and now < device.issued_at + timedelta(days=DEVICE_TOKEN_DAYS)


def new_device(contractor: Contractor, now: datetime) -> tuple[str, DeviceChange]:
    """A new device token for the browser that just signed in, pushing out dead devices and,
    beyond ``MAX_TRUSTED_DEVICES``, the oldest live ones."""
    token = new_token()
    live = [device for device in contractor.trusted_devices if device_is_live(device, now)]
    keep = live[len(live) - (MAX_TRUSTED_DEVICES - 1) :] if len(live) >= MAX_TRUSTED_DEVICES else live
    evicted = tuple(device.token_hash for device in contractor.trusted_devices if device not in keep)
    return token, DeviceChange(added=TrustedDevice(token_hash(token), now), evicted=evicted)


@dataclass(frozen=True)
class SignIn:
    store: ContractorStore
    clock: Clock
    hasher: Hasher
    settings: Settings

    def sign_in(
        self, license_number: str, password: str, source_ip: str | None = None, device_token: str | None = None
    ) -> SignedIn | ChallengeIssued:
        throttle(self.store, self.clock, self.settings, "sign_in", source_ip)
        now = self.clock.now()
        contractor, device = self.check_password(license_number, password, now, device_token)
        if contractor.password_state == "temporary":
            return self._challenge(contractor, now, device)
        rehashed = (
            self.hasher.hash_password(password)
            if contractor.password_hash and self.hasher.needs_rehash(contractor.password_hash)
            else None
        )
        if device is not None:
            # A live device token stays the browser's until it expires or ends (decided: no
            # rotation, so two tabs of one browser never race each other for it).
            kept_token, devices = str(device_token), DeviceChange(signed_in_with=device)
        else:
            kept_token, devices = new_device(contractor, now)
        session = issue_token("session", contractor, now, self.settings.session_lifetime)
        try:
            self.store.start_session(contractor, session.record, now, rehashed, devices)
        except ConflictingWrite as conflict:
            # The password or the account changed while signing in: treat as a failure.
            raise InvalidCredentials from conflict
        logger.info(
            "sign_in_succeeded",
            extra={"license_number": license_number, "rehashed": bool(rehashed), "trusted_device": bool(device)},
        )
        metrics.add_metric(name="SignInSucceeded", unit="Count", value=1)
        return SignedIn(session, contractor, kept_token)

    def check_password(
        self, license_number: str, password: str, now: datetime, device_token: str | None = None
    ) -> tuple[Contractor, str | None]:
        """The lockout rule around one password verification (checklist 5, 6): the attempt is
        claimed (recorded by a conditional write) before the password is judged, through the
        browser's live device token when it sends one (judged by that device's own failures),
        else through the account (judged by its lock). A refused claim (locked, unknown) still
        costs one verification and answers exactly like a wrong password. Returns the account
        and the device hash it was judged by; the claim stays counted as a failure unless the
        caller's success write takes it back (``start_session``; a password change resets the
        count too). Reusable wherever a current password is asked for: a wrong one counts
        toward the lockout like a sign-in."""
        device = token_hash(device_token) if device_token and is_token_shaped(device_token) else None
        contractor = self.store.claim_device_attempt(license_number, device, now) if device else None
        if contractor is None:
            device = None
            contractor = self.store.claim_sign_in_attempt(license_number, now)
        # One verification whatever happens next: unknown and locked cost the same as wrong.
        matched = self.hasher.verify_password(contractor.password_hash if contractor else None, password)
        if contractor is None or not matched or contractor.account_status != "active":
            reason = (
                "unknown_or_locked"
                if contractor is None
                else ("disabled" if contractor.account_status != "active" else "wrong_password")
            )
            logger.info(
                "sign_in_failed",
                extra={"license_number": license_number, "reason": reason, "trusted_device": bool(device)},
            )
            metrics.add_metric(name="SignInFailed", unit="Count", value=1)
            raise InvalidCredentials
        return contractor, device

    def _challenge(self, contractor: Contractor, now: datetime, device: str | None) -> ChallengeIssued:
        expires_at = contractor.temporary_password_expires_at
        if expires_at is None or expires_at <= now:
            logger.info("temporary_password_expired", extra={"license_number": contractor.license_number})
            raise TemporaryPasswordExpired(
                f"Your temporary password has expired. {self.settings.call_staff} for a new one."
            )
        lifetime = min(timedelta(minutes=self.settings.challenge_minutes), expires_at - now)
        challenge = issue_token("challenge", contractor, now, lifetime)
        try:
            self.store.start_session(contractor, challenge.record, now, None, DeviceChange(signed_in_with=device))
        except ConflictingWrite as conflict:
            raise InvalidCredentials from conflict
        logger.info("new_password_challenge_issued", extra={"license_number": contractor.license_number})
        return ChallengeIssued(challenge)


_LAST_SEEN_RESOLUTION = timedelta(seconds=SESSION_LAST_SEEN_RESOLUTION_SECONDS)


def _live_session(session: TokenRecord, now: datetime, idle_since: datetime) -> bool:
    """A session (not a challenge or link), used since ``idle_since``, before its absolute expiry
    (the same conditions ``touch_session`` writes under)."""
    return (
        session.kind == "session"
        and session.last_seen_at is not None
        and session.last_seen_at >= idle_since
        and session.expires_at > now
    )


@dataclass(frozen=True)
class Sessions:
    """The bearer session behind every signed-in request."""

    store: ContractorStore
    clock: Clock
    settings: Settings

    def authenticate(self, token: str | None) -> Contractor:
        """The signed-in contractor; Unauthorized without a live session (idle or absolute
        timeout, signed out, or ended by a password change, temporary password or disable)."""
        return self.current(token)[1]

    def current(self, token: str | None) -> tuple[TokenRecord, Contractor]:
        """The live session and its contractor (as ``authenticate``)."""
        session = self.live_session(token)
        return session, holder_of(self.store, session, Unauthorized)

    def live_session(self, token: str | None) -> TokenRecord:
        """The live session alone, its account not read: for a change whose own conditional
        write checks the account (active, of the session's generation). Unauthorized without one."""
        if not token or not is_token_shaped(token):
            logger.info("session_refused", extra={"reason": "no_bearer_token" if not token else "malformed_token"})
            raise Unauthorized
        now = self.clock.now()
        idle_since = now - timedelta(minutes=self.settings.session_idle_minutes)
        hashed = token_hash(token)
        session = self.store.get_token(hashed)
        if session is not None and not _live_session(session, now, idle_since):
            session = None
        if (
            session is not None
            and session.last_seen_at is not None
            and session.last_seen_at < now - _LAST_SEEN_RESOLUTION
        ):
            # Written only when the stored last use is over a minute old: a read, not a write,
            # on most requests. The idle deadline may thus fall up to a minute early, never late.
            session = self.store.touch_session(hashed, now, idle_since)
        if session is None:
            logger.info("session_refused", extra={"reason": "no_live_session"})
            raise Unauthorized
        return session

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
        device_token = new_token()
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
            # "SAVE AND LOGIN" signs this browser in: it becomes the account's one trusted device.
            new_device=TrustedDevice(token_hash(device_token), now),
        )
        try:
            self.store.change_password(change)
        except ConflictingWrite as conflict:
            raise InvalidOrExpiredToken from conflict
        logger.info("first_sign_in_completed", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="FirstSignInCompleted", unit="Count", value=1)
        return SignedIn(session, contractor, device_token)
