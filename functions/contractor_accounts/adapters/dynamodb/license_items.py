"""The items the license list adds beside the accounts (contract v3), keys and shapes:

  PENDING_REVIEW / <registered_at>#<license>   an account waiting for staff ``approve``: written in
                                              the registration's transaction, deleted in approve's
  LICENSE_EXPIRY#<YYYY-MM-DD> / <license>      a license the board's list has expiring that day:
                                              written by the import (LicenseDataFunction) beside the
                                              license's record, moved when the expiry changes

Both are index items in the one table rather than a GSI: a Query of one partition finds them (the
pending list oldest first by its sort key; a day's expiring licenses), and a deployed table takes
only one GSI change per release."""

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from contractor_accounts.adapters.dynamodb.items import format_time, parse_time
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.license_check import PendingReview
from contractor_accounts.domain.state_license import StateLicense

PENDING_REVIEW: Final = "PENDING_REVIEW"
LICENSE_EXPIRY: Final = "LICENSE_EXPIRY#"


def pending_review_key(license_number: str, registered_at_text: str) -> dict[str, str]:
    return {"pk": PENDING_REVIEW, "sk": f"{registered_at_text}#{license_number}"}


def pending_review_item(contractor: Contractor) -> dict[str, Any]:
    registered_at = format_time(contractor.created_at)
    return {
        **pending_review_key(contractor.license_number, registered_at),
        "item_type": "pending_review",
        "license_number": contractor.license_number,
        "business_name": contractor.business_name,
        "registered_at": registered_at,
    }


def pending_review_from(item: Mapping[str, Any]) -> PendingReview:
    registered_at = parse_time(item["registered_at"])
    if registered_at is None:
        raise ValueError(f"not a pending review item: {item!r}")
    return PendingReview(str(item["license_number"]), str(item["business_name"]), registered_at)


def license_expiry_partition(day: date) -> str:
    return f"{LICENSE_EXPIRY}{day.isoformat()}"


def license_expiry_item(license_number: str, expires_on: date) -> dict[str, Any]:
    """What the import writes for each listed license with an expiry date."""
    return {
        "pk": license_expiry_partition(expires_on),
        "sk": license_number,
        "item_type": "license_expiry",
        "license_number": license_number,
    }


# The state board's records (the import writes them; registration and the dashboard read them).


def license_key(license_number: str) -> dict[str, str]:
    """The state board's record of a license (its own item, beside the account)."""
    return {"pk": f"LICENSE#{license_number}", "sk": "STATE"}


# The list as a whole: the date of the last file imported (absent until the first one).
LICENSE_LIST_KEY: Final = {"pk": "LICENSE_LIST", "sk": "STATE"}


def _optional_date(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def state_license_item(record: StateLicense) -> dict[str, Any]:
    return {
        **license_key(record.license_number),
        "item_type": "state_license",
        "license_number": record.license_number,
        "business_name": record.business_name,
        "primary_status": record.primary_status,
        "secondary_status": record.secondary_status,
        "expires_on": record.expires_on.isoformat() if record.expires_on else None,
        "classifications": list(record.classifications) or None,
        "as_of": record.as_of.isoformat(),
        "wc_carrier": record.workers_comp_carrier,
        "wc_policy_number": record.workers_comp_policy_number,
        "wc_expires_on": record.workers_comp_expires_on.isoformat() if record.workers_comp_expires_on else None,
    }


def state_license_from(item: Mapping[str, Any]) -> StateLicense:
    return StateLicense(
        license_number=str(item["license_number"]),
        business_name=str(item["business_name"]),
        primary_status=str(item["primary_status"]),
        expires_on=_optional_date(item.get("expires_on")),
        classifications=tuple(item.get("classifications") or ()),
        as_of=date.fromisoformat(str(item["as_of"])),
        secondary_status=item.get("secondary_status"),
        workers_comp_carrier=item.get("wc_carrier"),
        workers_comp_policy_number=item.get("wc_policy_number"),
        workers_comp_expires_on=_optional_date(item.get("wc_expires_on")),
    )
