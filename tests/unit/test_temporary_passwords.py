"""Temporary passwords: issued by staff, yield only a challenge, replaced at first sign-in."""

import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import (
    InvalidCredentials,
    InvalidOrExpiredToken,
    TemporaryPasswordExpired,
    Unauthorized,
    ValidationFailed,
)
from contractor_accounts.domain.requests import NewPassword
from contractor_accounts.domain.results import ChallengeIssued, SignedIn
from contractor_accounts.domain.tokens import TEMPORARY_ALPHABET
from contractor_accounts.http.schemas import ChallengeResetRequest, TokenResetRequest
from contractor_accounts.http.staff_events import StaffConsole

from tests.support.clock import MovableClock
from tests.support.samples import LICENSE, NEW_PASSWORD, OTHER_QUESTION, PASSWORD
from tests.unit.helpers import Domain

from .fakes import InMemoryContractorStore

TEMPORARY_SHAPE = re.compile(r"^[A-HJKMNP-Z2-9]{5}(-[A-HJKMNP-Z2-9]{5}){3}$")


@pytest.fixture
def temporary(staff: StaffConsole, seed_contractor: Callable[..., Contractor]) -> str:
    """A registered account whose staff just issued a temporary password."""
    seed_contractor()
    result = staff.handle({"action": "issue_temporary_password", "license_number": LICENSE, "actor": "jdoe"})
    assert result["ok"] is True
    password = result["temporary_password"]
    assert isinstance(password, str)
    return password


def challenge_of(domain: Domain, password: str) -> str:
    result = domain.signin.sign_in(LICENSE, password)
    assert isinstance(result, ChallengeIssued)
    return result.challenge.token


def first_sign_in(challenge: str, new_password: str = NEW_PASSWORD) -> NewPassword:
    return ChallengeResetRequest(
        challenge_token=challenge,
        new_password=new_password,
        security_question=OTHER_QUESTION,
        security_answer="Long Beach",
    ).to_domain()


def test_given_staff_issue_a_temporary_password_then_it_is_generated_and_valid_for_7_days(
    staff: StaffConsole, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Callable[..., Contractor]
) -> None:
    seed_contractor()

    result = staff.handle({"action": "issue_temporary_password", "license_number": " 123-4567 "})

    assert result["ok"] is True
    assert TEMPORARY_SHAPE.match(result["temporary_password"])
    assert datetime.fromisoformat(result["expires_at"]) == clock.now() + timedelta(days=7)
    stored = store.contractors[LICENSE]
    assert stored.password_state == "temporary"
    assert stored.temporary_password_expires_at == clock.now() + timedelta(days=7)
    assert result["temporary_password"] not in repr(store.contractors) + repr(store.audit)
    assert store.history(LICENSE, 1)[0].action == "temporary_password_issued"


def test_given_staff_try_to_choose_the_temporary_password_then_validation_error(
    staff: StaffConsole, store: InMemoryContractorStore, seed_contractor: Callable[..., Contractor]
) -> None:
    original = seed_contractor()

    result = staff.handle(
        {"action": "issue_temporary_password", "license_number": LICENSE, "temporary_password": "Chosen-By-Staff-123"}
    )

    assert result["ok"] is False
    assert result["error"] == "validation_error"
    assert store.contractors[LICENSE] == original


def test_given_two_issues_then_the_passwords_differ_and_only_the_newest_works(
    domain: Domain, staff: StaffConsole, temporary: str
) -> None:
    newer = staff.handle({"action": "issue_temporary_password", "license_number": LICENSE})["temporary_password"]
    assert newer != temporary

    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, temporary)
    assert isinstance(domain.signin.sign_in(LICENSE, newer), ChallengeIssued)


def test_given_a_temporary_password_then_the_old_password_stops_working(domain: Domain, temporary: str) -> None:
    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, PASSWORD)


def test_given_a_temporary_password_when_signing_in_then_only_a_15_minute_challenge(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, temporary: str
) -> None:
    result = domain.signin.sign_in(LICENSE, temporary)

    assert isinstance(result, ChallengeIssued)
    assert result.challenge.record.kind == "challenge"
    assert result.challenge.record.expires_at == clock.now() + timedelta(minutes=15)
    assert store.tokens_of(LICENSE, "session") == []


def test_given_a_challenge_token_then_it_is_not_a_session(domain: Domain, temporary: str) -> None:
    challenge = challenge_of(domain, temporary)

    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(challenge)
    with pytest.raises(Unauthorized):
        domain.sessions.sign_out(challenge)
    # Still good for what it is for.
    assert isinstance(domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge)), SignedIn)


