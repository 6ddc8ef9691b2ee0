"""Fixtures of the domain unit tests: the fakes wired into the real domain objects."""

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import argon2
import pytest
from contractor_accounts.adapters.argon2_hasher import PasswordHasher
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.requests import NewAccount
from contractor_accounts.domain.results import SignedIn
from contractor_accounts.domain.values import MailingAddress, WorkersCompPolicy
from contractor_accounts.http.schemas import RegistrationRequest
from contractor_accounts.http.staff_events import StaffConsole
from contractor_accounts.observability import metrics
from contractor_accounts.ports.hasher import Hasher
from contractor_accounts.settings import EmailSettings, PortalSettings, Settings
from contractor_accounts.steps.confirmation_links import ConfirmationLinks
from contractor_accounts.steps.sessions import Sessions
from contractor_accounts.use_cases.account_credentials import AccountCredentials
from contractor_accounts.use_cases.email_verification import EmailVerification
from contractor_accounts.use_cases.first_sign_in import FirstSignIn
from contractor_accounts.use_cases.own_account import OwnAccount
from contractor_accounts.use_cases.password_reset import PasswordReset
from contractor_accounts.use_cases.pending_reviews import PendingReviews
from contractor_accounts.use_cases.registration import Registration
from contractor_accounts.use_cases.reminders import WorkersCompReminders
from contractor_accounts.use_cases.reset_links import ResetLinks
from contractor_accounts.use_cases.sign_in import SignIn
from contractor_accounts.use_cases.staff_desk import StaffDesk

from tests.support.clock import MovableClock
from tests.support.samples import (
    ANSWER,
    BUSINESS_NAME,
    EMAIL,
    LICENSE,
    MAILING_ADDRESS,
    PASSWORD,
    QUESTION,
    WORKERS_COMP,
    registration_body,
)
from tests.unit.fakes import (
    SETTINGS_ENV,
    START,
    FakeMailer,
    FastHasher,
    InMemoryContractorStore,
    InMemoryLicenseChecks,
    InMemoryReminderLog,
    InMemoryRequestCounters,
    email_settings,
    settings,
)
from tests.unit.helpers import Domain


@pytest.fixture(autouse=True)
def _no_metrics_left_over() -> Iterator[None]:
    """Powertools flushes (and needs a namespace) after 100 values of one metric; the Lambda
    handlers flush per invocation, the unit tests clear instead."""
    metrics.clear_metrics()
    yield
    metrics.clear_metrics()


_REAL_HASHES: dict[tuple[str, str], str] = {}


@pytest.fixture
def hasher(request: pytest.FixtureRequest) -> Hasher:
    """A cheap stand-in for argon2 (the use cases are judged, not the hash); tests marked
    ``real_hasher`` get argon2id at the contract's parameters."""
    return PasswordHasher() if request.node.get_closest_marker("real_hasher") else FastHasher()


def _hash_once(hasher: Hasher, secret: str, how: str) -> str:
    if isinstance(hasher, FastHasher):
        return hasher.hash_password(secret) if how == "password" else hasher.hash_answer(secret)
    if (how, secret) not in _REAL_HASHES:  # argon2 costs ~40 ms: once per run
        _REAL_HASHES[how, secret] = hasher.hash_password(secret) if how == "password" else hasher.hash_answer(secret)
    return _REAL_HASHES[how, secret]


@pytest.fixture
def password_hash(hasher: Hasher) -> str:
    return _hash_once(hasher, PASSWORD, "password")


@pytest.fixture
def answer_hash(hasher: Hasher) -> str:
    return _hash_once(hasher, ANSWER, "answer")


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture
def store() -> InMemoryContractorStore:
    return InMemoryContractorStore()


@pytest.fixture
def request_counters() -> InMemoryRequestCounters:
    return InMemoryRequestCounters()


@pytest.fixture
def mailer() -> FakeMailer:
    return FakeMailer()


@pytest.fixture
def reminder_log() -> InMemoryReminderLog:
    return InMemoryReminderLog()


@pytest.fixture
def app_settings() -> Settings:
    return settings()


@pytest.fixture
def mail_settings() -> EmailSettings:
    return email_settings()


