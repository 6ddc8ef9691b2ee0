"""Signing in with a passkey (contract v3, checklist 34, 37, 38): discoverable, so the options
name no account; the answer names its user handle, which finds the account; the signature, RP ID
hash, origin, type, challenge, user verification and sign count are verified (``ports.webauthn``);
one write consumes the challenge, moves the sign count and starts the session.

A passkey is not a password guess: it works while the password is locked, and a failed one counts
nothing toward the lockout. No argon2: a signature is verified instead. Every refusal is the same
401 ``invalid_credentials`` as a wrong password."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from contractor_accounts.domain.entities import Contractor, Passkey
from contractor_accounts.domain.errors import InvalidCredentials
from contractor_accounts.domain.lockout import new_device
from contractor_accounts.domain.passkeys import PasskeySignIn, challenge_hash, is_credential_id, new_challenge
from contractor_accounts.domain.results import SignedIn
from contractor_accounts.domain.tokens import issue_token
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.passkeys import PasskeyStore
from contractor_accounts.ports.request_counters import RequestCounters
from contractor_accounts.ports.store import ConflictingWrite
from contractor_accounts.ports.webauthn import CeremonyRefused, WebAuthnCeremony
from contractor_accounts.settings import Settings
from contractor_accounts.steps.passkeys import relying_party
from contractor_accounts.steps.rate_limits import throttle


@dataclass(frozen=True)
class PasskeySignInCase:
    passkeys: PasskeyStore
    ceremony: WebAuthnCeremony
    counters: RequestCounters
    clock: Clock
    settings: Settings

    def options(self, source_ip: str | None) -> dict[str, Any]:
        """``POST /sessions/passkey/options``: a fresh challenge, stored by its hash; the options
        list no credentials, so they say nothing about any account."""
        party = relying_party(self.settings)
        throttle(self.counters, self.clock, self.settings, "sign_in", source_ip)
        challenge, record = new_challenge("sign_in", self.clock.now())
        self.passkeys.put_passkey_challenge(record)
        return self.ceremony.authentication_options(party, challenge=challenge)

    def sign_in(self, credential: Mapping[str, Any], source_ip: str | None) -> SignedIn:
        """``POST /sessions/passkey``: the session, as a password sign-in gives it, and a device
        token for this browser (it just proved itself: its session is judged by that device)."""
        party = relying_party(self.settings)
        throttle(self.counters, self.clock, self.settings, "sign_in", source_ip)
        try:
            assertion = self.ceremony.read_assertion(credential)
        except CeremonyRefused as refused:
            raise _refused(refused.reason) from refused
        if not assertion.user_handle or not is_credential_id(assertion.credential_id):
            raise _refused("no_user_handle")
        contractor = self.passkeys.contractor_by_passkey_handle(assertion.user_handle)
        passkey = contractor.passkey(assertion.credential_id) if contractor else None
        if contractor is None or passkey is None:
            raise _refused("unknown_passkey")
        if contractor.account_status != "active" or contractor.passkey_handle != assertion.user_handle:
            raise _refused("disabled", contractor.license_number)
        try:
            verified = self.ceremony.verify_assertion(
                party, credential, assertion.challenge, passkey.public_key, passkey.sign_count
            )
        except CeremonyRefused as refused:
            raise _refused(refused.reason, contractor.license_number) from refused
        return self._start(contractor, passkey, assertion.challenge, verified.sign_count, verified.synced)

    def _start(self, contractor: Contractor, passkey: Passkey, challenge: str, count: int, synced: bool) -> SignedIn:
        now = self.clock.now()
        device_token, devices = new_device(contractor, now)
        session = issue_token("session", contractor, now, self.settings.session_lifetime)
        device_hash = devices.added.token_hash if devices.added else None
        session = replace(session, record=replace(session.record, device_hash=device_hash))
        try:
            self.passkeys.start_passkey_session(
                PasskeySignIn(
                    license_number=contractor.license_number,
                    expected_generation=contractor.session_generation,
                    user_handle=str(contractor.passkey_handle),
                    challenge_hash=challenge_hash(challenge),
                    credential_id=passkey.credential_id,
                    seen_sign_count=passkey.sign_count,
                    new_sign_count=count,
                    synced=synced,
                    session=session.record,
                    devices=devices,
                    seen_devices=len(contractor.trusted_devices),
                    at=now,
                    first_use=passkey.last_used_at is None,
                )
            )
        except ConflictingWrite as lost:
            # The challenge was used or expired, the passkey was used meanwhile (a clone racing its
            # original), or the account changed: as any refusal.
            raise _refused("challenge_used_or_account_changed", contractor.license_number) from lost
        logger.info("passkey_sign_in_succeeded", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="PasskeySignInSucceeded", unit="Count", value=1)
        return SignedIn(session, contractor, device_token)


def _refused(reason: str, license_number: str | None = None) -> InvalidCredentials:
    logger.info("passkey_sign_in_failed", extra={"license_number": license_number, "reason": reason})
    metrics.add_metric(name="PasskeySignInFailed", unit="Count", value=1)
    return InvalidCredentials()
