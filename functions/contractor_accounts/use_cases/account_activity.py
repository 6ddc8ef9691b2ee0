"""``GET /me/activity``: what happened to the contractor's account (contract v3), the session
read, then the account with its activity in one Query of its partition."""

from dataclasses import dataclass
from datetime import timedelta

from contractor_accounts.domain.activity import ActivityReport, report
from contractor_accounts.domain.errors import Unauthorized
from contractor_accounts.domain.policy import ACTIVITY_DAYS
from contractor_accounts.domain.tokens import speaks_for
from contractor_accounts.observability import logger
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.store import ContractorStore
from contractor_accounts.steps.sessions import Sessions


@dataclass(frozen=True)
class AccountActivity:
    sessions: Sessions
    store: ContractorStore
    clock: Clock

    def activity(self, token: str | None) -> ActivityReport:
        """The account's events of the last 90 days, newest first, and the password failures
        since the last success; Unauthorized without a live session that speaks for it."""
        session = self.sessions.live_session(token)
        now = self.clock.now()
        found = self.store.contractor_with_activity(session.license_number, now - timedelta(days=ACTIVITY_DAYS))
        if found is None or not speaks_for(session, found[0]):
            logger.info("session_refused", extra={"reason": "account_changed"})
            raise Unauthorized
        return report(*found, now)
