"""The reminder job's read: the accounts whose workers' compensation policy expires on a day, by
a Query on the sparse ``WorkersCompExpiryIndex`` (only an account with a policy carries its key,
``workers_comp_expires_on``). Never a Scan."""

from datetime import date
from typing import Any

from contractor_accounts.adapters.dynamodb.items import EXPIRY_INDEX, from_wire, policy_holder_from, to_wire
from contractor_accounts.adapters.dynamodb.table import Operations
from contractor_accounts.domain.entities import PolicyHolder


class ExpiryIndex(Operations):
    def policy_holders_expiring_on(self, day: date) -> list[PolicyHolder]:
        holders: list[PolicyHolder] = []
        query: dict[str, Any] = {
            "TableName": self.table.name,
            "IndexName": EXPIRY_INDEX,
            "KeyConditionExpression": "workers_comp_expires_on = :day",
            "ExpressionAttributeValues": to_wire({":day": day.isoformat()}),
        }
        while True:
            response = self.table.client.query(**query)
            holders += [policy_holder_from(from_wire(item)) for item in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                return holders
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
