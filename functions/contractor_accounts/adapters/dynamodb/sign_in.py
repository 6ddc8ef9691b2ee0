"""Sign-in: the attempt is claimed by one conditional write before the password is judged.

Round trips (besides the per-address counter): a refused or wrong attempt is one
UpdateItem, the claim, which also returns the account (ALL_NEW), so no read precedes it;
nothing can be decided on a stale read, and an unknown license creates nothing. A success
is the claim plus one TransactWriteItems that takes exactly the claim back (``take_back``) and
stores the session, conditioned on the device map it computed (a lost race returns the account,
ALL_OLD, and the use case retries on it).
That write could be two plain ones (the session's generation already kills it at use if
the account changed in between, so its existence need not be atomic with the account
update): fewer write units but one more round trip, so the transaction stays."""

from datetime import datetime, timedelta
from typing import Any

from contractor_accounts.adapters.dynamodb.activity import recorded
from contractor_accounts.adapters.dynamodb.items import (
    contractor_from,
    contractor_key,
    device_entry,
    format_time,
    token_item,
)
from contractor_accounts.adapters.dynamodb.table import Operations, Update, conditional
from contractor_accounts.domain.changes import Claim, DeviceChange
from contractor_accounts.domain.entities import AuditEntry, Contractor, TokenRecord
from contractor_accounts.domain.policy import (
    DEVICE_MAX_FAILURES,
    DEVICE_TOKEN_DAYS,
    LOCKOUT_CAP,
    LOCKOUT_THRESHOLD,
    lockout_delay,
)


def _unlocked_at(now: datetime) -> tuple[str, dict[str, Any]]:
    """``policy.lock_ends`` as a condition: the account is not locked at ``now``, or its password
    is a temporary one (contract v3: random and system-made, it is judged even during a lock;
    a wrong one counts as any failure). The delay grows with the count until it reaches the cap,
    so the rule is one term per count below the cap (5..14: 2^(n-5) s) and one for every count at it."""
    terms = [
        "password_state = :temporary",
        "attribute_not_exists(last_failed_login_at)",
        "attribute_not_exists(failed_login_count)",
        "failed_login_count < :threshold",
    ]
    values: dict[str, Any] = {":threshold": LOCKOUT_THRESHOLD, ":temporary": "temporary"}
    failures = LOCKOUT_THRESHOLD
    while lockout_delay(failures) < LOCKOUT_CAP:
        terms.append(f"(failed_login_count = :n{failures} AND last_failed_login_at <= :ended{failures})")
        values[f":n{failures}"] = failures
        values[f":ended{failures}"] = format_time(now - lockout_delay(failures))
        failures += 1
    terms.append("(failed_login_count >= :capped AND last_failed_login_at <= :ended_capped)")
    values[":capped"] = failures
    values[":ended_capped"] = format_time(now - LOCKOUT_CAP)
    return " OR ".join(terms), values


class SignInClaims(Operations):
    def claim_sign_in_attempt(self, license_number: str, now: datetime) -> Contractor | None:
        unlocked, values = _unlocked_at(now)
        return self._claim(
            Update(
                contractor_key(license_number),
                # Counted as a failure now; a success takes it back. The device map is made here so
                # that a success can add a device to it without another condition.
                adds=["failed_login_count :one"],
                sets=[
                    "last_failed_login_at = :now",
                    "updated_at = :now",
                    "devices = if_not_exists(devices, :no_devices)",
                ],
                condition=f"attribute_exists(pk) AND ({unlocked})",
                values={**values, ":one": 1, ":now": format_time(now), ":no_devices": {}},
            )
        )

    def claim_device_attempt(self, license_number: str, device_hash: str, now: datetime) -> Contractor | None:
        return self._claim(
            Update(
                contractor_key(license_number),
                sets=["devices.#device.failures = devices.#device.failures + :one", "updated_at = :now"],
                condition="devices.#device.failures < :max_failures AND devices.#device.issued_at > :issued_after",
                values={
                    ":one": 1,
                    ":now": format_time(now),
                    ":max_failures": DEVICE_MAX_FAILURES,
                    ":issued_after": format_time(now - timedelta(days=DEVICE_TOKEN_DAYS)),
                },
                names={"#device": device_hash},
            )
        )

    def _claim(self, claim: Update) -> Contractor | None:
        claimed = conditional(lambda: self.table.write(self.table.update(claim), "ALL_NEW"))
        return contractor_from(claimed) if claimed is not None else None

    def start_session(
        self,
        contractor: Contractor,
        token: TokenRecord,
        at: datetime,
        rehashed_password: str | None,
        claim: Claim,
        devices: DeviceChange | None = None,
    ) -> None:
        devices = devices or DeviceChange()
        update = Update(
            contractor_key(contractor.license_number),
            sets=["last_login_at = :at", "updated_at = :at"],
            condition="session_generation = :generation AND password_hash = :seen_hash AND account_status = :active",
            values={
                ":at": format_time(at),
                ":generation": contractor.session_generation,
                ":seen_hash": contractor.password_hash,
                ":active": "active",
            },
        )
        take_back(update, claim)
        if devices.added:
            # The device map as computed: as many devices as were read, the evicted among them,
            # so that however many sign-ins race, the account never holds more than the cap.
            update.sets.append("devices.#added = :added")
            update.names["#added"] = devices.added.token_hash
            update.values[":added"] = device_entry(devices.added)
            update.condition += " AND size(devices) = :seen_devices"
            update.values[":seen_devices"] = devices.seen
        for number, evicted in enumerate(devices.evicted):
            update.removes.append(f"devices.#evicted{number}")
            update.names[f"#evicted{number}"] = evicted
            update.condition += f" AND attribute_exists(devices.#evicted{number})"
        if rehashed_password:
            update.sets.append("password_hash = :rehashed")
            update.values[":rehashed"] = rehashed_password
        items = [self.table.update(update), self.table.put(token_item(token), "attribute_not_exists(pk)")]
        if (
            token.kind == "session"
        ):  # a session, not a challenge: a sign-in, from a new browser unless a device judged it
            items += recorded(
                self.table, AuditEntry(token.license_number, "signed_in", "contractor", at), notice=not claim.device
            )
        self.table.transact(items)


def take_back(update: Update, claim: Claim) -> None:
    """Adds to ``update`` the take-back of exactly ``claim``: its count comes off the account's
    failures (or its device's), on the condition that they still hold it, so failures that
    other attempts counted after this claim stay counted. The one builder of a take-back: a
    sign-in's success and every change that confirmed a current password use it."""
    update.values[":claimed"] = claim.counted
    if claim.device:
        # Judged by the device: its own failures; the account's lock is untouched.
        update.names["#claimed_device"] = claim.device
        update.sets.append("devices.#claimed_device.failures = devices.#claimed_device.failures - :claimed")
        update.condition += " AND devices.#claimed_device.failures >= :claimed"
    else:
        update.sets.append("failed_login_count = failed_login_count - :claimed")
        update.condition += " AND failed_login_count >= :claimed"
