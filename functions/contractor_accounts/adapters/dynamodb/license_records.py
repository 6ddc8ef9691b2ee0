"""The ``LicenseRecords`` port on the table: the license's ``LICENSE#<number>`` / ``STATE`` item
and the list's ``LICENSE_LIST`` / ``STATE`` item, read together in one BatchGetItem."""

from contractor_accounts.adapters.dynamodb.license_items import LICENSE_LIST_KEY, license_key, state_license_from
from contractor_accounts.adapters.dynamodb.table import Operations
from contractor_accounts.domain.state_license import LicenseLookup


class DynamoDBLicenseRecords(Operations):
    def look_up_license(self, license_number: str) -> LicenseLookup:
        items = self.table.get_many([license_key(license_number), dict(LICENSE_LIST_KEY)])
        loaded = any(item["pk"] == LICENSE_LIST_KEY["pk"] for item in items)
        record = next((state_license_from(item) for item in items if item["pk"] != LICENSE_LIST_KEY["pk"]), None)
        return LicenseLookup(list_loaded=loaded, record=record)
