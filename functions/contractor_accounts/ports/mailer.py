"""Sending email, as a port (SES in ``adapters.ses_mailer``; a recording fake in the tests)."""

from typing import Protocol

from contractor_accounts.domain.emails import EmailMessage


class EmailNotSent(Exception):
    """SES refused or failed; the caller decides what the contractor sees."""


class Mailer(Protocol):
    def send(self, email: EmailMessage) -> None:
        """Raises EmailNotSent."""
        ...
