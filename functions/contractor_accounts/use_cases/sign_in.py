"""Signing in with the license number and password (checklist 5, 6, 17-19): the per-address
limit, the lockout rule around the password (``steps.password_check``), the session and the
browser's trusted device; a temporary password gets the NEW_PASSWORD_REQUIRED challenge."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from contractor_accounts.domain.changes import DeviceChange
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import InvalidCredentials, TemporaryPasswordExpired
from contractor_accounts.domain.lockout import new_device
from contractor_accounts.domain.results import ChallengeIssued, SignedIn
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
        contractor, device = PasswordCheck(self.store, self.hasher).check(license_number, password, now, device_token)
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