def test_given_7_days_have_passed_when_the_right_temporary_password_is_used_then_expired_with_staff_phone(
    domain: Domain, clock: MovableClock, temporary: str
) -> None:
    clock.advance(days=7)

    with pytest.raises(TemporaryPasswordExpired) as expired:
        domain.signin.sign_in(LICENSE, temporary)

    assert expired.value.code == "temporary_password_expired"
    assert "(323) 848-6475" in expired.value.message


def test_given_7_days_have_passed_when_a_wrong_password_is_used_then_just_invalid_credentials(
    domain: Domain, clock: MovableClock, temporary: str
) -> None:
    clock.advance(days=7)

    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, "a wrong guess of a password")


def test_given_the_temporary_password_expires_in_5_minutes_then_the_challenge_ends_with_it(
    domain: Domain, clock: MovableClock, temporary: str
) -> None:
    clock.advance(days=7, minutes=-5)

    result = domain.signin.sign_in(LICENSE, temporary)

    assert isinstance(result, ChallengeIssued)
    assert result.challenge.record.expires_at == clock.now() + timedelta(minutes=5)


def test_given_a_challenge_when_completing_first_sign_in_then_password_and_question_set_and_signed_in(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, temporary: str
) -> None:
    challenge = challenge_of(domain, temporary)

    result = domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge))

    assert domain.sessions.authenticate(result.session.token).license_number == LICENSE
    stored = store.contractors[LICENSE]
    assert stored.password_state == "set"
    assert stored.temporary_password_expires_at is None
    assert stored.password_changed_at == clock.now()
    assert stored.security_question == OTHER_QUESTION
    assert domain.hasher.verify_answer(stored.security_answer_hash, "long beach")
    assert store.history(LICENSE, 1)[0].action == "password_set_at_first_sign_in"
    assert isinstance(domain.signin.sign_in(LICENSE, NEW_PASSWORD), SignedIn)


def test_given_first_sign_in_completed_then_the_temporary_password_no_longer_works(
    domain: Domain, temporary: str
) -> None:
    domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge_of(domain, temporary)))

    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, temporary)


def test_given_a_used_challenge_when_used_again_then_invalid_or_expired(domain: Domain, temporary: str) -> None:
    challenge = challenge_of(domain, temporary)
    domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge))

    with pytest.raises(InvalidOrExpiredToken):
        domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge, "another fine passphrase here"))


def test_given_two_challenges_when_one_is_used_then_the_other_is_dead(domain: Domain, temporary: str) -> None:
    first = challenge_of(domain, temporary)
    second = challenge_of(domain, temporary)
    domain.first_sign_in.complete_first_sign_in(first_sign_in(first))

    with pytest.raises(InvalidOrExpiredToken):
        domain.first_sign_in.complete_first_sign_in(first_sign_in(second, "another fine passphrase here"))


def test_given_15_minutes_have_passed_when_using_the_challenge_then_invalid_or_expired(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, temporary: str
) -> None:
    challenge = challenge_of(domain, temporary)
    clock.advance(minutes=15)

    with pytest.raises(InvalidOrExpiredToken):
        domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge))

    assert store.contractors[LICENSE].password_state == "temporary"


def test_given_a_newer_temporary_password_when_using_an_older_challenge_then_invalid_or_expired(
    domain: Domain, staff: StaffConsole, temporary: str
) -> None:
    challenge = challenge_of(domain, temporary)
    staff.handle({"action": "issue_temporary_password", "license_number": LICENSE})

    with pytest.raises(InvalidOrExpiredToken):
        domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge))


def test_given_the_temporary_password_as_the_new_one_then_refused_on_new_password(
    domain: Domain, store: InMemoryContractorStore, temporary: str
) -> None:
    challenge = challenge_of(domain, temporary)

    with pytest.raises(ValidationFailed) as refused:
        domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge, temporary))

    assert refused.value.fields is not None
    assert "different from the temporary" in refused.value.fields["new_password"]
    assert store.contractors[LICENSE].password_state == "temporary"


def test_given_a_guessable_new_password_then_refused_with_the_reason(domain: Domain, temporary: str) -> None:
    challenge = challenge_of(domain, temporary)

    with pytest.raises(ValidationFailed) as refused:
        domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge, "sunset builders inc rocks"))

    assert refused.value.fields is not None
    assert "business name" in refused.value.fields["new_password"]


