"""Registration: a new contractor sets up an account and is signed in."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import (
    LicenseAlreadyRegistered,
    LicenseOnFile,
    ServiceUnavailable,
    ValidationFailed,
)
from contractor_accounts.domain.tokens import token_hash
from contractor_accounts.domain.values import WorkersCompExempt, WorkersCompPolicy
from contractor_accounts.http.schemas import RegistrationRequest
from contractor_accounts.ports.store import ConflictingWrite

from tests.support.clock import MovableClock
from tests.support.samples import ANSWER, LICENSE, PASSWORD, QUESTION
from tests.unit.helpers import Domain

from .fakes import InMemoryContractorStore

Register = Callable[..., RegistrationRequest]


def test_given_a_valid_request_when_registering_then_the_account_and_a_session_exist(
    domain: Domain, store: InMemoryContractorStore, clock: MovableClock, make_registration: Register
) -> None:
    result = domain.registration.register(make_registration())

    stored = store.contractors[LICENSE]
    assert stored.password_state == "set"
    assert stored.created_by == "self_registration"
    assert stored.security_question == QUESTION
    assert stored.workers_comp == WorkersCompPolicy("State Fund", "WC-123456", date(2027, 6, 30))
    assert result.contractor.license_number == LICENSE
    # The session is live, kept only as its SHA-256 hash, and lasts 8 hours at most.
    assert result.session.token not in store.tokens
    assert store.tokens[token_hash(result.session.token)].kind == "session"
    assert result.session.record.expires_at == clock.now() + timedelta(hours=8)
    assert domain.sessions.authenticate(result.session.token).license_number == LICENSE
    assert [entry.action for entry in store.history(LICENSE, 10)] == ["account_registered"]


@pytest.mark.real_hasher
def test_given_registration_when_stored_then_no_plaintext_password_answer_or_token(
    domain: Domain, store: InMemoryContractorStore, make_registration: Register
) -> None:
    result = domain.registration.register(make_registration())

    everything = repr(store.contractors) + repr(store.tokens) + repr(store.audit)
    for secret in (PASSWORD, ANSWER, ANSWER.lower(), "misterwhiskers", result.session.token):
        assert secret not in everything
    stored = store.contractors[LICENSE]
    assert stored.password_hash is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert stored.security_answer_hash is not None
    assert stored.security_answer_hash.startswith("$argon2id$")
    assert domain.hasher.verify_answer(stored.security_answer_hash, "MISTER whiskers")


def test_given_a_registered_license_when_registering_again_with_another_spelling_then_already_registered(
    domain: Domain,
    store: InMemoryContractorStore,
    seed_contractor: Callable[..., Contractor],
    make_registration: Register,
) -> None:
    original = seed_contractor()

    with pytest.raises(LicenseAlreadyRegistered) as refused:
        domain.registration.register(make_registration(license_number=" 123-45 67 "))

    assert refused.value.code == "license_already_registered"
    assert store.contractors[LICENSE] == original  # never overwritten
    assert store.tokens == {}


@pytest.mark.parametrize("state", ["none", "temporary"])
def test_given_a_license_imported_by_staff_when_registering_then_license_on_file_with_the_staff_phone(
    domain: Domain,
    store: InMemoryContractorStore,
    seed_contractor: Callable[..., Contractor],
    make_registration: Register,
    state: str,
) -> None:
    imported = seed_contractor(
        created_by="staff_import",
        password_hash=None if state == "none" else "$argon2id$v=19$m=19456,t=2,p=1$x$y",
        password_state=state,
        security_question=None,
        security_answer_hash=None,
    )

    with pytest.raises(LicenseOnFile) as refused:
        domain.registration.register(make_registration())

    assert refused.value.code == "license_on_file"
    assert "(323) 848-6475" in refused.value.message
    assert store.contractors[LICENSE] == imported
    assert store.tokens == {}


def test_given_a_policy_expiring_today_in_los_angeles_when_utc_is_already_tomorrow_then_accepted(
    domain: Domain, clock: MovableClock, store: InMemoryContractorStore, make_registration: Register
) -> None:
    # 2026-07-01T05:00Z is 22:00 on June 30 in Los Angeles (PDT, UTC-7).
    clock.set(datetime(2026, 7, 1, 5, 0, tzinfo=UTC))
    request = make_registration(
        workers_comp={"carrier": "State Fund", "policy_number": "WC-1", "expires_on": "2026-06-30"}
    )

    domain.registration.register(request)

    assert LICENSE in store.contractors


def test_given_a_policy_that_expired_yesterday_in_los_angeles_when_registering_then_refused_on_its_field(
    domain: Domain, clock: MovableClock, store: InMemoryContractorStore, make_registration: Register
) -> None:
    # 2026-07-01T07:00Z is midnight of July 1 in Los Angeles.
    clock.set(datetime(2026, 7, 1, 7, 0, tzinfo=UTC))
    request = make_registration(
        workers_comp={"carrier": "State Fund", "policy_number": "WC-1", "expires_on": "2026-06-30"}
    )

    with pytest.raises(ValidationFailed) as refused:
        domain.registration.register(request)

    assert refused.value.fields is not None
    assert list(refused.value.fields) == ["workers_comp.expires_on"]
    assert store.contractors == {}


def test_given_an_exempt_contractor_when_registering_then_accepted(
    domain: Domain, store: InMemoryContractorStore, make_registration: Register
) -> None:
    domain.registration.register(make_registration(workers_comp={"exempt": True}))

    assert store.contractors[LICENSE].workers_comp == WorkersCompExempt()


def test_given_the_store_loses_a_race_on_another_item_when_registering_then_service_unavailable(
    domain: Domain, store: InMemoryContractorStore, make_registration: Register
) -> None:
    store.fail_next = ConflictingWrite("TransactionConflict")

    with pytest.raises(ServiceUnavailable):
        domain.registration.register(make_registration())

    assert store.contractors == {}
    assert store.tokens == {}


def test_given_two_registrations_racing_when_the_second_lands_then_exactly_one_account(
    domain: Domain, store: InMemoryContractorStore, make_registration: Register
) -> None:
    first = domain.registration.register(make_registration())

    with pytest.raises(LicenseAlreadyRegistered):
        domain.registration.register(make_registration(business_name="Someone Else LLC"))

    assert store.contractors[LICENSE].business_name == "Sunset Builders Inc"
    # The first registration's session and its email link; nothing of the second.
    assert [token.kind for token in store.tokens.values()] == ["session", "verify"]
    assert first.session.record.token_hash in store.tokens
