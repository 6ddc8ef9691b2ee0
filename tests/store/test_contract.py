"""The ContractorStore contract, run against both implementations: the DynamoDB store under
moto and the in-memory fake the domain's unit tests use. Only the port's own methods are used,
so a fake that drifts from the real store fails here."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from contractor_accounts import runtime
from contractor_accounts.entities import AuditEntry, Contractor, PasswordChange, TokenKind, TokenRecord
from contractor_accounts.store import ConflictingWrite, ContractorExists, ContractorStore

from tests.unit.fakes import InMemoryContractorStore

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
LICENSE = "1234567"


@pytest.fixture(params=["dynamodb", "in_memory"])
def store(request: pytest.FixtureRequest) -> Iterator[ContractorStore]:
    if request.param == "in_memory":
        yield InMemoryContractorStore()
        return
    request.getfixturevalue("aws")
    yield runtime.store()


def account(**overrides: object) -> Contractor:
    base = Contractor(
        license_number=LICENSE,
        business_name="Sunset Builders Inc",
        created_at=NOW,
        created_by="self_registration",
        email="maria@sunsetbuilders.example",
        password_hash="$argon2id$v=19$m=19456,t=2,p=1$first",
        password_state="set",
        security_question="What was the name of your first pet?",
        security_answer_hash="$argon2id$v=19$m=19456,t=2,p=1$answer",
        mailing_address={"street": "1 Main St", "city": "West Hollywood", "state": "CA", "postal_code": "90069"},
        workers_comp={"exempt": True},
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def token(kind: TokenKind = "session", name: str = "a" * 64, **overrides: object) -> TokenRecord:
    base = TokenRecord(
        token_hash=name,
        kind=kind,
        license_number=LICENSE,
        session_generation=0,
        created_at=NOW,
        expires_at=NOW + timedelta(hours=1),
        last_seen_at=NOW if kind == "session" else None,
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def audit(action: str, at: datetime = NOW) -> AuditEntry:
    return AuditEntry(LICENSE, action, "test", at)


def test_an_account_round_trips_and_is_never_overwritten(store: ContractorStore) -> None:
    created = account()
    store.create_contractor(created, token(), audit("account_registered"))
    assert store.get_contractor(LICENSE) == created
    assert store.get_token("a" * 64) == token()
    with pytest.raises(ContractorExists) as exists:
        store.create_contractor(account(business_name="Other"), token(name="b" * 64), None)
    assert exists.value.existing == created
    assert store.get_token("b" * 64) is None
    assert store.get_contractor("7654321") is None


def test_failed_sign_ins_count_only_for_existing_accounts(store: ContractorStore) -> None:
    store.create_contractor(account(), None, None)
    store.record_failed_sign_in(LICENSE, NOW)
    store.record_failed_sign_in(LICENSE, NOW + timedelta(seconds=1))
    store.record_failed_sign_in("7654321", NOW)
    counted = store.get_contractor(LICENSE)
    assert counted is not None
    assert (counted.failed_login_count, counted.last_failed_login_at) == (2, NOW + timedelta(seconds=1))
    assert store.get_contractor("7654321") is None


def test_a_session_starts_only_on_the_account_as_read(store: ContractorStore) -> None:
    store.create_contractor(account(), None, None)
    store.record_failed_sign_in(LICENSE, NOW)
    read = store.get_contractor(LICENSE)
    assert read is not None
    with pytest.raises(ConflictingWrite):
        store.start_session(replace(read, session_generation=5), token(), NOW, None)
    with pytest.raises(ConflictingWrite):
        store.start_session(replace(read, password_hash="$argon2id$other"), token(), NOW, None)
    assert store.get_token("a" * 64) is None
    store.start_session(read, token(), NOW, "$argon2id$v=19$m=19456,t=2,p=1$rehashed")
    started = store.get_contractor(LICENSE)
    assert started is not None
    assert (started.failed_login_count, started.last_login_at, started.password_hash) == (
        0,
        NOW,
        "$argon2id$v=19$m=19456,t=2,p=1$rehashed",
    )
    assert store.get_token("a" * 64) == token()


def test_sessions_are_touched_only_while_live_and_deleted_only_as_sessions(store: ContractorStore) -> None:
    store.create_contractor(account(), token(), None)
    store.create_contractor(account(license_number="7654321"), token("challenge", "c" * 64), None)
    later = NOW + timedelta(minutes=10)
    touched = store.touch_session("a" * 64, later, later - timedelta(minutes=30))
    assert touched is not None
    assert touched.last_seen_at == later
    assert store.touch_session("a" * 64, later, later + timedelta(seconds=1)) is None  # idle
    assert store.touch_session("a" * 64, NOW + timedelta(hours=1), NOW) is None  # past expiry
    assert store.touch_session("c" * 64, later, NOW) is None  # not a session
    assert store.delete_session("c" * 64) is False
    assert store.delete_session("a" * 64) is True
    assert store.delete_session("a" * 64) is False


def change(**overrides: object) -> PasswordChange:
    base = PasswordChange(
        license_number=LICENSE,
        expected_generation=0,
        consumed_token_hash="r" * 64,
        consumed_token_kind="reset",
        password_hash="$argon2id$v=19$m=19456,t=2,p=1$second",
        at=NOW,
        audit=audit("password_reset_by_email"),
        expected_reset_token_hash="r" * 64,
        new_session=token(name="s" * 64, session_generation=1),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def test_a_password_change_is_all_or_nothing(store: ContractorStore) -> None:
    store.create_contractor(account(), None, None)
    read = store.get_contractor(LICENSE)
    assert read is not None
    store.issue_reset_token(read, token("reset", "r" * 64), (NOW,))
    before = store.get_contractor(LICENSE)
    for lost in (change(expected_generation=3), change(consumed_token_kind="challenge"), change(max_wrong_answers=0)):
        with pytest.raises(ConflictingWrite):
            store.change_password(lost)
        assert store.get_contractor(LICENSE) == before
        assert store.get_token("s" * 64) is None
    store.change_password(change())
    changed = store.get_contractor(LICENSE)
    assert changed is not None
    assert (changed.password_hash, changed.password_state, changed.session_generation) == (
        "$argon2id$v=19$m=19456,t=2,p=1$second",
        "set",
        1,
    )
    assert changed.reset_token_hash is None
    assert store.get_token("r" * 64) is None
    assert store.get_token("s" * 64) is not None
    assert [entry.action for entry in store.recent_audit(LICENSE, 5)] == ["password_reset_by_email"]
    with pytest.raises(ConflictingWrite):
        store.change_password(change(expected_generation=1))  # the token is gone


def test_only_the_newest_reset_token_can_be_issued_over_or_withdrawn(store: ContractorStore) -> None:
    store.create_contractor(account(), None, None)
    read = store.get_contractor(LICENSE)
    assert read is not None
    store.issue_reset_token(read, token("reset", "r" * 64), (NOW,))
    with pytest.raises(ConflictingWrite):
        store.issue_reset_token(read, token("reset", "q" * 64), (NOW,))  # read before the first issue
    issued = store.get_contractor(LICENSE)
    assert issued is not None
    assert (issued.reset_token_hash, issued.reset_emails_sent_at) == ("r" * 64, (NOW,))
    assert store.count_wrong_answer("r" * 64) == 1
    assert store.count_wrong_answer("a" * 64) == 0  # no such reset token
    store.withdraw_reset_token(read, token("reset", "r" * 64))
    withdrawn = store.get_contractor(LICENSE)
    assert withdrawn is not None
    assert (withdrawn.reset_token_hash, withdrawn.reset_emails_sent_at) == (None, ())
    assert store.get_token("r" * 64) is None


def test_wrong_answers_are_counted_only_on_reset_tokens(store: ContractorStore) -> None:
    store.create_contractor(account(), token("session", "s" * 64), None)
    store.issue_reset_token(account(), token("reset", "r" * 64), (NOW,))

    assert [store.count_wrong_answer("r" * 64) for _ in range(2)] == [1, 2]
    assert store.count_wrong_answer("s" * 64) == 0
    assert store.count_wrong_answer("m" * 64) == 0
    reset = store.get_token("r" * 64)
    assert reset is not None
    assert reset.wrong_answers == 2


def test_staff_changes_need_the_account_and_leave_an_audit_trail(store: ContractorStore) -> None:
    with pytest.raises(ConflictingWrite):
        store.unlock(LICENSE, audit("unlocked"))
    store.create_contractor(account(), None, audit("imported", NOW - timedelta(seconds=3)))
    store.record_failed_sign_in(LICENSE, NOW)
    temporary = store.set_temporary_password(
        LICENSE, "$argon2id$temp", NOW + timedelta(days=7), audit("temporary_password_issued", NOW)
    )
    assert (temporary.password_state, temporary.session_generation, temporary.failed_login_count) == ("temporary", 1, 0)
    disabled = store.set_account_status(LICENSE, "disabled", audit("disabled", NOW + timedelta(seconds=1)))
    assert (disabled.account_status, disabled.session_generation) == ("disabled", 2)
    with pytest.raises(ConflictingWrite):
        store.set_temporary_password(LICENSE, "$argon2id$x", NOW, audit("temporary_password_issued"))
    enabled = store.set_account_status(LICENSE, "active", audit("enabled", NOW + timedelta(seconds=2)))
    assert (enabled.account_status, enabled.session_generation) == ("active", 2)
    assert [entry.action for entry in store.recent_audit(LICENSE, 3)] == [
        "enabled",
        "disabled",
        "temporary_password_issued",
    ]


def test_requests_are_counted_per_key_and_window(store: ContractorStore) -> None:
    window = NOW.replace(second=0)
    assert [store.count_request("sign_in#203.0.113.9", window, window + timedelta(minutes=1)) for _ in range(3)] == [
        1,
        2,
        3,
    ]
    assert store.count_request("sign_in#203.0.113.10", window, window + timedelta(minutes=1)) == 1
    next_window = window + timedelta(minutes=1)
    assert store.count_request("sign_in#203.0.113.9", next_window, next_window + timedelta(minutes=1)) == 1
