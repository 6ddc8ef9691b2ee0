"""The ``RequestCounters`` port on the table: one item a caller and action, ``RATE#<action>#<caller>``
/ ``MINUTES``, holding a count for each recent minute (``m<minutes since the epoch>``). One
UpdateItem per request adds to this minute's count, drops the counts too old to matter, and
returns the item (ALL_NEW), so this minute's and the previous minute's counts come back at once.
The table's TTL removes the item two minutes after a caller's last request."""

from datetime import datetime

from contractor_accounts.adapters.dynamodb.items import request_counter_key
from contractor_accounts.adapters.dynamodb.table import Operations, Update
from contractor_accounts.ports.request_counters import RequestCount

# The minutes before the previous one that are dropped on each count (more are left only by
# a caller who came back after a gap; the TTL removes them with the item).
_DROPPED_MINUTES = range(2, 5)


def _minute(now: datetime) -> int:
    return int(now.timestamp()) // 60


class DynamoDBRequestCounters(Operations):
    def count_request(self, key: str, now: datetime) -> RequestCount:
        minute = _minute(now)
        counted = Update(
            request_counter_key(key),
            adds=[f"#m{minute} :one"],
            sets=["expires_at_epoch = :expires", "item_type = :type"],
            removes=[f"#m{minute - older}" for older in _DROPPED_MINUTES],
            values={":one": 1, ":expires": (minute + 3) * 60, ":type": "rate_counter"},
            names={f"#m{minute - back}": f"m{minute - back}" for back in (0, *_DROPPED_MINUTES)},
        )
        item = self.table.write(self.table.update(counted), "ALL_NEW")
        return RequestCount(int(item[f"m{minute}"]), int(item.get(f"m{minute - 1}", 0)))
