"""The password and security-answer policy (checklist 1, 2, 14): length, guessability and
context words; how passwords and answers are normalized before they are hashed.

The strength estimator is imported on first use: only the paths that judge a password pay for
it at cold start. Hashing is a port (``ports.hasher``; argon2id in ``adapters.argon2_hasher``)."""

import itertools
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import ValidationFailed
from contractor_accounts.domain.policy import (
    MAX_JUDGED_CHARACTERS,
    MAX_L33T_SUBSTITUTIONS,
    MAX_PASSWORD_LENGTH,
    MIN_ANSWER_LENGTH,
    MIN_CONTEXT_WORD_LENGTH,
    MIN_GUESSES_LOG10,
    MIN_PASSWORD_LENGTH,
)


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
    if "spatial" in patterns or _keyboard_words(result.get("sequence", [])):
        return "This password is a keyboard pattern (like 'qwerty'); choose another."
    if "dictionary" in patterns:
        return "This password is too common or easy to guess; choose another, such as a few unrelated words."
    return "This password is too easy to guess; choose a longer or less predictable one."


def _keyboard_words(sequence: list[dict[str, Any]]) -> bool:
    """Whether the guessable parts are keyboard runs that zxcvbn matched as common passwords
    ("qwertyuiop", "asdfgh" are in its list, so it names no spatial pattern for them): every
    dictionary word of 4 or more characters is itself one keyboard run."""
    from zxcvbn import matching

    words = [str(match["token"]) for match in sequence if match.get("pattern") == "dictionary"]
    long_words = [word for word in words if len(word) >= 4]
    return bool(long_words) and all(
        any(run["i"] == 0 and run["j"] == len(word) - 1 for run in matching.spatial_match(word.lower()))
        for word in long_words
    )


def _estimate(password: str, user_inputs: list[str]) -> dict[str, Any]:
    """zxcvbn's estimate of the password's first MAX_JUDGED_CHARACTERS characters.

    Judging a prefix refuses no less: a password holds its prefix, so it takes at least as
    many guesses as the prefix does; a password whose first 72 characters are guessable is
    refused even if what follows is not. Context words are checked on the whole password
    before this (``password_problem``)."""
    from zxcvbn import zxcvbn

    _bound_zxcvbn()
    judged = password[:MAX_JUDGED_CHARACTERS]
    result: dict[str, Any] = zxcvbn(judged, user_inputs=user_inputs, max_length=MAX_JUDGED_CHARACTERS)
    return result


@cache
def _bound_zxcvbn() -> None:
    """Puts the bounded matcher set in place of zxcvbn's (module attribute: zxcvbn() and the
    repeat matcher's recursion both call ``matching.omnimatch``). zxcvbn is pinned; a test
    checks the bound holds on its internals."""
    from zxcvbn import matching

    matching.omnimatch = _bounded_omnimatch


def _bounded_omnimatch(password: str, _ranked_dictionaries: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """zxcvbn 4.5's ``omnimatch``, with its l33t matcher bounded (``_bounded_l33t_match``)."""
    from zxcvbn import matching

    dictionaries = matching.RANKED_DICTIONARIES if _ranked_dictionaries is None else _ranked_dictionaries
    matches: list[dict[str, Any]] = []
    for matcher in (
        matching.dictionary_match,
        matching.reverse_dictionary_match,
        _bounded_l33t_match,
        matching.spatial_match,
        matching.repeat_match,
        matching.sequence_match,
        matching.regex_match,
        matching.date_match,
    ):
        matches.extend(matcher(password, _ranked_dictionaries=dictionaries))
    return sorted(matches, key=lambda match: (match["i"], match["j"]))


def _bounded_l33t_match(password: str, _ranked_dictionaries: dict[str, Any]) -> list[dict[str, Any]]:
    """zxcvbn's own l33t matcher when it would try at most MAX_L33T_SUBSTITUTIONS tables
    (everyday spellings: "p@$$w0rd1!" needs 2). Beyond that (a dozen distinct symbols), one
    scan per reading of the ambiguous symbols (1, | and 7: at most 8 readings) with every
    symbol read as a letter at once: it finds the l33t words a table would, and mixed ones
    ("p4$$w@rd") too; it misses only a word that itself holds one of the symbols, which the
    plain matchers still see as the word without it ("p@ssword1" is "p@ssword" and "1")."""
    from zxcvbn import matching

    table = matching.relevant_l33t_subtable(password, matching.L33T_TABLE)
    if len(matching.enumerate_l33t_subs(table)) <= MAX_L33T_SUBSTITUTIONS:
        found: list[dict[str, Any]] = matching.l33t_match(password, _ranked_dictionaries)
        return found
    letters: dict[str, list[str]] = {}
    for letter, symbols in table.items():
        for symbol in symbols:
            letters.setdefault(symbol, []).append(letter)
    matches: list[dict[str, Any]] = []
    for reading in itertools.product(*letters.values()):
        sub = dict(zip(letters, reading, strict=True))
        for match in matching.dictionary_match(matching.translate(password, sub), _ranked_dictionaries):
            token = password[match["i"] : match["j"] + 1]
            if token.lower() == match["matched_word"] or len(token) < 2:
                continue  # no substitution in it (the plain matcher has it), or a single character
            used = {symbol: letter for symbol, letter in sub.items() if symbol in token}
            display = ", ".join(f"{symbol} -> {letter}" for symbol, letter in used.items())
            matches.append({**match, "l33t": True, "token": token, "sub": used, "sub_display": display})
    return sorted(matches, key=lambda match: (match["i"], match["j"]))


def answer_problem(answer: str) -> str | None:
    if len(normalize_answer(answer)) < MIN_ANSWER_LENGTH:
        return f"Use at least {MIN_ANSWER_LENGTH} characters (spaces and capitals do not count)."
    return None


def check_new_password(contractor: Contractor, new_password: str) -> None:
    """The password policy for a new password of an existing account."""
    problem = password_problem(
        new_password, password_context(contractor.license_number, contractor.business_name, contractor.email)
    )
    if problem:
        raise ValidationFailed(fields={"new_password": problem})
