"""The state board's list as an import leaves it, for tests of what the service makes of it: on
the DynamoDB table (under moto) or in the fake alike. The import's own items (the license's
record, the list's item, and the license expiry index items its reminders read) are written as
``adapters.dynamodb`` shapes them."""

from dataclasses import replace
from datetime import date
from typing import Final

from contractor_accounts.domain.state_license import StateLicense

from tests.support.samples import BUSINESS_NAME, LICENSE

AS_OF: Final = date(2026, 3, 1)
# The sample contractor's license as the board lists it (tests/support/samples.py).
ACTIVE: Final = StateLicense(
    license_number=LICENSE,
    business_name=BUSINESS_NAME.upper(),
    primary_status="CLEAR",
    expires_on=date(2028, 3, 31),
    classifications=("B", "C-10"),
    as_of=AS_OF,
)


def board_record(license_number: str = LICENSE, **changes: object) -> StateLicense:
    """The sample record for ``license_number``, with ``changes``."""
    return replace(ACTIVE, license_number=license_number, **changes)  # type: ignore[arg-type]


def loaded(records: object, *held: StateLicense) -> None:
    """The list as an import leaves it: its records, their expiry index items, and the list's own
    item. ``records``: an in-memory fake (``tests.unit.fakes``), or anything else for the table
    the environment names (moto)."""
    if hasattr(records, "records") and hasattr(records, "loaded"):  # the fake
        records.records.update({record.license_number: record for record in held})
        records.loaded = True
        return
    import boto3
    from contractor_accounts.adapters.dynamodb.items import to_wire
    from contractor_accounts.adapters.dynamodb.license_items import (
        LICENSE_LIST_KEY,
        license_expiry_item,
        state_license_item,
    )

    from tests.support.environment import TABLE_NAME

    items = [state_license_item(record) for record in held]
    items += [license_expiry_item(r.license_number, r.expires_on) for r in held if r.expires_on is not None]
    client = boto3.client("dynamodb")
    for item in [*items, {**LICENSE_LIST_KEY, "as_of": AS_OF.isoformat()}]:
        client.put_item(TableName=TABLE_NAME, Item=to_wire(item))
