"""A change of contact details (the contractor's own ``PATCH /me`` or staff's ``update_contact``):
what it may hold, and the account it leaves."""

from dataclasses import fields, replace
from datetime import date

from contractor_accounts.domain.entities import Contractor
from contractor_accounts.domain.errors import ValidationFailed
from contractor_accounts.domain.requests import ContactDetails
from contractor_accounts.domain.workers_comp import check_workers_comp


def changed_fields(details: ContactDetails) -> tuple[str, ...]:
    """The names of the fields the change sets (None: unchanged)."""
    return tuple(field.name for field in fields(details) if getattr(details, field.name) is not None)


def check_contact_change(details: ContactDetails, today: date) -> tuple[str, ...]:
    """The fields the change sets; ValidationFailed for an empty change or an expired policy."""
    check_workers_comp(details.workers_comp, today)
    changed = changed_fields(details)
    if not changed:
        raise ValidationFailed(fields={"body": "Send at least one field to change."})
    return changed


def with_contact(contractor: Contractor, details: ContactDetails) -> Contractor:
    """The account as the change leaves it."""
    return replace(contractor, **{name: getattr(details, name) for name in changed_fields(details)})
