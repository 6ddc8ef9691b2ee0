"""The account's activity: its items (``CONTRACTOR#<license> / ACTIVITY#<time>#<id>``, TTL'd at
``policy.ACTIVITY_DAYS``; the table's stream hands those with ``notice`` to the notice function),
the one helper every write adds its record with, and the read of the account with its activity.

``recorded(table, audit)`` is the whole of a write site's change: the write's transaction items
get ``*recorded(self.table, audit)`` (nothing for a staff action: its audit entry is its record).
The caller (User-Agent, address) is the request's (``observability.caller``)."""

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from contractor_accounts.adapters.dynamodb.items import (
    AUDIT,
    PROFILE,
    account_partition,
    audit_from,
    contractor_from,
    format_time,
    parse_time,
)
from contractor_accounts.adapters.dynamodb.table import Operations, Table
from contractor_accounts.domain.activity import Activity, activity_of
from contractor_accounts.domain.entities import AuditEntry, Contractor
from contractor_accounts.domain.policy import ACTIVITY_DAYS
from contractor_accounts.observability import caller

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

ACTIVITY: Final = "ACTIVITY#"


def activity_item(record: Activity, suffix: str) -> dict[str, Any]:
    """The item of one activity record (``suffix``: random, to keep records of one instant apart)."""
    return {
        "pk": account_partition(record.license_number),
        "sk": f"{ACTIVITY}{format_time(record.at)}#{suffix}",
        "item_type": "activity",
        "license_number": record.license_number,
        "event": record.event,
        "at": format_time(record.at),
        "user_agent": record.user_agent,
        "ip": record.ip,
        # Only on the records a notice goes for: the stream's filter matches it.
        "notice": True if record.notice else None,
        "notice_to": record.notice_to,
        "expires_at_epoch": int((record.at + timedelta(days=ACTIVITY_DAYS)).timestamp()),
    }


def activity_from(item: dict[str, Any]) -> Activity:
    at = parse_time(item["at"])
    if at is None:
        raise ValueError(f"an activity item without a time: {item.get('sk')!r}")
    return Activity(
        license_number=str(item["license_number"]),
        event=str(item["event"]),
        at=at,
        user_agent=item.get("user_agent"),
        ip=item.get("ip"),
        notice=bool(item.get("notice")),
        notice_to=item.get("notice_to"),
    )


def recorded(
    table: Table, audit: AuditEntry, *, notice: bool | None = None, notice_to: str | None = None
) -> list["TransactWriteItemTypeDef"]:
    """The activity record of a contractor's audited change, as transaction items to add to the
    change's own write (none for a staff action). ``notice`` overrides the event's rule."""
    record = activity_of(audit, *caller(), notice=notice, notice_to=notice_to)
    if record is None:
        return []
    # A random suffix keeps two records of the same microsecond apart.
    return [table.put(activity_item(record, secrets.token_hex(4)))]


class AccountActivities(Operations):
    def contractor_with_activity(
        self, license_number: str, since: datetime
    ) -> tuple[Contractor, list[AuditEntry], list[Activity]] | None:
        """The account, every audit entry and the activity records since ``since``, in one Query
        of the partition from ``ACTIVITY#<since>`` to ``PROFILE`` (``ACTIVITY#`` < ``AUDIT#`` <
        ``PROFILE``): the account, its audit trail (staff actions are shown from it) and its
        activity records, newest first within each."""
        items = self.table.query(
            "pk = :pk AND sk BETWEEN :since AND :profile",
            {":pk": account_partition(license_number), ":since": ACTIVITY + format_time(since), ":profile": PROFILE},
            descending=True,
        )
        if not items or items[0]["sk"] != PROFILE:
            return None
        audit = [audit_from(item) for item in items if item["sk"].startswith(AUDIT)]
        activity = [activity_from(item) for item in items if item["sk"].startswith(ACTIVITY)]
        return contractor_from(items[0]), audit, activity
