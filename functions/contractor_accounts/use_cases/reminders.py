"""Reminders that cannot be missed (contract v3), once a day: each contractor with a verified
email is reminded of

- a workers' compensation policy at each threshold it has reached and not yet been reminded for:
  REMINDER_DAYS_BEFORE_EXPIRY days before it expires, and on the day it expires. So a policy
  entered with 17 days left gets its 30-day reminder on the next run, and a run missed on the
  expiry day is caught up (within REMINDER_CATCH_UP_DAYS after it);
- the state board's license LICENSE_REMINDER_DAYS (60, 30) days before it expires, once per
  expiry date and threshold, catching up the days a missed run left.

Only what is due is read, never a Scan: the sparse workers' comp expiry index by day (a Query per
day of the look-ahead window: fine for a daily job), and for licenses the import's expiry index
items of each due day (``LICENSE_EXPIRY#<day>``), then those licenses' accounts by the hundred.
Each reminder is claimed with a conditional write before it is sent, so however often or
concurrently the job runs it goes out once; a send that fails releases the claim, and the next
run tries again. Every reminder links to the portal (``PORTAL_URL``)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from contractor_accounts.domain.emails import EmailMessage, render
from contractor_accounts.domain.entities import Contractor, PolicyHolder
from contractor_accounts.domain.errors import ValidationFailed
from contractor_accounts.domain.policy import (
    LICENSE_REMINDER_DAYS,
    REMINDER_CATCH_UP_DAYS,
    REMINDER_DAYS_BEFORE_EXPIRY,
    STATE_BOARD,
    STATE_BOARD_PHONE,
)
from contractor_accounts.domain.workers_comp import city_today
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.license_checks import LicenseChecks
from contractor_accounts.ports.mailer import EmailNotSent, Mailer
from contractor_accounts.ports.reminder_log import ReminderLog
from contractor_accounts.ports.store import ContractorStore
from contractor_accounts.settings import PortalSettings, Settings

Threshold = Literal["expires_soon", "expires_today"]
Outcome = Literal["sent", "already_sent", "failed", "not_eligible"]
# A claim is kept a while after the policy expired, then the table's TTL removes it.
_CLAIM_KEPT_AFTER_EXPIRY = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class ReminderRun:
    today: date
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    not_eligible: int = 0
    thresholds: dict[str, str] = field(default_factory=dict)


def reminder_key(holder: PolicyHolder, threshold: Threshold) -> str:
    """One reminder per policy (its number and expiry) and threshold; a renewal is a new policy."""
    policy = holder.workers_comp
    return f"{holder.license_number}#{policy.policy_number}#{policy.expires_on.isoformat()}#{threshold}"


def license_reminder_key(license_number: str, expires_on: date, days_before: int) -> str:
    """One reminder per license, expiry date and threshold: a renewal (a new date) is reminded anew."""
    return f"LICENSE#{license_number}#{expires_on.isoformat()}#{days_before}"


def run_day(requested: date | None, real_today: date) -> date:
    """The day to run for: today, or a recent past day to catch up a missed run. Never a future
    day (that would send reminders early and mark them sent)."""
    if requested is None:
        return real_today
    if requested > real_today or requested < real_today - timedelta(days=REMINDER_CATCH_UP_DAYS):
        raise ValidationFailed(
            fields={
                "today": f"Use a date from the last {REMINDER_CATCH_UP_DAYS} days, up to today "
                f"({real_today.isoformat()}), or leave it out."
            }
        )
    return requested


def days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def workers_comp_threshold(expires_on: date, today: date) -> Threshold:
    """The newest threshold a policy has reached: its expiry day once that came, else 30 days."""
    return "expires_today" if expires_on <= today else "expires_soon"


def _words(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


@dataclass(frozen=True)
class WorkersCompReminders:
    store: ContractorStore
    reminder_log: ReminderLog
    clock: Clock
    mailer: Mailer
    settings: Settings
    checks: LicenseChecks
    portal: PortalSettings

    def run(self, requested_day: date | None = None) -> ReminderRun:
        today = run_day(requested_day, city_today(self.clock.now(), self.settings.zone))
        counts = {"sent": 0, "already_sent": 0, "failed": 0, "not_eligible": 0}
        # Workers' comp: every day a reached threshold may still be owed, from the catch-up window
        # behind (expired on a day a run missed) to REMINDER_DAYS_BEFORE_EXPIRY ahead.
        window = (today - timedelta(days=REMINDER_CATCH_UP_DAYS), today + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY))
        for day in days(*window):
            for holder in self.store.policy_holders_expiring_on(day):
                counts[self._remind_policy(holder, workers_comp_threshold(day, today), today)] += 1
        thresholds = {"workers_comp": f"{window[0].isoformat()}..{window[1].isoformat()}"}
        for days_before in LICENSE_REMINDER_DAYS:
            due = today + timedelta(days=days_before)
            first = due - timedelta(days=REMINDER_CATCH_UP_DAYS)
            for day in days(first, due):
                for outcome in self._remind_licenses(day, days_before, today):
                    counts[outcome] += 1
            thresholds[f"license_{days_before}_days"] = f"{first.isoformat()}..{due.isoformat()}"
        metrics.add_metric(name="RemindersSent", unit="Count", value=counts["sent"])
        # A run that completes may still have failed to send some (ReminderEmailFailedAlarm).
        metrics.add_metric(name="ReminderEmailFailed", unit="Count", value=counts["failed"])
        logger.info("reminders_run", extra={"today": today.isoformat(), **counts})
        return ReminderRun(
            today,
            sent=counts["sent"],
            already_sent=counts["already_sent"],
            failed=counts["failed"],
            not_eligible=counts["not_eligible"],
            thresholds=thresholds,
        )

    def _remind_policy(self, holder: PolicyHolder, threshold: Threshold, today: date) -> Outcome:
        if holder.deliverable_email is None or not holder.email_verified or holder.account_status != "active":
            return "not_eligible"
        expires_on = holder.workers_comp.expires_on
        return self._send_once(
            reminder_key(holder, threshold),
            expires_on,
            holder.license_number,
            lambda: self._policy_email(
                holder.deliverable_email or "", holder.license_number, threshold, expires_on, today
            ),
        )

    def _remind_licenses(self, expires_on: date, days_before: int, today: date) -> Iterator[Outcome]:
        licenses = self.checks.licenses_expiring_on(expires_on)
        for account in self.checks.accounts(licenses) if licenses else []:
            yield self._remind_license(account, expires_on, days_before, today)

    def _remind_license(self, account: Contractor, expires_on: date, days_before: int, today: date) -> Outcome:
        address = account.deliverable_email
        if address is None or not account.email_verified or account.account_status != "active":
            return "not_eligible"
        return self._send_once(
            license_reminder_key(account.license_number, expires_on, days_before),
            expires_on,
            account.license_number,
            lambda: self._license_email(address, account.license_number, expires_on, today),
        )

    def _send_once(self, key: str, expires_on: date, license_number: str, email: Callable[[], EmailMessage]) -> Outcome:
        keep_until = datetime.combine(expires_on, time(), tzinfo=UTC) + _CLAIM_KEPT_AFTER_EXPIRY
        if not self.reminder_log.claim_reminder(key, keep_until):
            return "already_sent"
        try:
            self.mailer.send(email())
        except EmailNotSent as failure:
            logger.warning("reminder_failed", extra={"license_number": license_number, "error": str(failure)})
            self.reminder_log.release_reminder(key)
            return "failed"
        logger.info("reminder_sent", extra={"license_number": license_number, "key": key.rsplit("#", 1)[-1]})
        return "sent"

    def _policy_email(
        self, to: str, license_number: str, threshold: Threshold, expires_on: date, today: date
    ) -> EmailMessage:
        # System values only (the date is a validated date): not even the policy number a
        # contractor typed, which could have been typed by whoever held the account before staff
        # handed it back.
        day = _words(expires_on)
        left = (expires_on - today).days
        city = self.settings.city_name
        if threshold == "expires_soon":
            when, subject = (
                f"expires in {left} days, on {day}",
                f"{city}: your workers' compensation policy expires in {left} days",
            )
        elif expires_on == today:
            when, subject = f"expires today, {day}", f"{city}: your workers' compensation policy expires today"
        else:
            when, subject = f"expired on {day}", f"{city}: your workers' compensation policy has expired"
        return render(
            "workers_comp_reminder",
            to=to,
            license_number=license_number,
            subject=subject,
            values=self._values(license_number, when, day),
        )

    def _license_email(self, to: str, license_number: str, expires_on: date, today: date) -> EmailMessage:
        day = _words(expires_on)
        left = (expires_on - today).days
        return render(
            "license_reminder",
            to=to,
            license_number=license_number,
            subject=f"{self.settings.city_name}: your contractor's license expires in {left} days",
            values={
                **self._values(license_number, f"expires in {left} days, on {day}", day),
                "board": STATE_BOARD,
                "board_phone": STATE_BOARD_PHONE,
            },
        )

    def _values(self, license_number: str, when: str, day: str) -> dict[str, str]:
        return {
            "when_words": when,
            "license_number": license_number,
            "expires_on": day,
            "city_name": self.settings.city_name,
            "staff_phone_number": self.settings.staff_phone_number,
            "portal_url": str(self.portal.portal_url),
        }
