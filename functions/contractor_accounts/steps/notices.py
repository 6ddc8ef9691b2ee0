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
    local = at.astimezone(settings.zone)
    email = render(
        "password_changed",
        to=contractor.deliverable_email,
        license_number=contractor.license_number,
        subject=f"{settings.city_name}: your permit portal password was changed",
        values={
            "license_number": contractor.license_number,
            "city_name": settings.city_name,
            "staff_phone_number": settings.staff_phone_number,
            "changed_at": local.strftime("%B %d, %Y at %I:%M %p %Z"),
        },
    )
    try:
        mailer.send(email)
    except EmailNotSent as failure:
        # The password is changed either way; the notice is best effort.
        logger.warning("password_changed_notice_failed", extra={"error": str(failure)})
        metrics.add_metric(name="NoticeEmailFailed", unit="Count", value=1)


def notify_email_change(mailer: Mailer, settings: Settings, contractor: Contractor, old_address: str) -> None:
    """Tells a verified old address that a change to another was asked for (no link; best effort)."""
    if old_address == contractor.undeliverable_email:
        return  # it bounced or was reported as spam: nothing more goes there
    email = render(
        "email_change_notice",
        to=old_address,
        license_number=contractor.license_number,
        subject=f"{settings.city_name}: a change of your email address was requested",
        values={
            "license_number": contractor.license_number,
            "city_name": settings.city_name,
            "staff_phone_number": settings.staff_phone_number,
        },
    )
    try:
        mailer.send(email)
    except EmailNotSent as failure:
        logger.warning("email_change_notice_failed", extra={"error": str(failure)})
        metrics.add_metric(name="NoticeEmailFailed", unit="Count", value=1)
