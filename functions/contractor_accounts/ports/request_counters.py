"""The port of the per-caller-address limits (``steps.rate_limits``): one atomic count per
request, in one-minute windows, answered with this window's count and the previous one's."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RequestCount:
    """A caller's requests of one kind in the minute ``now`` falls in (this one included), and
    in the minute before it."""

    current: int
    previous: int


class RequestCounters(Protocol):
    def count_request(self, key: str, now: datetime) -> RequestCount:
        """Atomically counts one request of ``key`` (e.g. "sign_in#<ip>") in the minute ``now``
        falls in. A count may be forgotten once the minute after it has passed."""
        ...
