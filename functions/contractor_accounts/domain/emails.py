"""The emails the service sends, rendered in code from the files in ``email_templates/`` (the
single source; no SES template resources to keep in step), as plain text and HTML. Sending is
the ``Mailer`` port's."""

from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files
from string import Template

# The name of the tag a mailer gives each send (the license number); SES hands it back in
# bounce and complaint events (``mail.tags``, see ``deliverability``).
LICENSE_TAG = "license_number"


@dataclass(frozen=True, slots=True)
class EmailMessage:
    to: str
    subject: str
    text: str
    html: str
    # The account it is about: the send is tagged with it, so a bounce or complaint names the
    # account without any lookup by address.
    license_number: str | None = None


@cache
def _template(name: str) -> Template:
    return Template(files("contractor_accounts.email_templates").joinpath(name).read_text(encoding="utf-8"))


def render(
    template: str, to: str, subject: str, values: dict[str, str], license_number: str | None = None
) -> EmailMessage:
    """``template`` names a pair of files, ``<template>.txt`` and ``<template>.html``."""
    return EmailMessage(
        to=to,
        subject=subject,
        text=_template(f"{template}.txt").substitute(values),
        html=_template(f"{template}.html").substitute({key: escape(value) for key, value in values.items()}),
        license_number=license_number,
    )
