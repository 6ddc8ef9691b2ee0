"""Sessions after sign-in: a live session's idle deadline moved, one session ended, and every
session of the account ended at once (signing out everywhere)."""

from datetime import datetime

from contractor_accounts.adapters.dynamodb.activity import recorded
from contractor_accounts.adapters.dynamodb.items import audit_item, contractor_key, format_time, token_from, token_key
from contractor_accounts.adapters.dynamodb.table import Operations, Update, conditional
from contractor_accounts.domain.entities import AuditEntry, TokenRecord


class SessionTokens(Operations):
    def touch_session(self, token_hash: str, now: datetime, idle_since: datetime) -> TokenRecord | None:
        touch = Update(
            token_key(token_hash),
            sets=["last_seen_at = :now"],
            condition="#kind = :session AND last_seen_at >= :idle_since AND expires_at > :now",
            values={":now": format_time(now), ":idle_since": format_time(idle_since), ":session": "session"},
            names={"#kind": "kind"},
        )
        touched = conditional(lambda: self.table.write(self.table.update(touch), "ALL_NEW"))
        return token_from(touched) if touched is not None else None

    def delete_session(self, token_hash: str) -> bool:
        return conditional(lambda: self.table.write(self.table.delete_token(token_hash, "session"))) is not None

    def end_all_sessions(self, license_number: str, expected_generation: int, audit: AuditEntry) -> None:
        # Every session (the generation) and every trusted device, in one write.
        ended = Update(
            contractor_key(license_number),
            sets=["updated_at = :at"],
            removes=["devices"],
            adds=["session_generation :one"],
            condition="session_generation = :generation AND account_status = :active",
            values={":at": format_time(audit.at), ":one": 1, ":generation": expected_generation, ":active": "active"},
        )
        self.table.transact([self.table.update(ended), self.table.put(audit_item(audit)), *recorded(self.table, audit)])
