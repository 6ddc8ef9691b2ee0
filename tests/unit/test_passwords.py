"""Password and security-answer policy, license normalization, and argon2id hashing."""

from collections.abc import Callable

import argon2
import pytest
from contractor_accounts.adapters.argon2_hasher import PasswordHasher
from contractor_accounts.domain.passwords import (
    answer_problem,
    normalize_answer,
    password_length_problem,
    password_problem,
)
from contractor_accounts.domain.policy import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from contractor_accounts.http.schemas import RegistrationRequest, SignInRequest
from pydantic import ValidationError

from tests.support.samples import PASSWORD, registration_body

CONTEXT = [
    ("your license number", "8675309"),
    ("your business name", "Sunset Builders Inc"),
    ("your email address", "maria"),
]
GOOD_PASSPHRASE = "seven purple lanterns drift east"
# A long passphrase that is not repetitive: words of a sentence, cut to the length wanted.
LONG_WORDS = (
    "walrus tangerine oboe glacier umbrella paprika fennel zeppelin marmot quokka saffron "
    "harmonica tundra juniper velvet cobalt lagoon minaret pistachio"
)

# The hashing parameters are proved on argon2id itself.
pytestmark = pytest.mark.real_hasher


def long_passphrase(length: int) -> str:
    assert len(LONG_WORDS) >= length
    return LONG_WORDS[:length].rstrip() + "x" * (length - len(LONG_WORDS[:length].rstrip()))


def field_errors(error: ValidationError) -> dict[str, str]:
    return {".".join(str(part) for part in problem["loc"]): problem["msg"] for problem in error.errors()}


# Length.


def test_given_14_code_points_when_judged_then_refused_with_the_count() -> None:
    problem = password_problem("purple otter j", CONTEXT)
    assert problem is not None
    assert f"at least {MIN_PASSWORD_LENGTH}" in problem
    assert "you have 14" in problem


def test_given_15_code_points_when_judged_then_length_is_fine() -> None:
    assert password_length_problem("purple otter ja") is None


def test_given_ligatures_when_counted_then_counted_after_nfkc() -> None:
    # Eight U+FB01 ligatures are 8 code points typed but 16 ("fi" x 8) after NFKC.
    assert password_length_problem("\ufb01" * 8) is None


def test_given_combining_accents_when_counted_then_counted_after_nfkc() -> None:
    # "e" + COMBINING ACUTE is 2 code points, NFKC composes it into one "é": 16 typed, 8 counted.
    decomposed = "e\u0301" * 8
    assert len(decomposed) == 16
    problem = password_length_problem(decomposed)
    assert problem is not None
    assert "you have 8" in problem


def test_given_128_code_points_when_length_checked_then_accepted_and_129_refused() -> None:
    assert password_length_problem("k" * MAX_PASSWORD_LENGTH) is None
    problem = password_length_problem("k" * (MAX_PASSWORD_LENGTH + 1))
    assert problem is not None
    assert f"at most {MAX_PASSWORD_LENGTH}" in problem


@pytest.mark.parametrize("length", [73, 100, MAX_PASSWORD_LENGTH])
def test_given_a_long_good_passphrase_when_judged_then_accepted(length: int) -> None:
    password = long_passphrase(length)
    assert len(password) == length
    assert password_problem(password, CONTEXT) is None


def test_given_129_code_points_when_judged_by_policy_then_refused() -> None:
    problem = password_problem(long_passphrase(MAX_PASSWORD_LENGTH + 1), CONTEXT)
    assert problem is not None
    assert "at most" in problem


def test_given_a_128_character_passphrase_when_registering_then_the_model_accepts_it() -> None:
    request = RegistrationRequest.model_validate(registration_body(password=long_passphrase(128)))
    assert len(request.password) == 128


# What the password is made of.


@pytest.mark.parametrize(
    "password",
    [
        "  spaces   are   welcome here  ",
        GOOD_PASSPHRASE,
        "Ünïcödé kïwi fjörd blitz sauce",
    ],
)
def test_given_a_good_passphrase_when_judged_then_accepted(password: str) -> None:
    assert password_problem(password, CONTEXT) is None


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("a" * 20, "repeats"),
        ("abcabcabcabcabcabc", "repeats"),
        ("abcdefghijklmnop", "sequence"),
        ("123456789012345678", "sequence"),
        ("iloveyou12345678", "common"),
        ("qwertyuiopasdfgh", "keyboard pattern"),
        ("asdfghjkl;qwerty", "keyboard pattern"),
        ("password123456789", "common"),
    ],
)
def test_given_a_guessable_password_when_judged_then_refused_saying_why(password: str, reason: str) -> None:
    problem = password_problem(password, CONTEXT)
    assert problem is not None
    assert reason in problem


@pytest.mark.parametrize(
    ("password", "what"),
    [
        ("my 8675309 boat goes far", "license number"),
        ("SUNSETBUILDERSINC lemon tree", "business name"),
        ("lemon sunset builders inc tree", "business name"),
        ("MARIA likes purple turnips", "email address"),
    ],
)
def test_given_a_context_word_in_any_case_when_judged_then_refused(password: str, what: str) -> None:
    problem = password_problem(password, CONTEXT)
    assert problem is not None
    assert what in problem


def test_given_registration_with_the_business_name_in_the_password_then_fields_password_says_why() -> None:
    with pytest.raises(ValidationError) as refused:
        RegistrationRequest.model_validate(registration_body(password="sunset BUILDERS inc forever"))
    errors = field_errors(refused.value)
    assert list(errors) == ["password"]
    assert "business name" in errors["password"]


