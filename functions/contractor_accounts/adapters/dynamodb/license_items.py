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
