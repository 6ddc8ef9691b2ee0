"""The account's activity and its notices (contract v3, "Notices and the account's activity"):
which events are recorded and which send a notice, the notices' words (what happened, when in
city time, which browser from a fixed vocabulary, what to do), and the notice function's rules
(the verified address only; an email change to the old address; a failed send changes nothing)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from contractor_accounts.domain.activity import (
    CONTRACTOR_EVENTS,
    NOTICE_EVENTS,
    STAFF_EVENTS,
    Activity,
    activity_of,
    address_told_of_change,
    failed_sign_ins_since_last_success,
    report,
    staff_activity,
)
from contractor_accounts.domain.browsers import describe
from contractor_accounts.domain.entities import AuditEntry, Contractor, TrustedDevice
from contractor_accounts.domain.notices import HAPPENED, notice_email
from contractor_accounts.settings import Settings
from contractor_accounts.use_cases.notices import Notices

from tests.support.samples import EMAIL, LICENSE

from .fakes import FakeMailer, InMemoryContractorStore

AT = datetime(2026, 6, 3, 16, 15, tzinfo=UTC)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
# The contract's events: every one is recorded (the contractor's) or shown (staff's).
CONTRACT_EVENTS = {
    "registered", "signed_in", "signed_in_with_passkey", "password_changed", "password_reset",
    "email_change_requested", "email_verified", "security_question_changed", "passkey_added", "passkey_removed",
    "signed_out_everywhere", "profile_updated", "first_password_set",
}  # fmt: skip
STAFF_PAST_TENSE = {
    "temporary_password_issued", "unlocked", "disabled", "enabled", "contact_updated", "approved", "passkeys_removed",
}  # fmt: skip


def record(event: str, **overrides: object) -> Activity:
    return replace(Activity(LICENSE, event, AT, user_agent=CHROME_ANDROID, ip="203.0.113.9", notice=True), **overrides)


def test_every_event_of_the_contract_is_recorded_or_shown() -> None:
    assert set(CONTRACTOR_EVENTS.values()) == CONTRACT_EVENTS
    assert set(STAFF_EVENTS.values()) == STAFF_PAST_TENSE


@pytest.mark.parametrize("action", sorted(CONTRACTOR_EVENTS))
def test_a_contractor_change_is_recorded_with_its_browser_and_address(action: str) -> None:
    found = activity_of(AuditEntry(LICENSE, action, "contractor", AT), CHROME_ANDROID, "203.0.113.9")
    assert found is not None
    assert (found.event, found.by, found.user_agent, found.ip) == (
        CONTRACTOR_EVENTS[action],
        "contractor",
        CHROME_ANDROID,
        "203.0.113.9",
    )
    # Notices: password, question, email change, sign out everywhere, passkeys; a sign-in only
    # from a new browser (the writer says so: ``notice=``)
    assert found.notice == (found.event in NOTICE_EVENTS)


def test_a_staff_action_is_not_recorded_again_but_shown_from_its_audit_entry_in_the_past_tense() -> None:
    audit = AuditEntry(LICENSE, "temporary_password_issued", "staff:jlee", AT)
    assert activity_of(audit, None, None) is None
    shown = staff_activity(audit)
    assert shown is not None
    assert (shown.event, shown.by, shown.notice, shown.ip) == ("temporary_password_issued", "staff", False, None)
    # A contractor's own audit entries are not shown twice (their activity record is)
    assert staff_activity(AuditEntry(LICENSE, "password_changed", "contractor", AT)) is None


def test_the_report_is_newest_first_at_most_50_of_90_days_with_the_failures_since_the_last_success(
    app_settings: Settings,
) -> None:
    now = AT + timedelta(days=100)
    activity = [record("signed_in", at=now - timedelta(hours=hour)) for hour in range(60)]
    old = [record("password_changed", at=now - timedelta(days=91))]
    staff = [AuditEntry(LICENSE, "unlocked", "staff:jlee", now - timedelta(minutes=30))]
    contractor = Contractor(
        LICENSE, "Sunset Builders Inc", AT, "self_registration", failed_login_count=2,
        trusted_devices=(TrustedDevice("a" * 64, AT, 1),),
    )  # fmt: skip
    found = report(contractor, staff, activity + old, now)
    assert len(found.events) == 50
    assert [event.at for event in found.events] == sorted((event.at for event in found.events), reverse=True)
    assert found.events[1].event == "unlocked"
    assert all(event.at >= now - timedelta(days=90) for event in found.events)
    assert found.failed_sign_ins_since_last_success == 3 == failed_sign_ins_since_last_success(contractor)


@pytest.mark.parametrize(
    ("user_agent", "named"),
    [
        (CHROME_ANDROID, "Chrome on Android"),
        (SAFARI_IPHONE, "Safari on iOS"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox on macOS"),
        ("EvilBot/1.0 (+https://phish.example/pay-now)", "A browser on an unknown system"),
        (None, None),
    ],
)
def test_the_browser_is_named_from_a_fixed_vocabulary_never_the_header(user_agent: str | None, named: str) -> None:
    assert describe(user_agent) == named


@pytest.mark.parametrize("event", sorted(HAPPENED))
def test_each_notice_says_what_when_which_browser_and_what_to_do_without_a_link(
    event: str, app_settings: Settings
) -> None:
    email = notice_email(
        record(event, user_agent="Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile +https://phish.example"),
        EMAIL,
        city_name=app_settings.city_name,
        staff_phone_number=app_settings.staff_phone_number,
        zone=app_settings.zone,
    )
    assert email is not None
    assert HAPPENED[event][1].split(".")[0] in email.text
    # When, in city time (America/Los_Angeles: 09:15 AM PDT for 16:15 UTC)
    assert "June 03, 2026 at 09:15 AM PDT" in email.text
    assert "Browser: Chrome on Android" in email.text
    assert "phish.example" not in email.text + email.html
    assert "Forgot Password" in email.text
    assert app_settings.staff_phone_number in email.text
    assert ("remove that passkey on My Account" in email.text) == (event in {"passkey_added", "signed_in_with_passkey"})
    assert "http" not in email.text
    assert "<a " not in email.html


@pytest.fixture
def notices(store: InMemoryContractorStore, mailer: FakeMailer, app_settings: Settings) -> Notices:
    return Notices(store, mailer, app_settings)


@pytest.mark.parametrize("event", sorted(NOTICE_EVENTS - {"email_change_requested"} | {"signed_in"}))
def test_a_notice_goes_to_the_verified_address(
    event: str, notices: Notices, mailer: FakeMailer, seed_contractor: object
) -> None:
    seed_contractor()  # type: ignore[operator]
    assert notices.send(record(event))
    (sent,) = mailer.sent
    assert sent.to == EMAIL
    assert sent.license_number == LICENSE


def test_an_email_change_tells_the_old_address_the_record_names(
    notices: Notices, mailer: FakeMailer, seed_contractor: object
) -> None:
    contractor = seed_contractor()  # type: ignore[operator]
    assert address_told_of_change(contractor) == EMAIL
    assert notices.send(record("email_change_requested", notice_to=EMAIL))
    assert [email.to for email in mailer.sent] == [EMAIL]
    # No verified old address: nothing is told
    assert address_told_of_change(replace(contractor, email_verified=False)) is None
    assert not notices.send(record("email_change_requested", notice_to=None))


def test_no_notice_to_an_unverified_or_undeliverable_address_or_for_a_record_without_one(
    notices: Notices, mailer: FakeMailer, seed_contractor: object
) -> None:
    seed_contractor(email_verified=False)  # type: ignore[operator]
    assert not notices.send(record("password_changed"))
    seed_contractor(undeliverable_email=EMAIL)  # type: ignore[operator]
    assert not notices.send(record("password_changed"))
    assert not notices.send(record("signed_in", notice=False))
    assert not notices.send(record("password_changed", license_number="7777777"))
    assert mailer.sent == []


def test_a_failed_send_is_logged_and_counted_never_raised(
    notices: Notices, mailer: FakeMailer, seed_contractor: object
) -> None:
    seed_contractor()  # type: ignore[operator]
    mailer.fail = True
    assert notices.send(record("password_changed")) is False
