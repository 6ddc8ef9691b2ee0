"""The account's history: its audit entries, newest first, read by one Query of its partition
(``CONTRACTOR#<license>``: the PROFILE item and its ``AUDIT#<time>#<id>`` entries)."""

from contractor_accounts.adapters.dynamodb.items import AUDIT, PROFILE, account_partition, audit_from, contractor_from
from contractor_accounts.adapters.dynamodb.table import Operations
from contractor_accounts.domain.entities import AuditEntry, Contractor


class AccountHistory(Operations):
    def history(self, license_number: str, limit: int) -> list[AuditEntry]:
        """The audit entries alone: one page of ``limit``, newest first."""
        items = self.table.query(
            "pk = :pk AND begins_with(sk, :audit)",
            {":pk": account_partition(license_number), ":audit": AUDIT},
            limit=limit,
            descending=True,
        )
        return [audit_from(item) for item in items]

    def get_contractor_with_audit(self, license_number: str, limit: int) -> tuple[Contractor, list[AuditEntry]] | None:
        """Between ``AUDIT#`` and ``PROFILE`` (every other sort key prefix of the partition falls
        outside), PROFILE sorts last, so descending it comes first, then the newest audit entries:
        one page of ``limit + 1``."""
        items = self.table.query(
            "pk = :pk AND sk BETWEEN :audit AND :profile",
            {":pk": account_partition(license_number), ":audit": AUDIT, ":profile": PROFILE},
            limit=limit + 1,
            descending=True,
        )
        if not items or items[0]["sk"] != PROFILE:
            return None
        return contractor_from(items[0]), [audit_from(item) for item in items[1:] if item["sk"].startswith(AUDIT)]
