"""Trusted devices (OWASP device cookies): a browser the contractor signed in from is judged
by its own failures, so a stranger hammering the license cannot lock it out."""

from collections.abc import Callable

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import InvalidCredentials
from contractor_accounts.domain.policy import DEVICE_MAX_FAILURES, DEVICE_TOKEN_DAYS, MAX_TRUSTED_DEVICES
from contractor_accounts.domain.results import ChallengeIssued, SignedIn
from contractor_accounts.domain.tokens import token_hash
from contractor_accounts.http.schemas import ChallengeResetRequest
from contractor_accounts.http.staff_events import StaffConsole

from tests.support.clock import MovableClock
from tests.support.samples import LICENSE, NEW_PASSWORD, PASSWORD, QUESTION
from tests.unit.helpers import Domain

from .fakes import FakeMailer, InMemoryContractorStore
from .helpers import request_link, reset

Seed = Callable[..., Contractor]
WRONG = "wrong wrong wrong wrong"


def signed_in(domain: Domain, password: str = PASSWORD, device_token: str | None = None) -> SignedIn:
    result = domain.signin.sign_in(LICENSE, password, device_token=device_token)
    assert isinstance(result, SignedIn)
    return result


def refused(domain: Domain, password: str = WRONG, device_token: str | None = None, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            domain.signin.sign_in(LICENSE, password, device_token=device_token)


def device_hashes(store: InMemoryContractorStore) -> list[str]:
    return [device.token_hash for device in store.contractors[LICENSE].trusted_devices]


def test_given_a_sign_in_without_a_device_token_then_a_new_one_is_kept_as_a_hash(
    domain: Domain, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()

    result = signed_in(domain)

    assert result.device_token is not None
    assert len(result.device_token) == 43  # 256 bits, URL-safe
    assert device_hashes(store) == [token_hash(result.device_token)]


def test_given_a_live_device_token_then_the_same_one_comes_back(
    domain: Domain, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()
    device_token = signed_in(domain).device_token

    assert signed_in(domain, device_token=device_token).device_token == device_token
    assert len(device_hashes(store)) == 1


def test_given_a_stranger_locked_the_account_then_the_trusted_device_still_gets_in(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()
    device_token = signed_in(domain).device_token
    refused(domain, times=30)
    clock.advance(seconds=0.5)
    refused(domain, PASSWORD)  # a browser without the token is held by the lock

    assert signed_in(domain, device_token=device_token).device_token == device_token
    # The stranger's failures are still the account's: a device success does not hand out new guesses
    assert store.contractors[LICENSE].failed_login_count == 5


def test_given_five_failures_through_a_device_token_then_it_is_revoked(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()
    device_token = signed_in(domain).device_token
    refused(domain, device_token=device_token, times=DEVICE_MAX_FAILURES)
    # The account's count is untouched by the device's failures
    assert store.contractors[LICENSE].failed_login_count == 0

    # Then the token is dead: the next attempt is judged by the account (and counted there)
    result = signed_in(domain, device_token=device_token)
    assert result.device_token != device_token
    refused(domain, device_token=device_token, times=5)
    assert store.contractors[LICENSE].failed_login_count == 5
    refused(domain, PASSWORD, device_token=device_token)  # locked, and the dead token does not help


def test_given_fewer_than_five_failures_then_a_device_success_clears_them(
    domain: Domain, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()
    device_token = signed_in(domain).device_token
    refused(domain, device_token=device_token, times=DEVICE_MAX_FAILURES - 1)
    signed_in(domain, device_token=device_token)
    refused(domain, device_token=device_token, times=DEVICE_MAX_FAILURES - 1)

    assert signed_in(domain, device_token=device_token).device_token == device_token


def test_given_a_device_token_older_than_its_lifetime_then_a_new_one(
    domain: Domain, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()
    device_token = signed_in(domain).device_token
    clock.advance(days=DEVICE_TOKEN_DAYS, seconds=-1)
    assert signed_in(domain, device_token=device_token).device_token == device_token
    clock.advance(seconds=1)

    assert signed_in(domain, device_token=device_token).device_token != device_token


def test_given_another_accounts_device_token_then_it_is_no_use_here(
    domain: Domain, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor(license_number="7654321")
    other = domain.signin.sign_in("7654321", PASSWORD)
    assert isinstance(other, SignedIn)
    seed_contractor()
    refused(domain, times=5)

    refused(domain, PASSWORD, device_token=other.device_token)


def test_given_ten_devices_when_an_eleventh_signs_in_then_the_oldest_is_pushed_out(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, seed_contractor: Seed
) -> None:
    seed_contractor()
    tokens = []
    for _ in range(MAX_TRUSTED_DEVICES + 1):
        tokens.append(signed_in(domain).device_token)
        clock.advance(minutes=1)

    assert len(device_hashes(store)) == MAX_TRUSTED_DEVICES
    assert token_hash(str(tokens[0])) not in device_hashes(store)
    assert signed_in(domain, device_token=tokens[0]).device_token != tokens[0]
    assert signed_in(domain, device_token=tokens[2]).device_token == tokens[2]


@pytest.mark.parametrize("ended_by", ["password_reset", "temporary_password", "disable"])
def test_device_tokens_end_with_a_password_reset_a_temporary_password_and_a_disable(
    domain: Domain,
    staff: StaffConsole,
    mailer: FakeMailer,
    store: InMemoryContractorStore,
    clock: MovableClock,
    seed_contractor: Seed,
    ended_by: str,
) -> None:
    seed_contractor()
    device_token = signed_in(domain).device_token
    password = PASSWORD
    kept: tuple[str, ...] = ()
    if ended_by == "password_reset":
        # The browser that reset becomes the one trusted device (contract v3); the others end.
        done = domain.recovery.reset_with_token(reset(request_link(domain, mailer)))
        kept = (token_hash(done.device_token),)
        password = NEW_PASSWORD
    elif ended_by == "temporary_password":
        staff.handle({"action": "issue_temporary_password", "license_number": LICENSE})
    else:
        staff.handle({"action": "disable", "license_number": LICENSE})
        staff.handle({"action": "enable", "license_number": LICENSE})

    assert tuple(device.token_hash for device in store.contractors[LICENSE].trusted_devices) == kept
    # Then the old token is judged like no token at all: by the account's lock
    refused(domain, times=5)
    refused(domain, password, device_token=device_token)


def test_given_save_and_login_then_that_browser_is_the_only_trusted_device(
    domain: Domain, staff: StaffConsole, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()
    older = signed_in(domain).device_token
    temporary = staff.handle({"action": "issue_temporary_password", "license_number": LICENSE})["temporary_password"]
    challenge = domain.signin.sign_in(LICENSE, temporary)

    assert isinstance(challenge, ChallengeIssued)
    result = domain.first_sign_in.complete_first_sign_in(
        ChallengeResetRequest(
            challenge_token=challenge.challenge.token,
            new_password=NEW_PASSWORD,
            security_question=QUESTION,
            security_answer="a new answer",
        ).to_domain()
    )

    assert result.device_token is not None
    assert device_hashes(store) == [token_hash(result.device_token)]
    assert signed_in(domain, NEW_PASSWORD, device_token=result.device_token).device_token == result.device_token
    assert signed_in(domain, NEW_PASSWORD, device_token=older).device_token != older


def test_given_a_device_token_that_is_not_token_shaped_then_it_is_ignored(
    domain: Domain, store: InMemoryContractorStore, seed_contractor: Seed
) -> None:
    seed_contractor()
    assert signed_in(domain, device_token="not a token").device_token != "not a token"
    assert "claim_device_attempt" not in store.calls
