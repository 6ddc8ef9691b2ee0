"""Passkeys (contract v3, checklist 37, 38): the challenges, the account's user handle, and what
a passkey sign-in or a new passkey writes at once. The WebAuthn ceremony itself (signatures, CBOR,
the client data) is behind ``ports.webauthn``; the rules about when a passkey works are here."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from contractor_accounts.domain.changes import Claim, DeviceChange
from contractor_accounts.domain.entities import AuditEntry, Passkey, PasskeyCeremony, PasskeyChallenge, TokenRecord
from contractor_accounts.domain.policy import MAX_CREDENTIAL_ID_BYTES, PASSKEY_CHALLENGE_MINUTES, TOKEN_BYTES
from contractor_accounts.domain.tokens import new_token, token_hash

# A credential ID as the browser sends it and as a route names it: base64url without padding.
_CREDENTIAL_ID: Final = re.compile(r"^[A-Za-z0-9_-]+$")
# 4 characters per 3 bytes.
MAX_CREDENTIAL_ID_CHARACTERS: Final = -(-MAX_CREDENTIAL_ID_BYTES * 4 // 3)
DEFAULT_PASSKEY_NAME: Final = "Passkey"


def is_credential_id(value: str) -> bool:
    return 0 < len(value) <= MAX_CREDENTIAL_ID_CHARACTERS and _CREDENTIAL_ID.match(value) is not None


def new_user_handle() -> str:
    """The account's WebAuthn ``user.id``: random (32 bytes, base64url), never personal data."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_challenge(
    ceremony: PasskeyCeremony, now: datetime, license_number: str | None = None, session_hash: str | None = None
) -> tuple[str, PasskeyChallenge]:
    """A challenge of 32 random bytes (base64url: what clientDataJSON carries back) and its record,
    which keeps only the SHA-256 of it."""
    challenge = new_token()
    return challenge, PasskeyChallenge(
        challenge_hash=token_hash(challenge),
        ceremony=ceremony,
        created_at=now,
        expires_at=now + timedelta(minutes=PASSKEY_CHALLENGE_MINUTES),
        license_number=license_number,
        session_hash=session_hash,
    )


def challenge_hash(challenge: str) -> str:
    """The stored form of a challenge read back from an answer (anything that is not one of ours
    simply matches nothing)."""
    return hashlib.sha256(challenge.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PasskeyRegistrationStart:
    """``POST /me/passkeys/options``: the registration challenge stored, the account's user handle
    made if it has none, and the current password's claimed attempt taken back, at once."""

    license_number: str
    expected_generation: int
    seen_password_hash: str
    user_handle: str
    new_handle: bool
    challenge: PasskeyChallenge
    at: datetime
    # The current password's claimed attempt (the account's, or the session's device's): taken
    # back by the write, exactly as a sign-in's success takes back its own.
    claim: Claim


@dataclass(frozen=True, slots=True)
class PasskeyAddition:
    """``POST /me/passkeys``: the registration challenge consumed (only by the session that asked
    for it) and the passkey added, provided the session still speaks for the account, the account
    has fewer than ``policy.MAX_PASSKEYS`` and not this one."""

    license_number: str
    expected_generation: int
    challenge_hash: str
    session_hash: str
    passkey: Passkey
    audit: AuditEntry


@dataclass(frozen=True, slots=True)
class PasskeySignIn:
    """``POST /sessions/passkey``: the sign-in challenge consumed, the passkey's new sign count and
    last use (only while its count is still the one verified against: two uses of one passkey
    cannot both win), the session and the browser's device, provided the account is active, of the
    generation read and still has this user handle."""

    license_number: str
    expected_generation: int
    user_handle: str
    challenge_hash: str
    credential_id: str
    seen_sign_count: int
    new_sign_count: int
    synced: bool
    session: TokenRecord
    devices: DeviceChange
    # How many devices the account had as read (None: none): the write adds one only if unchanged.
    seen_devices: int
    at: datetime
    # The passkey had never signed in before: the activity record asks for a notice.
    first_use: bool = False
