"""A stranger who knows the license number (they are public) and guesses 1 ms after every lock
ends, for hours, on an injected clock: every way back in that contract v3 promises still lets
the contractor in, and the stranger never gets a session."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import InvalidCredentials
from contractor_accounts.domain.lockout import locked_until
from contractor_accounts.domain.results import ChallengeIssued, SignedIn
from contractor_accounts.http.schemas import ChallengeResetRequest
from contractor_accounts.use_cases.staff_desk import StaffDesk

from tests.support.clock import MovableClock
from tests.support.samples import ANSWER, LICENSE, NEW_PASSWORD, OTHER_QUESTION, QUESTION
from tests.unit.helpers import Domain

from .fakes import FakeMailer, InMemoryContractorStore
from .helpers import request_link, reset

Seed = Callable[..., Contractor]
STRANGER_GUESS = "not the password at all, a guess"
HOURS = 6


class Stranger:
    """Guesses 1 ms after the account's lock ends (or at once when it is not locked)."""

    def __init__(self, domain: Domain, store: InMemoryContractorStore, clock: MovableClock) -> None:
        self.domain, self.store, self.clock = domain, store, clock
        self.guesses = 0

    def guess_until(self, moment: datetime) -> None:
        """Keeps the account locked up to ``moment``, guessing the instant each lock ends."""
        while True:
            until = locked_until(self.store.contractors[LICENSE])
            next_guess = max(until or self.clock.now(), self.clock.now()) + timedelta(milliseconds=1)
            if next_guess >= moment:
                break
            self.clock.advance(next_guess - self.clock.now())
            with pytest.raises(InvalidCredentials):
                self.domain.signin.sign_in(LICENSE, STRANGER_GUESS)
            self.guesses += 1
        self.clock.advance(moment - self.clock.now())

    def is_holding_the_lock(self) -> bool:
        until = locked_until(self.store.contractors[LICENSE])
        return until is not None and until > self.clock.now()


@pytest.fixture
def stranger(domain: Domain, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed) -> Stranger:
    seed_contractor()
    return Stranger(domain, store, clock)


def test_after_a_reset_by_link_the_contractor_signs_in_through_the_lock_for_hours(
    domain: Domain, mailer: FakeMailer, clock: MovableClock, stranger: Stranger
) -> None:
    # Given a stranger who has held the account locked for an hour
    stranger.guess_until(clock.now() + timedelta(hours=1))
    assert stranger.is_holding_the_lock()
    # When the contractor resets the password by the emailed link and the security answer
    done = domain.recovery.reset_with_token(reset(request_link(domain, mailer)))
    # Then this browser has a device token, and every sign-in through it gets in, while the
    # stranger goes on guessing the instant each lock ends
    assert done.license_number == LICENSE
    attempts = 0
    end = clock.now() + timedelta(hours=HOURS)
    while clock.now() < end:
        stranger.guess_until(clock.now() + timedelta(minutes=7))
        assert stranger.is_holding_the_lock()
        signed_in = domain.signin.sign_in(LICENSE, NEW_PASSWORD, device_token=done.device_token)
        assert isinstance(signed_in, SignedIn)
        attempts += 1
    assert attempts >= 50
    assert stranger.guesses > 20


@pytest.fixture
def desk(store: InMemoryContractorStore, clock: MovableClock, domain: Domain) -> StaffDesk:
    return StaffDesk(store, clock, domain.hasher, domain.signin.settings)


def save_and_login(domain: Domain, challenge: ChallengeIssued) -> SignedIn:
    return domain.first_sign_in.complete_first_sign_in(
        ChallengeResetRequest(
            challenge_token=challenge.challenge.token,
            new_password=NEW_PASSWORD,
            security_question=QUESTION,
            security_answer=ANSWER,
        ).to_domain()
    )


