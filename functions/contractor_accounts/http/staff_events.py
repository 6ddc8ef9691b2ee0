"""Staff actions from the Lambda console or ``aws lambda invoke`` (no API route): the events
(one pydantic model per action), their answers ``{"ok": true, ...}`` or ``{"ok": false, "error",
"message"}``, and the staff view of an account. The actions are ``use_cases.staff_desk``'s.

Every action is logged; every change also leaves an audit item on the account, written in the
same transaction as the change."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import Discriminator, Field, TypeAdapter, ValidationError, model_validator

from contractor_accounts.domain.activity import ActivityReport
from contractor_accounts.domain.entities import AuditEntry, Contractor
from contractor_accounts.domain.errors import DomainError
from contractor_accounts.domain.lockout import device_is_live, locked_until
from contractor_accounts.domain.policy import LOCKOUT_THRESHOLD, MAX_IMPORT_ROWS
from contractor_accounts.domain.requests import ContactDetails
from contractor_accounts.domain.search import SEARCH_FIELDS, SearchField
from contractor_accounts.domain.state_license import LicenseLookup
from contractor_accounts.http.fields import (
    EmailAddress,
    LicenseNumber,
    MailingAddress,
    Phone,
    StrictModel,
    Text,
    field_message,
)
from contractor_accounts.http.schemas import ContactFields
from contractor_accounts.http.views import activity_view, contractor_view, staff_license_view
from contractor_accounts.observability import logger
from contractor_accounts.use_cases.pending_reviews import PendingReviews
from contractor_accounts.use_cases.staff_desk import ImportedContractor, SkippedRow, StaffDesk

# Who acts, as staff write it: letters, digits, spaces and ordinary punctuation ("Pat (permit
# counter)", "O'Brien, J.", "j.doe@city.gov"); no control characters, no markup.
Actor = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\w .,@'()/&#:+-]+$")]


class StaffEvent(StrictModel):
    # Who is acting, as staff type it (the console does not pass the caller's identity;
    # CloudTrail data events on the function record that).
    actor: Actor = "console"


class ImportContractors(StaffEvent):
    action: Literal["import_contractors"]
    # Rows are validated one by one, so one bad row is reported, not fatal.
    contractors: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=MAX_IMPORT_ROWS)]


class IssueTemporaryPassword(StaffEvent):
    action: Literal["issue_temporary_password"]
    license_number: LicenseNumber


class Unlock(StaffEvent):
    action: Literal["unlock"]
    license_number: LicenseNumber


class RemovePasskeys(StaffEvent):
    action: Literal["remove_passkeys"]
    license_number: LicenseNumber


class Disable(StaffEvent):
    action: Literal["disable"]
    license_number: LicenseNumber


class Enable(StaffEvent):
    action: Literal["enable"]
    license_number: LicenseNumber


class Get(StaffEvent):
    action: Literal["get"]
    license_number: LicenseNumber


class UpdateContact(StaffEvent, ContactFields):
    """Any contact field; an email set here counts as verified (staff checked it)."""

    action: Literal["update_contact"]
    license_number: LicenseNumber
    business_name: Text | None = None
    email: EmailAddress | None = None

    def to_domain(self) -> ContactDetails:
        return replace(super().to_domain(), business_name=self.business_name, email=self.email)


class Approve(StaffEvent):
    action: Literal["approve"]
    license_number: LicenseNumber


SearchText = Annotated[str, Field(min_length=1, max_length=200)]


class Find(StaffEvent):
    """Exactly one of the fields: the start of a business or contact name, an email or a phone
    number (case, spaces and punctuation aside)."""

    action: Literal["find"]
    business_name: SearchText | None = None
    contact_name: SearchText | None = None
    email: SearchText | None = None
    phone: SearchText | None = None

    @model_validator(mode="after")
    def _one_field(self) -> "Find":
        given = [name for name in SEARCH_FIELDS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"Give exactly one of {', '.join(SEARCH_FIELDS)}.")
        return self

    @property
    def field(self) -> SearchField:
        return next(name for name in SEARCH_FIELDS if getattr(self, name) is not None)


class ListPending(StaffEvent):
    action: Literal["list_pending"]


StaffRequest = Annotated[
    ImportContractors
    | IssueTemporaryPassword
    | Unlock
    | RemovePasskeys
    | Disable
    | Enable
    | Get
    | UpdateContact
    | Approve
    | ListPending
    | Find,
    Discriminator("action"),
]
# Every action's name, from the events themselves (an unknown one is answered with this list).
ACTIONS: Final = tuple(
    get_args(event.model_fields["action"].annotation)[0] for event in get_args(get_args(StaffRequest)[0])
)
_staff_request: TypeAdapter[StaffRequest] = TypeAdapter(StaffRequest)


class ImportRow(StrictModel):
    license_number: LicenseNumber
    business_name: Text
    contact_name: Text | None = None
    email: EmailAddress | None = None
    phone: Phone | None = None
    mailing_address: MailingAddress | None = None

    def to_domain(self) -> ImportedContractor:
        return ImportedContractor(
            license_number=self.license_number,
            business_name=self.business_name,
            contact_name=self.contact_name,
            email=self.email,
            phone=self.phone,
            mailing_address=self.mailing_address.to_entity() if self.mailing_address else None,
        )


def _problems(error: ValidationError, prefix: int = 0) -> dict[str, str]:
    return {
        ".".join(str(part) for part in problem["loc"][prefix:]) or "event": field_message(problem)
        for problem in error.errors()
    }


def _failure(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"ok": False, "error": code, "message": message}
    if fields:
        result["fields"] = fields
    return result


def _import_row(position: int, row: object) -> ImportedContractor | SkippedRow:
    """One row of an import, validated on its own: a bad row is reported, not fatal."""
    try:
        return ImportRow.model_validate(row).to_domain()
    except ValidationError as error:
        raw_license = str(row.get("license_number", "")) if isinstance(row, dict) else ""
        reasons = "; ".join(f"{path}: {message}" for path, message in _problems(error).items())
        return SkippedRow(raw_license, f"row {position} invalid: {reasons}")


@dataclass(frozen=True)
class StaffConsole:
    """One staff event in, its answer out."""

    desk: StaffDesk
    reviews: PendingReviews

    def handle(self, event: object) -> dict[str, Any]:
        action = event.get("action") if isinstance(event, dict) else None
        if action not in ACTIONS:
            return _failure(
                "validation_error",
                f"Unknown action {action!r}. The actions are: {', '.join(ACTIONS)}.",
                {"action": f"One of: {', '.join(ACTIONS)}."},
            )
        try:
            request = _staff_request.validate_python(event)
        except ValidationError as error:
            # loc starts with the action's tag; the fields are named without it.
            return _failure("validation_error", "The event is not a valid staff action.", _problems(error, prefix=1))
        actions: dict[type[StaffEvent], Callable[[Any], dict[str, Any]]] = {
            ImportContractors: self.import_contractors,
            IssueTemporaryPassword: self.issue_temporary_password,
            Unlock: self.unlock,
            RemovePasskeys: self.remove_passkeys,
            Disable: self.disable,
            Enable: self.enable,
            Get: self.get,
            UpdateContact: self.update_contact,
            Approve: self.approve,
            Find: self.find,
            ListPending: self.list_pending,
        }
        logger.info(
            "staff_action",
            extra={
                "action": request.action,
                "actor": request.actor,
                "license_number": getattr(request, "license_number", None),
            },
        )
        try:
            return {"ok": True, **actions[type(request)](request)}
        except DomainError as error:
            logger.info("staff_action_refused", extra={"action": request.action, "error": error.code})
            return _failure(error.code, error.message, error.fields)

    def import_contractors(self, request: ImportContractors) -> dict[str, Any]:
        rows = [_import_row(position, row) for position, row in enumerate(request.contractors, start=1)]
        report = self.desk.import_contractors(rows, request.actor)
        return {
            "imported": report.imported,
            "skipped": [{"license_number": row.license_number, "reason": row.reason} for row in report.skipped],
        }

    def issue_temporary_password(self, request: IssueTemporaryPassword) -> dict[str, Any]:
        temporary = self.desk.issue_temporary_password(request.license_number, request.actor)
        return {
            "license_number": request.license_number,
            "temporary_password": temporary.password,
            "expires_at": _iso(temporary.expires_at),
        }

    def unlock(self, request: Unlock) -> dict[str, Any]:
        self.desk.unlock(request.license_number, request.actor)
        return {"license_number": request.license_number, "message": "Sign-in failures cleared."}

    def remove_passkeys(self, request: RemovePasskeys) -> dict[str, Any]:
        self.desk.remove_passkeys(request.license_number, request.actor)
        return {"license_number": request.license_number, "message": "Every passkey of the account was removed."}

    def disable(self, request: Disable) -> dict[str, Any]:
        self.desk.disable(request.license_number, request.actor)
        return {"license_number": request.license_number, "account_status": "disabled"}

    def enable(self, request: Enable) -> dict[str, Any]:
        # The status the account really has: an enabled account awaiting approval stays pending.
        pending = self.desk.enable(request.license_number, request.actor)
        return {"license_number": request.license_number, "account_status": "pending_review" if pending else "active"}

    def update_contact(self, request: UpdateContact) -> dict[str, Any]:
        self.desk.update_contact(request.license_number, request.to_domain(), request.actor)
        return self.get(Get(action="get", license_number=request.license_number))

    def approve(self, request: Approve) -> dict[str, Any]:
        self.reviews.approve(request.license_number, request.actor)
        return {"license_number": request.license_number, "account_status": "active"}

    def find(self, request: Find) -> dict[str, Any]:
        found, more = self.desk.find(request.field, str(getattr(request, request.field)))
        return {
            "searched": {request.field: getattr(request, request.field)},
            "results": [_found(contractor) for contractor in found],
            "more": more,
            "message": (
                f"More than {len(found)} match: type more of it to narrow the list." if more else f"{len(found)} found."
            ),
        }

    def list_pending(self, request: ListPending) -> dict[str, Any]:
        return {
            "pending": [
                {
                    "license_number": review.license_number,
                    "registered_at": _iso(review.registered_at),
                    "business_name": review.business_name,
                    **staff_license_view(record, review.business_name, self.desk.today()),
                }
                for review, record in self.reviews.list_pending()
            ]
        }

    def get(self, request: Get) -> dict[str, Any]:
        contractor, audit, activity = self.desk.get(request.license_number)
        return self._view(contractor, audit, self.reviews.state_record(request.license_number), activity)

    def _view(
        self, contractor: Contractor, audit: list[AuditEntry], lookup: LicenseLookup, activity: ActivityReport
    ) -> dict[str, Any]:
        today = self.desk.today()
        until = locked_until(contractor)
        view: dict[str, Any] = contractor_view(contractor, today, lookup.record).model_dump(mode="json")
        view.update(staff_license_view(lookup.record, contractor.business_name, today, lookup.list_loaded))
        view.update(
            {
                "registration": {"none": "on_file", "temporary": "temporary_password", "set": "registered"}[
                    contractor.password_state
                ],
                "created_at": _iso(contractor.created_at),
                "created_by": contractor.created_by,
                "has_security_question": contractor.security_question is not None,
                "temporary_password_expires_at": _iso(contractor.temporary_password_expires_at),
                "password_changed_at": _iso(contractor.password_changed_at),
                "last_login_at": _iso(contractor.last_login_at),
                "lock": {
                    "failed_sign_ins": contractor.failed_login_count,
                    "last_failed_at": _iso(contractor.last_failed_login_at),
                    "locked_until": _iso(until) if until and until > self.desk.clock.now() else None,
                },
                "sign_ins": _sign_ins(contractor, until, self.desk.clock.now()),
                # Browsers that sign in past the lock (OWASP device cookies); no token or hash.
                "trusted_devices": [
                    {"issued_at": _iso(device.issued_at), "failed_sign_ins": device.failures}
                    for device in contractor.trusted_devices
                    if device_is_live(device, self.desk.clock.now())
                ],
                # Passkeys (contract v3): what staff need to tell them apart on the phone; no key.
                "passkeys": [
                    {
                        "name": passkey.name,
                        "created_at": _iso(passkey.created_at),
                        "last_used_at": _iso(passkey.last_used_at),
                        "synced": passkey.synced,
                    }
                    for passkey in contractor.passkeys
                ],
                "audit": [
                    {"action": entry.action, "actor": entry.actor, "at": _iso(entry.at), **entry.details}
                    for entry in audit
                ],
                # What the contractor sees on My Account (GET /me/activity), staff actions included.
                "activity": activity_view(activity).model_dump(mode="json"),
            }
        )
        return {"contractor": view}


def _sign_ins(contractor: Contractor, until: datetime | None, now: datetime) -> str:
    """Recent sign-ins, failures and the lock, in one sentence staff can read to a caller (from
    what the account keeps: its last sign-in, the failures counted since, the lock they set)."""
    last = f"Last signed in {_iso(contractor.last_login_at)}." if contractor.last_login_at else "Never signed in."
    failures = contractor.failed_login_count
    if not failures:
        return f"{last} No failed sign-ins since."
    plural = "s" if failures != 1 else ""
    text = f"{last} {failures} failed sign-in{plural} since, the last {_iso(contractor.last_failed_login_at)}."
    if until and until > now:
        return f"{text} Locked until {_iso(until)}: the lock ends by itself; unlock ends it now."
    if failures >= LOCKOUT_THRESHOLD:
        return f"{text} Was locked; the lock has ended (the next wrong password locks it again)."
    return text


def _found(contractor: Contractor) -> dict[str, Any]:
    """One account of a ``find``: what staff need to tell callers apart (the email in full:
    staff see it in ``get`` anyway, and read it back to the caller to confirm)."""
    address = contractor.mailing_address
    return {
        "license_number": contractor.license_number,
        "business_name": contractor.business_name,
        "contact_name": contractor.contact_name,
        "email": contractor.email,
        "phone": contractor.phone,
        "city": address.city if address else None,
        "account_status": contractor.account_status,
    }


def _iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the API writes its times."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None
