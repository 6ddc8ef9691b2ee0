"""Workers' compensation: the status the dashboard shows, and the rule for a policy entered by a
contractor or staff. Expiry is a local date: "today" is the city's (``city_today``)."""

from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from contractor_accounts.domain.errors import ValidationFailed
from contractor_accounts.domain.policy import EXPIRING_SOON_DAYS
from contractor_accounts.domain.values import WorkersComp, WorkersCompPolicy

WorkersCompStatus = Literal["valid", "expiring_soon", "expired", "exempt"]


def city_today(now: datetime, zone: tzinfo) -> date:
    """ "Today" in the city's time zone."""
    return now.astimezone(zone).date()


def workers_comp_status(workers_comp: WorkersComp, today: date) -> WorkersCompStatus:
    if not isinstance(workers_comp, WorkersCompPolicy):
        return "exempt"
    if workers_comp.expires_on < today:
        return "expired"
    if workers_comp.expires_on <= today + timedelta(days=EXPIRING_SOON_DAYS):
        return "expiring_soon"
    return "valid"


def check_workers_comp(workers_comp: WorkersComp | None, today: date) -> None:
    """A policy entered by a contractor or staff must not have expired (the city's today)."""
    if isinstance(workers_comp, WorkersCompPolicy) and workers_comp.expires_on < today:
        raise ValidationFailed(
            fields={"workers_comp.expires_on": "The policy has expired; enter a current policy (today or later)."}
        )
