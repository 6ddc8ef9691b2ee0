"""Staff changes to an account (a temporary password, unlock, disable or enable, approval, the
passkeys removed),
each one write with its audit entry and no read before or after it: a failed condition brings
the account back (``Table.transact``), which tells the caller what was wrong."""

from datetime import datetime

from contractor_accounts.adapters.dynamodb.items import audit_item, contractor_key, format_time
from contractor_accounts.adapters.dynamodb.table import Operations, Update
from contractor_accounts.domain.entities import AccountStatus, AuditEntry


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

    def set_account_status(self, license_number: str, status: AccountStatus, audit: AuditEntry) -> None:
        update = self._staff_update(license_number, audit, "attribute_exists(pk)")
        update.sets.append("account_status = :status")
        update.values[":status"] = status
        if status == "disabled":
            update.removes.append("devices")
            update.adds.append("session_generation :one")
            update.values[":one"] = 1
        self._write(update, audit)

    def approve(self, license_number: str, audit: AuditEntry) -> None:
        update = self._staff_update(license_number, audit, "awaiting_approval = :yes AND account_status = :active")
        update.removes.append("awaiting_approval")
        update.values |= {":yes": True, ":active": "active"}
        self._write(update, audit)

    @staticmethod
    def _staff_update(license_number: str, audit: AuditEntry, condition: str) -> Update:
        return Update(
            contractor_key(license_number),
            sets=["updated_at = :at"],
            condition=condition,
            values={":at": format_time(audit.at)},
        )

    def _write(self, update: Update, audit: AuditEntry) -> None:
        # One round trip: a failed condition brings the account back, so neither a read before
        # (does it exist? is it active?) nor one after is needed.
        self.table.transact([self.table.update(update), self.table.put(audit_item(audit))])
