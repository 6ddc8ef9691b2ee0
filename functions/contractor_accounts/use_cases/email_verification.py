"""``POST /email/verify``: the emailed link proves the contractor reads the address, which
becomes the account's verified email (checklist 30: only a verified address receives password
reset links; an address staff set counts as verified)."""

from dataclasses import dataclass, replace

from contractor_accounts.domain.entities import AuditEntry
from contractor_accounts.domain.errors import VerificationLinkRefused
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.store import ConflictingWrite, ContractorStore
from contractor_accounts.steps.tokens import holder_of, live_token


@dataclass(frozen=True)
class EmailVerification:
    store: ContractorStore
    clock: Clock

    def verify(self, token: str) -> str:
        """The address the link proves, now the account's verified email."""
        now = self.clock.now()
        record = live_token(self.store, token, "verify", now)
        if record is None or not record.email:
            logger.info("token_refused", extra={"kind": "verify", "reason": "not_live"})
            raise VerificationLinkRefused
        contractor = holder_of(
            self.store, record, VerificationLinkRefused, newest=lambda account: account.verification_token_hash
        )
        audit = AuditEntry(contractor.license_number, "email_verified", "contractor", now)
        if record.email != contractor.email:
            audit = replace(audit, action="email_changed")
        try:
            self.store.verify_email(record, audit, replaced=contractor.email)
        except ConflictingWrite as conflict:
            raise VerificationLinkRefused from conflict
        logger.info("email_verified", extra={"license_number": contractor.license_number})
        metrics.add_metric(name="EmailVerified", unit="Count", value=1)
        return record.email
