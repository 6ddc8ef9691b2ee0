"""Passkeys on the table (``ports.passkeys``). Where they live, decided for round trips and size:

- each passkey is an entry of the account item's ``passkeys`` map (credential ID -> public key,
  sign count, name, times, backup state: about 250 bytes with an ES256 key, 450 with RS256; at
  most 10, and a credential ID of at most 255 bytes, so at most about 5 KB). Listing them, the
  staff ``get``, ``excludeCredentials`` and the 10-passkey cap need no read beyond the account's,
  and removing them all (staff ``remove_passkeys``, a temporary password) stays the one write
  staff make today;
- ``PASSKEY_USER#<user handle>`` names the account of a user handle (the one lookup a
  discoverable sign-in needs: the answer names its user handle, never a license number);
- ``CHALLENGE#<sha256>`` is a challenge waiting for its answer (5 minutes, TTL'd, one use: its
  conditional Delete is in the write that uses it).

A passkey sign-in is thus: the handle's item, the account (two consistent GetItems: the second's
key comes from the first), then one transaction (challenge consumed, sign count moved on the
condition that it is still the one verified against, session and device). No argon2."""

from typing import TYPE_CHECKING, Any

from contractor_accounts.adapters.dynamodb.activity import recorded
from contractor_accounts.adapters.dynamodb.items import (
    audit_item,
    challenge_item,
    challenge_key,
    contractor_from,
    contractor_key,
    device_entry,
    format_time,
    passkey_entry,
    passkey_handle_key,
    token_item,
)
from contractor_accounts.adapters.dynamodb.sign_in import take_back
from contractor_accounts.adapters.dynamodb.table import Operations, Update
from contractor_accounts.domain.entities import AuditEntry, Contractor, PasskeyChallenge
from contractor_accounts.domain.passkeys import PasskeyAddition, PasskeyRegistrationStart, PasskeySignIn
from contractor_accounts.domain.policy import MAX_PASSKEYS

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


