"""A token presented by a caller, read and checked against the account that holds it."""

from collections.abc import Callable
from datetime import datetime

from contractor_accounts.domain.entities import Contractor, TokenKind, TokenRecord
from contractor_accounts.domain.errors import DomainError
from contractor_accounts.domain.tokens import is_token_shaped, speaks_for, token_hash
from contractor_accounts.observability import logger
from contractor_accounts.ports.store import ContractorStore


def live_token(store: ContractorStore, token: str | None, kind: TokenKind, now: datetime) -> TokenRecord | None:
    """The unexpired token of this kind, or None (never a hint of which check failed)."""
    if not token or not is_token_shaped(token):
        return None
    record = store.get_token(token_hash(token))
    if record is None or record.kind != kind or record.expires_at <= now:
        return None
    return record


def holder_of(
    store: ContractorStore,
    token: TokenRecord,
    refused: type[DomainError],
    newest: Callable[[Contractor], str | None] | None = None,
) -> Contractor:
    """The account a token belongs to, provided the token still speaks for it
    (``domain.tokens.speaks_for``); otherwise ``refused`` is raised. ``newest`` reads the hash
    the account keeps of its newest link, for links where only the newest works."""
    contractor = store.get_contractor(token.license_number)
    if contractor is None or not speaks_for(token, contractor):
        logger.info("token_refused", extra={"kind": token.kind, "license_number": token.license_number})
        raise refused
    if newest is not None and newest(contractor) != token.token_hash:
        logger.info("token_refused", extra={"kind": token.kind, "reason": "not_the_newest"})
        raise refused
    return contractor
