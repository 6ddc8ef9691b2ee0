"""The fakes' own test helpers behave as the tests assume (failure injection, the clock, the
mailer, the settings). What the fake store honours is proved by tests/store/test_contract.py."""

from datetime import UTC, datetime, timedelta

import pytest
from contractor_accounts.domain.emails import EmailMessage
from contractor_accounts.ports.mailer import EmailNotSent
from contractor_accounts.ports.store import ConflictingWrite

from local_portal.parameters import LOCAL_WEB_ORIGINS
from tests.support.clock import MovableClock
from tests.support.samples import LICENSE
from tests.unit.fakes import account

from .fakes import START, FakeMailer, InMemoryContractorStore, settings


@pytest.fixture
def store() -> InMemoryContractorStore:
    return InMemoryContractorStore()


def test_fail_next_fails_one_write_and_fail_on_one_call(store: InMemoryContractorStore) -> None:
    store.fail_next = ConflictingWrite("boom")
    assert store.get_contractor(LICENSE) is None  # reads are not writes
    with pytest.raises(ConflictingWrite):
        store.create_contractor(account(), None, None)
    store.create_contractor(account(), None, None)
    store.fail_on["get_contractor"] = RuntimeError("throttled")
    with pytest.raises(RuntimeError):
        store.get_contractor(LICENSE)
    assert store.get_contractor(LICENSE) is not None


def test_fake_clock_moves_only_when_told() -> None:
    clock = MovableClock(START)
    assert clock.now() == clock.now()
    assert clock.now().tzinfo is not None
    clock.advance(minutes=5)
    assert clock.now() == START + timedelta(minutes=5)
    clock.set(datetime(2026, 7, 1, tzinfo=UTC))
    assert clock.now() == datetime(2026, 7, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2026, 7, 1))


def test_fake_mailer_records_and_fails_on_demand() -> None:
    mailer = FakeMailer()
    email = EmailMessage(to="a@b.example", subject="s", text="t", html="h")
    mailer.send(email)
    mailer.fail = True
    with pytest.raises(EmailNotSent):
        mailer.send(email)
    assert (mailer.sent, mailer.attempted) == ([email], [email, email])


def test_settings_helper_builds_the_local_settings() -> None:
    built = settings()
    assert built.city_name == "City of West Hollywood"
    assert built.allowed_origins == tuple(LOCAL_WEB_ORIGINS)
    assert str(built.zone) == "America/Los_Angeles"
    assert built.session_idle_minutes == 30
