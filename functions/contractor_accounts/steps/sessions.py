"""The bearer session behind every signed-in request: which token is live, and signing out."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from contractor_accounts.domain.entities import Contractor, TokenRecord
from contractor_accounts.domain.errors import Unauthorized
from contractor_accounts.domain.policy import SESSION_LAST_SEEN_RESOLUTION_SECONDS
from contractor_accounts.domain.tokens import is_token_shaped, token_hash
from contractor_accounts.observability import logger
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.store import ContractorStore
from contractor_accounts.settings import Settings
from contractor_accounts.steps.tokens import holder_of

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
    """The session a request carries, checked against its account."""

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
