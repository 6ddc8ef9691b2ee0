"""The account and its tokens: read, created (never over an existing one), and the account's
address marked as one mail cannot reach."""

from datetime import datetime

from contractor_accounts.adapters.dynamodb.activity import recorded
from contractor_accounts.adapters.dynamodb.items import (
    audit_item,
    contractor_from,
    contractor_item,
    contractor_key,
    format_time,
    token_from,
    token_item,
    token_key,
)
from contractor_accounts.adapters.dynamodb.license_items import pending_review_item
from contractor_accounts.adapters.dynamodb.search_index import index_writes
from contractor_accounts.adapters.dynamodb.table import Operations, Update, conditional
from contractor_accounts.domain.entities import AuditEntry, Contractor, TokenRecord
from contractor_accounts.domain.search import search_keys
from contractor_accounts.ports.store import ConflictingWrite, ContractorExists


class Accounts(Operations):
    def get_contractor(self, license_number: str) -> Contractor | None:
        item = self.table.get(contractor_key(license_number))
        return contractor_from(item) if item else None

    def get_token(self, token_hash: str) -> TokenRecord | None:
        item = self.table.get(token_key(token_hash))
        return token_from(item) if item else None

    def create_contractor(
        self,
        contractor: Contractor,
        first_session: TokenRecord | None,
        audit: AuditEntry | None,
        verification: TokenRecord | None = None,
    ) -> None:
        items = [self.table.put(contractor_item(contractor), "attribute_not_exists(pk)")]
        for token in (first_session, verification):
            if token:
                items.append(self.table.put(token_item(token), "attribute_not_exists(pk)"))
        if audit:
            items += [self.table.put(audit_item(audit)), *recorded(self.table, audit)]
        items += index_writes(self.table, contractor.license_number, {}, search_keys(contractor))
        if contractor.awaiting_approval:
            # The pending list's index item, with the account or not at all (staff list_pending).
            items.append(self.table.put(pending_review_item(contractor)))
        try:
            self.table.transact(items)
        except ConflictingWrite as lost:
            # The account's failed attribute_not_exists brings the existing account back
            # (ALL_OLD): no read after the cancelled transaction.
            if lost.found is None:
                raise  # a conflict on another item; the caller answers "try again"
            raise ContractorExists(lost.found) from lost

    def mark_email_undeliverable(self, license_number: str, address: str, at: datetime) -> bool:
        marked = Update(
            contractor_key(license_number),
            sets=["undeliverable_email = :address", "undeliverable_since = :at", "updated_at = :at"],
            # Only while the account still has that address: a bounce of an old one marks nothing.
            condition="email = :address",
            values={":address": address, ":at": format_time(at)},
        )
        return conditional(lambda: self.table.write(self.table.update(marked))) is not None
