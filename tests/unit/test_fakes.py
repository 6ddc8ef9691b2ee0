"""The in-memory store honours the conditions of the DynamoDB store (so the domain tests
mean something), and the fakes behave as the tests assume."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from contractor_accounts.mail import Email, EmailNotSent
from contractor_accounts.store import (
    AuditEntry,
    ConflictingWrite,
    Contractor,
    ContractorExists,
    PasswordChange,
    TokenRecord,
)

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


def test_create_never_overwrites(store: InMemoryContractorStore) -> None:
    first = contractor()
    store.create_contractor(first, token(), audit())

    with pytest.raises(ContractorExists) as exists:
        store.create_contractor(contractor(business_name="Other"), token(name="t2"), audit())

    assert exists.value.existing == first
    assert store.contractors[LICENSE] == first
    assert list(store.tokens) == ["t1"]
    assert len(store.audit) == 1


def test_record_failed_sign_in_counts_only_existing_accounts(store: InMemoryContractorStore) -> None:
    store.record_failed_sign_in("999", NOW)
    assert store.contractors == {}
    store.put(contractor())
    store.record_failed_sign_in(LICENSE, NOW)
    store.record_failed_sign_in(LICENSE, NOW + timedelta(seconds=1))
    assert store.contractors[LICENSE].failed_login_count == 2
    assert store.contractors[LICENSE].last_failed_login_at == NOW + timedelta(seconds=1)


@pytest.mark.parametrize(
    "changed",
    [{"session_generation": 1}, {"password_hash": "$argon2id$other"}, {"account_status": "disabled"}],
)
def test_start_session_refuses_an_account_changed_since_read(
    store: InMemoryContractorStore, changed: dict[str, object]
) -> None:
    read = store.put(contractor(failed_login_count=3))
    store.put(replace(read, **changed))  # type: ignore[arg-type]

    with pytest.raises(ConflictingWrite):
        store.start_session(read, token(), NOW, None)

    assert store.tokens == {}
    assert store.contractors[LICENSE].failed_login_count == 3


def test_start_session_resets_failures_and_may_rehash(store: InMemoryContractorStore) -> None:
    read = store.put(contractor(failed_login_count=3, last_failed_login_at=NOW))
    store.start_session(read, token(), NOW, "$argon2id$rehashed")
    stored = store.contractors[LICENSE]
    assert (stored.failed_login_count, stored.last_failed_login_at, stored.last_login_at) == (0, None, NOW)
    assert stored.password_hash == "$argon2id$rehashed"
    assert "t1" in store.tokens


def test_touch_session_only_live_sessions_and_moves_last_seen(store: InMemoryContractorStore) -> None:
    store.tokens["t1"] = token()
    store.tokens["c1"] = token("challenge", "c1")
    later = NOW + timedelta(minutes=10)

    assert store.touch_session("c1", later, NOW - timedelta(minutes=20)) is None
    assert store.touch_session("t1", later, NOW + timedelta(seconds=1)) is None  # idle too long
    touched = store.touch_session("t1", later, NOW)
    assert touched is not None
    assert touched.last_seen_at == later
    assert store.tokens["t1"].last_seen_at == later
    assert store.touch_session("t1", NOW + timedelta(hours=1), NOW) is None  # past the absolute expiry


def test_delete_session_only_deletes_sessions(store: InMemoryContractorStore) -> None:
    store.tokens["c1"] = token("challenge", "c1")
    store.tokens["t1"] = token()
    assert store.delete_session("c1") is False
    assert store.delete_session("missing") is False
    assert store.delete_session("t1") is True
    assert list(store.tokens) == ["c1"]


@pytest.mark.parametrize(
    ("setup", "the_change"),
    [
        ("no_token", change()),
        ("wrong_kind", change(consumed_token_kind="challenge")),
        ("burnt", change()),
        ("stale_generation", change(expected_generation=5)),
        ("disabled", change()),
        ("newer_reset_token", change()),
    ],
)
def test_change_password_is_all_or_nothing(
    store: InMemoryContractorStore, setup: str, the_change: PasswordChange
) -> None:
    store.put(
        contractor(
            reset_token_hash="r2" if setup == "newer_reset_token" else "r1",
            account_status="disabled" if setup == "disabled" else "active",
        )
    )
    if setup != "no_token":
        store.tokens["r1"] = token("reset", "r1", wrong_answers=5 if setup == "burnt" else 0)
    before = (dict(store.contractors), dict(store.tokens), list(store.audit))

    with pytest.raises(ConflictingWrite):
        store.change_password(the_change)

    assert (store.contractors, store.tokens, store.audit) == before


def test_change_password_writes_everything(store: InMemoryContractorStore) -> None:
    store.put(
        contractor(
            reset_token_hash="r1",
            password_state="temporary",
            temporary_password_expires_at=NOW,
            failed_login_count=4,
            last_failed_login_at=NOW,
            security_question=None,
            security_answer_hash=None,
        )
    )
    store.tokens["r1"] = token("reset", "r1", wrong_answers=4)
    session = token(name="s-new", session_generation=1)

    store.change_password(change(security_question="q2", security_answer_hash="$argon2id$a2", new_session=session))

    stored = store.contractors[LICENSE]
    assert stored.password_hash == "$argon2id$hash-2"
    assert (stored.password_state, stored.password_changed_at, stored.session_generation) == ("set", NOW, 1)
    assert (stored.failed_login_count, stored.last_failed_login_at, stored.temporary_password_expires_at) == (
        0,
        None,
        None,
    )
    assert stored.reset_token_hash is None
    assert (stored.security_question, stored.security_answer_hash) == ("q2", "$argon2id$a2")
    assert list(store.tokens) == ["s-new"]
    assert store.audit[-1].action == "password_reset_by_email"


def test_count_wrong_answer_only_on_reset_tokens(store: InMemoryContractorStore) -> None:
    store.tokens["r1"] = token("reset", "r1")
    store.tokens["t1"] = token()
    assert store.count_wrong_answer("r1") == 1
    assert store.count_wrong_answer("r1") == 2
    assert store.count_wrong_answer("t1") == 0
    assert store.count_wrong_answer("missing") == 0


def test_issue_and_withdraw_reset_token_check_the_newest_token(store: InMemoryContractorStore) -> None:
    read = store.put(contractor())
    store.issue_reset_token(read, token("reset", "r1"), (NOW,))
    with pytest.raises(ConflictingWrite):
        store.issue_reset_token(read, token("reset", "r2"), (NOW,))  # stale: r1 was issued since
    assert store.contractors[LICENSE].reset_token_hash == "r1"
    assert "r2" not in store.tokens

    issued = store.contractors[LICENSE]
    store.issue_reset_token(issued, token("reset", "r2"), (NOW, NOW))
    store.withdraw_reset_token(issued, token("reset", "r2"))
    assert store.contractors[LICENSE].reset_token_hash == "r1"
    assert store.contractors[LICENSE].reset_emails_sent_at == (NOW,)
    assert "r2" not in store.tokens


def test_staff_writes_need_an_account_and_temporary_passwords_an_active_one(store: InMemoryContractorStore) -> None:
    with pytest.raises(ConflictingWrite):
        store.unlock(LICENSE, audit())
    with pytest.raises(ConflictingWrite):
        store.set_account_status(LICENSE, "disabled", audit())
    store.put(contractor(account_status="disabled"))
    with pytest.raises(ConflictingWrite):
        store.set_temporary_password(LICENSE, "$argon2id$t", NOW, audit())
    assert store.audit == []


def test_disable_bumps_the_generation_and_enable_does_not(store: InMemoryContractorStore) -> None:
    store.put(contractor())
    assert store.set_account_status(LICENSE, "disabled", audit()).session_generation == 1
    assert store.set_account_status(LICENSE, "active", audit()).session_generation == 1


def test_set_temporary_password_bumps_the_generation_and_clears_failures(store: InMemoryContractorStore) -> None:
    store.put(contractor(failed_login_count=8, last_failed_login_at=NOW))
    updated = store.set_temporary_password(LICENSE, "$argon2id$t", NOW + timedelta(days=7), audit())
    assert (updated.password_state, updated.session_generation, updated.failed_login_count) == ("temporary", 1, 0)
    assert updated.temporary_password_expires_at == NOW + timedelta(days=7)


def test_recent_audit_is_newest_first_and_limited(store: InMemoryContractorStore) -> None:
    store.audit.extend(
        [audit("a", NOW), audit("c", NOW + timedelta(seconds=2)), audit("b", NOW + timedelta(seconds=1))]
    )
    store.audit.append(AuditEntry("999", "other", "test", NOW + timedelta(days=1)))
    assert [entry.action for entry in store.recent_audit(LICENSE, 2)] == ["c", "b"]


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
    assert built.allowed_origins == ("http://127.0.0.1:8080",)
    assert str(built.zone) == "America/Los_Angeles"
    assert built.session_idle_minutes == 30
