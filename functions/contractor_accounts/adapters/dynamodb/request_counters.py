"""The ``RequestCounters`` port on the table: ``RATE#<action>#<caller>`` /
``WINDOW#<window start>``, one atomic ADD per request, kept by the table's TTL an hour past
the window's end."""

from datetime import datetime

from contractor_accounts.adapters.dynamodb.items import request_window_key
from contractor_accounts.adapters.dynamodb.table import Operations, Update


class DynamoDBRequestCounters(Operations):
    def count_request(self, key: str, window_start: datetime, window_end: datetime) -> int:
        counted = Update(
            request_window_key(key, window_start),
            adds=["hits :one"],
            sets=["expires_at_epoch = :expires", "item_type = :type"],
            values={":one": 1, ":expires": int(window_end.timestamp()) + 3600, ":type": "rate_window"},
        )
        return int(self.table.write(self.table.update(counted), "UPDATED_NEW")["hits"])
