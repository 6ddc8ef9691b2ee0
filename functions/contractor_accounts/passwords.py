"""Password and security-answer policy, and argon2id hashing.

argon2 and the strength estimator are imported on first use: only the paths that hash or
judge a password pay for them at cold start."""

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, Final, Protocol

from contractor_accounts.policy import (
    ARGON2_MEMORY_KIB,
    ARGON2_PARALLELISM,
    ARGON2_TIME_COST,
    MAX_PASSWORD_LENGTH,
    MIN_ANSWER_LENGTH,
    MIN_CONTEXT_WORD_LENGTH,
    MIN_GUESSES_LOG10,
    MIN_PASSWORD_LENGTH,
)

if TYPE_CHECKING:
    from argon2 import PasswordHasher as Argon2Hasher

# A hash of a random password nobody knows, with the parameters above: verifying against it
# costs what a real verification costs, so an unknown license takes as long as a known one.
_DUMMY_HASH: Final = "$argon2id$v=19$m=19456,t=2,p=1$G6pqnEYHZ0qm9omQRvjwsQ$vhwtUAvdqqukGMnRApayitvz2E561sZ/oXPn87DSekU"


def normalize_password(password: str) -> str:
    """NFKC, so the same passphrase typed on different keyboards is the same password.
    Never truncated, never case-folded."""
    return unicodedata.normalize("NFKC", password)


def normalize_answer(answer: str) -> str:
    """Security answers compare case- and whitespace-insensitively."""
    return "".join(unicodedata.normalize("NFKC", answer).casefold().split())


def _context_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def password_context(
    license_number: str | None, business_name: str | None, email: str | None
) -> list[tuple[str, str | None]]:
    """The words a contractor's password must not contain, named as the contractor knows them."""
    return [
        ("your license number", license_number),
        ("your business name", business_name),
        ("your email address", email.split("@", 1)[0] if email else None),
    ]


def password_length_problem(password: str) -> str | None:
    length = len(normalize_password(password))
    if length < MIN_PASSWORD_LENGTH:
        return (
            f"Use at least {MIN_PASSWORD_LENGTH} characters (you have {length}). "
            "A passphrase of a few words is easy to remember."
        )
    if length > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters (you have {length})."
    return None


def password_problem(password: str, context_words: Iterable[tuple[str, str | None]]) -> str | None:
    """Why this password is refused, or None. ``context_words`` are (what, value) pairs such
    as ("your license number", "1234567"); a password containing one of them is refused."""
    problem = password_length_problem(password)
    if problem:
        return problem
    normalized = normalize_password(password)
    folded = _context_key(normalized)
    for what, value in context_words:
        word = _context_key(value or "")
        if len(word) >= MIN_CONTEXT_WORD_LENGTH and word in folded:
            return f"Do not use {what} in your password."
    return _guessability_problem(normalized, [value for _, value in context_words if value])


def _guessability_problem(password: str, user_inputs: list[str]) -> str | None:
    result = _estimate(password, user_inputs)
    if float(result["guesses_log10"]) >= MIN_GUESSES_LOG10:
        return None
    patterns = {str(match.get("pattern")) for match in result.get("sequence", [])}
    if "repeat" in patterns:
        return "This password repeats characters or words (like 'aaaa' or 'abcabc'); choose another."
    if "sequence" in patterns:
        return "This password is a sequence (like 'abcd' or '12345'); choose another."
    if "spatial" in patterns:
        return "This password is a keyboard pattern (like 'qwerty'); choose another."
    if "dictionary" in patterns:
        return "This password is too common or easy to guess; choose another, such as a few unrelated words."
    return "This password is too easy to guess; choose a longer or less predictable one."


def _estimate(password: str, user_inputs: list[str]) -> dict[str, Any]:
    from zxcvbn import zxcvbn

    # zxcvbn refuses over 72 characters by default; the policy allows 128 (~0.1 s to judge).
    result: dict[str, Any] = zxcvbn(password, user_inputs=user_inputs, max_length=MAX_PASSWORD_LENGTH)
    return result


def answer_problem(answer: str) -> str | None:
    if len(normalize_answer(answer)) < MIN_ANSWER_LENGTH:
        return f"Use at least {MIN_ANSWER_LENGTH} characters (spaces and capitals do not count)."
    return None


_VALID_HASH = re.compile(r"^\$argon2id\$")


class Hasher(Protocol):
    """The port the use cases hash and verify through (unit tests pass a cheap one)."""

    def hash_password(self, password: str) -> str: ...

    def hash_answer(self, answer: str) -> str: ...

    def verify_password(self, stored_hash: str | None, password: str) -> bool: ...

    def verify_answer(self, stored_hash: str | None, answer: str) -> bool: ...

    def needs_rehash(self, stored_hash: str) -> bool: ...


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
