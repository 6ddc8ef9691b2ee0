"""The contractor's own account: what the dashboard shows and the rules behind it."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from contractor_accounts.clock import Clock
from contractor_accounts.entities import Contractor
from contractor_accounts.policy import EXPIRING_SOON_DAYS
from contractor_accounts.settings import Settings
from contractor_accounts.signin import Sessions

WorkersCompStatus = Literal["valid", "expiring_soon", "expired", "exempt"]


def workers_comp_status(workers_comp: dict[str, object], today: date) -> WorkersCompStatus:
    if workers_comp.get("exempt"):
        return "exempt"
    expires_on = date.fromisoformat(str(workers_comp["expires_on"]))
    if expires_on < today:
        return "expired"
    if expires_on <= today + timedelta(days=EXPIRING_SOON_DAYS):
        return "expiring_soon"
    return "valid"


def city_today(clock: Clock, settings: Settings) -> date:
    """ "Today" in the city's time zone (workers' compensation expiry is a local date)."""
    return clock.now().astimezone(settings.zone).date()


@dataclass(frozen=True, slots=True)
class Dashboard:
    contractor: Contractor
    today: date


@dataclass(frozen=True)
class OwnAccount:
    sessions: Sessions
    clock: Clock
    settings: Settings

    def dashboard(self, token: str | None) -> Dashboard:
        return Dashboard(self.sessions.authenticate(token), city_today(self.clock, self.settings))
