"""Reset links: the newest one issued with its email times and the request that asked for it,
or withdrawn when its email could not be sent, each one transaction that must not race."""

from datetime import datetime

from contractor_accounts.adapters.dynamodb.items import contractor_key, format_time, format_times, token_item
from contractor_accounts.adapters.dynamodb.table import Operations, Update
from contractor_accounts.domain.entities import Contractor, TokenRecord


class ResetLinks(Operations):
    def issue_reset_token(
        self, contractor: Contractor, token: TokenRecord, sent_at: tuple[datetime, ...], request_id: str
    ) -> None:
        swap = _swap_reset_token(
            contractor.license_number,
            expected=contractor.reset_token_hash,
            new=token.token_hash,
            sent_at=sent_at,
            at=token.created_at,
            request_id=request_id,
        )
        # Decided on the address read: it is still the account's, verified and deliverable, and
        # the account still active. An email change (a verification, staff update_contact) in
        # between makes this write fail: no link goes to the old address.
        swap.condition += (
            " AND account_status = :active AND email = :mailed AND (attribute_not_exists(undeliverable_email)"
            " OR undeliverable_email <> :mailed) AND (email_verified = :verified OR"
            " (attribute_not_exists(email_verified) AND created_by = :staff_import))"
        )
        swap.values |= {
            ":active": "active",
            ":mailed": contractor.email,
            ":verified": True,
            ":staff_import": "staff_import",
        }
        self.table.transact([self.table.update(swap), self.table.put(token_item(token), "attribute_not_exists(pk)")])

    def withdraw_reset_token(self, contractor: Contractor, token: TokenRecord) -> None:
        swap = _swap_reset_token(
            contractor.license_number,
            expected=token.token_hash,
            new=contractor.reset_token_hash,
            sent_at=contractor.reset_emails_sent_at,
            at=token.created_at,
            request_id=contractor.reset_request_id,
        )
        self.table.transact([self.table.update(swap), self.table.delete_token(token.token_hash)])


def _swap_reset_token(
    license_number: str,
    expected: str | None,
    new: str | None,
    sent_at: tuple[datetime, ...],
    at: datetime,
    request_id: str | None,
) -> Update:
    """Every issue changes the newest reset token, so it doubles as the version that
    makes concurrent requests (and the email-time list) race-free."""
    swap = Update(
        contractor_key(license_number),
        sets=["reset_emails_sent_at = :sent", "updated_at = :now"],
        values={":sent": format_times(sent_at), ":now": format_time(at)},
    )
    swap.set_or_remove("reset_token_hash", ":new", new)
    swap.set_or_remove("reset_request_id", ":request", request_id)
    if expected:
        swap.condition = "reset_token_hash = :expected"
        swap.values[":expected"] = expected
    else:
        swap.condition = "attribute_exists(pk) AND attribute_not_exists(reset_token_hash)"
    return swap
