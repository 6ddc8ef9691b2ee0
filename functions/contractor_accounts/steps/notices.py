"""Notices to the contractor's verified address about what happened to the account (best
effort: the change stands whether or not the email goes). Only the city's words, the license
number and the time: never text someone typed."""

from datetime import datetime

from contractor_accounts.domain.emails import render
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.mailer import EmailNotSent, Mailer
from contractor_accounts.settings import Settings


def notify_password_changed(mailer: Mailer, settings: Settings, contractor: Contractor, at: datetime) -> None:
    """The "password changed" email, to a verified address only (best effort). Like the reset
    email: only the city's words, the license number and the time."""
    if not contractor.email_verified or contractor.deliverable_email is None:
        return
    changed_at = at.astimezone(settings.zone).strftime("%B %d, %Y at %I:%M %p %Z")
    subject = f"{settings.city_name}: your permit portal password was changed"
    _send(
        mailer,
        settings,
        "password_changed",
        contractor.deliverable_email,
        contractor,
        subject,
        changed_at=changed_at,
        passkeys_sentence=passkeys_sentence(len(contractor.passkeys)),
    )


def passkeys_sentence(count: int) -> str:
    """Contract v3: a password change keeps the passkeys, and its email says how many there are."""
    if count == 0:
        return ""
    them = "one passkey; it" if count == 1 else f"{count} passkeys; they"
    return f"The account has {them} still sign in (remove any you do not recognise on My Account)."


def notify_email_change(mailer: Mailer, settings: Settings, contractor: Contractor, old_address: str) -> None:
    """Tells a verified old address that a change to another was asked for (no link; best effort)."""
    if old_address == contractor.undeliverable_email:
        return  # it bounced or was reported as spam: nothing more goes there
    subject = f"{settings.city_name}: a change of your email address was requested"
    _send(mailer, settings, "email_change_notice", old_address, contractor, subject)


def _send(
    mailer: Mailer, settings: Settings, template: str, to: str, contractor: Contractor, subject: str, **values: str
) -> None:
    """One notice, with the city's name and phone and the license number; a failed send is logged
    and counted, never raised: the change stands either way."""
    email = render(
        template,
        to=to,
        license_number=contractor.license_number,
        subject=subject,
        values={
            "license_number": contractor.license_number,
            "city_name": settings.city_name,
            "staff_phone_number": settings.staff_phone_number,
            **values,
        },
    )
    try:
        mailer.send(email)
    except EmailNotSent as failure:
        logger.warning("notice_email_failed", extra={"notice": template, "error": str(failure)})
        metrics.add_metric(name="NoticeEmailFailed", unit="Count", value=1)
