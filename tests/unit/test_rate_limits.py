"""Per-address limits: an IPv6 caller counts by its /64 (contract v2), and the one-minute window
slides, so a burst on each side of a minute boundary gets the limit once, not twice."""

from datetime import timedelta

import pytest
from contractor_accounts.domain.errors import TooManyRequests
from contractor_accounts.ports.request_counters import RequestCount
from contractor_accounts.steps.rate_limits import address_key, sliding_count, throttle

from tests.support.clock import MovableClock

from .fakes import START, InMemoryRequestCounters, settings


@pytest.mark.parametrize(
    ("source_ip", "counted_as"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:0db8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),  # an IPv4 caller seen over IPv6
        ("not an address", "not an address"),
    ],
)
def test_given_a_caller_address_then_its_limit_is_counted_on(source_ip: str, counted_as: str) -> None:
    assert address_key(source_ip) == counted_as


def minute_boundary_burst(seconds_before: float, seconds_after: float) -> tuple[int, int]:
    """A caller sends its whole per-minute limit just before a minute ends, then as many again just
    after: how many of each burst are let through."""
    counters, app_settings = InMemoryRequestCounters(), settings()
    limit = app_settings.sign_ins_per_ip_per_minute
    boundary = START.replace(second=0, microsecond=0) + timedelta(minutes=1)
    clock = MovableClock(boundary - timedelta(seconds=seconds_before))
    let_through = []
    for _ in range(2):
        passed = 0
        for _ in range(limit):
            try:
                throttle(counters, clock, app_settings, "sign_in", "198.51.100.7")
                passed += 1
            except TooManyRequests:
                pass
        let_through.append(passed)
        clock.set(boundary + timedelta(seconds=seconds_after))
    return let_through[0], let_through[1]


def test_a_burst_on_each_side_of_a_minute_boundary_gets_the_limit_once_not_twice() -> None:
    # Given the whole limit sent half a second before a minute ends, and again half a second after
    before, after = minute_boundary_burst(0.5, 0.5)
    # Then the first burst passes and the second is refused: the window slides over the boundary
    assert before == settings().sign_ins_per_ip_per_minute
    assert after == 0


def test_a_minute_later_the_caller_has_its_whole_limit_again() -> None:
    before, after = minute_boundary_burst(0.5, 60.5)
    assert before == after == settings().sign_ins_per_ip_per_minute


def test_the_previous_minute_counts_for_what_remains_of_it_in_the_last_60_seconds() -> None:
    # 30 in the previous minute, 45 s into this one: a quarter of them still fall in the window
    assert sliding_count(RequestCount(current=2, previous=30), START.replace(second=45, microsecond=0)) == 2 + 7.5
