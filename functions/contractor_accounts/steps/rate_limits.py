"""Per-caller-address limits (checklist 7): a sliding one-minute window per address, counted by
one atomic write and decided before any password work.

The window slides: this minute's count plus the previous minute's, weighted by how much of it
still falls within the last 60 seconds. A fixed window would let a caller send its limit at the
end of one minute and again at the start of the next (twice the limit in two seconds).

An IPv6 address counts by its /64: one subscriber usually holds a whole /64 and can pick any
address in it, so counting full addresses would give each caller 2^64 windows."""

import ipaddress
from datetime import datetime
from typing import Literal

from contractor_accounts.domain.errors import TooManyRequests
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.request_counters import RequestCount, RequestCounters
from contractor_accounts.settings import Settings

LimitedAction = Literal["sign_in", "forgot", "register"]


def throttle(
    counters: RequestCounters, clock: Clock, settings: Settings, action: LimitedAction, source_ip: str | None
) -> None:
    """Counts this request of ``action`` from ``source_ip``; raises TooManyRequests past its
    per-minute limit. Counts nothing where the limits are kept at the edge (AWS WAF)."""
    if not source_ip or not settings.counts_per_address:
        return
    limit = {
        "sign_in": settings.sign_ins_per_ip_per_minute,
        "forgot": settings.forgot_requests_per_ip_per_minute,
        "register": settings.registrations_per_ip_per_minute,
    }[action]
    now = clock.now()
    caller = address_key(source_ip)
    count = counters.count_request(f"{action}#{caller}", now)
    hits = sliding_count(count, now)
    if hits > limit:
        logger.warning("rate_limited", extra={"action": action, "source_ip": source_ip, "caller": caller, "hits": hits})
        metrics.add_metric(name="RateLimited", unit="Count", value=1)
        raise TooManyRequests


def sliding_count(count: RequestCount, now: datetime) -> float:
    """The requests of the last 60 seconds, estimated from this minute's count and the previous
    minute's (assumed evenly spread over it)."""
    elapsed = (now.second + now.microsecond / 1_000_000) / 60
    return count.current + count.previous * (1 - elapsed)


def address_key(source_ip: str) -> str:
    """What one caller's limit is counted on: an IPv4 address as is (an IPv4-mapped IPv6
    address too), an IPv6 address by its /64 network; anything else verbatim."""
    try:
        address = ipaddress.ip_address(source_ip)
    except ValueError:
        return source_ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
