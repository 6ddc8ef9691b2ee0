"""The fakes' own test helpers behave as the tests assume (failure injection, the clock, the
mailer, the settings). What the fake store honours is proved by tests/store/test_contract.py."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from contractor_accounts.mail import Email, EmailNotSent
from contractor_accounts.store import (
    AuditEntry,
    ConflictingWrite,
    Contractor,
    PasswordChange,
    TokenRecord,
)

from local_portal.parameters import LOCAL_WEB_ORIGINS

from .fakes import START, FakeClock, FakeMailer, InMemoryContractorStore, settings

NOW = START
LICENSE = "1234567"


def contractor(**overrides: object) -> Contractor:
    base = Contractor(
        license_number=LICENSE,
        business_name="Sunset Builders Inc",
        created_at=NOW,
        created_by="self_registration",
        password_hash="$argon2id$hash-1",
        password_state="set",
        security_question="q",
        security_answer_hash="$argon2id$answer",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def token(kind: str = "session", name: str = "t1", **overrides: object) -> TokenRecord:
    base = TokenRecord(
        token_hash=name,
        kind=kind,  # type: ignore[arg-type]
        license_number=LICENSE,
        session_generation=0,
        created_at=NOW,
        expires_at=NOW + timedelta(hours=1),
        last_seen_at=NOW if kind == "session" else None,
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def audit(action: str = "x", at: datetime = NOW) -> AuditEntry:
    return AuditEntry(LICENSE, action, "test", at)


def change(**overrides: object) -> PasswordChange:
    base = PasswordChange(
        license_number=LICENSE,
        expected_generation=0,
        consumed_token_hash="r1",
        consumed_token_kind="reset",
        password_hash="$argon2id$hash-2",
        at=NOW,
        audit=audit("password_reset_by_email"),
        expected_reset_token_hash="r1",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


@pytest.fixture
def store() -> InMemoryContractorStore:
    return InMemoryContractorStore()


def test_fail_next_fails_one_write_and_fail_on_one_call(store: InMemoryContractorStore) -> None:
    store.fail_next = ConflictingWrite("boom")
    assert store.get_contractor(LICENSE) is None  # reads are not writes
    with pytest.raises(ConflictingWrite):
        store.create_contractor(contractor(), None, None)
    store.create_contractor(contractor(), None, None)
    store.fail_on["get_contractor"] = RuntimeError("throttled")
    with pytest.raises(RuntimeError):
        store.get_contractor(LICENSE)
    assert store.get_contractor(LICENSE) is not None


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock()
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
    email = Email(to="a@b.example", subject="s", text="t", html="h")
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
