"""The ``LicenseChecks`` port on the table: BatchGetItem for the account with its license (one
consistent read of three items) and for records by the hundred, a Query of one partition for the
pending list and for a day's expiring licenses (``license_items``). Never a Scan."""

from collections.abc import Sequence
from datetime import date
from itertools import batched
from typing import Final

from contractor_accounts.adapters.dynamodb.items import account_partition, contractor_from, contractor_key
from contractor_accounts.adapters.dynamodb.license_items import (
    LICENSE_LIST_KEY,
    PENDING_REVIEW,
    license_expiry_partition,
    license_key,
    pending_review_from,
    state_license_from,
)
from contractor_accounts.adapters.dynamodb.table import Operations
from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.license_check import AccountAndLicense, PendingReview
from contractor_accounts.domain.state_license import LicenseLookup, StateLicense

# BatchGetItem's limit of keys per call.
_BATCH: Final = 100


class DynamoDBLicenseChecks(Operations):
    def account_and_license(self, license_number: str) -> AccountAndLicense:
        # Consistent: the account decides the 409s (the transaction's condition still guards a race).
        items = self.table.get_many(
            [contractor_key(license_number), license_key(license_number), dict(LICENSE_LIST_KEY)], consistent=True
        )
        by_pk = {item["pk"]: item for item in items}
        account = by_pk.get(account_partition(license_number))
        record = by_pk.get(license_key(license_number)["pk"])
        return AccountAndLicense(
            account=contractor_from(account) if account else None,
            lookup=LicenseLookup(
                list_loaded=LICENSE_LIST_KEY["pk"] in by_pk,
                record=state_license_from(record) if record else None,
            ),
        )

    def licenses(self, license_numbers: Sequence[str]) -> dict[str, StateLicense]:
        found: dict[str, StateLicense] = {}
        for chunk in batched(dict.fromkeys(license_numbers), _BATCH, strict=False):
            for item in self.table.get_many([license_key(number) for number in chunk]):
                record = state_license_from(item)
                found[record.license_number] = record
        return found

    def accounts(self, license_numbers: Sequence[str]) -> list[Contractor]:
        found: list[Contractor] = []
        for chunk in batched(dict.fromkeys(license_numbers), _BATCH, strict=False):
            found += [contractor_from(item) for item in self.table.get_many([contractor_key(n) for n in chunk])]
        return sorted(found, key=lambda contractor: contractor.license_number)

    def licenses_expiring_on(self, day: date) -> list[str]:
        items = self.table.query("pk = :day", {":day": license_expiry_partition(day)})
        return [str(item["license_number"]) for item in items]

    def pending_reviews(self, limit: int) -> list[PendingReview]:
        items = self.table.query("pk = :pending", {":pending": PENDING_REVIEW}, limit=limit)
        return [pending_review_from(item) for item in items]
