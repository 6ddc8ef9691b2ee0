"""The port of the reminders sent (``use_cases.reminders``): each reminder is claimed before it
is sent, so however often or concurrently the job runs, it goes out once."""

from datetime import datetime
from typing import Protocol


class ReminderLog(Protocol):
    def claim_reminder(self, key: str, keep_until: datetime) -> bool:
        """Records that the reminder ``key`` (policy and threshold) is being sent; False when it
        already was (a conditional put: of two concurrent runs, one wins). The record may be
        forgotten after ``keep_until``."""
        ...

    def release_reminder(self, key: str) -> None:
        """Undoes ``claim_reminder`` when the email could not be sent, so a later run retries."""
        ...
