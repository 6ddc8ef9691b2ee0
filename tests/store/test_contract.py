"""The contract of the table's ports (ContractorStore, RequestCounters, ReminderLog), run against
both implementations: the DynamoDB adapter under moto and the in-memory fakes the domain's unit
tests use. Only the ports' own methods are used, so a fake that drifts from the real store fails here."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from contractor_accounts import runtime
from contractor_accounts.domain.changes import (
    Claim,
    ContactChange,
    DeviceChange,
    OwnPasswordChange,
    PasswordChange,
    VerificationIssue,
)
from contractor_accounts.domain.entities import (
    AuditEntry,
    Contractor,
    PolicyHolder,
    TokenKind,
    TokenRecord,
    TrustedDevice,
)
from contractor_accounts.domain.requests import ContactDetails
from contractor_accounts.domain.values import WorkersCompExempt, WorkersCompPolicy
from contractor_accounts.ports.reminder_log import ReminderLog
from contractor_accounts.ports.request_counters import RequestCount, RequestCounters
from contractor_accounts.ports.store import ConflictingWrite, ContractorExists, ContractorStore, NoSuchContractor

from tests.store.implementations import implementation
from tests.support.clock import START
from tests.support.samples import LICENSE
from tests.unit.fakes import InMemoryContractorStore, InMemoryReminderLog, InMemoryRequestCounters, account

NOW = START


@pytest.fixture(params=["dynamodb", "in_memory"])
def store(request: pytest.FixtureRequest) -> ContractorStore:
    return implementation(request, InMemoryContractorStore, runtime.store)


@pytest.fixture(params=["dynamodb", "in_memory"])
def request_counters(request: pytest.FixtureRequest) -> RequestCounters:
    return implementation(request, InMemoryRequestCounters, runtime.request_counters)


@pytest.fixture(params=["dynamodb", "in_memory"])
def reminder_log(request: pytest.FixtureRequest) -> ReminderLog:
    return implementation(request, InMemoryReminderLog, runtime.reminder_log)


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


def test_a_sign_in_attempt_is_claimed_only_on_an_existing_account(store: ContractorStore) -> None:
    store.create_contractor(account(), None, None)
    first = store.claim_sign_in_attempt(LICENSE, NOW)
    second = store.claim_sign_in_attempt(LICENSE, NOW + timedelta(seconds=1))
    assert first is not None
    assert second is not None
    assert (first.failed_login_count, second.failed_login_count) == (1, 2)
    assert second == store.get_contractor(LICENSE)  # the claim returns the account as counted
    assert second.last_failed_login_at == NOW + timedelta(seconds=1)
    assert store.claim_sign_in_attempt("7654321", NOW) is None
    assert store.get_contractor("7654321") is None


@pytest.mark.parametrize(
    ("failures", "since_last", "claimed"),
    [
        (4, timedelta(0), True),
        (5, timedelta(milliseconds=999), False),
        (5, timedelta(seconds=1), True),
        (9, timedelta(seconds=15), False),
        (9, timedelta(seconds=16), True),
        (14, timedelta(seconds=511), False),
        (14, timedelta(seconds=512), True),
        (15, timedelta(minutes=14, seconds=59), False),
        (15, timedelta(minutes=15), True),
        (1000, timedelta(minutes=14, seconds=59), False),
        (1000, timedelta(minutes=15), True),
    ],
)
def test_a_locked_account_claims_nothing_and_its_lock_is_not_extended(
    store: ContractorStore, failures: int, since_last: timedelta, claimed: bool
) -> None:
    store.create_contractor(account(failed_login_count=failures, last_failed_login_at=NOW), None, None)
    before = store.get_contractor(LICENSE)

    result = store.claim_sign_in_attempt(LICENSE, NOW + since_last)

    if claimed:
        assert result is not None
        assert (result.failed_login_count, result.last_failed_login_at) == (failures + 1, NOW + since_last)
    else:
        assert result is None
        assert store.get_contractor(LICENSE) == before


def test_a_device_attempt_counts_on_the_device_only_while_it_lives(store: ContractorStore) -> None:
    live = TrustedDevice("d" * 64, NOW - timedelta(days=89), failures=3)
    expired = TrustedDevice("e" * 64, NOW - timedelta(days=90))
    revoked = TrustedDevice("f" * 64, NOW, failures=5)
    store.create_contractor(
        account(failed_login_count=9, last_failed_login_at=NOW, trusted_devices=(expired, live, revoked)), None, None
    )
    before = store.get_contractor(LICENSE)

    claimed = store.claim_device_attempt(LICENSE, "d" * 64, NOW)

    assert claimed is not None
    assert claimed.trusted_devices == (expired, replace(live, failures=4), revoked)
    assert (claimed.failed_login_count, claimed.last_failed_login_at) == (9, NOW)  # the account's lock untouched
    assert store.claim_device_attempt(LICENSE, "d" * 64, NOW) is not None
    assert store.claim_device_attempt(LICENSE, "d" * 64, NOW) is None  # its 5th failure revoked it
    for dead in ("e" * 64, "f" * 64, "0" * 64):
        assert store.claim_device_attempt(LICENSE, dead, NOW) is None
    assert store.claim_device_attempt("7654321", "d" * 64, NOW) is None
    assert before is not None
    after = store.get_contractor(LICENSE)
    assert after is not None
    assert after.trusted_devices == (expired, replace(live, failures=5), revoked)


def test_a_session_takes_back_the_claim_and_keeps_the_devices_in_order(store: ContractorStore) -> None:
    old = TrustedDevice("d" * 64, NOW - timedelta(days=2))
    older = TrustedDevice("c" * 64, NOW - timedelta(days=3))
    store.create_contractor(account(trusted_devices=(older, old)), None, None)
    claimed = store.claim_sign_in_attempt(LICENSE, NOW)
    assert claimed is not None
    added = TrustedDevice("n" * 64, NOW)

    store.start_session(
        claimed, token(), NOW, None, Claim.of(claimed), DeviceChange(added=added, evicted=("c" * 64,), seen=2)
    )

    started = store.get_contractor(LICENSE)
    assert started is not None
    assert started.failed_login_count == 0
    assert started.trusted_devices == (old, added)

    # Through a device: its failures go back to zero, the account's count is its own
    store.claim_sign_in_attempt(LICENSE, NOW)
    through_device = store.claim_device_attempt(LICENSE, "n" * 64, NOW)
    assert through_device is not None
    store.start_session(through_device, token(name="b" * 64), NOW, None, Claim.of(through_device, "n" * 64))
    after = store.get_contractor(LICENSE)
    assert after is not None
    assert after.trusted_devices == (old, added)
    assert after.failed_login_count == 1
    # A device that is gone cannot be signed in with
    with pytest.raises(ConflictingWrite):
        store.start_session(after, token(name="9" * 64), NOW, None, Claim(1, "c" * 64))
    assert store.get_token("9" * 64) is None


def test_a_first_device_can_be_added_to_an_account_stored_without_any(store: ContractorStore) -> None:
    store.create_contractor(account(), None, None)
    claimed = store.claim_sign_in_attempt(LICENSE, NOW)
    assert claimed is not None
    added = TrustedDevice("n" * 64, NOW)
    store.start_session(claimed, token(), NOW, None, Claim.of(claimed), DeviceChange(added=added))
    started = store.get_contractor(LICENSE)
    assert started is not None
    assert started.trusted_devices == (added,)


def test_a_session_starts_only_on_the_account_as_read(store: ContractorStore) -> None:
    store.create_contractor(account(), None, None)
    read = store.claim_sign_in_attempt(LICENSE, NOW)
    assert read is not None
    with pytest.raises(ConflictingWrite):
        store.start_session(replace(read, session_generation=5), token(), NOW, None, Claim.of(read))
    with pytest.raises(ConflictingWrite):
        store.start_session(replace(read, password_hash="$argon2id$other"), token(), NOW, None, Claim.of(read))
    assert store.get_token("a" * 64) is None
    store.start_session(read, token(), NOW, "$argon2id$v=19$m=19456,t=2,p=1$rehashed", Claim.of(read))
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
    store.issue_reset_token(read, token("reset", "r" * 64), (NOW,), "request-1")
    before = store.get_contractor(LICENSE)
    for lost in (change(expected_generation=3), change(consumed_token_kind="challenge"), change(max_answers=-1)):
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
    assert [entry.action for entry in store.history(LICENSE, 5)] == ["password_reset_by_email"]
    with pytest.raises(ConflictingWrite):
        store.change_password(change(expected_generation=1))  # the token is gone


def test_only_the_newest_reset_token_can_be_issued_over_or_withdrawn(store: ContractorStore) -> None:
    store.create_contractor(account(), None, None)
    read = store.get_contractor(LICENSE)
    assert read is not None
    store.issue_reset_token(read, token("reset", "r" * 64), (NOW,), "request-1")
    with pytest.raises(ConflictingWrite):
        store.issue_reset_token(read, token("reset", "q" * 64), (NOW,), "request-2")  # read before the first issue
    issued = store.get_contractor(LICENSE)
    assert issued is not None
    assert (issued.reset_token_hash, issued.reset_emails_sent_at) == ("r" * 64, (NOW,))
    assert issued.reset_request_id == "request-1"
    assert store.claim_answer_attempt("r" * 64) == 1
    assert store.claim_answer_attempt("a" * 64) is None  # no such reset token
    store.withdraw_reset_token(read, token("reset", "r" * 64))
    withdrawn = store.get_contractor(LICENSE)
    assert withdrawn is not None
    assert (withdrawn.reset_token_hash, withdrawn.reset_emails_sent_at, withdrawn.reset_request_id) == (None, (), None)
    assert store.get_token("r" * 64) is None


def test_answers_are_claimed_only_on_reset_tokens_and_at_most_five(store: ContractorStore) -> None:
    store.create_contractor(account(), token("session", "s" * 64), None)
    store.issue_reset_token(account(), token("reset", "r" * 64), (NOW,), "request-1")

    assert [store.claim_answer_attempt("r" * 64) for _ in range(7)] == [1, 2, 3, 4, 5, None, None]
    assert store.claim_answer_attempt("s" * 64) is None
    assert store.claim_answer_attempt("m" * 64) is None
    reset = store.get_token("r" * 64)
    assert reset is not None
    assert reset.answers_counted == 5
    assert store.get_token("m" * 64) is None


def test_a_password_change_ends_every_device_or_leaves_only_the_new_one(store: ContractorStore) -> None:
    devices = (TrustedDevice("c" * 64, NOW), TrustedDevice("d" * 64, NOW))
    store.create_contractor(account(trusted_devices=devices), None, None)
    store.issue_reset_token(account(), token("reset", "r" * 64), (NOW,), "request-1")
    store.change_password(change())
    changed = store.get_contractor(LICENSE)
    assert changed is not None
    assert changed.trusted_devices == ()

    # SAVE AND LOGIN: the browser that set the password is the only device left
    store.create_contractor(
        account(license_number="7654321", trusted_devices=devices), token("challenge", "h" * 64), None
    )
    first = TrustedDevice("n" * 64, NOW)
    store.change_password(
        change(
            license_number="7654321",
            consumed_token_hash="h" * 64,
            consumed_token_kind="challenge",
            expected_reset_token_hash=None,
            new_session=None,
            new_device=first,
        )
    )
    set_first = store.get_contractor("7654321")
    assert set_first is not None
    assert set_first.trusted_devices == (first,)


def test_a_disable_ends_every_device(store: ContractorStore) -> None:
    store.create_contractor(account(trusted_devices=(TrustedDevice("d" * 64, NOW),)), None, None)
    store.set_account_status(LICENSE, "disabled", audit("disabled"))
    assert stored(store).trusted_devices == ()
    store.set_account_status(LICENSE, "active", audit("enabled"))
    assert stored(store).trusted_devices == ()


def stored(store: ContractorStore, license_number: str = LICENSE) -> Contractor:
    contractor = store.get_contractor(license_number)
    assert contractor is not None
    return contractor


def test_staff_changes_need_the_account_and_leave_an_audit_trail(store: ContractorStore) -> None:
    with pytest.raises(NoSuchContractor):
        store.unlock(LICENSE, audit("unlocked"))
    with pytest.raises(NoSuchContractor):
        store.set_temporary_password(LICENSE, "$argon2id$x", NOW, audit("temporary_password_issued"))
    assert store.get_contractor_with_audit(LICENSE, 5) is None
    store.create_contractor(
        account(trusted_devices=(TrustedDevice("d" * 64, NOW),)), None, audit("imported", NOW - timedelta(seconds=3))
    )
    store.claim_sign_in_attempt(LICENSE, NOW)
    store.set_temporary_password(
        LICENSE, "$argon2id$temp", NOW + timedelta(days=7), audit("temporary_password_issued", NOW)
    )
    temporary = stored(store)
    assert (temporary.password_state, temporary.session_generation, temporary.failed_login_count) == ("temporary", 1, 0)
    assert temporary.trusted_devices == ()
    store.set_account_status(LICENSE, "disabled", audit("disabled", NOW + timedelta(seconds=1)))
    disabled = stored(store)
    assert (disabled.account_status, disabled.session_generation) == ("disabled", 2)
    # A refused change says why without a read: the account comes back with the failure.
    with pytest.raises(ConflictingWrite) as refused:
        store.set_temporary_password(LICENSE, "$argon2id$x", NOW, audit("temporary_password_issued"))
    assert not isinstance(refused.value, NoSuchContractor)
    assert refused.value.found == disabled
    store.set_account_status(LICENSE, "active", audit("enabled", NOW + timedelta(seconds=2)))
    enabled = stored(store)
    assert (enabled.account_status, enabled.session_generation) == ("active", 2)
    assert [entry.action for entry in store.history(LICENSE, 3)] == [
        "enabled",
        "disabled",
        "temporary_password_issued",
    ]
    assert store.history("7654321", 3) == []
    # The account and its newest audit entries, in one read.
    found = store.get_contractor_with_audit(LICENSE, 2)
    assert found is not None
    assert found[0] == enabled
    assert [entry.action for entry in found[1]] == ["enabled", "disabled"]
    assert [entry.action for entry in store.get_contractor_with_audit(LICENSE, 20)[1]] == [  # type: ignore[index]
        "enabled",
        "disabled",
        "temporary_password_issued",
        "imported",
    ]


def test_requests_are_counted_per_key_and_minute_with_the_previous_minute(request_counters: RequestCounters) -> None:
    # Given requests of one caller in one minute
    minute = NOW.replace(second=0, microsecond=0)
    count = request_counters.count_request
    assert [count("sign_in#203.0.113.9", minute + timedelta(seconds=s)).current for s in (1, 30, 59)] == [1, 2, 3]
    # Then another caller has counts of its own
    assert count("sign_in#203.0.113.10", minute) == RequestCount(1, 0)
    # And in the next minute the previous minute's count comes back with this one's
    assert count("sign_in#203.0.113.9", minute + timedelta(minutes=1, seconds=5)) == RequestCount(1, 3)
    # And two minutes on, the old counts no longer matter
    assert count("sign_in#203.0.113.9", minute + timedelta(minutes=3)) == RequestCount(1, 0)


def test_a_contact_change_needs_the_sessions_generation_and_a_staff_email_is_verified(store: ContractorStore) -> None:
    store.create_contractor(
        account(email_verified=False, workers_comp=WorkersCompExempt(), reset_token_hash="r" * 64), None, None
    )
    renewal = WorkersCompPolicy("State Fund", "WC-2", date(2027, 1, 31))
    with pytest.raises(ConflictingWrite):
        store.update_contact(ContactChange(LICENSE, ContactDetails(phone="323-555-0199"), audit("contact_updated"), 4))
    store.update_contact(
        ContactChange(LICENSE, ContactDetails(phone="323-555-0199", workers_comp=renewal), audit("contact_updated"), 0)
    )
    changed = store.get_contractor(LICENSE)
    assert changed is not None
    assert (changed.phone, changed.workers_comp, changed.email_verified) == ("323-555-0199", renewal, False)
    assert changed.reset_token_hash == "r" * 64
    assert [holder.license_number for holder in store.policy_holders_expiring_on(date(2027, 1, 31))] == [LICENSE]
    # Staff set an email: verified, and the reset link sent to the old address ends
    store.update_contact(
        ContactChange(LICENSE, ContactDetails(email="owner@example.com"), audit("contact_updated"), before=changed)
    )
    staffed = store.get_contractor(LICENSE)
    assert staffed is not None
    assert (staffed.email, staffed.email_verified, staffed.reset_token_hash) == ("owner@example.com", True, None)
    with pytest.raises(ConflictingWrite):
        store.update_contact(ContactChange("7654321", ContactDetails(phone="323-555-0199"), audit("contact_updated")))


def test_only_the_newest_verification_link_verifies_and_only_once(store: ContractorStore) -> None:
    first = token("verify", "v" * 64, email="maria@sunsetbuilders.example")
    store.create_contractor(
        account(email_verified=False, verification_token_hash="v" * 64, verification_emails_sent_at=(NOW,)),
        None,
        None,
        first,
    )
    assert store.get_token("v" * 64) == first
    read = store.get_contractor(LICENSE)
    assert read is not None
    change = token("verify", "w" * 64, email="new@example.com")
    store.issue_verification(read, VerificationIssue(change, (NOW, NOW), "new@example.com", audit("requested")))
    with pytest.raises(ConflictingWrite):  # read before the second link
        store.issue_verification(read, VerificationIssue(token("verify", "x" * 64), (NOW,), None))
    with pytest.raises(ConflictingWrite):  # not the newest
        store.verify_email(first, audit("email_verified"), replaced="maria@sunsetbuilders.example")
    pending = store.get_contractor(LICENSE)
    assert pending is not None
    assert (pending.email, pending.pending_email, pending.verification_emails_sent_at) == (
        "maria@sunsetbuilders.example",
        "new@example.com",
        (NOW, NOW),
    )
    with pytest.raises(ConflictingWrite):  # of an older generation
        store.verify_email(replace(change, session_generation=7), audit("email_changed"), pending.email)
    with pytest.raises(ConflictingWrite):  # the address is no longer the one read
        store.verify_email(change, audit("email_changed"), "someone@else.example")
    store.verify_email(change, audit("email_changed"), pending.email)
    verified = store.get_contractor(LICENSE)
    assert verified is not None
    assert (verified.email, verified.email_verified, verified.pending_email, verified.verification_token_hash) == (
        "new@example.com",
        True,
        None,
        None,
    )
    assert store.get_token("w" * 64) is None
    with pytest.raises(ConflictingWrite):
        store.verify_email(change, audit("email_changed"))


def test_an_own_password_change_ends_every_session_and_keeps_one_successor(store: ContractorStore) -> None:
    store.create_contractor(account(), token(), None)
    read = store.get_contractor(LICENSE)
    assert read is not None
    store.issue_reset_token(read, token("reset", "r" * 64), (NOW,), "request-1")
    own = OwnPasswordChange(
        license_number=LICENSE,
        expected_generation=0,
        seen_password_hash=str(read.password_hash),
        password_hash="$argon2id$v=19$m=19456,t=2,p=1$second",
        ended_session_hash="a" * 64,
        new_session=token(name="s" * 64, session_generation=1),
        at=NOW,
        audit=audit("password_changed"),
    )
    for lost in (
        replace(own, seen_password_hash="$argon2id$other"),
        replace(own, expected_generation=3),
        replace(own, ended_session_hash="c" * 64),
    ):
        with pytest.raises(ConflictingWrite):
            store.change_own_password(lost)
        assert store.get_token("s" * 64) is None
    store.change_own_password(own)
    changed = store.get_contractor(LICENSE)
    assert changed is not None
    assert (changed.password_hash, changed.session_generation, changed.reset_token_hash) == (
        "$argon2id$v=19$m=19456,t=2,p=1$second",
        1,
        None,
    )
    assert store.get_token("a" * 64) is None
    assert store.get_token("s" * 64) is not None
    assert [entry.action for entry in store.history(LICENSE, 5)] == ["password_changed"]


def test_security_question_and_signing_out_everywhere(store: ContractorStore) -> None:
    store.create_contractor(account(), None, None)
    with pytest.raises(ConflictingWrite):
        store.set_security_question(LICENSE, 2, "Q?", "$argon2id$a", audit("security_question_changed"), Claim(0))
    store.set_security_question(LICENSE, 0, "Q?", "$argon2id$a", audit("security_question_changed"), Claim(0))
    with pytest.raises(ConflictingWrite):  # a session of an older generation signs nobody out
        store.end_all_sessions(LICENSE, 1, audit("signed_out_everywhere"))
    store.end_all_sessions(LICENSE, 0, audit("signed_out_everywhere", NOW + timedelta(seconds=1)))
    changed = store.get_contractor(LICENSE)
    assert changed is not None
    assert (changed.security_question, changed.security_answer_hash, changed.session_generation) == (
        "Q?",
        "$argon2id$a",
        1,
    )
    with pytest.raises(ConflictingWrite):  # signed out everywhere already: generation 1 now
        store.end_all_sessions(LICENSE, 0, audit("signed_out_everywhere"))
    store.set_account_status(LICENSE, "disabled", audit("disabled"))
    with pytest.raises(ConflictingWrite):  # a disabled account's sessions ended with the disable
        store.end_all_sessions(LICENSE, 2, audit("signed_out_everywhere"))
    with pytest.raises(NoSuchContractor):
        store.end_all_sessions("7654321", 0, audit("signed_out_everywhere"))


def test_reminders_are_claimed_once_and_released(reminder_log: ReminderLog) -> None:
    keep = NOW + timedelta(days=90)
    assert reminder_log.claim_reminder("1234567#WC-1#2027-01-31#expires_soon", keep) is True
    assert reminder_log.claim_reminder("1234567#WC-1#2027-01-31#expires_soon", keep) is False
    assert reminder_log.claim_reminder("1234567#WC-1#2027-01-31#expires_today", keep) is True
    reminder_log.release_reminder("1234567#WC-1#2027-01-31#expires_soon")
    assert reminder_log.claim_reminder("1234567#WC-1#2027-01-31#expires_soon", keep) is True


def test_the_expiry_index_holds_only_accounts_with_a_policy(store: ContractorStore) -> None:
    policy = WorkersCompPolicy("State Fund", "WC-1", date(2027, 1, 31))
    store.create_contractor(account(workers_comp=policy, email_verified=True), None, None)
    store.create_contractor(account(license_number="7654321", workers_comp=WorkersCompExempt()), None, None)
    store.create_contractor(account(license_number="5555555", workers_comp=None, created_by="staff_import"), None, None)
    (holder,) = store.policy_holders_expiring_on(date(2027, 1, 31))
    assert holder == PolicyHolder(LICENSE, "maria@sunsetbuilders.example", True, "active", policy)
    assert store.policy_holders_expiring_on(date(2027, 2, 1)) == []


def test_approval_ends_only_a_pending_review_of_an_active_account(store: ContractorStore) -> None:
    store.create_contractor(account(awaiting_approval=True), None, None)
    store.create_contractor(account(license_number="7654321"), None, None)
    store.create_contractor(
        account(license_number="5555555", awaiting_approval=True, account_status="disabled"), None, None
    )
    store.approve(LICENSE, audit("approved"))
    assert stored(store).awaiting_approval is False
    with pytest.raises(ConflictingWrite) as again:
        store.approve(LICENSE, audit("approved"))
    assert again.value.found == stored(store)
    with pytest.raises(ConflictingWrite):
        store.approve("7654321", audit("approved"))
    with pytest.raises(ConflictingWrite) as disabled:
        store.approve("5555555", audit("approved"))
    assert disabled.value.found == stored(store, "5555555")
    with pytest.raises(NoSuchContractor):
        store.approve("9999999", audit("approved"))


@pytest.mark.parametrize(("created_by", "verified"), [("staff_import", True), ("self_registration", False)])
def test_accounts_written_before_verification_read_staff_emails_as_verified(
    aws: None, created_by: str, verified: bool
) -> None:
    # Given an item as the service wrote it before email verification existed (no attribute)
    import boto3

    from tests.support.environment import TABLE_NAME

    boto3.client("dynamodb").put_item(
        TableName=TABLE_NAME,
        Item={
            "pk": {"S": f"CONTRACTOR#{LICENSE}"},
            "sk": {"S": "PROFILE"},
            "license_number": {"S": LICENSE},
            "business_name": {"S": "Old Co"},
            "email": {"S": "old@example.com"},
            "created_at": {"S": "2025-01-01T00:00:00.000000Z"},
            "created_by": {"S": created_by},
        },
    )
    # Then an imported (staff-set) address reads as verified, a self-registered one does not
    contractor = runtime.store().get_contractor(LICENSE)
    assert contractor is not None
    assert contractor.email_verified is verified


def test_an_address_is_marked_undeliverable_only_while_it_is_the_accounts(store: ContractorStore) -> None:
    # Given an account with an email address
    store.create_contractor(account(), None, None)
    # When a bounce of another address is recorded, and of an unknown account
    assert store.mark_email_undeliverable(LICENSE, "old@sunsetbuilders.example", NOW) is False
    assert store.mark_email_undeliverable("7654321", "maria@sunsetbuilders.example", NOW) is False
    # Then nothing changed, and no account was created
    unchanged = store.get_contractor(LICENSE)
    assert unchanged is not None
    assert unchanged.undeliverable_email is None
    assert store.get_contractor("7654321") is None
    # When the account's own address bounces
    later = NOW + timedelta(minutes=5)
    assert store.mark_email_undeliverable(LICENSE, "maria@sunsetbuilders.example", later) is True
    # Then the account records it, with the time
    marked = store.get_contractor(LICENSE)
    assert marked is not None
    assert (marked.undeliverable_email, marked.undeliverable_since) == ("maria@sunsetbuilders.example", later)
    assert marked.deliverable_email is None


def test_a_success_takes_back_only_its_own_claim(store: ContractorStore) -> None:
    # Interleaved: A claims, B claims, A succeeds: B's failure stays counted
    store.create_contractor(account(failed_login_count=2, last_failed_login_at=NOW), None, None)
    claim_a = store.claim_sign_in_attempt(LICENSE, NOW)
    claim_b = store.claim_sign_in_attempt(LICENSE, NOW + timedelta(milliseconds=1))
    assert claim_a is not None
    assert claim_b is not None
    store.start_session(claim_a, token(), NOW, None, Claim.of(claim_a))
    after = store.get_contractor(LICENSE)
    assert after is not None
    assert after.failed_login_count == 1
    # B's success then takes back the rest; a claim no longer held (taken back already) cannot
    store.start_session(claim_b, token(name="b" * 64), NOW, None, Claim(1))
    with pytest.raises(ConflictingWrite):
        store.start_session(claim_b, token(name="c" * 64), NOW, None, Claim(1))
    assert store.get_token("c" * 64) is None
    done = store.get_contractor(LICENSE)
    assert done is not None
    assert done.failed_login_count == 0


def test_a_device_success_takes_back_only_its_own_claim(store: ContractorStore) -> None:
    store.create_contractor(account(trusted_devices=(TrustedDevice("d" * 64, NOW),)), None, None)
    claim_a = store.claim_device_attempt(LICENSE, "d" * 64, NOW)
    assert claim_a is not None
    assert store.claim_device_attempt(LICENSE, "d" * 64, NOW) is not None
    store.start_session(claim_a, token(), NOW, None, Claim.of(claim_a, "d" * 64))
    after = store.get_contractor(LICENSE)
    assert after is not None
    assert after.trusted_devices[0].failures == 1
    # The /me writes take back the same way: the question's write takes back the device's claim
    store.set_security_question(LICENSE, 0, "Q?", "$argon2id$a", audit("security_question_changed"), Claim(1, "d" * 64))
    changed = store.get_contractor(LICENSE)
    assert changed is not None
    assert (changed.trusted_devices[0].failures, changed.failed_login_count) == (0, 0)


def test_a_temporary_password_is_claimed_even_during_a_lock(store: ContractorStore) -> None:
    locked = {"failed_login_count": 15, "last_failed_login_at": NOW}
    store.create_contractor(account(**locked), None, None)
    store.create_contractor(account(license_number="7654321", password_state="temporary", **locked), None, None)
    assert store.claim_sign_in_attempt(LICENSE, NOW + timedelta(seconds=1)) is None
    claimed = store.claim_sign_in_attempt("7654321", NOW + timedelta(seconds=1))
    assert claimed is not None
    assert claimed.failed_login_count == 16


def test_the_device_map_written_is_the_one_computed(store: ContractorStore) -> None:
    devices = tuple(TrustedDevice(f"{n:x}" * 64, NOW - timedelta(days=10 - n)) for n in range(10))
    store.create_contractor(account(trusted_devices=devices), None, None)
    first = store.claim_sign_in_attempt(LICENSE, NOW)
    second = store.claim_sign_in_attempt(LICENSE, NOW)
    assert first is not None
    assert second is not None
    # Both computed from the same 10 devices: evict the oldest, add their own
    oldest = (devices[0].token_hash,)
    store.start_session(
        first, token(), NOW, None, Claim(1), DeviceChange(TrustedDevice("a" * 63 + "1", NOW), oldest, seen=10)
    )
    with pytest.raises(ConflictingWrite) as lost:
        store.start_session(
            second,
            token(name="b" * 64),
            NOW,
            None,
            Claim(1),
            DeviceChange(TrustedDevice("b" * 63 + "1", NOW), oldest, seen=10),
        )
    assert lost.value.found is not None  # the map as it now is, for the retry
    assert len(lost.value.found.trusted_devices) == 10
    assert store.get_token("b" * 64) is None
    # Recomputed from the map as it now is: still 10
    evict = (lost.value.found.trusted_devices[0].token_hash,)
    store.start_session(
        second,
        token(name="b" * 64),
        NOW,
        None,
        Claim(1),
        DeviceChange(TrustedDevice("b" * 63 + "1", NOW), evict, seen=10),
    )
    after = store.get_contractor(LICENSE)
    assert after is not None
    assert len(after.trusted_devices) == 10


@pytest.mark.parametrize("change", ["staff", "verification"])
def test_a_reset_link_is_issued_only_to_the_address_it_was_decided_on(store: ContractorStore, change: str) -> None:
    link = token("verify", "v" * 64, email="new@example.com")
    store.create_contractor(
        account(verification_token_hash="v" * 64, pending_email="new@example.com"), None, None, link
    )
    store.create_contractor(account(license_number="7654321", email_verified=False), None, None)
    read = store.get_contractor(LICENSE)
    assert read is not None
    # The address changes between the mailer's read and its write: by staff, or by the link
    if change == "staff":
        store.update_contact(
            ContactChange(LICENSE, ContactDetails(email="new@example.com"), audit("contact_updated"), before=read)
        )
    else:
        store.verify_email(link, audit("email_verified"), read.email)
    with pytest.raises(ConflictingWrite):
        store.issue_reset_token(read, token("reset", "r" * 64), (NOW,), "request-1")
    assert store.get_token("r" * 64) is None
    # Nor to an address not verified
    unverified = store.get_contractor("7654321")
    assert unverified is not None
    with pytest.raises(ConflictingWrite):
        store.issue_reset_token(unverified, token("reset", "q" * 64, license_number="7654321"), (NOW,), "request-2")


def test_an_enable_says_whether_the_account_still_awaits_approval(store: ContractorStore) -> None:
    store.create_contractor(account(awaiting_approval=True), None, None)
    store.create_contractor(account(license_number="7654321"), None, None)
    for license_number in (LICENSE, "7654321"):
        store.set_account_status(license_number, "disabled", audit("disabled"))
    assert store.set_account_status(LICENSE, "active", audit("enabled")) is True
    assert store.set_account_status("7654321", "active", audit("enabled")) is False
    pending = store.get_contractor(LICENSE)
    assert pending is not None
    assert (pending.account_status, pending.awaiting_approval) == ("active", True)
    with pytest.raises(NoSuchContractor):
        store.set_account_status("5555555", "active", audit("enabled"))
