"""Registration against the state board's list (``StateLicenseCheck``, contract v3), and the
registration page's early check (``POST /contractors/check``), which answers what registering
would meet."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from contractor_accounts.domain.errors import (
    DomainError,
    LicenseAlreadyRegistered,
    LicenseNotActive,
    LicenseNotFound,
    LicenseOnFile,
)
from contractor_accounts.domain.requests import NewAccount
from contractor_accounts.http.staff_events import StaffConsole
from contractor_accounts.http.views import contractor_view, dashboard_view
from contractor_accounts.settings import Settings

from tests.support.clock import MovableClock
from tests.support.licenses import board_record, loaded
from tests.support.samples import BUSINESS_NAME, LICENSE
from tests.unit.helpers import Domain

from .fakes import FakeMailer, InMemoryContractorStore, InMemoryLicenseChecks, settings

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
    assert "CSLB" in refused.value.message
    assert "1-800-321-2752" in refused.value.message
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
    assert refused.value.status == 422
    assert set(refused.value.fields or {}) == {"license_number"}
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


@checked("review")
def test_staff_list_pending_oldest_first_with_the_state_record_and_name_comparison_then_approve_emails(
    domain: Domain,
    staff: StaffConsole,
    store: InMemoryContractorStore,
    license_checks: InMemoryLicenseChecks,
    clock: MovableClock,
    mailer: FakeMailer,
    make_registration: Register,
) -> None:
    # Given two registrations the list lacked, and one RequireStaffApproval-like record the list has
    loaded(license_checks, board_record("5555555", business_name="OTHER NAME LLC"))
    domain.registration.register(make_registration(license_number="7654321"))
    clock.advance(timedelta(minutes=5))
    domain.registration.register(make_registration())
    # When staff list them
    pending = staff.handle({"action": "list_pending"})["pending"]
    # Then oldest first, each with the board's record (none here) and no name comparison to make
    assert [row["license_number"] for row in pending] == ["7654321", LICENSE]
    assert pending[0]["state_record"] is None
    assert pending[0]["business_name_matches_state"] is None
    # When staff approve one, it leaves the list and the contractor is emailed (system values only)
    mailer.sent.clear()
    assert staff.handle({"action": "approve", "license_number": "7654321"})["account_status"] == "active"
    assert [row["license_number"] for row in staff.handle({"action": "list_pending"})["pending"]] == [LICENSE]
    (email,) = mailer.sent
    assert "approved" in email.subject
    assert "http://localhost:8080/" in email.text
    assert BUSINESS_NAME not in email.text
    assert "Maria" not in email.text


@checked("review")
def test_staff_get_shows_the_state_record_beside_the_account_and_whether_the_names_match(
    staff: StaffConsole, license_checks: InMemoryLicenseChecks, seed_contractor: Callable[..., object]
) -> None:
    seed_contractor()
    before = staff.handle({"action": "get", "license_number": LICENSE})["contractor"]
    assert before["state_license_check"].startswith("not checked")
    loaded(license_checks, board_record(business_name="SUNSET BUILDERS, INC.", primary_status="SUSPENDED"))
    shown = staff.handle({"action": "get", "license_number": LICENSE})["contractor"]
    assert shown["business_name"] == BUSINESS_NAME
    assert shown["state_record"]["primary_status"] == "SUSPENDED"
    assert shown["state_record"]["status"] == "not_active"
    assert shown["business_name_matches_state"] is True
    assert shown["state_license"]["classifications"] == ["B", "C-10"]
    loaded(license_checks, board_record(business_name="SUNRISE ROOFING"))
    assert (
        staff.handle({"action": "get", "license_number": LICENSE})["contractor"]["business_name_matches_state"] is False
    )


def test_the_dashboard_carries_the_state_record(
    domain: Domain, license_checks: InMemoryLicenseChecks, make_registration: Register
) -> None:
    token = domain.registration.register(make_registration()).session.token
    assert dashboard_view(domain.own_account.dashboard(token)).state_license is None
    loaded(license_checks, board_record())
    shown = dashboard_view(domain.own_account.dashboard(token)).state_license
    assert shown is not None
    assert (shown.status, shown.expires_on, shown.classifications) == ("active", date(2028, 3, 31), ["B", "C-10"])