class Passkeys(Operations):
    def put_passkey_challenge(self, challenge: PasskeyChallenge) -> None:
        self.table.write(self.table.put(challenge_item(challenge), "attribute_not_exists(pk)"))

    def contractor_by_passkey_handle(self, user_handle: str) -> Contractor | None:
        pointer = self.table.get(passkey_handle_key(user_handle))
        if pointer is None:
            return None
        item = self.table.get(contractor_key(str(pointer["license_number"])))
        return contractor_from(item) if item else None

    def start_passkey_session(self, sign_in: PasskeySignIn) -> None:
        at = format_time(sign_in.at)
        update = Update(
            contractor_key(sign_in.license_number),
            sets=[
                "passkeys.#used.sign_count = :new_count",
                "passkeys.#used.last_used_at = :at",
                "passkeys.#used.synced = :synced",
                "last_login_at = :at",
                "updated_at = :at",
            ],
            # Not the password's failure count: a passkey proves nothing about whoever guesses it.
            condition=(
                "account_status = :active AND session_generation = :generation AND passkey_handle = :handle "
                "AND passkeys.#used.sign_count = :seen_count"
            ),
            values={
                ":new_count": sign_in.new_sign_count,
                ":at": at,
                ":synced": sign_in.synced,
                ":active": "active",
                ":generation": sign_in.expected_generation,
                ":handle": sign_in.user_handle,
                ":seen_count": sign_in.seen_sign_count,
            },
            names={"#used": sign_in.credential_id},
        )
        _add_device(update, sign_in)
        self.table.transact(
            [
                self._consume(sign_in.challenge_hash, "sign_in", at),
                self.table.update(update),
                self.table.put(token_item(sign_in.session), "attribute_not_exists(pk)"),
                *recorded(self.table, _passkey_sign_in(sign_in), notice=sign_in.first_use),
            ]
        )

    def start_passkey_registration(self, start: PasskeyRegistrationStart) -> None:
        update = Update(
            contractor_key(start.license_number),
            sets=["updated_at = :at", "passkeys = if_not_exists(passkeys, :none)"],
            condition="session_generation = :generation AND password_hash = :seen_hash AND account_status = :active",
            values={
                ":at": format_time(start.at),
                ":none": {},
                ":zero": 0,
                ":generation": start.expected_generation,
                ":seen_hash": start.seen_password_hash,
                ":active": "active",
                ":handle": start.user_handle,
            },
        )
        # The claimed attempt taken back, exactly as a sign-in's success takes back its own.
        take_back(update, start.claim)
        items = [self.table.put(challenge_item(start.challenge), "attribute_not_exists(pk)")]
        if start.new_handle:
            update.sets.append("passkey_handle = :handle")
            update.condition += " AND attribute_not_exists(passkey_handle)"
            pointer = {**passkey_handle_key(start.user_handle), "license_number": start.license_number}
            items.append(self.table.put({**pointer, "item_type": "passkey_user"}, "attribute_not_exists(pk)"))
        else:
            update.condition += " AND passkey_handle = :handle"
        self.table.transact([self.table.update(update), *items])

    def add_passkey(self, addition: PasskeyAddition) -> None:
        passkey = addition.passkey
        update = Update(
            contractor_key(addition.license_number),
            sets=["passkeys.#added = :passkey", "updated_at = :at"],
            condition=(
                "session_generation = :generation AND account_status = :active AND attribute_exists(passkeys) "
                "AND size(passkeys) < :max AND attribute_not_exists(passkeys.#added)"
            ),
            values={
                ":passkey": passkey_entry(passkey),
                ":at": format_time(passkey.created_at),
                ":generation": addition.expected_generation,
                ":active": "active",
                ":max": MAX_PASSKEYS,
            },
            names={"#added": passkey.credential_id},
        )
        self.table.transact(
            [
                self.table.update(update),
                self._consume(
                    addition.challenge_hash, "registration", format_time(passkey.created_at), addition.session_hash
                ),
                self.table.put(audit_item(addition.audit)),
                *recorded(self.table, addition.audit),
            ]
        )

    def rename_passkey(
        self, license_number: str, expected_generation: int, credential_id: str, name: str, audit: AuditEntry
    ) -> None:
        update = self._passkey_update(license_number, expected_generation, credential_id, audit)
        update.sets.append("passkeys.#passkey.#name = :name")
        update.names["#name"] = "name"
        update.values[":name"] = name
        self.table.transact([self.table.update(update), self.table.put(audit_item(audit))])

    def remove_passkey(
        self, license_number: str, expected_generation: int, credential_id: str, audit: AuditEntry
    ) -> None:
        update = self._passkey_update(license_number, expected_generation, credential_id, audit)
        update.removes.append("passkeys.#passkey")
        self.table.transact(
            [self.table.update(update), self.table.put(audit_item(audit)), *recorded(self.table, audit)]
        )

    @staticmethod
    def _passkey_update(license_number: str, expected_generation: int, credential_id: str, audit: AuditEntry) -> Update:
        return Update(
            contractor_key(license_number),
            sets=["updated_at = :at"],
            condition=(
                "session_generation = :generation AND account_status = :active AND attribute_exists(passkeys.#passkey)"
            ),
            values={":at": format_time(audit.at), ":generation": expected_generation, ":active": "active"},
            names={"#passkey": credential_id},
        )

    def _consume(
        self, challenge_hash: str, ceremony: str, at: str, session_hash: str | None = None
    ) -> "TransactWriteItemTypeDef":
        """The one Delete of a challenge: only a live one of this ceremony (and this session)."""
        condition = "attribute_exists(pk) AND ceremony = :ceremony AND expires_at > :now"
        values: dict[str, Any] = {":ceremony": ceremony, ":now": at}
        if session_hash:
            condition += " AND session_hash = :session"
            values[":session"] = session_hash
        return self.table.delete(challenge_key(challenge_hash), condition, values)


def _passkey_sign_in(sign_in: PasskeySignIn) -> AuditEntry:
    """The activity record's entry of a passkey sign-in (no audit item: as a password sign-in)."""
    return AuditEntry(sign_in.license_number, "signed_in_with_passkey", "contractor", sign_in.at)


def _add_device(update: Update, sign_in: PasskeySignIn) -> None:
    """The browser's new trusted device, the cap held: added to the map only while it holds as
    many devices as were read (so no two sign-ins push it past ``policy.MAX_TRUSTED_DEVICES``)."""
    added = sign_in.devices.added
    if added is None:
        return
    update.values[":device_count"] = sign_in.seen_devices
    if sign_in.seen_devices == 0:
        update.sets.append("devices = :devices")
        update.values[":devices"] = {added.token_hash: device_entry(added)}
        update.condition += " AND (attribute_not_exists(devices) OR size(devices) = :device_count)"
        return
    update.sets.append("devices.#added = :added")
    update.names["#added"] = added.token_hash
    update.values[":added"] = device_entry(added)
    update.condition += " AND size(devices) = :device_count"
    for number, evicted in enumerate(sign_in.devices.evicted):
        update.removes.append(f"devices.#evicted{number}")
        update.names[f"#evicted{number}"] = evicted
