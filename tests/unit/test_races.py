"""Concurrent requests: a write that lost a race (the account or token changed between the
domain's read and its conditional write) leaves exactly one winner and no half state.

Each test runs the competing request from inside the store call, right before the losing
write, which is where a second Lambda would land in production."""

from collections.abc import Callable
from typing import Any

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import InvalidCredentials, InvalidOrExpiredToken
from contractor_accounts.domain.results import SignedIn
from contractor_accounts.http.staff_events import StaffConsole

from tests.support.samples import LICENSE, NEW_PASSWORD, PASSWORD
from tests.unit.helpers import Domain

from .fakes import FakeMailer, InMemoryContractorStore
from .helpers import ask_for_link, request_link, reset


def just_before(
    monkeypatch: pytest.MonkeyPatch, store: InMemoryContractorStore, method: str, competitor: Callable[[], Any]
) -> None:
    """Runs ``competitor`` once, right before the next call of ``store.<method>``."""
    original = getattr(store, method)
    pending = [competitor]

    def racing(*args: Any, **kwargs: Any) -> Any:
        while pending:
            pending.pop()()
        return original(*args, **kwargs)

    monkeypatch.setattr(store, method, racing)


def test_given_a_newer_link_is_sent_while_the_older_is_used_then_the_older_loses(
    domain: Domain,
    mailer: FakeMailer,
    store: InMemoryContractorStore,
    seed_contractor: Callable[..., Contractor],
    password_hash: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_contractor()
    older = request_link(domain, mailer)
    just_before(monkeypatch, store, "change_password", lambda: request_link(domain, mailer))

    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_with_token(reset(older))

    assert store.contractors[LICENSE].password_hash == password_hash


def test_given_the_same_link_used_twice_at_once_then_exactly_one_reset_wins(
    domain: Domain,
    mailer: FakeMailer,
    store: InMemoryContractorStore,
    seed_contractor: Callable[..., Contractor],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_contractor()
    link = request_link(domain, mailer)
    winner = "another fine passphrase here"

    def competitor() -> None:
        domain.recovery.reset_with_token(reset(link, new_password=winner))

    just_before(monkeypatch, store, "change_password", competitor)

    with pytest.raises(InvalidOrExpiredToken):
        domain.recovery.reset_with_token(reset(link))

    assert isinstance(domain.signin.sign_in(LICENSE, winner), SignedIn)
    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, NEW_PASSWORD)


@pytest.mark.parametrize("action", ["issue_temporary_password", "disable"])
def test_given_staff_end_the_sessions_while_signing_in_then_no_session(
    domain: Domain,
    staff: StaffConsole,
    store: InMemoryContractorStore,
    seed_contractor: Callable[..., Contractor],
    monkeypatch: pytest.MonkeyPatch,
    action: str,
) -> None:
    # Given staff issue a temporary password, or disable the account, between the sign-in's
    # claim and its session write
    seed_contractor()
    just_before(
        monkeypatch, store, "start_session", lambda: staff.handle({"action": action, "license_number": LICENSE})
    )
    # Then the sign-in is refused and no session exists (after a disable, no token at all)
    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, PASSWORD)
    assert store.tokens_of(LICENSE, "session") == []
    assert action != "disable" or store.tokens == {}


def test_given_two_forgot_requests_at_once_then_one_email_and_one_live_token(
    domain: Domain,
    mailer: FakeMailer,
    store: InMemoryContractorStore,
    seed_contractor: Callable[..., Contractor],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_contractor()
    just_before(monkeypatch, store, "issue_reset_token", lambda: ask_for_link(domain))

    ask_for_link(domain)

    assert len(mailer.sent) == 1
    assert len(store.tokens_of(LICENSE, "reset")) == 1
    assert store.contractors[LICENSE].reset_emails_sent_at == (domain.reset_links.clock.now(),)
