"""Email as a port, and the SES adapter.

Emails are rendered in code from the files in ``email_templates/`` (the single source;
no SES template resources to keep in step), as plain text and HTML."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files
from string import Template
from typing import TYPE_CHECKING, Protocol

from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    text: str
    html: str


class EmailNotSent(Exception):
    """SES refused or failed; the caller decides what the contractor sees."""


class Mailer(Protocol):
    def send(self, email: Email) -> None:
        """Raises EmailNotSent."""
        ...


@cache
def _template(name: str) -> Template:
    return Template(files("contractor_accounts.email_templates").joinpath(name).read_text(encoding="utf-8"))


def render(template: str, to: str, subject: str, values: dict[str, str]) -> Email:
    """``template`` names a pair of files, ``<template>.txt`` and ``<template>.html``."""
    return Email(
        to=to,
        subject=subject,
        text=_template(f"{template}.txt").substitute(values),
        html=_template(f"{template}.html").substitute({key: escape(value) for key, value in values.items()}),
    )


class SesMailer:
    """``client`` is a factory: the SES client is built on the first email, not at cold start."""

    def __init__(self, client: "Callable[[], SESV2Client]", sender: str, configuration_set: str) -> None:
        self._client = client
        self._sender = sender
        self._configuration_set = configuration_set

    def send(self, email: Email) -> None:
        try:
            self._client().send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": [email.to]},
                Content={
                    "Simple": {
                        "Subject": {"Data": email.subject, "Charset": "UTF-8"},
                        "Body": {
                            "Text": {"Data": email.text, "Charset": "UTF-8"},
                            "Html": {"Data": email.html, "Charset": "UTF-8"},
                        },
                    }
                },
                ConfigurationSetName=self._configuration_set,
            )
        except (ClientError, BotoCoreError) as error:
            raise EmailNotSent(type(error).__name__) from error
