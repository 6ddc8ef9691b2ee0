"""Signing in with the license number and password (checklist 5, 6, 17-19): the per-address
limit, the lockout rule around the password (``steps.password_check``), the session and the
browser's trusted device; a temporary password gets the NEW_PASSWORD_REQUIRED challenge."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from contractor_accounts.domain.changes import Claim, DeviceChange
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import InvalidCredentials, TemporaryPasswordExpired
from contractor_accounts.domain.lockout import new_device
from contractor_accounts.domain.policy import START_SESSION_TRIES
from contractor_accounts.domain.results import ChallengeIssued, IssuedToken, SignedIn
from contractor_accounts.domain.tokens import issue_token
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.request_counters import RequestCounters
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore
from contractor_accounts.settings import Settings
from contractor_accounts.steps.password_check import PasswordCheck
from contractor_accounts.steps.rate_limits import throttle


@dataclass(frozen=True)
class SignIn:
    store: ContractorStore
    counters: RequestCounters
    clock: Clock
    hasher: Hasher
    settings: Settings

    def sign_in(
        self, license_number: str, password: str, source_ip: str | None = None, device_token: str | None = None
    ) -> SignedIn | ChallengeIssued:
        throttle(self.counters, self.clock, self.settings, "sign_in", source_ip)
        now = self.clock.now()
        contractor, claim = PasswordCheck(self.store, self.hasher).check(license_number, password, now, device_token)
        if contractor.password_state == "temporary":
            return self._challenge(contractor, now, claim)
        rehashed = (
            self.hasher.hash_password(password)
            if contractor.password_hash and self.hasher.needs_rehash(contractor.password_hash)
            else None
        )
        session, kept_token = self._start_session(contractor, now, rehashed, claim, str(device_token))
        logger.info(
            "sign_in_succeeded",
            extra={"license_number": license_number, "rehashed": bool(rehashed), "trusted_device": bool(claim.device)},
        )
        metrics.add_metric(name="SignInSucceeded", unit="Count", value=1)
        return SignedIn(session, contractor, kept_token)

    def _start_session(
        self, contractor: Contractor, now: datetime, rehashed: str | None, claim: Claim, device_token: str
    ) -> tuple[IssuedToken, str]:
        """The session and the browser's device token. A live device token stays the browser's
        until it expires or ends (decided: no rotation, so two tabs of one browser never race
        each other for it); otherwise a new device is added to the map as read. When a
        concurrent sign-in changed the map first, the write fails on it: the map is read again
        (the failed write returns it) and recomputed, a bounded number of times, so the cap
        holds and a legitimate sign-in still gets in."""
        current = contractor
        for attempt in range(1, START_SESSION_TRIES + 1):
            if claim.device is not None:
                kept_token, devices = device_token, DeviceChange()
            else:
                kept_token, devices = new_device(current, now)
            # The session belongs to the browser's device: it judges its current password.
            session = issue_token(
                "session",
                contractor,
                now,
                self.settings.session_lifetime,
                claim.device or (devices.added.token_hash if devices.added else None),
            )
            try:
                self.store.start_session(current, session.record, now, rehashed, claim, devices)
                return session, kept_token
            except ConflictingWrite as conflict:
                found = conflict.found or self.store.get_contractor(contractor.license_number)
                if found is None or attempt == START_SESSION_TRIES or not _same_sign_in(found, contractor, claim):
                    # The password or the account changed while signing in: treat as a failure.
                    raise InvalidCredentials from conflict
                logger.info("sign_in_retried", extra={"license_number": contractor.license_number})
                current = replace(contractor, trusted_devices=found.trusted_devices)
                claim = claim.as_held_by(found)
        raise InvalidCredentials  # pragma: no cover (the loop returns or raises)

    def _challenge(self, contractor: Contractor, now: datetime, claim: Claim) -> ChallengeIssued:
        expires_at = contractor.temporary_password_expires_at
        if expires_at is None or expires_at <= now:
            logger.info("temporary_password_expired", extra={"license_number": contractor.license_number})
            raise TemporaryPasswordExpired(
                f"Your temporary password has expired. {self.settings.call_staff} for a new one."
            )
        lifetime = min(timedelta(minutes=self.settings.challenge_minutes), expires_at - now)
        challenge = issue_token("challenge", contractor, now, lifetime)
        try:
            self.store.start_session(contractor, challenge.record, now, None, claim)
        except ConflictingWrite as conflict:
            raise InvalidCredentials from conflict
        logger.info("new_password_challenge_issued", extra={"license_number": contractor.license_number})
        return ChallengeIssued(challenge)


def _same_sign_in(found: Contractor, claimed: Contractor, claim: Claim) -> bool:
    """Whether a lost ``start_session`` lost only to concurrent sign-ins (the device map, or a
    success that took back failures first): the account is the one claimed, with the same
    password, generation and status (and still the device judged by). Anything else ends it."""
    return (
        found.password_hash == claimed.password_hash
        and found.session_generation == claimed.session_generation
        and found.account_status == "active"
        and (claim.device is None or any(known.token_hash == claim.device for known in found.trusted_devices))
    )
