"""The strength estimator's cost is bounded by construction for any password of at most 128
characters (checklist 32), proved by counting zxcvbn's inner work, never by a clock: the
strings its matchers and scoring see are at most MAX_JUDGED_CHARACTERS long, and each match
pass runs at most 2 + MAX_L33T_SUBSTITUTIONS dictionary scans (zxcvbn 4.5 ran up to 736 l33t
scans of the whole password: 8 s of CPU for a 128-character string of symbols)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from contractor_accounts.domain import passwords
from contractor_accounts.domain.passwords import password_problem
from contractor_accounts.domain.policy import MAX_JUDGED_CHARACTERS, MAX_L33T_SUBSTITUTIONS, MAX_PASSWORD_LENGTH
from zxcvbn import matching, scoring

L33T_SYMBOLS = "4@8({[<3691|!7+0$5%2"
# The costliest inputs found (docs/SECURITY.md gives their times before and after).
ADVERSARIAL = {
    "abab x32 (the issue's 1.3 s)": "abab" * 32,
    "ab x64": "ab" * 64,
    "every l33t symbol, repeated": (L33T_SYMBOLS * 7)[:128],
    "every l33t symbol, then letters": L33T_SYMBOLS + "ab" * 54,
    "32 l33t tables and repeats": ("|1{473<@82password|1{473<@82p4ssw0rd" * 4)[:128],
    "a date, repeated": "19701970" * 16,
}


@dataclass
class ZxcvbnWork:
    scanned: list[int] = field(default_factory=list)  # lengths given to the dictionary matcher
    scored: list[int] = field(default_factory=list)  # lengths given to the scoring
    match_passes: int = 0  # omnimatch calls (the top one and the repeat matcher's recursion)


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> ZxcvbnWork:
    """Counts what zxcvbn does, by wrapping its own functions where its code looks them up."""
    recorded = ZxcvbnWork()
    passwords._estimate("warm up the bounded matchers", [])

    def counting(target: Callable[..., Any], lengths: list[int]) -> Callable[..., Any]:
        def wrapper(password: str, *args: Any, **kwargs: Any) -> Any:
            lengths.append(len(password))
            return target(password, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(matching, "dictionary_match", counting(matching.dictionary_match, recorded.scanned))
    scoring_counter = counting(scoring.most_guessable_match_sequence, recorded.scored)
    monkeypatch.setattr(scoring, "most_guessable_match_sequence", scoring_counter)
    monkeypatch.setattr(matching, "most_guessable_match_sequence", scoring_counter)
    omnimatch = matching.omnimatch

    def counted_omnimatch(*args: Any, **kwargs: Any) -> Any:
        recorded.match_passes += 1
        return omnimatch(*args, **kwargs)

    monkeypatch.setattr(matching, "omnimatch", counted_omnimatch)
    return recorded


@pytest.mark.parametrize("password", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_given_any_password_of_up_to_128_characters_then_zxcvbn_sees_at_most_72(
    work: ZxcvbnWork, password: str
) -> None:
    assert len(password) == MAX_PASSWORD_LENGTH
    passwords._estimate(password, ["1234567", "Sunset Builders Inc", "maria"])
    assert work.scanned
    assert max(work.scanned) <= MAX_JUDGED_CHARACTERS
    assert max(work.scored) <= MAX_JUDGED_CHARACTERS


@pytest.mark.parametrize("password", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_given_any_password_then_each_match_pass_scans_the_dictionaries_a_bounded_number_of_times(
    work: ZxcvbnWork, password: str
) -> None:
    passwords._estimate(password, [])
    assert work.match_passes >= 1
    assert len(work.scanned) <= work.match_passes * (2 + MAX_L33T_SUBSTITUTIONS)


@pytest.mark.parametrize("password", ["abab" * 32, "ab" * 64, "password" * 16, "19701970" * 16])
def test_given_repetitive_128_character_passwords_then_still_refused(password: str) -> None:
    assert password_problem(password, []) is not None


def test_given_a_symbol_heavy_password_then_l33t_words_are_still_found() -> None:
    # Given more l33t tables than are tried one by one, and "p@$$w0rd" among the symbols
    password = "(|{[<%+97!" + "p@$$w0rd" + "<{[(|"
    assert len(matching.enumerate_l33t_subs(matching.relevant_l33t_subtable(password, matching.L33T_TABLE))) > (
        MAX_L33T_SUBSTITUTIONS
    )
    # Then the estimate still reads it as the word "password"
    result = passwords._estimate(password, [])
    words = {match.get("matched_word") for match in result["sequence"] if match.get("l33t")}
    assert "password" in words, result["sequence"]


def test_given_few_l33t_tables_then_zxcvbns_own_matcher_decides() -> None:
    # Given an everyday l33t spelling (2 tables), the bounded matcher is zxcvbn's, unchanged
    password = "p@$$w0rd1!"
    table = matching.relevant_l33t_subtable(password, matching.L33T_TABLE)
    assert len(matching.enumerate_l33t_subs(table)) <= MAX_L33T_SUBSTITUTIONS
    assert passwords._bounded_l33t_match(password, matching.RANKED_DICTIONARIES) == matching.l33t_match(password)