def test_a_temporary_password_from_staff_gets_the_contractor_in_through_the_lock_for_hours(
    domain: Domain, clock: MovableClock, stranger: Stranger, desk: StaffDesk
) -> None:
    # Given a stranger who has held the account locked for an hour
    stranger.guess_until(clock.now() + timedelta(hours=1))
    assert stranger.is_holding_the_lock()
    # When staff issue a temporary password, and the stranger goes on guessing the instant each
    # lock ends until the contractor has it read out on the phone
    temporary = desk.issue_temporary_password(LICENSE, "staff@city")
    stranger.guess_until(clock.now() + timedelta(minutes=20))
    assert stranger.is_holding_the_lock()
    # Then the temporary password is judged even during the lock (contract v3): a challenge,
    # SAVE AND LOGIN, and this browser's device token
    challenge = domain.signin.sign_in(LICENSE, temporary.password.lower().replace("-", " "))
    assert isinstance(challenge, ChallengeIssued)
    first = save_and_login(domain, challenge)
    assert first.device_token
    # And every sign-in through that device gets in while the stranger keeps the lock, for hours
    attempts = 0
    end = clock.now() + timedelta(hours=HOURS)
    while clock.now() < end:
        stranger.guess_until(clock.now() + timedelta(minutes=7))
        assert stranger.is_holding_the_lock()
        signed_in = domain.signin.sign_in(LICENSE, NEW_PASSWORD, device_token=first.device_token)
        assert isinstance(signed_in, SignedIn)
        attempts += 1
    assert attempts >= 50
    assert stranger.guesses > 20


def test_during_the_lock_a_wrong_temporary_password_counts_as_any_failure(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, stranger: Stranger, desk: StaffDesk
) -> None:
    desk.issue_temporary_password(LICENSE, "staff@city")
    stranger.guess_until(clock.now() + timedelta(minutes=30))
    assert stranger.is_holding_the_lock()
    counted = store.contractors[LICENSE].failed_login_count
    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, "WRONG-TEMP-PASS-WORD")
    assert store.contractors[LICENSE].failed_login_count == counted + 1


def device_session(domain: Domain, mailer: FakeMailer) -> tuple[str, str]:
    """A session signed in through the device a reset by link gave this browser, and that
    device's token."""
    done = domain.recovery.reset_with_token(reset(request_link(domain, mailer)))
    signed_in = domain.signin.sign_in(LICENSE, NEW_PASSWORD, device_token=done.device_token)
    assert isinstance(signed_in, SignedIn)
    return signed_in.session.token, str(done.device_token)


def test_a_session_from_a_trusted_device_changes_its_credentials_during_the_lock(
    domain: Domain, store: InMemoryContractorStore, mailer: FakeMailer, clock: MovableClock, stranger: Stranger
) -> None:
    # Given a session signed in through this browser's device, and a stranger holding the lock
    session, device_token = device_session(domain, mailer)
    stranger.guess_until(clock.now() + timedelta(minutes=25))  # the session's idle limit is 30
    assert stranger.is_holding_the_lock()
    # When it changes the security question and the email, asked for the current password
    # (before contract v3: "Your current password is not correct.")
    domain.credentials.change_security_question(session, NEW_PASSWORD, OTHER_QUESTION, "another answer here")
    assert store.contractors[LICENSE].security_question == OTHER_QUESTION
    stranger.guess_until(clock.now() + timedelta(minutes=7))
    assert stranger.is_holding_the_lock()
    domain.credentials.change_email(session, "maria.new@example.com", NEW_PASSWORD)
    assert store.contractors[LICENSE].pending_email == "maria.new@example.com"
    # And the password: its browser keeps its device, and signs in through it during the lock
    stranger.guess_until(clock.now() + timedelta(minutes=7))
    assert stranger.is_holding_the_lock()
    successor = domain.credentials.change_password(session, NEW_PASSWORD, "a third passphrase of mine")
    assert domain.own_account.dashboard(successor.token).contractor.license_number == LICENSE
    assert len(store.contractors[LICENSE].trusted_devices) == 1
    stranger.guess_until(clock.now() + timedelta(minutes=7))
    assert stranger.is_holding_the_lock()
    again = domain.signin.sign_in(LICENSE, "a third passphrase of mine", device_token=device_token)
    assert isinstance(again, SignedIn)


def test_a_wrong_current_password_from_a_device_session_counts_on_the_device_not_the_lock(
    domain: Domain, store: InMemoryContractorStore, mailer: FakeMailer, clock: MovableClock, stranger: Stranger
) -> None:
    session, _ = device_session(domain, mailer)
    stranger.guess_until(clock.now() + timedelta(minutes=25))
    assert stranger.is_holding_the_lock()
    counted = store.contractors[LICENSE].failed_login_count
    with pytest.raises(InvalidCredentials, match="current password is not correct"):
        domain.credentials.change_security_question(session, "not my password at all", OTHER_QUESTION, "answer")
    assert store.contractors[LICENSE].failed_login_count == counted
    assert store.contractors[LICENSE].trusted_devices[0].failures == 1
