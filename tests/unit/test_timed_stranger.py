"""A stranger who knows the license number (they are public) and guesses 1 ms after every lock
ends, for hours, on an injected clock: every way back in that contract v3 promises still lets
the contractor in, and the stranger never gets a session."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import InvalidCredentials
from contractor_accounts.domain.lockout import locked_until
from contractor_accounts.domain.results import SignedIn

from tests.support.clock import MovableClock
from tests.support.samples import LICENSE, NEW_PASSWORD
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
