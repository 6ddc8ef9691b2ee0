"""The account's activity (contract v3, "Notices and the account's activity"): the events a
contractor sees, which of them send a notice, and the staff actions shown beside them.

A contractor's change is recorded as an activity record in the same write as the change (the
store's ``activity`` items, kept ``policy.ACTIVITY_DAYS``); a staff action keeps only its audit
entry (kept as long as before) and is shown from it, in the past tense. Notices go from the
records that ask for one (``notice``), sent after the request by the notice function."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from contractor_accounts.domain.entities import AuditEntry, Contractor
from contractor_accounts.domain.policy import ACTIVITY_DAYS, ACTIVITY_SHOWN

# A contractor's audited action -> its event (the audit action names stay as they were).
CONTRACTOR_EVENTS: Final = {
    "account_registered": "registered",
    "signed_in": "signed_in",
    "signed_in_with_passkey": "signed_in_with_passkey",
    "password_changed": "password_changed",
    "password_reset_by_email": "password_reset",
    "password_set_at_first_sign_in": "first_password_set",
    "email_change_requested": "email_change_requested",
    "email_verified": "email_verified",
    # A verified link that changed the address (the audit says which): the new one is verified.
    "email_changed": "email_verified",
    "security_question_changed": "security_question_changed",
    "passkey_added": "passkey_added",
    "passkey_removed": "passkey_removed",
    "signed_out_everywhere": "signed_out_everywhere",
    "contact_updated": "profile_updated",
}
# A staff action (its audit entry) -> the event shown, in the past tense.
STAFF_EVENTS: Final = {
    "temporary_password_issued": "temporary_password_issued",
    "issue_temporary_password": "temporary_password_issued",
    "unlocked": "unlocked",
    "unlock": "unlocked",
    "disabled": "disabled",
    "disable": "disabled",
    "enabled": "enabled",
    "enable": "enabled",
    "contact_updated": "contact_updated",
    "update_contact": "contact_updated",
    "approved": "approved",
    "approve": "approved",
    "passkeys_removed": "passkeys_removed",
    "remove_passkeys": "passkeys_removed",
}
# The events that always send a notice (NIST SP 800-63B rev 4, 4.1.2.1 and 4.6). A sign-in sends
# one only from a browser not seen before (no live device token; a passkey's first use).
NOTICE_EVENTS: Final = frozenset(
    {
        "password_changed",
        "password_reset",
        "security_question_changed",
        "email_change_requested",
        "signed_out_everywhere",
        "passkey_added",
        "passkey_removed",
    }
)
SIGN_IN_EVENTS: Final = frozenset({"signed_in", "signed_in_with_passkey"})


@dataclass(frozen=True, slots=True)
class Activity:
    """One recorded event of the account: who did it, from which browser (the User-Agent as
    sent, cut to ``policy.USER_AGENT_KEPT``: only the parser reads it, never an email) and
    address; ``notice``: a notice goes for it; ``notice_to``: the address it goes to when that
    is not the account's verified one (an email change tells the old address)."""

    license_number: str
    event: str
    at: datetime
    by: Literal["contractor", "staff"] = "contractor"
    user_agent: str | None = None
    ip: str | None = None
    notice: bool = False
    notice_to: str | None = None


def activity_of(
    audit: AuditEntry,
    user_agent: str | None,
    ip: str | None,
    *,
    notice: bool | None = None,
    notice_to: str | None = None,
) -> Activity | None:
    """The activity record of a contractor's audited change (None for staff's: their audit entry
    is their record). ``notice`` overrides the event's rule (a sign-in from a new browser)."""
    event = CONTRACTOR_EVENTS.get(audit.action)
    if audit.actor != "contractor" or event is None:
        return None
    return Activity(
        audit.license_number,
        event,
        audit.at,
        "contractor",
        user_agent,
        ip,
        event in NOTICE_EVENTS if notice is None else notice,
        notice_to,
    )


def staff_activity(audit: AuditEntry) -> Activity | None:
    """A staff action's audit entry as the activity shows it (None for what is not shown)."""
    event = STAFF_EVENTS.get(audit.action)
    if audit.actor == "contractor" or event is None:
        return None
    return Activity(audit.license_number, event, audit.at, "staff")


def address_told_of_change(contractor: Contractor) -> str | None:
    """The old address an email change tells: the account's verified one, unless mail to it
    bounced or was reported as spam."""
    if not contractor.email_verified or not contractor.email or contractor.email == contractor.undeliverable_email:
        return None
    return contractor.email


def failed_sign_ins_since_last_success(contractor: Contractor) -> int:
    """The password failures judged since the last success: the account's own count (reset by a
    success) and each trusted device's (reset by a success through it)."""
    return contractor.failed_login_count + sum(device.failures for device in contractor.trusted_devices)


def shown(audit: list[AuditEntry], activity: list[Activity], since: datetime, limit: int) -> list[Activity]:
    """What the account's activity shows: the contractor's records and the staff actions of the
    audit trail, at or after ``since``, the newest ``limit`` of them, newest first."""
    staff = [found for found in map(staff_activity, audit) if found is not None]
    kept = [record for record in activity + staff if record.at >= since]
    return sorted(kept, key=lambda record: record.at, reverse=True)[:limit]


@dataclass(frozen=True, slots=True)
class ActivityReport:
    """``GET /me/activity`` (and staff ``get``): the events shown and the failures since the last
    successful sign-in."""

    events: list[Activity]
    failed_sign_ins_since_last_success: int


def report(contractor: Contractor, audit: list[AuditEntry], activity: list[Activity], now: datetime) -> ActivityReport:
    """The account's activity as shown: the last ``policy.ACTIVITY_DAYS``, the newest
    ``policy.ACTIVITY_SHOWN``."""
    since = now - timedelta(days=ACTIVITY_DAYS)
    return ActivityReport(shown(audit, activity, since, ACTIVITY_SHOWN), failed_sign_ins_since_last_success(contractor))
