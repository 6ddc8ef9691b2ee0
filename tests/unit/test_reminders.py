"""Workers' compensation reminders as a use case on the in-memory fakes."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import ValidationFailed
from contractor_accounts.domain.policy import REMINDER_CATCH_UP_DAYS, REMINDER_DAYS_BEFORE_EXPIRY
from contractor_accounts.domain.values import WorkersCompExempt, WorkersCompPolicy

from tests.support.clock import MovableClock
from tests.support.licenses import board_record, loaded
from tests.support.samples import LICENSE
from tests.unit.helpers import Domain

from .fakes import FakeMailer, InMemoryContractorStore, InMemoryLicenseChecks, InMemoryReminderLog

TODAY = date(2026, 3, 2)  # START in Los Angeles
START_KEEP = datetime(2026, 7, 1, tzinfo=UTC)


def policy(expires_on: date, number: str = "WC-1") -> WorkersCompPolicy:
    return WorkersCompPolicy("State Fund", number, expires_on)


@pytest.fixture
def due(seed_contractor: Callable[..., Contractor]) -> Contractor:
    return seed_contractor(workers_comp=policy(TODAY + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY)))


@pytest.mark.usefixtures("due")
def test_a_due_policy_is_reminded_once(domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore) -> None:
    first = domain.reminders.run()
    second = domain.reminders.run()
    assert (first.sent, second.sent, second.already_sent) == (1, 0, 1)
    (email,) = mailer.sent
    assert f"{REMINDER_DAYS_BEFORE_EXPIRY} days" in email.subject
    # Only the window's accounts are read: a Query of the index per day of it, nothing else
    window_days = REMINDER_CATCH_UP_DAYS + 1 + REMINDER_DAYS_BEFORE_EXPIRY
    assert store.calls.count("policy_holders_expiring_on") == 2 * window_days
    assert "get_contractor" not in store.calls


def test_the_expiry_day_reminder_is_a_second_threshold(
    domain: Domain, mailer: FakeMailer, seed_contractor: Callable[..., Contractor]
) -> None:
    seed_contractor(workers_comp=policy(TODAY))
    assert domain.reminders.run().sent == 1
    assert "today" in mailer.sent[-1].subject


@pytest.mark.parametrize(
    "overrides",
    [{"email_verified": False}, {"account_status": "disabled"}, {"email": None}],
)
def test_only_active_accounts_with_a_verified_email_are_reminded(
    domain: Domain, mailer: FakeMailer, seed_contractor: Callable[..., Contractor], overrides: dict[str, object]
) -> None:
    seed_contractor(workers_comp=policy(TODAY), **overrides)
    run = domain.reminders.run()
    assert (run.sent, run.not_eligible) == (0, 1)
    assert mailer.sent == []


@pytest.mark.usefixtures("due")
def test_a_failed_send_is_released_for_the_next_run(
    domain: Domain, mailer: FakeMailer, reminder_log: InMemoryReminderLog
) -> None:
    mailer.fail = True
    assert domain.reminders.run().failed == 1
    assert reminder_log.reminders == {}
    mailer.fail = False
    assert domain.reminders.run().sent == 1


@pytest.mark.usefixtures("due")
def test_a_claim_lost_to_a_concurrent_run_sends_nothing(
    domain: Domain, mailer: FakeMailer, reminder_log: InMemoryReminderLog
) -> None:
    # Given another run claimed the reminder between this run's read and its claim
    reminder_log.reminders[f"{LICENSE}#WC-1#2026-04-01#expires_soon"] = START_KEEP
    assert domain.reminders.run().already_sent == 1
    assert mailer.sent == []


def test_a_past_day_within_the_catch_up_window_may_be_replayed(domain: Domain) -> None:
    assert domain.reminders.run(TODAY - timedelta(days=REMINDER_CATCH_UP_DAYS)).today == TODAY - timedelta(
        days=REMINDER_CATCH_UP_DAYS
    )
    for refused in (TODAY + timedelta(days=1), TODAY - timedelta(days=REMINDER_CATCH_UP_DAYS + 1)):
        with pytest.raises(ValidationFailed):
            domain.reminders.run(refused)


def test_no_reminder_goes_to_an_address_that_bounced(
    domain: Domain, mailer: FakeMailer, store: InMemoryContractorStore, seed_contractor: Callable[..., Contractor]
) -> None:
    # Given a due policy whose holder's address SES reported as bouncing
    due = seed_contractor(workers_comp=policy(TODAY + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY)))
    assert due.email is not None
    assert store.mark_email_undeliverable(LICENSE, due.email, datetime(2026, 3, 1, tzinfo=UTC))
    # When the day's reminders run
    run = domain.reminders.run()
    # Then nothing is sent to it
    assert (run.sent, run.not_eligible) == (0, 1)
    assert mailer.attempted == []


@pytest.mark.usefixtures("due")
def test_a_reminder_is_tagged_with_the_license_number(domain: Domain, mailer: FakeMailer) -> None:
    domain.reminders.run()
    (email,) = mailer.sent
    assert email.license_number == LICENSE


def test_a_policy_entered_with_17_days_left_gets_its_30_day_reminder_on_the_next_run_once(
    domain: Domain, mailer: FakeMailer, seed_contractor: Callable[..., Contractor]
) -> None:
    seed_contractor(workers_comp=policy(TODAY + timedelta(days=17)))
    assert domain.reminders.run().sent == 1
    assert domain.reminders.run().sent == 0
    (email,) = mailer.sent
    assert "17 days" in email.subject
    assert "http://localhost:8080/" in email.text


def test_a_missed_expiry_day_run_is_caught_up_by_the_next_run_once(
    domain: Domain, mailer: FakeMailer, clock: MovableClock, seed_contractor: Callable[..., Contractor]
) -> None:
    # Given a policy whose 30-day reminder went out, and no run on its expiry day
    expiry = TODAY + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY)
    seed_contractor(workers_comp=policy(expiry))
    assert domain.reminders.run().sent == 1
    clock.advance(timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY + 2))
    # When the job runs two days after the expiry day
    assert domain.reminders.run().sent == 1
    assert domain.reminders.run().sent == 0
    # Then the expiry reminder went out, once
    assert [email.subject.split(": ", 1)[1] for email in mailer.sent] == [
        "your workers' compensation policy expires in 30 days",
        "your workers' compensation policy has expired",
    ]


def test_a_license_is_reminded_60_and_30_days_before_it_expires_once_per_expiry_and_threshold(
    domain: Domain,
    mailer: FakeMailer,
    clock: MovableClock,
    license_checks: InMemoryLicenseChecks,
    seed_contractor: Callable[..., Contractor],
) -> None:
    # Given an account whose license the board's list has expiring in 60 days (workers' comp exempt)
    seed_contractor(workers_comp=WorkersCompExempt())
    loaded(license_checks, board_record(expires_on=TODAY + timedelta(days=60)))
    # When the job runs today, again, and (a run missed) 32 days later
    assert domain.reminders.run().sent == 1
    assert domain.reminders.run().sent == 0
    clock.advance(timedelta(days=32))
    assert domain.reminders.run().sent == 1
    # Then the 60-day and the 30-day reminders went out, once each, linking to the portal
    assert [email.subject.split(": ", 1)[1] for email in mailer.sent] == [
        "your contractor's license expires in 60 days",
        "your contractor's license expires in 28 days",
    ]
    assert "CSLB" in mailer.sent[0].text
    assert "http://localhost:8080/" in mailer.sent[0].html
    # And a renewal (a new expiry date) is reminded anew when it comes due
    loaded(license_checks, board_record(expires_on=TODAY + timedelta(days=32 + 60)))
    assert domain.reminders.run().sent == 1


def test_no_license_reminder_for_an_account_not_active_or_unverified(
    domain: Domain, license_checks: InMemoryLicenseChecks, seed_contractor: Callable[..., Contractor]
) -> None:
    seed_contractor(workers_comp=WorkersCompExempt(), email_verified=False)
    loaded(license_checks, board_record(expires_on=TODAY + timedelta(days=30)))
    assert (domain.reminders.run().sent, domain.reminders.run().not_eligible) == (0, 1)
