"""Contact details and the email address: a change of contact details (the contractor's own,
or staff's), and the confirmation link that proves a new or unconfirmed address."""

from contractor_accounts.adapters.dynamodb.activity import recorded
from contractor_accounts.adapters.dynamodb.items import (
    audit_item,
    contact_attributes,
    contractor_key,
    expires_on,
    format_time,
    format_times,
    token_item,
)
from contractor_accounts.adapters.dynamodb.search_index import index_writes
from contractor_accounts.adapters.dynamodb.sign_in import take_back
from contractor_accounts.adapters.dynamodb.table import Operations, Update
from contractor_accounts.domain.activity import address_told_of_change as told
from contractor_accounts.domain.changes import ContactChange, VerificationIssue
from contractor_accounts.domain.entities import AuditEntry, Contractor, TokenRecord
from contractor_accounts.domain.search import SEARCH_FIELDS, keys_after, search_key, search_keys


class ContactChanges(Operations):
    def update_contact(self, change: ContactChange) -> None:
        update = Update(
            contractor_key(change.license_number),
            sets=["updated_at = :at"],
            condition="attribute_exists(pk)",
            values={":at": format_time(change.audit.at)},
        )
        for name, value in contact_attributes(change.details).items():
            if value is not None:
                update.sets.append(f"#{name} = :{name}")
                update.names[f"#{name}"] = name
                update.values[f":{name}"] = value
        if change.details.workers_comp is not None:
            update.set_or_remove("workers_comp_expires_on", ":expires_on", expires_on(change.details.workers_comp))
        if change.details.email is not None:
            # Staff set it: verified; a pending change and links sent to the old address end.
            update.sets.append("email_verified = :verified")
            update.values[":verified"] = True
            update.removes += ["pending_email", "verification_token_hash", "reset_token_hash"]
        if change.expected_generation is not None:
            update.condition += " AND session_generation = :generation"
            update.values[":generation"] = change.expected_generation
        before = search_keys(change.before)
        after = keys_after(before, change.details)
        index = index_writes(self.table, change.license_number, before, after)
        for name in SEARCH_FIELDS:
            if before[name] != after[name]:
                # The old index entry is the one removed only while the field is as read.
                was = getattr(change.before, name, None)
                update.condition += f" AND #{name} = :was_{name}" if was else f" AND attribute_not_exists(#{name})"
                update.names[f"#{name}"] = name
                if was:
                    update.values[f":was_{name}"] = was
        self.table.transact(
            [
                self.table.update(update),
                self.table.put(audit_item(change.audit)),
                *recorded(self.table, change.audit),
                *index,
            ]
        )

    def issue_verification(self, contractor: Contractor, issue: VerificationIssue) -> None:
        update = Update(
            contractor_key(contractor.license_number),
            sets=["verification_token_hash = :new", "verification_emails_sent_at = :sent", "updated_at = :at"],
            values={
                ":new": issue.token.token_hash,
                ":sent": format_times(issue.sent_at),
                ":at": format_time(issue.token.created_at),
                ":generation": contractor.session_generation,
            },
        )
        if issue.pending_email:
            update.sets.append("pending_email = :pending")
            update.values[":pending"] = issue.pending_email
        if contractor.verification_token_hash:
            update.condition = "verification_token_hash = :expected"
            update.values[":expected"] = contractor.verification_token_hash
        else:
            update.condition = "attribute_exists(pk) AND attribute_not_exists(verification_token_hash)"
        update.condition += " AND session_generation = :generation"
        if issue.confirmed:
            take_back(update, issue.confirmed)
        items = [self.table.update(update), self.table.put(token_item(issue.token), "attribute_not_exists(pk)")]
        if issue.audit:
            items += [
                self.table.put(audit_item(issue.audit)),
                *recorded(self.table, issue.audit, notice_to=told(contractor)),
            ]
        self.table.transact(items)

    def verify_email(self, token: TokenRecord, audit: AuditEntry, replaced: str | None = None) -> None:
        """``replaced``: the account's email as read; the write is conditioned on it."""
        verified = Update(
            contractor_key(token.license_number),
            sets=["email = :email", "email_verified = :verified", "updated_at = :at"],
            removes=["pending_email", "verification_token_hash", "reset_token_hash"],
            condition="verification_token_hash = :hash AND session_generation = :generation",
            values={
                ":email": token.email,
                ":verified": True,
                ":at": format_time(audit.at),
                ":hash": token.token_hash,
                ":generation": token.session_generation,
            },
        )
        if replaced:
            verified.condition += " AND email = :replaced"
            verified.values[":replaced"] = replaced
        else:
            verified.condition += " AND attribute_not_exists(email)"
        index = index_writes(
            self.table, token.license_number, {"email": search_key(replaced)}, {"email": search_key(token.email)}
        )
        self.table.transact(
            [
                self.table.delete_token(token.token_hash, "verify"),
                self.table.update(verified),
                self.table.put(audit_item(audit)),
                *recorded(self.table, audit),
                *index,
            ]
        )
