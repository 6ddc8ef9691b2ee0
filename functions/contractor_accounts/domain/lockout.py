"""The lockout rule (checklist 5, 6): when an account's sign-in is locked, and the trusted
devices (OWASP device cookies) that sign in past the lock. The delays are in ``policy``."""

from datetime import datetime, timedelta

from contractor_accounts.domain.changes import DeviceChange
from contractor_accounts.domain.entities import Contractor, TrustedDevice
from contractor_accounts.domain.policy import DEVICE_MAX_FAILURES, DEVICE_TOKEN_DAYS, MAX_TRUSTED_DEVICES, lock_ends
from contractor_accounts.domain.tokens import new_token, token_hash


def locked_until(contractor: Contractor) -> datetime | None:
    return lock_ends(contractor.failed_login_count, contractor.last_failed_login_at)


def device_is_live(device: TrustedDevice, now: datetime) -> bool:
    return device.failures < DEVICE_MAX_FAILURES and now < device.issued_at + timedelta(days=DEVICE_TOKEN_DAYS)


def new_device(contractor: Contractor, now: datetime) -> tuple[str, DeviceChange]:
    """A new device token for the browser that just signed in, pushing out dead devices and,
    beyond ``MAX_TRUSTED_DEVICES``, the oldest live ones."""
    token = new_token()
    live = [device for device in contractor.trusted_devices if device_is_live(device, now)]
    keep = live[len(live) - (MAX_TRUSTED_DEVICES - 1) :] if len(live) >= MAX_TRUSTED_DEVICES else live
    evicted = tuple(device.token_hash for device in contractor.trusted_devices if device not in keep)
    return token, DeviceChange(
        added=TrustedDevice(token_hash(token), now), evicted=evicted, seen=len(contractor.trusted_devices)
    )
