"""The ``Hasher`` port with argon2id at the contract's parameters. argon2 is imported on first
use: only the paths that hash or verify pay for it at cold start."""

import re
from functools import cache
from typing import TYPE_CHECKING, Final

from contractor_accounts.domain.passwords import normalize_answer, normalize_password
from contractor_accounts.domain.policy import ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, ARGON2_TIME_COST

if TYPE_CHECKING:
    from argon2 import PasswordHasher as Argon2Hasher

# A hash of a random password nobody knows, at the contract's parameters: verifying against it
# costs what a real verification costs, so an unknown license takes as long as a known one.
_DUMMY_HASH: Final = "$argon2id$v=19$m=19456,t=2,p=1$G6pqnEYHZ0qm9omQRvjwsQ$vhwtUAvdqqukGMnRApayitvz2E561sZ/oXPn87DSekU"
_VALID_HASH = re.compile(r"^\$argon2id\$")


class PasswordHasher:
    """argon2id at the contract's parameters, for passwords and security answers."""

    @staticmethod
    @cache
    def _argon2() -> "Argon2Hasher":
        from argon2 import PasswordHasher as Argon2Hasher
        from argon2 import Type

        return Argon2Hasher(
            time_cost=ARGON2_TIME_COST,
            memory_cost=ARGON2_MEMORY_KIB,
            parallelism=ARGON2_PARALLELISM,
            type=Type.ID,
        )

    def hash_password(self, password: str) -> str:
        return self._argon2().hash(normalize_password(password))

    def hash_answer(self, answer: str) -> str:
        return self._argon2().hash(normalize_answer(answer))

    def verify_password(self, stored_hash: str | None, password: str) -> bool:
        """Always costs one verification; None (no such account, no password yet) verifies
        against a dummy hash and fails."""
        return self._verify(stored_hash, normalize_password(password))

    def verify_answer(self, stored_hash: str | None, answer: str) -> bool:
        return self._verify(stored_hash, normalize_answer(answer))

    def needs_rehash(self, stored_hash: str) -> bool:
        return bool(self._argon2().check_needs_rehash(stored_hash))

    def _verify(self, stored_hash: str | None, secret: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        usable = stored_hash is not None and _VALID_HASH.match(stored_hash) is not None
        try:
            matched = bool(self._argon2().verify(stored_hash if usable and stored_hash else _DUMMY_HASH, secret))
        except (VerificationError, InvalidHashError):
            return False
        return matched and usable