def test_given_an_imported_contractor_when_staff_issue_a_temporary_password_then_they_can_finish_registration(
    domain: Domain, staff: StaffConsole, store: InMemoryContractorStore, seed_contractor: Callable[..., Contractor]
) -> None:
    seed_contractor(
        created_by="staff_import",
        password_hash=None,
        password_state="none",
        security_question=None,
        security_answer_hash=None,
    )
    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, "anything at all really")
    temporary = staff.handle({"action": "issue_temporary_password", "license_number": LICENSE})["temporary_password"]

    result = domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge_of(domain, temporary)))

    assert domain.sessions.authenticate(result.session.token).license_number == LICENSE
    assert store.contractors[LICENSE].password_state == "set"


def test_given_a_disabled_account_with_a_temporary_password_when_signing_in_then_invalid_credentials(
    domain: Domain, staff: StaffConsole, temporary: str
) -> None:
    staff.handle({"action": "disable", "license_number": LICENSE})

    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, temporary)


def test_given_a_challenge_when_the_account_is_disabled_then_the_challenge_is_dead(
    domain: Domain, staff: StaffConsole, temporary: str
) -> None:
    challenge = challenge_of(domain, temporary)
    staff.handle({"action": "disable", "license_number": LICENSE})

    with pytest.raises(InvalidOrExpiredToken):
        domain.first_sign_in.complete_first_sign_in(first_sign_in(challenge))


def test_given_failed_sign_ins_when_staff_issue_a_temporary_password_then_the_count_is_cleared(
    domain: Domain, staff: StaffConsole, store: InMemoryContractorStore, seed_contractor: Callable[..., Contractor]
) -> None:
    seed_contractor(failed_login_count=9, last_failed_login_at=domain.signin.clock.now())

    temporary = staff.handle({"action": "issue_temporary_password", "license_number": LICENSE})["temporary_password"]

    assert store.contractors[LICENSE].failed_login_count == 0
    assert isinstance(domain.signin.sign_in(LICENSE, temporary), ChallengeIssued)


def test_given_a_challenge_token_when_used_as_a_reset_token_then_invalid_or_expired(
    domain: Domain, store: InMemoryContractorStore, temporary: str
) -> None:
    challenge = challenge_of(domain, temporary)

    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_question(challenge)
    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_with_token(
            TokenResetRequest(
                reset_token=challenge, security_answer="Long Beach", new_password=NEW_PASSWORD
            ).to_domain()
        )
    assert store.contractors[LICENSE].password_state == "temporary"


def test_given_a_session_token_when_used_as_a_challenge_then_invalid_or_expired(
    domain: Domain, signed_in: SignedIn
) -> None:
    with pytest.raises(InvalidOrExpiredToken):
        domain.first_sign_in.complete_first_sign_in(first_sign_in(signed_in.session.token))


@pytest.mark.parametrize(
    "as_typed",
    [
        lambda read: read.lower(),  # typed in lower case
        lambda read: read.replace("-", ""),  # without the dashes
        lambda read: read.replace("-", " "),  # with spaces for dashes
        lambda read: " " + read.replace("-", " - ").lower() + " ",  # as heard, word by word
        lambda read: read.replace("-", "\u2013"),  # an en dash a phone keyboard substitutes
    ],
)
def test_given_a_temporary_password_typed_as_read_aloud_then_it_works(
    domain: Domain, store: InMemoryContractorStore, temporary: str, as_typed: Callable[[str], str]
) -> None:
    # Given what staff read aloud, typed as a contractor would
    typed = as_typed(temporary)
    assert typed != temporary
    # When signing in with it
    challenge = challenge_of(domain, typed)
    # Then it is the challenge the exact password gives, and nothing counted as a failure
    assert challenge
    assert store.contractors[LICENSE].failed_login_count == 0


def test_given_a_temporary_password_with_one_symbol_wrong_then_refused_and_counted(
    domain: Domain, store: InMemoryContractorStore, temporary: str
) -> None:
    wrong = ("2" if temporary[0] != "2" else "3") + temporary[1:]
    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, wrong.lower())
    assert store.contractors[LICENSE].failed_login_count == 1


def test_a_chosen_password_is_never_case_folded(domain: Domain, seed_contractor: Callable[..., Contractor]) -> None:
    # Given an account with a chosen password (not a temporary one)
    seed_contractor()
    # Then only the password exactly as chosen works: the reading rule is for temporary ones only
    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, PASSWORD.upper())
    assert isinstance(domain.signin.sign_in(LICENSE, PASSWORD), SignedIn)


def test_the_temporary_alphabet_keeps_at_least_today_s_entropy() -> None:
    # 20 symbols of 31 (one case, no look-alikes): about 99 bits, as before
    assert len(set(TEMPORARY_ALPHABET)) == 31
    assert 20 * math.log2(len(set(TEMPORARY_ALPHABET))) >= 99
