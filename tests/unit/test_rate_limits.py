"""Per-address limits count an IPv6 caller by its /64 (contract v2, per-address limits)."""

import pytest
from contractor_accounts.steps.rate_limits import address_key


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
