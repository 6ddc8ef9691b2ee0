"""Getting back in with "Forgot Password": the emailed link shows the security question, and a
right answer sets the new password (at most MAX_WRONG_ANSWERS answers are judged per link)."""

from dataclasses import dataclass
from datetime import datetime

from contractor_accounts.domain.changes import PasswordChange
from contractor_accounts.domain.entities import Contractor, TokenRecord, TrustedDevice
from contractor_accounts.domain.errors import IncorrectSecurityAnswer, InvalidOrExpiredToken, ValidationFailed
from contractor_accounts.domain.passwords import check_new_password
from contractor_accounts.domain.policy import MAX_WRONG_ANSWERS
from contractor_accounts.domain.requests import NewPassword
from contractor_accounts.domain.results import PasswordResetDone
from contractor_accounts.domain.tokens import new_token, token_hash
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore
from contractor_accounts.settings import Settings
from contractor_accounts.steps.tokens import holder_of, live_token


@dataclass(frozen=True)
class PasswordReset:
    store: ContractorStore
    clock: Clock
    hasher: Hasher
    settings: Settings

    def reset_question(self, reset_token: str) -> str | None:
        _, contractor = self._live_reset(reset_token, self.clock.now())
        return contractor.security_question

    def reset_with_token(self, request: NewPassword) -> PasswordResetDone:
        """Sets the new password; every session and trusted device ends, and this browser (it
        proved the email and the answer) becomes the account's one trusted device, so its next
        sign-in is judged by that device, not by a lock a stranger keeps up (contract v3)."""
        now = self.clock.now()
        reset, contractor = self._live_reset(request.token, now)
        setting_question = contractor.security_question is None
        if setting_question and request.security_question is None:
            raise ValidationFailed(
                fields={"security_question": "Choose a security question; your account does not have one yet."}
            )
        if not setting_question and request.security_question is not None:
            raise ValidationFailed(
                fields={"security_question": "Your account already has a security question; answer it instead."}
            )
        check_new_password(contractor, request.new_password)
        if not setting_question:
            self._judge_answer(reset, contractor, request.security_answer)
        device_token = new_token()
        change = PasswordChange.through(
            reset,
            self.hasher.hash_password(request.new_password),
            now,
            "password_reset_by_email",
            TrustedDevice(token_hash(device_token), now),
            security_question=request.security_question if setting_question else None,
            security_answer_hash=self.hasher.hash_answer(request.security_answer) if setting_question else None,
        )
        try:
            self.store.change_password(change)
        except ConflictingWrite as conflict:
            raise InvalidOrExpiredToken from conflict
        logger.info("password_reset", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="PasswordReset", unit="Count", value=1)
        return PasswordResetDone(contractor.license_number, device_token)

    def _judge_answer(self, reset: TokenRecord, contractor: Contractor, answer: str) -> None:
        """Counts the answer (one conditional write) before judging it, so at most
        ``MAX_WRONG_ANSWERS`` answers are ever judged per link, however many arrive at once.
        Every answer after the last one counted gets the same refusal as a dead link, right or
        wrong: nothing singles out the right one."""
        counted = self.store.claim_answer_attempt(reset.token_hash, MAX_WRONG_ANSWERS)
        if counted is None:
            logger.info("token_refused", extra={"kind": "reset", "reason": "answers_used_up"})
            raise InvalidOrExpiredToken
        if self.hasher.verify_answer(contractor.security_answer_hash, answer):
            return
        logger.info("reset_wrong_answer", extra={"license_number": contractor.license_number, "count": counted})
        if counted >= MAX_WRONG_ANSWERS:
            raise IncorrectSecurityAnswer(
                "The answer is not correct, and this link no longer works. "
                "Use Forgot Password to get a new link, or call permit staff."
            )
        left = MAX_WRONG_ANSWERS - counted
        tries = "try" if left == 1 else "tries"
        raise IncorrectSecurityAnswer(
            f"The answer to the security question is not correct. You have {left} more {tries} with this link."
        )

    def _live_reset(self, token: str, now: datetime) -> tuple[TokenRecord, Contractor]:
        reset = live_token(self.store, token, "reset", now)
        if reset is None or reset.answers_counted >= MAX_WRONG_ANSWERS:
            logger.info("token_refused", extra={"kind": "reset", "reason": "not_live"})
            raise InvalidOrExpiredToken
        return reset, holder_of(
            self.store, reset, InvalidOrExpiredToken, newest=lambda account: account.reset_token_hash
        )
