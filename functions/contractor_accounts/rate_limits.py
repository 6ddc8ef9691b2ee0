"""Per-caller-address limits (checklist 7): a fixed one-minute window per address, counted
by an atomic write and decided before any password work."""

from datetime import timedelta

from contractor_accounts.clock import Clock
from contractor_accounts.errors import TooManyRequests
from contractor_accounts.observability import logger, metrics
from contractor_accounts.store import ContractorStore


def throttle(store: ContractorStore, clock: Clock, action: str, source_ip: str | None, limit: int) -> None:
    """Counts this request of ``action`` from ``source_ip``; raises TooManyRequests past ``limit``."""
    if not source_ip:
        return
    window_start = clock.now().replace(second=0, microsecond=0)
    hits = store.count_request(f"{action}#{source_ip}", window_start, window_start + timedelta(minutes=1))
    if hits > limit:
        logger.warning("rate_limited", extra={"action": action, "source_ip": source_ip, "hits": hits})
        metrics.add_metric(name="RateLimited", unit="Count", value=1)
        raise TooManyRequests
