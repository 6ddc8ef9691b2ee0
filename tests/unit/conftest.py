"""Fixtures of the domain unit tests: the fakes wired into the real domain objects."""

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from contractor_accounts.accounts import Accounts, SignedIn
from contractor_accounts.models import RegistrationRequest
from contractor_accounts.observability import metrics
from contractor_accounts.passwords import PasswordHasher
from contractor_accounts.settings import EmailSettings, Settings
from contractor_accounts.staff import StaffDesk
from contractor_accounts.store import Contractor

from tests.samples import registration_body

from .fakes import FakeClock, FakeMailer, InMemoryContractorStore, email_settings, settings

LICENSE = "1234567"
PASSWORD = "vermilion otter jazz trombone"
NEW_PASSWORD = "copper kettle whistles at dawn"
QUESTION = "What was the name of your first pet?"
OTHER_QUESTION = "In what city was your first job?"
ANSWER = "Mister Whiskers"
EMAIL = "maria@sunsetbuilders.example"
BUSINESS_NAME = "Sunset Builders Inc"


def registration_data(**overrides: Any) -> dict[str, Any]:
    defaults = {
        "license_number": LICENSE,
        "password": PASSWORD,
        "security_question": QUESTION,
        "security_answer": ANSWER,
        "business_name": BUSINESS_NAME,
        "email": EMAIL,
    }
    return registration_body(**{**defaults, **overrides})


@pytest.fixture(autouse=True)
def _no_metrics_left_over() -> Iterator[None]:
    """Powertools flushes (and needs a namespace) after 100 values of one metric; the Lambda
    handlers flush per invocation, the unit tests clear instead."""
    metrics.clear_metrics()
    yield
    metrics.clear_metrics()


@pytest.fixture(scope="session")
def hasher() -> PasswordHasher:
    return PasswordHasher()


@pytest.fixture(scope="session")
def password_hash(hasher: PasswordHasher) -> str:
    """PASSWORD hashed once for the whole run (argon2 costs ~40 ms)."""
    return hasher.hash_password(PASSWORD)


@pytest.fixture(scope="session")
def answer_hash(hasher: PasswordHasher) -> str:
    return hasher.hash_answer(ANSWER)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> InMemoryContractorStore:
    return InMemoryContractorStore()


@pytest.fixture
def mailer() -> FakeMailer:
    return FakeMailer()


@pytest.fixture
def app_settings() -> Settings:
    return settings()


@pytest.fixture
def mail_settings() -> EmailSettings:
    return email_settings()


@pytest.fixture
def accounts(
    store: InMemoryContractorStore,
    clock: FakeClock,
    mailer: FakeMailer,
    hasher: PasswordHasher,
    app_settings: Settings,
    mail_settings: EmailSettings,
) -> Accounts:
    return Accounts(
        store=store,
        clock=clock,
        settings=app_settings,
        hasher=hasher,
        mailer=mailer,
        email_settings=mail_settings,
    )


@pytest.fixture
def staff(
    store: InMemoryContractorStore, clock: FakeClock, hasher: PasswordHasher, app_settings: Settings
) -> StaffDesk:
    return StaffDesk(store=store, clock=clock, settings=app_settings, hasher=hasher)


@pytest.fixture
def make_registration() -> Callable[..., RegistrationRequest]:
    """A valid RegistrationRequest; keyword arguments replace fields."""

    def build(**overrides: Any) -> RegistrationRequest:
        return RegistrationRequest.model_validate(registration_data(**overrides))

    return build


@pytest.fixture
def seed_contractor(
    store: InMemoryContractorStore, clock: FakeClock, password_hash: str, answer_hash: str
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
            mailing_address={
                "street": "8300 Santa Monica Blvd",
                "city": "West Hollywood",
                "state": "CA",
                "postal_code": "90069",
            },
            workers_comp={"carrier": "State Fund", "policy_number": "WC-123456", "expires_on": "2027-06-30"},
            security_question=QUESTION,
            security_answer_hash=answer_hash,
            password_hash=password_hash,
            password_state="set",
            password_changed_at=clock.now() - timedelta(days=30),
        )
        return store.put(replace(contractor, **overrides))

    return seed


@pytest.fixture
def signed_in(accounts: Accounts, seed_contractor: Callable[..., Contractor]) -> SignedIn:
    """A registered account with a fresh session."""
    seed_contractor()
    result = accounts.sign_in(LICENSE, PASSWORD)
    assert isinstance(result, SignedIn)
    return result
