"""The port of the per-caller-address limits (``steps.rate_limits``): one atomic count per
request, in fixed windows."""

from datetime import datetime
from typing import Protocol


class RequestCounters(Protocol):
    def count_request(self, key: str, window_start: datetime, window_end: datetime) -> int:
        """Atomically counts one request of ``key`` (e.g. "sign_in#<ip>") in the window that
        starts at ``window_start``; returns the count so far. The count may be forgotten once
        ``window_end`` has passed."""
        ...
