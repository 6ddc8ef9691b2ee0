"""Opaque bearer tokens (sessions, challenges, reset links) and temporary passwords: how they
are made, stored (a SHA-256 only) and checked against the account that holds them."""

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Final

from contractor_accounts.entities import Contractor, IssuedToken, TokenKind, TokenRecord
from contractor_accounts.errors import DomainError
from contractor_accounts.observability import logger
from contractor_accounts.policy import TOKEN_BYTES
from contractor_accounts.store import ContractorStore

# token_urlsafe(32) is 43 characters of the URL-safe base64 alphabet.
_TOKEN_SHAPE: Final = re.compile(r"^[A-Za-z0-9_-]{43}$")
# Read aloud over the phone: no 0/O, 1/I/L look-alikes.
_TEMPORARY_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_TEMPORARY_GROUPS: Final = 4
_TEMPORARY_GROUP_LENGTH: Final = 5


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """Tokens are stored only as this SHA-256 digest: a leaked table grants no session."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def is_token_shaped(value: str) -> bool:
    return _TOKEN_SHAPE.match(value) is not None


def new_temporary_password() -> str:
    """Like ``K7QXM-3PAHN-...``: 20 random symbols (~99 bits), grouped for dictation."""
    groups = (
        "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(_TEMPORARY_GROUP_LENGTH))
        for _ in range(_TEMPORARY_GROUPS)
    )
    return "-".join(groups)


def issue_token(kind: TokenKind, contractor: Contractor, now: datetime, lifetime: timedelta) -> IssuedToken:
    """A new token bound to the account's current session generation."""
    token = new_token()
    return IssuedToken(
        token=token,
        record=TokenRecord(
            token_hash=token_hash(token),
            kind=kind,
            license_number=contractor.license_number,
            session_generation=contractor.session_generation,
            created_at=now,
            expires_at=now + lifetime,
            last_seen_at=now if kind == "session" else None,
        ),
    )


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
    """The account a token belongs to, provided the token still speaks for it: the account
    exists, is active, and nothing has ended its tokens since (a password change, a temporary
    password or a disable bumps the session generation). For links where only the newest works
    (reset, email confirmation), ``newest`` reads the hash the account keeps of its newest one.
    Otherwise ``refused`` is raised."""
    contractor = store.get_contractor(token.license_number)
    if (
        contractor is None
        or contractor.session_generation != token.session_generation
        or contractor.account_status != "active"
    ):
        logger.info("token_refused", extra={"kind": token.kind, "license_number": token.license_number})
        raise refused
    if newest is not None and newest(contractor) != token.token_hash:
        logger.info("token_refused", extra={"kind": token.kind, "reason": "not_the_newest"})
        raise refused
    return contractor
