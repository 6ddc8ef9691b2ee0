"""The reminder job's read: the accounts whose workers' compensation policy expires on a day, by
a Query on the sparse ``WorkersCompExpiryIndex`` (only an account with a policy carries its key,
``workers_comp_expires_on``). Never a Scan."""

from datetime import date

from contractor_accounts.adapters.dynamodb.items import EXPIRY_INDEX, policy_holder_from
from contractor_accounts.adapters.dynamodb.table import Operations
from contractor_accounts.domain.entities import PolicyHolder


class ExpiryIndex(Operations):
    def policy_holders_expiring_on(self, day: date) -> list[PolicyHolder]:
        items = self.table.query("workers_comp_expires_on = :day", {":day": day.isoformat()}, index=EXPIRY_INDEX)
        return [policy_holder_from(item) for item in items]
