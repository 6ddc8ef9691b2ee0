"""The contractor's own passkeys (contract v3, bearer): a registration's options (after the
current password), the new passkey verified and added, the list, a rename, a removal. Signing out
everywhere leaves them in place; staff remove them all (``staff_desk``)."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from contractor_accounts.domain.entities import AuditEntry, Contractor, Passkey
from contractor_accounts.domain.errors import (
    InvalidCredentials,
    NotFound,
    PasskeyRejected,
    TooManyPasskeys,
    Unauthorized,
)
from contractor_accounts.domain.passkeys import (
    DEFAULT_PASSKEY_NAME,
    MAX_CREDENTIAL_ID_CHARACTERS,
    PasskeyAddition,
    PasskeyRegistrationStart,
    challenge_hash,
    is_credential_id,
    new_challenge,
    new_user_handle,
)
from contractor_accounts.domain.policy import MAX_PASSKEYS
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.passkeys import PasskeyStore
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore
from contractor_accounts.ports.webauthn import CeremonyRefused, WebAuthnCeremony
from contractor_accounts.settings import Settings
from contractor_accounts.steps.passkeys import relying_party
from contractor_accounts.steps.password_check import PasswordCheck
from contractor_accounts.steps.sessions import Sessions


@dataclass(frozen=True)
class OwnPasskeys:
    sessions: Sessions
    store: ContractorStore
    passkeys: PasskeyStore
    ceremony: WebAuthnCeremony
    clock: Clock
    hasher: Hasher
    settings: Settings

    def registration_options(self, token: str | None, current_password: str) -> dict[str, Any]:
        """``POST /me/passkeys/options``: the current password judged under the lockout rule (a
        wrong one counts like a sign-in failure), then a challenge bound to this session."""
        party = relying_party(self.settings)
        session, contractor = self.sessions.current(token)
        # Refused before the password is claimed: a right password must not end up counted.
        if len(contractor.passkeys) >= MAX_PASSKEYS:
            raise TooManyPasskeys
        now = self.clock.now()
        try:
            # Judged by the session's device when it came from one (contract v3), as /me changes are.
            claimed, claim = PasswordCheck(self.store, self.hasher).check_through(
                contractor.license_number, current_password, now, session.device_hash
            )
        except InvalidCredentials as refused:
            logger.info("current_password_refused", extra={"license_number": contractor.license_number})
            raise InvalidCredentials("Your current password is not correct.") from refused
        handle = claimed.passkey_handle or new_user_handle()
        challenge, record = new_challenge("registration", now, claimed.license_number, session.token_hash)
        try:
            self.passkeys.start_passkey_registration(
                PasskeyRegistrationStart(
                    license_number=claimed.license_number,
                    expected_generation=session.session_generation,
                    seen_password_hash=str(claimed.password_hash),
                    user_handle=handle,
                    new_handle=claimed.passkey_handle is None,
                    challenge=record,
                    at=now,
                    claim=claim,
                )
            )
        except ConflictingWrite as conflict:
            raise Unauthorized from conflict
        return self.ceremony.registration_options(
            party,
            challenge=challenge,
            user_handle=handle,
            user_name=claimed.license_number,
            display_name=claimed.business_name,
            exclude=[passkey.credential_id for passkey in claimed.passkeys],
        )

    def add(self, token: str | None, credential: Mapping[str, Any], name: str | None) -> Passkey:
        """``POST /me/passkeys``: the answer verified against the challenge this session asked for."""
        party = relying_party(self.settings)
        session = self.sessions.live_session(token)
        try:
            created = self.ceremony.verify_registration(party, credential)
        except CeremonyRefused as refused:
            logger.info("passkey_rejected", extra={"license_number": session.license_number, "reason": refused.reason})
            raise PasskeyRejected from refused
        if len(created.credential_id) > MAX_CREDENTIAL_ID_CHARACTERS:
            raise PasskeyRejected
        now = self.clock.now()
        passkey = Passkey(
            credential_id=created.credential_id,
            public_key=created.public_key,
            sign_count=created.sign_count,
            name=name or DEFAULT_PASSKEY_NAME,
            created_at=now,
            synced=created.synced,
        )
        audit = AuditEntry(session.license_number, "passkey_added", "contractor", now, {"passkey": passkey.name})
        try:
            self.passkeys.add_passkey(
                PasskeyAddition(
                    license_number=session.license_number,
                    expected_generation=session.session_generation,
                    challenge_hash=challenge_hash(created.challenge),
                    session_hash=session.token_hash,
                    passkey=passkey,
                    audit=audit,
                )
            )
        except ConflictingWrite as conflict:
            raise _why_not_added(conflict.found, session.session_generation, passkey) from conflict
        logger.info("passkey_added", extra={"license_number": session.license_number})
        metrics.add_metric(name="PasskeyAdded", unit="Count", value=1)
        return passkey

    def list(self, token: str | None) -> tuple[Passkey, ...]:
        return self.sessions.authenticate(token).passkeys

    def rename(self, token: str | None, credential_id: str, name: str) -> Passkey:
        session, contractor = self.sessions.current(token)
        passkey = contractor.passkey(credential_id) if is_credential_id(credential_id) else None
        if passkey is None:
            raise NotFound
        audit = AuditEntry(
            contractor.license_number, "passkey_renamed", "contractor", self.clock.now(), {"passkey": name}
        )
        try:
            self.passkeys.rename_passkey(
                contractor.license_number, session.session_generation, credential_id, name, audit
            )
        except ConflictingWrite as conflict:
            raise _why_not_changed(conflict.found, session.session_generation) from conflict
        return replace(passkey, name=name)

    def remove(self, token: str | None, credential_id: str) -> None:
        session = self.sessions.live_session(token)
        if not is_credential_id(credential_id):
            raise NotFound
        now = self.clock.now()
        audit = AuditEntry(session.license_number, "passkey_removed", "contractor", now)
        try:
            self.passkeys.remove_passkey(session.license_number, session.session_generation, credential_id, audit)
        except ConflictingWrite as conflict:
            raise _why_not_changed(conflict.found, session.session_generation) from conflict
        logger.info("passkey_removed", extra={"license_number": session.license_number})


def _speaks_for(found: Contractor, generation: int) -> bool:
    return found.session_generation == generation and found.account_status == "active"


def _why_not_added(found: Contractor | None, generation: int, passkey: Passkey) -> Exception:
    if found is None:  # the challenge: used, expired, or not this session's
        return PasskeyRejected()
    if not _speaks_for(found, generation):
        return Unauthorized()
    if found.passkey(passkey.credential_id) is None and len(found.passkeys) >= MAX_PASSKEYS:
        return TooManyPasskeys()
    return PasskeyRejected()


def _why_not_changed(found: Contractor | None, generation: int) -> Exception:
    if found is None:
        return NotFound()
    return NotFound() if _speaks_for(found, generation) else Unauthorized()
