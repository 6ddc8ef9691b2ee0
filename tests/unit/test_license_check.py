"""Registration against the state board's list (``StateLicenseCheck``, contract v3), and the
registration page's early check (``POST /contractors/check``), which answers what registering
would meet."""

from collections.abc import Callable
from datetime import date

import pytest
from contractor_accounts.domain.errors import (
    DomainError,
    LicenseAlreadyRegistered,
    LicenseNotActive,
    LicenseNotFound,
    LicenseOnFile,
)
from contractor_accounts.domain.requests import NewAccount
from contractor_accounts.http.views import contractor_view
from contractor_accounts.settings import Settings

from tests.support.licenses import board_record, loaded
from tests.support.samples import LICENSE
from tests.unit.helpers import Domain

from .fakes import InMemoryContractorStore, InMemoryLicenseChecks, settings

Register = Callable[..., NewAccount]
EXPIRED = board_record(expires_on=date(2026, 2, 28))
SUSPENDED = board_record(primary_status="SUSPENDED")


@pytest.fixture
def app_settings(request: pytest.FixtureRequest) -> Settings:
    return settings({"STATE_LICENSE_CHECK": getattr(request, "param", "review")})


def checked(mode: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("app_settings", [mode], indirect=True)


def registered_status(store: InMemoryContractorStore) -> str:
    return contractor_view(store.contractors[LICENSE], date(2026, 3, 2)).account_status


@checked("review")
def test_review_an_active_license_registers_as_usual(
    domain: Domain, store: InMemoryContractorStore, license_checks: InMemoryLicenseChecks, make_registration: Register
) -> None:
    loaded(license_checks, board_record())
    domain.registration.register(make_registration())
    assert registered_status(store) == "active"
    assert store.pending == {}


@pytest.mark.parametrize("app_settings", ["review", "required"], indirect=True)
@pytest.mark.parametrize("record", [EXPIRED, SUSPENDED, board_record(primary_status="NOT LISTED", expires_on=None)])
def test_a_listed_license_not_active_is_refused_naming_the_board_and_its_phone(
    domain: Domain,
    store: InMemoryContractorStore,
    license_checks: InMemoryLicenseChecks,
    make_registration: Register,
    record: object,
) -> None:
    loaded(license_checks, record)  # type: ignore[arg-type]
    with pytest.raises(LicenseNotActive) as refused:
        domain.registration.register(make_registration())
    assert refused.value.status == 422
    assert "CSLB" in refused.value.message and "1-800-321-2752" in refused.value.message
    assert set(refused.value.fields or {}) == {"license_number"}
    assert store.contractors == {}


@checked("review")
def test_review_a_license_the_list_lacks_registers_pending_review_on_the_pending_list(
    domain: Domain, store: InMemoryContractorStore, license_checks: InMemoryLicenseChecks, make_registration: Register
) -> None:
    loaded(license_checks, board_record("7654321"))
    domain.registration.register(make_registration())
    assert registered_status(store) == "pending_review"
    assert [number for (_, number) in store.pending] == [LICENSE]


@checked("required")
def test_required_a_license_the_list_lacks_is_refused(
    domain: Domain, store: InMemoryContractorStore, license_checks: InMemoryLicenseChecks, make_registration: Register
) -> None:
    loaded(license_checks, board_record("7654321"))
    with pytest.raises(LicenseNotFound) as refused:
        domain.registration.register(make_registration())
    assert refused.value.status == 422 and set(refused.value.fields or {}) == {"license_number"}
    assert store.contractors == {}


@checked("off")
def test_off_nothing_is_checked_nor_read(
    domain: Domain, store: InMemoryContractorStore, license_checks: InMemoryLicenseChecks, make_registration: Register
) -> None:
    loaded(license_checks, SUSPENDED)
    domain.registration.register(make_registration())
    assert registered_status(store) == "active"
    assert license_checks.calls == []


@pytest.mark.parametrize("app_settings", ["review", "required"], indirect=True)
def test_before_a_first_list_is_loaded_nothing_is_checked(
    domain: Domain, store: InMemoryContractorStore, make_registration: Register
) -> None:
    domain.registration.register(make_registration())
    assert registered_status(store) == "active"


@pytest.mark.parametrize("app_settings", ["review", "required"], indirect=True)
@pytest.mark.parametrize(("password_state", "refusal"), [("set", LicenseAlreadyRegistered), ("none", LicenseOnFile)])
def test_the_409s_come_first_and_nothing_is_hashed(
    domain: Domain,
    store: InMemoryContractorStore,
    license_checks: InMemoryLicenseChecks,
    make_registration: Register,
    seed_contractor: Callable[..., object],
    password_state: str,
    refusal: type[DomainError],
) -> None:
    seed_contractor(password_state=password_state)
    loaded(license_checks, SUSPENDED)
    hashed = []
    domain.hasher.hash_password = lambda password: hashed.append(password) or "x"  # type: ignore[method-assign]
    with pytest.raises(refusal):
        domain.registration.register(make_registration())
    assert hashed == []
    assert "create_contractor" not in store.calls


@pytest.mark.parametrize(
    ("app_settings", "setup", "status"),
    [
        ("review", "active", "available"),
        ("review", "registered", "registered"),
        ("review", "on_file", "on_file"),
        ("review", "suspended", "not_active"),
        ("review", "absent", "not_found"),
        ("required", "absent", "not_found"),
        ("review", "no_list", "available"),
        ("off", "suspended", "available"),
        ("off", "registered", "registered"),
    ],
    indirect=["app_settings"],
)
def test_the_early_check_says_what_registering_would_meet(
    domain: Domain,
    license_checks: InMemoryLicenseChecks,
    seed_contractor: Callable[..., object],
    setup: str,
    status: str,
) -> None:
    if setup in ("registered", "on_file"):
        seed_contractor(password_state="set" if setup == "registered" else "none")
    if setup != "no_list":
        loaded(license_checks, *{"suspended": [SUSPENDED], "absent": [], "active": [board_record()]}.get(setup, []))
    assert domain.registration.check(LICENSE) == status
