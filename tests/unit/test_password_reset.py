"""Forgot password: the emailed link, the security question, the reset."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import (
    IncorrectSecurityAnswer,
    InvalidCredentials,
    InvalidOrExpiredToken,
    Unauthorized,
    ValidationFailed,
)
from contractor_accounts.domain.policy import MAX_WRONG_ANSWERS
from contractor_accounts.domain.results import SignedIn
from contractor_accounts.domain.tokens import token_hash
from contractor_accounts.http.staff_events import StaffConsole
from contractor_accounts.ports.store import ConflictingWrite

from tests.support.clock import MovableClock
from tests.support.samples import EMAIL, LICENSE, NEW_PASSWORD, OTHER_QUESTION, PASSWORD, QUESTION
from tests.unit.helpers import Domain

from .fakes import FakeMailer, InMemoryContractorStore
from .helpers import RESET_PAGE_URL, ask_for_link, request_link, reset, token_in

Seed = Callable[..., Contractor]


@pytest.fixture
def link(domain: Domain, mailer: FakeMailer, seed_contractor: Seed) -> str:
    """A registered account, and the token of the reset link just emailed to it."""
    seed_contractor()
    return request_link(domain, mailer)


def test_given_an_account_with_email_when_reset_requested_then_one_email_with_the_token_in_the_fragment(
    domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()

    ask_for_link(domain)

    assert len(mailer.sent) == 1
    email = mailer.sent[0]
    assert email.to == EMAIL
    assert "City of West Hollywood" in email.subject
    token = token_in(email)
    assert f"?token={token}" not in email.text
    assert f"{RESET_PAGE_URL}#token={token}" in email.text
    # Stored only as its SHA-256, as the account's newest reset token, valid one hour.
    assert store.contractors[LICENSE].reset_token_hash == token_hash(token)
    record = store.tokens[token_hash(token)]
    assert (record.kind, record.expires_at) == ("reset", clock.now() + timedelta(hours=1))
    assert token not in repr(store.contractors) + repr(store.tokens)


@pytest.mark.parametrize("case", ["unknown", "no_email", "disabled"])
def test_given_no_usable_account_when_reset_requested_then_nothing_is_sent(
    domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore, seed_contractor: Seed, case: str
) -> None:
    if case == "no_email":
        seed_contractor(email=None)
    elif case == "disabled":
        seed_contractor(account_status="disabled")

    ask_for_link(domain)

    assert mailer.attempted == []
    assert store.tokens == {}


def test_given_five_emails_this_hour_when_a_sixth_is_requested_then_not_sent_until_the_hour_has_passed(
    domain: Domain, mailer: FakeMailer, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()
    first_sent_at = clock.now()
    for _ in range(5):
        ask_for_link(domain)
        clock.advance(minutes=1)
    assert len(mailer.sent) == 5

    ask_for_link(domain)
    clock.set(first_sent_at + timedelta(minutes=59, seconds=59))
    ask_for_link(domain)
    assert len(mailer.sent) == 5

    clock.set(first_sent_at + timedelta(hours=1))
    ask_for_link(domain)
    assert len(mailer.sent) == 6
    ask_for_link(domain)
    assert len(mailer.sent) == 6


def test_given_two_links_when_the_older_is_used_then_invalid_and_the_newer_works(
    domain: Domain, mailer: FakeMailer, link: str
) -> None:
    newer = request_link(domain, mailer)

    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_question(link)
    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_with_token(reset(link))
    assert domain.recovery.reset_question(newer) == QUESTION


def test_given_a_link_when_asking_for_the_question_then_the_accounts_question(domain: Domain, link: str) -> None:
    assert domain.recovery.reset_question(link) == QUESTION


@pytest.mark.parametrize("token", ["", "short", "x" * 43, "!" * 43])
def test_given_a_bogus_token_when_asking_for_the_question_then_invalid_or_expired(
    domain: Domain, link: str, token: str
) -> None:
    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_question(token)


def test_given_a_reset_token_then_it_is_not_a_session(domain: Domain, link: str) -> None:
    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(link)
    with pytest.raises(Unauthorized):
        domain.sessions.sign_out(link)


def test_given_the_right_answer_when_resetting_then_the_new_password_works_and_the_old_does_not(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, link: str
) -> None:
    domain.recovery.reset_with_token(reset(link, answer="  mister WHISKERS "))

    assert isinstance(domain.signin.sign_in(LICENSE, NEW_PASSWORD), SignedIn)
    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, PASSWORD)
    stored = store.contractors[LICENSE]
    assert stored.password_changed_at == clock.now()
    assert stored.reset_token_hash is None
    assert store.history(LICENSE, 5)[-1].action == "password_reset_by_email"


def test_given_a_signed_in_contractor_when_the_password_is_reset_then_every_session_is_revoked(
    domain: Domain, mailer: FakeMailer, signed_in: SignedIn
) -> None:
    other = domain.signin.sign_in(LICENSE, PASSWORD)
    assert isinstance(other, SignedIn)
    token = request_link(domain, mailer)

    domain.recovery.reset_with_token(reset(token))

    for session in (signed_in.session.token, other.session.token):
        with pytest.raises(Unauthorized):
            domain.sessions.authenticate(session)


def test_given_a_reset_then_no_email_on_the_request_path_the_notice_is_the_notice_functions(
    domain: Domain, mailer: FakeMailer, link: str
) -> None:
    before = len(mailer.sent)
    domain.recovery.reset_with_token(reset(link))

    # The "password changed" notice goes from the activity record (tests/unit/test_notices.py)
    assert len(mailer.sent) == before


def test_given_the_notice_cannot_be_sent_then_the_reset_still_stands(
    domain: Domain, mailer: FakeMailer, link: str
) -> None:
    mailer.fail = True

    domain.recovery.reset_with_token(reset(link))

    assert isinstance(domain.signin.sign_in(LICENSE, NEW_PASSWORD), SignedIn)


def test_given_a_used_link_when_replayed_then_invalid_or_expired(domain: Domain, link: str) -> None:
    domain.recovery.reset_with_token(reset(link))

    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_with_token(reset(link, new_password="another fine passphrase here"))
    assert isinstance(domain.signin.sign_in(LICENSE, NEW_PASSWORD), SignedIn)


def test_given_59_minutes_when_using_the_link_then_it_still_works(
    domain: Domain, clock: MovableClock, link: str
) -> None:
    clock.advance(minutes=59)
    assert domain.recovery.reset_question(link) == QUESTION


def test_given_an_hour_has_passed_when_using_the_link_then_invalid_or_expired(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, link: str, password_hash: str
) -> None:
    clock.advance(hours=1)

    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_question(link)
    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_with_token(reset(link))
    assert store.contractors[LICENSE].password_hash == password_hash


def test_given_wrong_answers_when_the_fifth_comes_then_the_link_is_burnt(
    domain: Domain, store: InMemoryContractorStore, link: str, password_hash: str
) -> None:
    for count in range(1, 5):
        with pytest.raises(IncorrectSecurityAnswer) as wrong:
            domain.recovery.reset_with_token(reset(link, answer=f"Wrong guess {count}"))
        left = MAX_WRONG_ANSWERS - count
        assert wrong.value.code == "incorrect_security_answer"
        assert wrong.value.message.startswith(IncorrectSecurityAnswer.default_message)
        assert f"You have {left} more {'try' if left == 1 else 'tries'} with this link." in wrong.value.message
        assert store.tokens[token_hash(link)].answers_counted == count

    with pytest.raises(IncorrectSecurityAnswer) as fifth:
        domain.recovery.reset_with_token(reset(link, answer="Wrong guess 5"))
    assert "no longer works" in fifth.value.message

    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_with_token(reset(link))
    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_question(link)
    assert store.contractors[LICENSE].password_hash == password_hash


def test_given_four_wrong_answers_when_the_right_one_comes_then_reset(domain: Domain, link: str) -> None:
    for count in range(4):
        with pytest.raises(IncorrectSecurityAnswer):
            domain.recovery.reset_with_token(reset(link, answer=f"Wrong guess {count}"))

    domain.recovery.reset_with_token(reset(link))

    assert isinstance(domain.signin.sign_in(LICENSE, NEW_PASSWORD), SignedIn)


def test_given_a_new_password_against_the_policy_when_resetting_then_refused_and_the_link_still_works(
    domain: Domain, link: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        domain.recovery.reset_with_token(reset(link, new_password="my license 1234567 rocks"))

    assert refused.value.fields is not None
    assert "license number" in refused.value.fields["new_password"]
    assert domain.recovery.reset_question(link) == QUESTION


def test_given_a_100_character_new_password_when_resetting_then_accepted(domain: Domain, link: str) -> None:
    long_password = (
        "walrus tangerine oboe glacier umbrella paprika fennel zeppelin marmot quokka saffron harmonica tundra"
    )[:100]
    assert len(long_password) == 100

    domain.recovery.reset_with_token(reset(link, new_password=long_password))

    assert isinstance(domain.signin.sign_in(LICENSE, long_password), SignedIn)


def test_given_the_mailer_fails_then_no_usable_token_and_the_rate_limit_slot_is_not_used(
    domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()
    mailer.fail = True

    ask_for_link(domain)

    assert mailer.sent == []
    lost = token_in(mailer.attempted[0])
    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_question(lost)
    assert store.tokens == {}
    stored = store.contractors[LICENSE]
    assert stored.reset_token_hash is None
    assert stored.reset_emails_sent_at == ()

    mailer.fail = False
    for _ in range(5):
        ask_for_link(domain)
    assert len(mailer.sent) == 5


def test_given_a_concurrent_request_wins_when_issuing_then_no_email_is_sent(
    domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()
    store.fail_on["issue_reset_token"] = ConflictingWrite("ConditionalCheckFailed")

    ask_for_link(domain)

    assert mailer.attempted == []
    assert store.tokens == {}


def test_given_the_store_refuses_the_change_when_resetting_then_invalid_or_expired_and_nothing_changed(
    domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore, link: str, password_hash: str
) -> None:
    store.fail_on["change_password"] = ConflictingWrite("TransactionConflict")

    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_with_token(reset(link))

    assert store.contractors[LICENSE].password_hash == password_hash
    assert len(mailer.sent) == 1  # the link only, no "password changed" notice


def test_given_the_account_is_disabled_after_the_link_was_sent_then_the_link_is_dead(
    domain: Domain, staff: StaffConsole, link: str
) -> None:
    staff.handle({"action": "disable", "license_number": LICENSE})

    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_question(link)


def test_given_an_account_without_a_question_when_resetting_without_choosing_one_then_refused(
    domain: Domain, mailer: FakeMailer, seed_contractor: Seed
) -> None:
    seed_contractor(security_question=None, security_answer_hash=None, created_by="staff_import")
    token = request_link(domain, mailer)
    assert domain.recovery.reset_question(token) is None

    with pytest.raises(ValidationFailed) as refused:
        domain.recovery.reset_with_token(reset(token))

    assert refused.value.fields is not None
    assert "security_question" in refused.value.fields


def test_given_an_account_without_a_question_when_resetting_with_one_then_it_is_set(
    domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor(
        security_question=None,
        security_answer_hash=None,
        password_hash=None,
        password_state="none",
        created_by="staff_import",
    )
    token = request_link(domain, mailer)

    domain.recovery.reset_with_token(reset(token, answer="Long Beach", security_question=OTHER_QUESTION))

    stored = store.contractors[LICENSE]
    assert stored.security_question == OTHER_QUESTION
    assert domain.hasher.verify_answer(stored.security_answer_hash, "LONG beach")
    assert stored.password_state == "set"
    assert isinstance(domain.signin.sign_in(LICENSE, NEW_PASSWORD), SignedIn)


def test_given_an_account_with_a_question_when_trying_to_choose_another_then_refused(
    domain: Domain, store: InMemoryContractorStore, link: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        domain.recovery.reset_with_token(reset(link, security_question=OTHER_QUESTION))

    assert refused.value.fields is not None
    assert "security_question" in refused.value.fields
    assert store.contractors[LICENSE].security_question == QUESTION


def test_given_locked_out_when_the_password_is_reset_then_the_lockout_is_cleared(
    domain: Domain, mailer: FakeMailer, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor(failed_login_count=20, last_failed_login_at=clock.now())
    token = request_link(domain, mailer)

    domain.recovery.reset_with_token(reset(token))

    assert isinstance(domain.signin.sign_in(LICENSE, NEW_PASSWORD), SignedIn)
