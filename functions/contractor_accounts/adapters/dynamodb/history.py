"""The account's history: its audit entries, newest first, read by Queries of its partition
(``CONTRACTOR#<license>``: the PROFILE item and its ``AUDIT#<time>#<id>`` entries)."""

from typing import Any

from contractor_accounts.adapters.dynamodb.items import (
    AUDIT,
    PROFILE,
    account_partition,
    audit_from,
    contractor_from,
    from_wire,
    to_wire,
)
from contractor_accounts.adapters.dynamodb.table import Operations
from contractor_accounts.domain.entities import AuditEntry, Contractor


class AccountHistory(Operations):
    def history(self, license_number: str, limit: int) -> list[AuditEntry]:
        """One Query of the audit entries alone: one page of ``limit``, newest first."""
        items = self._newest(license_number, "begins_with(sk, :audit)", {}, limit)
        return [audit_from(item) for item in items]

    def get_contractor_with_audit(self, license_number: str, limit: int) -> tuple[Contractor, list[AuditEntry]] | None:
        """One Query of the account's partition, newest first: between ``AUDIT#`` and ``PROFILE``
        (every other sort key prefix of the partition falls outside), PROFILE sorts last, so
        descending it comes first, then the newest audit entries: one page of ``limit + 1``."""
        items = self._newest(license_number, "sk BETWEEN :audit AND :profile", {":profile": PROFILE}, limit + 1)
        if not items or items[0]["sk"] != PROFILE:
            return None
        return contractor_from(items[0]), [audit_from(item) for item in items[1:] if item["sk"].startswith(AUDIT)]

    def _newest(self, license_number: str, sort_key: str, values: dict[str, Any], limit: int) -> list[dict[str, Any]]:
        response = self.table.client.query(
            TableName=self.table.name,
            KeyConditionExpression=f"pk = :pk AND {sort_key}",
            ExpressionAttributeValues=to_wire({":pk": account_partition(license_number), ":audit": AUDIT, **values}),
            ScanIndexForward=False,
            Limit=limit,
            ConsistentRead=True,
        )
        return [from_wire(item) for item in response.get("Items", [])]
