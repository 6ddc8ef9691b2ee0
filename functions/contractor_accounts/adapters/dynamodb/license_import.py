"""The license import's writes (``LicenseWrites``): each changed license put whole in a
BatchWriteItem of up to 25 (unprocessed items sent again, with backoff), the licenses that left
the list marked NOT LISTED (kept, never deleted), and the list's own item, put last.

Items: ``state_license_item`` (license_items.py) plus ``row_digest``, the digest of the row it was read
from (16 hex digits); the list's item (``LICENSE_LIST_KEY``) with ``as_of`` and the last whole
import's facts. Both additions live here, beside the only code that writes them."""

import random
import time
from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any, Final

from contractor_accounts.adapters.dynamodb.items import format_time, to_wire
from contractor_accounts.adapters.dynamodb.license_items import LICENSE_LIST_KEY, license_key, state_license_item
from contractor_accounts.adapters.dynamodb.table import Operations, Update, conditional
from contractor_accounts.domain.state_license import NOT_LISTED, StateLicense
from contractor_accounts.ports.license_import import ImportFacts

ROW_DIGEST: Final = "row_digest"
_ATTEMPTS: Final = 8  # BatchWriteItem calls for one batch before the import fails (and can be rerun)
_BACKOFF_SECONDS: Final = 0.05


def imported_license_item(record: StateLicense, digest: int) -> dict[str, Any]:
    return {**state_license_item(record), ROW_DIGEST: f"{digest:016x}"}


def license_list_item(facts: ImportFacts) -> dict[str, Any]:
    return {
        **LICENSE_LIST_KEY,
        "item_type": "license_list",
        "as_of": facts.as_of.isoformat(),
        "file_key": facts.file.key,
        "file_version": facts.file.version_id,
        "rows": facts.rows,
        "rows_written": facts.written,
        "rows_unchanged": facts.unchanged,
        "rows_skipped": facts.skipped,
        "not_listed": facts.not_listed,
        "imported_at": format_time(facts.imported_at),
    }


class UnprocessedLicenses(RuntimeError):
    """DynamoDB left items of a batch unwritten through every retry (throttled): the import stops
    at its last saved progress and is rerun."""


class DynamoDBLicenseWrites(Operations):
    def put_licenses(self, records: Sequence[tuple[StateLicense, int]]) -> None:
        self._batch([imported_license_item(record, digest) for record, digest in records])

    def mark_not_listed(self, license_numbers: Sequence[str], as_of: date) -> None:
        for license_number in license_numbers:
            update = Update(
                license_key(license_number),
                sets=["primary_status = :not_listed", "as_of = :as_of"],
                removes=[ROW_DIGEST],
                condition="attribute_exists(pk) AND primary_status <> :not_listed",
                values={":not_listed": NOT_LISTED, ":as_of": as_of.isoformat()},
            )
            # Marked already (a rerun), or never imported: nothing to do.
            conditional(partial(self.table.write, self.table.update(update)))

    def record_import(self, facts: ImportFacts) -> None:
        self._batch([license_list_item(facts)])

    def _batch(self, items: list[dict[str, Any]]) -> None:
        request: dict[str, Any] = {self.table.name: [{"PutRequest": {"Item": to_wire(item)}} for item in items]}
        for attempt in range(_ATTEMPTS):
            unprocessed = self.table.client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
            if not unprocessed:
                return
            request = dict(unprocessed)
            time.sleep(random.uniform(0, _BACKOFF_SECONDS * 2**attempt))  # noqa: S311 - jitter, not a secret
        raise UnprocessedLicenses(f"{len(request.get(self.table.name, []))} license items left unwritten")
