"""The account's credentials changed: the password through a token (an emailed reset link, the
first sign-in's challenge) or by the signed-in contractor, the security question, and the
security answers counted on a reset link before they are judged."""

from datetime import datetime

from contractor_accounts.adapters.dynamodb.activity import recorded
from contractor_accounts.adapters.dynamodb.items import (
    audit_item,
    contractor_key,
    device_entry,
    format_time,
    token_item,
    token_key,
)
from contractor_accounts.adapters.dynamodb.sign_in import take_back
from contractor_accounts.adapters.dynamodb.table import Operations, Update, conditional
from contractor_accounts.domain.changes import Claim, OwnPasswordChange, PasswordChange
from contractor_accounts.domain.entities import AuditEntry
from contractor_accounts.domain.policy import MAX_WRONG_ANSWERS


def _new_password(license_number: str, password_hash: str, at: datetime, expected_generation: int) -> Update:
    """A password set on an active account: every session of the generation read ends, and so
    do its reset link and the claimed sign-in attempt."""
    return Update(
        contractor_key(license_number),
        sets=[
            "password_hash = :hash",
            "password_state = :set",
            "password_changed_at = :at",
            "updated_at = :at",
            "failed_login_count = :zero",
        ],
        removes=["reset_token_hash", "last_failed_login_at"],
        adds=["session_generation :one"],
        condition="session_generation = :generation AND account_status = :active",
        values={
            ":hash": password_hash,
            ":set": "set",
            ":at": format_time(at),
            ":zero": 0,
            ":one": 1,
            ":generation": expected_generation,
            ":active": "active",
        },
    )


class PasswordChanges(Operations):
    def change_password(self, change: PasswordChange) -> None:
        update = _new_password(change.license_number, change.password_hash, change.at, change.expected_generation)
        update.removes.append("temporary_password_expires_at")
        if change.security_question and change.security_answer_hash:
            update.sets += ["security_question = :question", "security_answer_hash = :answer"]
            update.values |= {":question": change.security_question, ":answer": change.security_answer_hash}
        if change.new_device:
            # Every other device ends; the browser that set the password is the only one left.
            update.sets.append("devices = :devices")
            update.values[":devices"] = {change.new_device.token_hash: device_entry(change.new_device)}
        else:
            update.removes.append("devices")
        if change.expected_reset_token_hash:
            update.condition += " AND reset_token_hash = :reset_hash"
            update.values[":reset_hash"] = change.expected_reset_token_hash
        max_answers = change.max_answers if change.consumed_token_kind == "reset" else None
        items = [
            self.table.delete_token(change.consumed_token_hash, change.consumed_token_kind, max_answers),
            self.table.update(update),
            self.table.put(audit_item(change.audit)),
            *recorded(self.table, change.audit),
        ]
        if change.new_session:
            items.append(self.table.put(token_item(change.new_session), "attribute_not_exists(pk)"))
        self.table.transact(items)

    def change_own_password(self, change: OwnPasswordChange) -> None:
        update = _new_password(change.license_number, change.password_hash, change.at, change.expected_generation)
        if change.kept_device:
            # The asking browser proved the current password: its device stays (no failures),
            # every other one ends.
            update.sets.append("devices = :devices")
            update.values[":devices"] = {change.kept_device.token_hash: device_entry(change.kept_device)}
        else:
            update.removes.append("devices")
        update.condition += " AND password_hash = :seen"
        update.values[":seen"] = change.seen_password_hash
        self.table.transact(
            [
                self.table.update(update),
                self.table.delete_token(change.ended_session_hash, "session"),
                self.table.put(token_item(change.new_session), "attribute_not_exists(pk)"),
                self.table.put(audit_item(change.audit)),
                *recorded(self.table, change.audit),
            ]
        )

    def set_security_question(
        self,
        license_number: str,
        expected_generation: int,
        question: str,
        answer_hash: str,
        audit: AuditEntry,
        claim: Claim,
    ) -> None:
        update = Update(
            contractor_key(license_number),
            sets=["security_question = :question", "security_answer_hash = :answer", "updated_at = :at"],
            condition="session_generation = :generation",
            values={
                ":question": question,
                ":answer": answer_hash,
                ":at": format_time(audit.at),
                ":generation": expected_generation,
            },
        )
        take_back(update, claim)
        self.table.transact(
            [self.table.update(update), self.table.put(audit_item(audit)), *recorded(self.table, audit)]
        )

    def claim_answer_attempt(self, token_hash: str, limit: int = MAX_WRONG_ANSWERS) -> int | None:
        claim = Update(
            token_key(token_hash),
            adds=["answers_counted :one"],
            condition=(
                "attribute_exists(pk) AND #kind = :reset "
                "AND (attribute_not_exists(answers_counted) OR answers_counted < :limit)"
            ),
            values={":one": 1, ":reset": "reset", ":limit": limit},
            names={"#kind": "kind"},
        )
        counted = conditional(lambda: self.table.write(self.table.update(claim), "UPDATED_NEW"))
        return int(counted["answers_counted"]) if counted is not None else None
