"""Opaque bearer tokens (sessions, challenges, reset links) and temporary passwords: how they
are made, stored (a SHA-256 only) and checked against the account that holds them."""

import hashlib
import re
import secrets
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Final

from contractor_accounts.domain.entities import Contractor, TokenKind, TokenRecord
from contractor_accounts.domain.policy import TOKEN_BYTES, VERIFY_TOKEN_HOURS
from contractor_accounts.domain.results import IssuedToken

# token_urlsafe(32) is 43 characters of the URL-safe base64 alphabet.
_TOKEN_SHAPE: Final = re.compile(r"^[A-Za-z0-9_-]{43}$")
# Read aloud over the phone: one case, no 0/O, 1/I/L look-alikes; 31 symbols, 20 of them
# (log2(31^20) = 99 bits).
TEMPORARY_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_TEMPORARY_GROUPS: Final = 4
_TEMPORARY_GROUP_LENGTH: Final = 5


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """Tokens are stored only as this SHA-256 digest: a leaked table grants no session."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def is_token_shaped(value: str) -> bool:
    return _TOKEN_SHAPE.match(value) is not None


# What staff read aloud is what works: spaces and any kind of dash between the groups.
_TEMPORARY_SEPARATORS: Final = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def as_temporary_password(typed: str) -> str:
    """``typed`` as a temporary password is issued (``K7QXM-3PAHN-...``): read without case,
    spaces or dashes (contract v3; the one exception to "never case-folded", for these system-made
    passwords only). Anything that cannot be one is returned as typed: it simply does not match."""
    symbols = _TEMPORARY_SEPARATORS.sub("", typed).upper()
    if len(symbols) != _TEMPORARY_GROUPS * _TEMPORARY_GROUP_LENGTH or not set(symbols) <= set(TEMPORARY_ALPHABET):
        return typed
    return "-".join(
        symbols[start : start + _TEMPORARY_GROUP_LENGTH] for start in range(0, len(symbols), _TEMPORARY_GROUP_LENGTH)
    )


def new_temporary_password() -> str:
    """Like ``K7QXM-3PAHN-...``: 20 random symbols (~99 bits), grouped for dictation."""
    groups = (
        "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(_TEMPORARY_GROUP_LENGTH))
        for _ in range(_TEMPORARY_GROUPS)
    )
    return "-".join(groups)


def issue_token(
    kind: TokenKind, contractor: Contractor, now: datetime, lifetime: timedelta, device_hash: str | None = None
) -> IssuedToken:
    """A new token bound to the account's current session generation (a session: and to the
    trusted device of the browser that holds it, ``device_hash``)."""
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
            device_hash=device_hash,
        ),
    )


def verification_token(contractor: Contractor, address: str, now: datetime) -> IssuedToken:
    """An email confirmation link for ``address``, bound to the account's sessions: a password
    change, a temporary password, a disable or "sign out everywhere" ends it."""
    issued = issue_token("verify", contractor, now, timedelta(hours=VERIFY_TOKEN_HOURS))
    return replace(issued, record=replace(issued.record, email=address))


def speaks_for(token: TokenRecord, contractor: Contractor | None) -> bool:
    """Whether ``token`` still speaks for the account: it exists, is active, and nothing has
    ended its tokens since (a password change, a temporary password or a disable bumps the
    session generation)."""
    return (
        contractor is not None
        and contractor.session_generation == token.session_generation
        and contractor.account_status == "active"
    )
