"""Opaque bearer tokens and system-generated temporary passwords."""

import hashlib
import re
import secrets
from typing import Final

_TOKEN_BYTES: Final = 32  # 256 bits
# token_urlsafe(32) is 43 characters of the URL-safe base64 alphabet.
_TOKEN_SHAPE: Final = re.compile(r"^[A-Za-z0-9_-]{43}$")
# Read aloud over the phone: no 0/O, 1/I/L look-alikes.
_TEMPORARY_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_TEMPORARY_GROUPS: Final = 4
_TEMPORARY_GROUP_LENGTH: Final = 5


def new_token() -> str:
    return secrets.token_urlsafe(_TOKEN_BYTES)


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
