"""What registration makes of the state board's list (the ``StateLicenseCheck`` setting, contract
v3), and what ``POST /contractors/check`` answers: the same decision, so the early check says
nothing the 409s and 422s of a registration do not."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.state_license import LicenseLookup

LicenseCheck = Literal["off", "review", "required"]
# "ok": registers as usual; "pending": registers as pending_review (the list lacks it, "review");
# "not_active" / "not_found": refused (422).
Standing = Literal["ok", "pending", "not_active", "not_found"]
CheckStatus = Literal["available", "registered", "on_file", "not_active", "not_found"]


def license_standing(lookup: LicenseLookup | None, today: date, check: LicenseCheck) -> Standing:
    """Nothing is checked with ``off`` or until a first list is loaded (``lookup`` None: not read)."""
    if check == "off" or lookup is None or not lookup.list_loaded:
        return "ok"
    if lookup.record is None:
        return "not_found" if check == "required" else "pending"
    return "ok" if lookup.record.is_active(today) else "not_active"


def check_status(existing: Contractor | None, standing: Standing) -> CheckStatus:
    """The early check's answer: the 409s first (as registration), then the list's."""
    if existing is not None:
        return "on_file" if existing.password_state != "set" else "registered"
    if standing in ("not_active", "not_found"):
        return standing
    # "pending" registers (for staff review): the list lacks it, as with "required".
    return "not_found" if standing == "pending" else "available"


@dataclass(frozen=True, slots=True)
class PendingReview:
    """An account waiting for staff ``approve``, as the pending list keeps it: the business name as
    typed at registration (what the name comparison is about)."""

    license_number: str
    business_name: str
    registered_at: datetime


@dataclass(frozen=True, slots=True)
class AccountAndLicense:
    """A license number's account (None: none yet) and the board's record, read together."""

    account: Contractor | None
    lookup: LicenseLookup