@pytest.fixture
def license_checks(store: InMemoryContractorStore) -> InMemoryLicenseChecks:
    """The state board's list (none loaded until a test loads one: tests/support/licenses.py)."""
    return InMemoryLicenseChecks(store=store)


@pytest.fixture
def domain(
    license_checks: InMemoryLicenseChecks,
    store: InMemoryContractorStore,
    request_counters: InMemoryRequestCounters,
    reminder_log: InMemoryReminderLog,
    clock: MovableClock,
    mailer: FakeMailer,
    hasher: Hasher,
    app_settings: Settings,
    mail_settings: EmailSettings,
) -> Domain:
    sessions = Sessions(store, clock, app_settings)
    links = ConfirmationLinks(store, clock, mailer, app_settings, mail_settings)
    return Domain(
        signin=SignIn(store, request_counters, clock, hasher, app_settings),
        sessions=sessions,
        registration=Registration(store, request_counters, clock, hasher, app_settings, links, license_checks),
        own_account=OwnAccount(sessions, store, clock, app_settings, links, license_checks),
        credentials=AccountCredentials(sessions, store, clock, hasher, app_settings, links),
        verification=EmailVerification(store, clock),
        links=links,
        reminders=WorkersCompReminders(
            store, reminder_log, clock, mailer, app_settings, license_checks, PortalSettings.from_env(SETTINGS_ENV)
        ),
        reset_links=ResetLinks(store, clock, mailer, app_settings, mail_settings),
        recovery=PasswordReset(store, clock, hasher, app_settings),
        first_sign_in=FirstSignIn(store, clock, hasher, app_settings),
        hasher=hasher,
    )


@pytest.fixture
def staff(
    store: InMemoryContractorStore,
    license_checks: InMemoryLicenseChecks,
    clock: MovableClock,
    mailer: FakeMailer,
    hasher: Hasher,
    app_settings: Settings,
) -> StaffConsole:
    return StaffConsole(
        StaffDesk(store, clock, hasher, app_settings),
        PendingReviews(store, license_checks, clock, mailer, app_settings, PortalSettings.from_env(SETTINGS_ENV)),
    )


@pytest.fixture
def make_registration() -> Callable[..., NewAccount]:
    """A valid registration (validated by the API schema); keyword arguments replace fields."""

    def build(**overrides: Any) -> NewAccount:
        return RegistrationRequest.model_validate(registration_body(**overrides)).to_domain()

    return build


@pytest.fixture
def seed_contractor(
    store: InMemoryContractorStore, clock: MovableClock, password_hash: str, answer_hash: str
) -> Callable[..., Contractor]:
    """Puts a registered account (password PASSWORD, answer ANSWER) straight into the store,
    without paying for argon2; keyword arguments replace fields."""

    def seed(**overrides: Any) -> Contractor:
        contractor = Contractor(
            license_number=LICENSE,
            business_name=BUSINESS_NAME,
            created_at=clock.now() - timedelta(days=30),
            created_by="self_registration",
            contact_name="Maria Lopez",
            email=EMAIL,
            phone="323-555-0100",
            mailing_address=MailingAddress(**MAILING_ADDRESS),
            workers_comp=WorkersCompPolicy(
                WORKERS_COMP["carrier"], WORKERS_COMP["policy_number"], date.fromisoformat(WORKERS_COMP["expires_on"])
            ),
            security_question=QUESTION,
            security_answer_hash=answer_hash,
            password_hash=password_hash,
            password_state="set",
            password_changed_at=clock.now() - timedelta(days=30),
            email_verified=True,
        )
        return store.put(replace(contractor, **overrides))

    return seed


@pytest.fixture
def signed_in(domain: Domain, seed_contractor: Callable[..., Contractor]) -> SignedIn:
    """A registered account with a fresh session."""
    seed_contractor()
    result = domain.signin.sign_in(LICENSE, PASSWORD)
    assert isinstance(result, SignedIn)
    return result


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts every argon2 verification (the hash each was made against)."""
    calls: list[str] = []
    original = argon2.PasswordHasher.verify

    def counting(self: argon2.PasswordHasher, hash: str | bytes, password: str | bytes) -> Any:
        calls.append(str(hash))
        return original(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting)
    return calls
