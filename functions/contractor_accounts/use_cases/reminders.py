"""Workers' compensation reminders: once a day, each contractor with a verified email whose
policy expires in REMINDER_DAYS_BEFORE_EXPIRY days, or today, gets an email; once per policy and
threshold, however often or concurrently the job runs.

Only the accounts due that day are read (a Query on the sparse expiry index, never a Scan).
Each reminder is claimed with a conditional write before it is sent, so of two runs only one
sends it; a send that fails releases the claim, and the next run tries again."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from contractor_accounts.domain.emails import EmailMessage, render
from contractor_accounts.domain.entities import PolicyHolder
from contractor_accounts.domain.errors import ValidationFailed
from contractor_accounts.domain.policy import REMINDER_CATCH_UP_DAYS, REMINDER_DAYS_BEFORE_EXPIRY
from contractor_accounts.domain.workers_comp import city_today
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.mailer import EmailNotSent, Mailer
from contractor_accounts.ports.reminder_log import ReminderLog
from contractor_accounts.ports.store import ContractorStore
from contractor_accounts.settings import Settings

Threshold = Literal["expires_soon", "expires_today"]
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


@dataclass(frozen=True)
class WorkersCompReminders:
    store: ContractorStore
    reminder_log: ReminderLog
    clock: Clock
    mailer: Mailer
    settings: Settings

    def run(self, requested_day: date | None = None) -> ReminderRun:
        today = run_day(requested_day, city_today(self.clock.now(), self.settings.zone))
        counts = {"sent": 0, "already_sent": 0, "failed": 0, "not_eligible": 0}
        due: list[tuple[Threshold, date]] = [
            ("expires_soon", today + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY)),
            ("expires_today", today),
        ]
        for threshold, expires_on in due:
            for holder in self.store.policy_holders_expiring_on(expires_on):
                counts[self._remind(holder, threshold, expires_on)] += 1
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
            thresholds={threshold: day.isoformat() for threshold, day in due},
        )

    def _remind(self, holder: PolicyHolder, threshold: Threshold, expires_on: date) -> str:
        if holder.deliverable_email is None or not holder.email_verified or holder.account_status != "active":
            return "not_eligible"
        key = reminder_key(holder, threshold)
        keep_until = datetime.combine(expires_on, time(), tzinfo=UTC) + _CLAIM_KEPT_AFTER_EXPIRY
        if not self.reminder_log.claim_reminder(key, keep_until):
            return "already_sent"
        try:
            self.mailer.send(self._email(holder, threshold, expires_on))
        except EmailNotSent as failure:
            logger.warning("reminder_failed", extra={"license_number": holder.license_number, "error": str(failure)})
            self.reminder_log.release_reminder(key)
            return "failed"
        logger.info("reminder_sent", extra={"license_number": holder.license_number, "threshold": threshold})
        return "sent"

    def _email(self, holder: PolicyHolder, threshold: Threshold, expires_on: date) -> EmailMessage:
        # System values only (the date is a validated date): not even the policy number a
        # contractor typed, which could have been typed by whoever held the account before staff
        # handed it back.
        day = f"{expires_on:%B} {expires_on.day}, {expires_on.year}"
        when = (
            f"expires in {REMINDER_DAYS_BEFORE_EXPIRY} days, on {day}"
            if threshold == "expires_soon"
            else f"expires today, {day}"
        )
        subject = (
            f"{self.settings.city_name}: your workers' compensation policy expires in "
            f"{REMINDER_DAYS_BEFORE_EXPIRY} days"
            if threshold == "expires_soon"
            else f"{self.settings.city_name}: your workers' compensation policy expires today"
        )
        return render(
            "workers_comp_reminder",
            to=str(holder.deliverable_email),
            license_number=holder.license_number,
            subject=subject,
            values={
                "when_words": when,
                "license_number": holder.license_number,
                "expires_on": day,
                "city_name": self.settings.city_name,
                "staff_phone_number": self.settings.staff_phone_number,
            },
        )
