"""Staff changes to an account (a temporary password, unlock, disable or enable, approval, the
passkeys removed),
each one write with its audit entry and no read before or after it: a failed condition brings
the account back (``Table.transact``), which tells the caller what was wrong."""

from datetime import datetime
from typing import TYPE_CHECKING

from contractor_accounts.adapters.dynamodb.items import audit_item, contractor_key, format_time
from contractor_accounts.adapters.dynamodb.license_items import pending_review_key
from contractor_accounts.adapters.dynamodb.table import Operations, Update
from contractor_accounts.domain.entities import AccountStatus, AuditEntry
from contractor_accounts.ports.store import ConflictingWrite

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


class StaffChanges(Operations):
    def set_temporary_password(
        self, license_number: str, password_hash: str, expires_at: datetime, audit: AuditEntry
    ) -> None:
        update = self._staff_update(license_number, audit, "attribute_exists(pk) AND account_status = :active")
        update.sets += [
            "password_hash = :hash",
            "password_state = :temporary",
            "temporary_password_expires_at = :expires",
            "failed_login_count = :zero",
            # The hand-back of a license leaves the squatter nothing: every passkey goes too.
            "passkeys = :no_passkeys",
        ]
        update.removes += ["last_failed_login_at", "devices"]
        update.adds.append("session_generation :one")
        update.values |= {
            ":hash": password_hash,
            ":temporary": "temporary",
            ":expires": format_time(expires_at),
            ":zero": 0,
            ":one": 1,
            ":active": "active",
            ":no_passkeys": {},
        }
        self._write(update, audit)

    def remove_passkeys(self, license_number: str, audit: AuditEntry) -> None:
        # An empty map, not none: a registration started before still finds the map it adds to.
        update = self._staff_update(license_number, audit, "attribute_exists(pk)")
        update.sets.append("passkeys = :no_passkeys")
        update.values[":no_passkeys"] = {}
        self._write(update, audit)

    def unlock(self, license_number: str, audit: AuditEntry) -> None:
        update = self._staff_update(license_number, audit, "attribute_exists(pk)")
        update.sets.append("failed_login_count = :zero")
        update.removes.append("last_failed_login_at")
        update.values[":zero"] = 0
        self._write(update, audit)

    def set_account_status(self, license_number: str, status: AccountStatus, audit: AuditEntry) -> bool:
        if status == "disabled":
            update = self._staff_update(license_number, audit, "attribute_exists(pk)")
            update.sets.append("account_status = :status")
            update.removes.append("devices")
            update.adds.append("session_generation :one")
            update.values |= {":status": status, ":one": 1}
            self._write(update, audit)
            return False
        # An enable says what the account then is: a transaction returns no values, so the write
        # is conditioned on the account not awaiting approval (the common case: one round trip);
        # when it is, the failed condition says so (ALL_OLD) and a second write enables it as
        # still pending review.
        update = self._staff_update(
            license_number, audit, "attribute_exists(pk) AND attribute_not_exists(awaiting_approval)"
        )
        update.sets.append("account_status = :status")
        update.values[":status"] = status
        try:
            self._write(update, audit)
        except ConflictingWrite as conflict:
            if conflict.found is None or not conflict.found.awaiting_approval:
                raise
            update.condition = "awaiting_approval = :yes"
            update.values[":yes"] = True
            self._write(update, audit)
            return True
        return False

    def approve(self, license_number: str, audit: AuditEntry, registered_at: datetime | None = None) -> None:
        update = self._staff_update(license_number, audit, "awaiting_approval = :yes AND account_status = :active")
        update.removes.append("awaiting_approval")
        update.values |= {":yes": True, ":active": "active"}
        # The pending list's item goes in the same transaction (its key holds the registration time).
        also = (
            [self.table.delete(pending_review_key(license_number, format_time(registered_at)))] if registered_at else []
        )
        self._write(update, audit, *also)

    @staticmethod
    def _staff_update(license_number: str, audit: AuditEntry, condition: str) -> Update:
        return Update(
            contractor_key(license_number),
            sets=["updated_at = :at"],
            condition=condition,
            values={":at": format_time(audit.at)},
        )

    def _write(self, update: Update, audit: AuditEntry, *also: "TransactWriteItemTypeDef") -> None:
        # One round trip: a failed condition brings the account back, so neither a read before
        # (does it exist? is it active?) nor one after is needed.
        self.table.transact([self.table.update(update), self.table.put(audit_item(audit)), *also])