def test_given_registration_with_the_email_local_part_in_the_password_then_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        RegistrationRequest.model_validate(registration_body(password="Maria loves tall cedar trees"))
    assert "email address" in field_errors(refused.value)["password"]


def test_given_registration_with_a_short_password_then_refused_on_the_password_field() -> None:
    with pytest.raises(ValidationError) as refused:
        RegistrationRequest.model_validate(registration_body(password="short one"))
    assert "at least 15" in field_errors(refused.value)["password"]


# Security answers.


def test_given_answers_differing_in_case_and_spaces_when_normalized_then_equal() -> None:
    assert normalize_answer("  Mister   WHISKERS ") == normalize_answer("misterwhiskers")
    assert normalize_answer("Mister Whiskers") != normalize_answer("Mister Whisker")


def test_given_a_stored_answer_when_verified_case_and_space_insensitively_then_matches(
    hasher: PasswordHasher, answer_hash: str
) -> None:
    assert hasher.verify_answer(answer_hash, " mister   WHISKERS")
    assert not hasher.verify_answer(answer_hash, "mister whisker")


@pytest.mark.parametrize(("answer", "ok"), [("abc", True), ("a b", False), ("  A  b  ", False), ("a b c", True)])
def test_given_an_answer_when_checked_then_at_least_three_characters_without_spaces(answer: str, ok: bool) -> None:
    assert (answer_problem(answer) is None) is ok


def test_given_registration_with_a_two_character_answer_then_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        RegistrationRequest.model_validate(registration_body(security_answer=" X y "))
    assert "security_answer" in field_errors(refused.value)


def test_given_an_unknown_security_question_when_registering_then_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        RegistrationRequest.model_validate(registration_body(security_question="What is your favourite colour?"))
    assert "security_question" in field_errors(refused.value)


def test_given_an_unknown_field_when_registering_then_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        RegistrationRequest.model_validate(registration_body(is_admin=True))
    assert "is_admin" in field_errors(refused.value)


# License numbers.


@pytest.mark.parametrize("raw", [" 12-3456 ", "123456", "12 34 56", "1-2-3-4-5-6", "\t123456\n"])
def test_given_a_license_with_spaces_and_hyphens_when_parsed_then_normalized(
    raw: str, make_registration: Callable[..., RegistrationRequest]
) -> None:
    assert SignInRequest(license_number=raw, password="x").license_number == "123456"
    assert make_registration(license_number=raw).license_number == "123456"


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "-", "ABC123", "12345678a", "123456789", "12.3456", "\uff11\uff12\uff13\uff14"],  # full-width digits
)
def test_given_a_license_not_1_to_8_digits_when_parsed_then_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as refused:
        SignInRequest(license_number=raw, password="x")
    assert "license_number" in field_errors(refused.value)


@pytest.mark.parametrize("raw", ["1", "12345678"])
def test_given_a_license_of_1_or_8_digits_when_parsed_then_accepted(raw: str) -> None:
    assert SignInRequest(license_number=raw, password="x").license_number == raw


# Hashing.


def test_given_a_password_when_hashed_then_argon2id_with_owasp_parameters_in_the_string(
    password_hash: str,
) -> None:
    assert password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in password_hash


def test_given_the_same_password_twice_when_hashed_then_salts_differ_and_both_verify(
    hasher: PasswordHasher, password_hash: str
) -> None:
    again = hasher.hash_password(PASSWORD)
    assert again != password_hash
    assert again.split("$")[4] != password_hash.split("$")[4]  # the salt
    assert hasher.verify_password(again, PASSWORD)
    assert hasher.verify_password(password_hash, PASSWORD)


def test_given_a_hash_with_current_parameters_then_no_rehash_needed(hasher: PasswordHasher, password_hash: str) -> None:
    assert not hasher.needs_rehash(password_hash)


def test_given_a_hash_made_with_other_parameters_then_rehash_needed(hasher: PasswordHasher) -> None:
    weaker = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=argon2.Type.ID)
    assert hasher.needs_rehash(weaker.hash(PASSWORD))


def test_given_a_long_password_when_verified_then_never_truncated(hasher: PasswordHasher) -> None:
    password = long_passphrase(120)
    changed_after_100 = password[:110] + ("Q" if password[110] != "Q" else "R") + password[111:]
    stored = hasher.hash_password(password)
    assert hasher.verify_password(stored, password)
    assert not hasher.verify_password(stored, changed_after_100)


def test_given_a_password_when_verified_then_case_and_spaces_matter(hasher: PasswordHasher, password_hash: str) -> None:
    assert not hasher.verify_password(password_hash, PASSWORD.upper())
    assert not hasher.verify_password(password_hash, PASSWORD.replace(" ", "  "))
    assert not hasher.verify_password(password_hash, f" {PASSWORD}")


def test_given_a_password_typed_in_another_unicode_form_when_verified_then_matches(hasher: PasswordHasher) -> None:
    stored = hasher.hash_password("caf\u00e9 terrace umbrella night")
    assert hasher.verify_password(stored, "cafe\u0301 terrace umbrella night")


@pytest.mark.parametrize(
    "stored",
    [None, "", "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaA", "plaintext-password"],
)
def test_given_no_usable_hash_when_verified_then_one_verification_is_paid_and_it_fails(
    hasher: PasswordHasher, verifications: list[str], stored: str | None
) -> None:
    assert not hasher.verify_password(stored, PASSWORD)
    assert len(verifications) == 1
    assert verifications[0].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
