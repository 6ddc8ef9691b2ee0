"""The lockout rule around one password verification (checklist 5, 6): the attempt is claimed
(recorded by a conditional write) before the password is judged. Sign-in and every change that
asks for the current password go through it, so a wrong one counts the same everywhere."""

from dataclasses import dataclass
from datetime import datetime

from contractor_accounts.domain.changes import Claim
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import InvalidCredentials
from contractor_accounts.domain.tokens import as_temporary_password, is_token_shaped, token_hash
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.ports.store import ContractorStore


@dataclass(frozen=True)
class PasswordCheck:
    store: ContractorStore
    hasher: Hasher

    def check(
        self, license_number: str, password: str, now: datetime, device_token: str | None = None
    ) -> tuple[Contractor, Claim]:
        """Sign-in's check: through the browser's device token when it sends a well-formed one."""
        device = token_hash(device_token) if device_token and is_token_shaped(device_token) else None
        return self.check_through(license_number, password, now, device)

    def check_through(
        self, license_number: str, password: str, now: datetime, device: str | None
    ) -> tuple[Contractor, Claim]:
        """The lockout rule around one password verification (checklist 5, 6): the attempt is
        claimed (recorded by a conditional write) before the password is judged, through the
        trusted device ``device`` (a sign-in's device token, or the device a session came from)
        while it is live (judged by that device's own failures, outside the account's lock),
        else through the account (judged by its lock; an account with a temporary password is
        judged even during a lock, contract v3). A refused claim (locked, unknown) still costs
        one verification and answers exactly like a wrong password. Returns the account and the
        claim it was judged by; the claim stays counted as a failure unless the caller's success
        write takes exactly it back (``Claim``). Reusable wherever a current password is asked
        for: a wrong one counts toward the lockout like a sign-in."""
        contractor = self.store.claim_device_attempt(license_number, device, now) if device else None
        if contractor is None:
            device = None
            contractor = self.store.claim_sign_in_attempt(license_number, now)
        # One verification whatever happens next: unknown and locked cost the same as wrong.
        if contractor is not None and contractor.password_state == "temporary":
            password = as_temporary_password(password)
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
        return contractor, Claim.of(contractor, device)
