"""Sessions: bearer tokens, idle and absolute timeouts, revocation."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import Unauthorized
from contractor_accounts.domain.results import SignedIn
from contractor_accounts.domain.tokens import new_token, token_hash
from contractor_accounts.http.staff_events import StaffConsole
from contractor_accounts.http.views import dashboard_view

from tests.support.clock import MovableClock
from tests.support.samples import LICENSE, PASSWORD
from tests.unit.helpers import Domain

from .fakes import InMemoryContractorStore


def test_given_a_live_session_when_authenticating_then_the_contractor(domain: Domain, signed_in: SignedIn) -> None:
    assert domain.sessions.authenticate(signed_in.session.token).license_number == LICENSE


def test_given_a_session_then_it_is_stored_only_as_its_sha256(
    store: InMemoryContractorStore, signed_in: SignedIn
) -> None:
    token = signed_in.session.token
    assert list(store.tokens) == [token_hash(token)]
    assert token not in repr(store.tokens)


@pytest.mark.parametrize("token", [None, "", "not a token", "x" * 43 + "!", "Bearer abc"])
def test_given_no_or_a_malformed_token_when_authenticating_then_unauthorized(
    domain: Domain, signed_in: SignedIn, token: str | None
) -> None:
    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(token)


def test_given_an_unknown_well_formed_token_when_authenticating_then_unauthorized(
    domain: Domain, signed_in: SignedIn
) -> None:
    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(new_token())


def test_given_use_every_29_minutes_when_authenticating_then_the_session_stays_alive(
    domain: Domain, clock: MovableClock, signed_in: SignedIn
) -> None:
    for _ in range(3):
        clock.advance(minutes=29)
        assert domain.sessions.authenticate(signed_in.session.token).license_number == LICENSE


def test_given_31_idle_minutes_when_authenticating_then_unauthorized(
    domain: Domain, clock: MovableClock, signed_in: SignedIn
) -> None:
    clock.advance(minutes=29)
    domain.sessions.authenticate(signed_in.session.token)
    clock.advance(minutes=31)

    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(signed_in.session.token)


def test_given_use_within_a_minute_when_authenticating_then_the_session_is_read_not_written(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, signed_in: SignedIn
) -> None:
    store.calls.clear()
    clock.advance(seconds=59)
    domain.sessions.authenticate(signed_in.session.token)
    assert "touch_session" not in store.calls
    clock.advance(seconds=2)  # the stored last use is now over a minute old: it moves
    domain.sessions.authenticate(signed_in.session.token)
    assert store.calls.count("touch_session") == 1
    assert store.tokens[token_hash(signed_in.session.token)].last_seen_at == clock.now()


def test_given_the_last_use_unwritten_within_its_minute_then_the_session_ends_early_never_late(
    domain: Domain, clock: MovableClock, signed_in: SignedIn
) -> None:
    # Used at 0 (written) and at 0:59 (not written: within a minute of the stored use).
    clock.advance(seconds=59)
    domain.sessions.authenticate(signed_in.session.token)
    # 30 minutes after the written use, 29:01 after the last real one: ended (up to a minute early).
    clock.advance(minutes=29, seconds=2)
    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(signed_in.session.token)


def test_given_an_active_session_when_8_hours_have_passed_then_unauthorized(
    domain: Domain, clock: MovableClock, signed_in: SignedIn
) -> None:
    started = clock.now()
    assert signed_in.session.record.expires_at == started + timedelta(hours=8)
    while clock.now() + timedelta(minutes=25) < started + timedelta(hours=8):
        clock.advance(minutes=25)
        domain.sessions.authenticate(signed_in.session.token)
    clock.set(started + timedelta(hours=8))

    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(signed_in.session.token)


def test_given_a_signed_in_contractor_when_signing_out_then_the_token_no_longer_works(
    domain: Domain, store: InMemoryContractorStore, signed_in: SignedIn
) -> None:
    domain.sessions.sign_out(signed_in.session.token)

    assert store.tokens == {}
    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(signed_in.session.token)
    with pytest.raises(Unauthorized):
        domain.sessions.sign_out(signed_in.session.token)


def test_given_two_sessions_when_one_signs_out_then_the_other_still_works(domain: Domain, signed_in: SignedIn) -> None:
    other = domain.signin.sign_in(LICENSE, PASSWORD)
    assert isinstance(other, SignedIn)

    domain.sessions.sign_out(signed_in.session.token)

    assert domain.sessions.authenticate(other.session.token).license_number == LICENSE


@pytest.mark.parametrize("token", [None, "", "garbage"])
def test_given_no_session_when_signing_out_then_unauthorized(domain: Domain, token: str | None) -> None:
    with pytest.raises(Unauthorized):
        domain.sessions.sign_out(token)


def test_given_a_session_when_staff_issue_a_temporary_password_then_it_is_revoked(
    domain: Domain, staff: StaffConsole, signed_in: SignedIn
) -> None:
    assert staff.handle({"action": "issue_temporary_password", "license_number": LICENSE})["ok"] is True

    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(signed_in.session.token)


def test_given_a_session_when_staff_disable_the_account_then_revoked_and_not_revived_by_enable(
    domain: Domain, staff: StaffConsole, signed_in: SignedIn
) -> None:
    assert staff.handle({"action": "disable", "license_number": LICENSE})["ok"] is True
    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(signed_in.session.token)

    assert staff.handle({"action": "enable", "license_number": LICENSE})["ok"] is True
    with pytest.raises(Unauthorized):
        domain.sessions.authenticate(signed_in.session.token)


def test_given_a_session_when_staff_unlock_then_the_session_survives(
    domain: Domain, staff: StaffConsole, signed_in: SignedIn
) -> None:
    staff.handle({"action": "unlock", "license_number": LICENSE})
    assert domain.sessions.authenticate(signed_in.session.token).license_number == LICENSE


def test_given_a_policy_within_30_days_when_viewing_the_dashboard_then_expiring_soon(
    domain: Domain, clock: MovableClock, seed_contractor: Callable[..., Contractor]
) -> None:
    clock.set(datetime(2027, 6, 10, 18, 0, tzinfo=UTC))
    seed_contractor()
    result = domain.signin.sign_in(LICENSE, PASSWORD)
    assert isinstance(result, SignedIn)

    dashboard = dashboard_view(domain.own_account.dashboard(result.session.token))

    assert dashboard.workers_comp is not None
    assert dashboard.workers_comp.status == "expiring_soon"
    body = dashboard.model_dump_json()
    assert "argon2" not in body
    assert "hash" not in body
    assert dashboard.account_status == "active"
