"""Sign-in: credentials, identical failures, progressive lockout, rehash on login."""

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import argon2
import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import InvalidCredentials
from contractor_accounts.domain.lockout import locked_until
from contractor_accounts.domain.policy import lockout_delay
from contractor_accounts.domain.results import SignedIn
from contractor_accounts.http.schemas import SignInRequest
from contractor_accounts.http.staff_events import StaffConsole
from contractor_accounts.ports.store import ConflictingWrite

from tests.support.clock import MovableClock
from tests.support.samples import LICENSE, NEW_PASSWORD, PASSWORD
from tests.unit.helpers import Domain

from .fakes import InMemoryContractorStore

Seed = Callable[..., Contractor]


def fail(domain: Domain, times: int, attempt: str = "wrong wrong wrong wrong") -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            domain.signin.sign_in(LICENSE, attempt)


def test_given_the_right_password_when_signing_in_then_a_new_session(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()

    result = domain.signin.sign_in(LICENSE, PASSWORD)

    assert isinstance(result, SignedIn)
    assert result.contractor.business_name == "Sunset Builders Inc"
    assert store.tokens[result.session.record.token_hash].kind == "session"
    assert store.contractors[LICENSE].last_login_at == clock.now()
    assert len(result.session.token) == 43


def test_given_a_license_typed_with_spaces_and_hyphens_when_signing_in_then_same_account(
    domain: Domain, seed_contractor: Seed
) -> None:
    seed_contractor()
    request = SignInRequest(license_number=" 12-34 567 ", password=PASSWORD)

    assert isinstance(domain.signin.sign_in(request.license_number, request.password), SignedIn)


def test_given_two_sign_ins_when_signing_in_then_each_gets_its_own_session(
    domain: Domain, seed_contractor: Seed
) -> None:
    seed_contractor()
    first = domain.signin.sign_in(LICENSE, PASSWORD)
    second = domain.signin.sign_in(LICENSE, PASSWORD)
    assert isinstance(first, SignedIn)
    assert isinstance(second, SignedIn)
    assert first.session.token != second.session.token


@pytest.mark.real_hasher
@pytest.mark.parametrize("case", ["wrong_password", "unknown", "disabled", "locked", "no_password_yet"])
def test_given_any_failure_when_signing_in_then_the_same_invalid_credentials_after_one_verification(
    domain: Domain,
    store: InMemoryContractorStore,
    clock: MovableClock,
    seed_contractor: Seed,
    verifications: list[str],
    case: str,
) -> None:
    license_number, password = LICENSE, PASSWORD
    if case == "wrong_password":
        seed_contractor()
        password = NEW_PASSWORD
    elif case == "unknown":
        license_number = "7654321"
    elif case == "disabled":
        seed_contractor(account_status="disabled")
    elif case == "locked":
        seed_contractor(failed_login_count=5, last_failed_login_at=clock.now())
    else:
        seed_contractor(password_hash=None, password_state="none", created_by="staff_import")

    with pytest.raises(InvalidCredentials) as refused:
        domain.signin.sign_in(license_number, password)

    assert (refused.value.status, refused.value.code, refused.value.message, refused.value.fields) == (
        401,
        "invalid_credentials",
        InvalidCredentials.default_message,
        None,
    )
    assert len(verifications) == 1
    assert store.tokens == {}
    assert "7654321" not in store.contractors


def test_given_a_wrong_password_when_signing_in_then_the_failure_is_counted(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()
    fail(domain, 2)
    assert store.contractors[LICENSE].failed_login_count == 2
    assert store.contractors[LICENSE].last_failed_login_at == clock.now()


@pytest.mark.parametrize(
    ("failures", "delay"),
    [
        (0, timedelta(0)),
        (4, timedelta(0)),
        (5, timedelta(seconds=1)),
        (6, timedelta(seconds=2)),
        (7, timedelta(seconds=4)),
        (14, timedelta(seconds=512)),
        (15, timedelta(minutes=15)),
        (40, timedelta(minutes=15)),
        (10**9, timedelta(minutes=15)),
    ],
)
def test_given_n_failures_then_the_lockout_delay_is_2_to_the_n_minus_5_seconds_capped(
    failures: int, delay: timedelta
) -> None:
    assert lockout_delay(failures) == delay


def test_given_four_failures_when_the_right_password_comes_then_signed_in_and_count_reset(
    domain: Domain, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()
    fail(domain, 4)

    assert isinstance(domain.signin.sign_in(LICENSE, PASSWORD), SignedIn)
    assert store.contractors[LICENSE].failed_login_count == 0
    assert locked_until(store.contractors[LICENSE]) is None


def test_given_five_failures_when_the_right_password_comes_within_a_second_then_refused_and_not_counted(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()
    fail(domain, 5)
    fifth_at = clock.now()
    clock.advance(milliseconds=900)

    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, PASSWORD)

    # Contract v2: an attempt during the lock is neither counted nor extends it.
    assert store.contractors[LICENSE].failed_login_count == 5
    assert store.contractors[LICENSE].last_failed_login_at == fifth_at
    assert store.tokens == {}


def test_given_a_lockout_when_the_delay_has_passed_then_the_right_password_works_and_the_count_resets(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()
    fail(domain, 5)
    clock.advance(seconds=1)

    assert isinstance(domain.signin.sign_in(LICENSE, PASSWORD), SignedIn)
    assert store.contractors[LICENSE].failed_login_count == 0


def test_given_repeated_lockouts_then_the_delay_doubles_from_the_last_counted_failure(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()
    fail(domain, 5)
    clock.advance(seconds=1)
    fail(domain, 1)  # 6th failure (a wrong password, after the 1 s delay): next delay is 2 s
    clock.advance(seconds=2)
    fail(domain, 1)  # 7th, the moment the 2 s ended: next delay is 4 s
    clock.advance(milliseconds=3999)
    fail(domain, 3, PASSWORD)  # refused inside 4 s even with the right password, and not counted
    assert store.contractors[LICENSE].failed_login_count == 7
    clock.advance(milliseconds=1)

    assert isinstance(domain.signin.sign_in(LICENSE, PASSWORD), SignedIn)


def test_given_a_lock_when_a_stranger_keeps_trying_inside_it_then_it_still_ends_on_time(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed
) -> None:
    # The perpetual lockout of contract v1: refused attempts extended the lock for ever.
    seed_contractor(failed_login_count=30, last_failed_login_at=clock.now())
    for _ in range(14):
        clock.advance(minutes=1)
        fail(domain, 1)
    clock.advance(minutes=1)

    assert isinstance(domain.signin.sign_in(LICENSE, PASSWORD), SignedIn)


def test_given_many_failures_when_just_under_15_minutes_have_passed_then_still_refused(
    domain: Domain, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor(failed_login_count=30, last_failed_login_at=clock.now() - timedelta(minutes=14, seconds=59))

    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, PASSWORD)


def test_given_many_failures_when_15_minutes_have_passed_then_the_right_password_works(
    domain: Domain, clock: MovableClock, seed_contractor: Seed
) -> None:
    # Never a permanent lockout: the delay is capped at 15 minutes however many failures.
    seed_contractor(failed_login_count=1000, last_failed_login_at=clock.now() - timedelta(minutes=15))

    assert isinstance(domain.signin.sign_in(LICENSE, PASSWORD), SignedIn)


def test_given_a_locked_account_when_staff_unlock_it_then_the_right_password_works_at_once(
    domain: Domain, staff: StaffConsole, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()
    fail(domain, 7)

    assert staff.handle({"action": "unlock", "license_number": LICENSE})["ok"] is True
    assert store.contractors[LICENSE].failed_login_count == 0

    assert isinstance(domain.signin.sign_in(LICENSE, PASSWORD), SignedIn)


@pytest.mark.real_hasher
def test_given_a_hash_with_old_parameters_when_signing_in_then_rehashed_with_the_current_ones(
    domain: Domain, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    old = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=argon2.Type.ID).hash(PASSWORD)
    seed_contractor(password_hash=old)

    assert isinstance(domain.signin.sign_in(LICENSE, PASSWORD), SignedIn)

    rehashed = store.contractors[LICENSE].password_hash
    assert rehashed is not None
    assert rehashed != old
    assert rehashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert domain.hasher.verify_password(rehashed, PASSWORD)


def test_given_a_hash_with_current_parameters_when_signing_in_then_not_rewritten(
    domain: Domain, store: InMemoryContractorStore, seed_contractor: Seed, password_hash: str
) -> None:
    seed_contractor()
    domain.signin.sign_in(LICENSE, PASSWORD)
    assert store.contractors[LICENSE].password_hash == password_hash


def test_given_the_account_changes_while_signing_in_then_invalid_credentials_and_no_session(
    domain: Domain, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    changed = replace(seed_contractor(), password_hash="$argon2id$changed meanwhile")
    store.fail_on["start_session"] = ConflictingWrite("ConditionalCheckFailed", changed)

    with pytest.raises(InvalidCredentials):
        domain.signin.sign_in(LICENSE, PASSWORD)

    assert store.tokens == {}
