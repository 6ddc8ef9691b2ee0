"""The first sign-in with a staff-issued temporary password (checklist 16): "SAVE AND LOGIN"
sets the password and the security question, and signs this browser in."""

from dataclasses import dataclass, replace

from contractor_accounts.domain.changes import PasswordChange
from contractor_accounts.domain.entities import TrustedDevice
from contractor_accounts.domain.errors import InvalidOrExpiredToken, ValidationFailed
from contractor_accounts.domain.passwords import check_new_password
from contractor_accounts.domain.requests import NewPassword
from contractor_accounts.domain.results import SignedIn
from contractor_accounts.domain.tokens import as_temporary_password, issue_token, new_token, token_hash
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore
from contractor_accounts.settings import Settings
from contractor_accounts.steps.tokens import holder_of, live_token


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
        if self.hasher.verify_password(contractor.password_hash, as_temporary_password(request.new_password)):
            raise ValidationFailed(fields={"new_password": "Choose a password different from the temporary one."})
        # The change ends the account's older sessions: the new one belongs to the next generation.
        device_token = new_token()
        # The session belongs to the browser's new device, which judges its current password.
        session = issue_token(
            "session",
            replace(contractor, session_generation=contractor.session_generation + 1),
            now,
            self.settings.session_lifetime,
            token_hash(device_token),
        )
        # "SAVE AND LOGIN" signs this browser in: it becomes the account's one trusted device.
        change = PasswordChange.through(
            challenge,
            self.hasher.hash_password(request.new_password),
            now,
            "password_set_at_first_sign_in",
            TrustedDevice(token_hash(device_token), now),
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
        return SignedIn(session, contractor, device_token)
