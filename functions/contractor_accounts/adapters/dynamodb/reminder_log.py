"""The ``ReminderLog`` port on the table: ``REMINDER#<license>#<policy>#<expiry>#<threshold>`` /
``REMINDER``, claimed by a conditional put before the reminder is sent (of two runs one wins),
deleted when the send failed, and removed by the table's TTL some time after the policy expired."""

from datetime import datetime

from contractor_accounts.adapters.dynamodb.items import reminder_item, reminder_key
from contractor_accounts.adapters.dynamodb.table import Operations, conditional


class DynamoDBReminderLog(Operations):
    def claim_reminder(self, key: str, keep_until: datetime) -> bool:
        claim = self.table.put(reminder_item(key, keep_until), "attribute_not_exists(pk)")
        return conditional(lambda: self.table.write(claim)) is not None

    def release_reminder(self, key: str) -> None:
        self.table.write(self.table.delete(reminder_key(key)))
