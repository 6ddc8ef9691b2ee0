"""Staff actions, run from the Lambda console or ``aws lambda invoke`` (no API route).

Every action is logged; every change also leaves an audit item on the account, written in
the same transaction as the change."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, TypeAdapter, ValidationError

from contractor_accounts.account import city_today, contact_values
from contractor_accounts.clock import Clock
from contractor_accounts.entities import AuditEntry, ContactChange, ContactDetails, Contractor
from contractor_accounts.errors import (
    AccountDisabled,
    ContractorNotFound,
    DomainError,
    NotPendingReview,
    ServiceUnavailable,
)
from contractor_accounts.fields import (
    Email,
    LicenseNumber,
    MailingAddress,
    Phone,
    StrictModel,
    Text,
    field_message,
)
from contractor_accounts.observability import logger
from contractor_accounts.passwords import Hasher
from contractor_accounts.policy import AUDIT_SUMMARY_LENGTH, MAX_IMPORT_ROWS
from contractor_accounts.schemas import ContactFields
from contractor_accounts.settings import Settings
from contractor_accounts.signin import device_is_live, locked_until
from contractor_accounts.store import ConflictingWrite, ContractorExists, ContractorStore, NoSuchContractor
from contractor_accounts.tokens import new_temporary_password
from contractor_accounts.views import contractor_view

Actor = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\w .@'-]+$")]


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
    email: Email | None = None

    def to_domain(self) -> ContactDetails:
        return replace(super().to_domain(), business_name=self.business_name, email=self.email)


class Approve(StaffEvent):
    action: Literal["approve"]
    license_number: LicenseNumber


StaffRequest = Annotated[
    ImportContractors | IssueTemporaryPassword | Unlock | Disable | Enable | Get | UpdateContact | Approve,
    Discriminator("action"),
]
_staff_request: TypeAdapter[StaffRequest] = TypeAdapter(StaffRequest)


class ImportRow(StrictModel):
    license_number: LicenseNumber
    business_name: Text
    contact_name: Text | None = None
    email: Email | None = None
    phone: Phone | None = None
    mailing_address: MailingAddress | None = None


class Skipped(BaseModel):
    license_number: str
    reason: str


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


@dataclass(frozen=True)
class StaffDesk:
    store: ContractorStore
    clock: Clock
    hasher: Hasher
    settings: Settings

    def handle(self, event: object) -> dict[str, Any]:
        """One staff event in, ``{"ok": true, ...}`` or ``{"ok": false, "error", "message"}`` out."""
        try:
            request = _staff_request.validate_python(event)
        except ValidationError as error:
            # loc starts with the action's tag; the fields are named without it.
            return _failure("validation_error", "The event is not a valid staff action.", _problems(error, prefix=1))
        actions: dict[type[StaffEvent], Callable[[Any], dict[str, Any]]] = {
            ImportContractors: self.import_contractors,
            IssueTemporaryPassword: self.issue_temporary_password,
            Unlock: self.unlock,
            Disable: self.disable,
            Enable: self.enable,
            Get: self.get,
            UpdateContact: self.update_contact,
            Approve: self.approve,
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

    def _audit(self, license_number: str, action: str, actor: str, **details: str) -> AuditEntry:
        return AuditEntry(license_number, action, actor, self.clock.now(), details)

    def import_contractors(self, request: ImportContractors) -> dict[str, Any]:
        imported = 0
        skipped: list[Skipped] = []
        seen: set[str] = set()
        for position, row in enumerate(request.contractors, start=1):
            raw_license = str(row.get("license_number", "")) if isinstance(row, dict) else ""
            try:
                parsed = ImportRow.model_validate(row)
            except ValidationError as error:
                reasons = "; ".join(f"{path}: {message}" for path, message in _problems(error).items())
                skipped.append(Skipped(license_number=raw_license, reason=f"row {position} invalid: {reasons}"))
                continue
            if parsed.license_number in seen:
                skipped.append(Skipped(license_number=parsed.license_number, reason="duplicate_in_request"))
                continue
            seen.add(parsed.license_number)
            now = self.clock.now()
            contractor = Contractor(
                license_number=parsed.license_number,
                business_name=parsed.business_name,
                created_at=now,
                created_by="staff_import",
                contact_name=parsed.contact_name,
                email=parsed.email,
                # Staff set it: it counts as verified (checklist 30).
                email_verified=parsed.email is not None,
                phone=parsed.phone,
                mailing_address=parsed.mailing_address.model_dump() if parsed.mailing_address else None,
            )
            try:
                self.store.create_contractor(
                    contractor, None, AuditEntry(parsed.license_number, "imported", request.actor, now)
                )
            except ContractorExists:
                skipped.append(Skipped(license_number=parsed.license_number, reason="already_exists"))
                continue
            except ConflictingWrite:
                skipped.append(Skipped(license_number=parsed.license_number, reason="busy_try_again"))
                continue
            imported += 1
        logger.info("contractors_imported", extra={"imported": imported, "skipped": len(skipped)})
        return {"imported": imported, "skipped": [entry.model_dump() for entry in skipped]}

    def issue_temporary_password(self, request: IssueTemporaryPassword) -> dict[str, Any]:
        temporary = new_temporary_password()
        expires_at = self.clock.now() + timedelta(days=self.settings.temporary_password_days)
        self._write(
            lambda: self.store.set_temporary_password(
                request.license_number,
                self.hasher.hash_password(temporary),
                expires_at,
                self._audit(request.license_number, "temporary_password_issued", request.actor),
            )
        )
        # The password goes to staff (to read out on the phone) and nowhere else: not logged.
        return {
            "license_number": request.license_number,
            "temporary_password": temporary,
            "expires_at": _iso(expires_at),
        }

    def unlock(self, request: Unlock) -> dict[str, Any]:
        self._write(
            lambda: self.store.unlock(
                request.license_number, self._audit(request.license_number, "unlocked", request.actor)
            )
        )
        return {"license_number": request.license_number, "message": "Sign-in failures cleared."}

    def disable(self, request: Disable) -> dict[str, Any]:
        self._write(
            lambda: self.store.set_account_status(
                request.license_number, "disabled", self._audit(request.license_number, "disabled", request.actor)
            )
        )
        return {"license_number": request.license_number, "account_status": "disabled"}

    def enable(self, request: Enable) -> dict[str, Any]:
        self._write(
            lambda: self.store.set_account_status(
                request.license_number, "active", self._audit(request.license_number, "enabled", request.actor)
            )
        )
        return {"license_number": request.license_number, "account_status": "active"}

    def update_contact(self, request: UpdateContact) -> dict[str, Any]:
        values = contact_values(request.to_domain(), city_today(self.clock, self.settings))
        audit = self._audit(request.license_number, "contact_updated", request.actor, fields=",".join(values))
        self._write(lambda: self.store.update_contact(ContactChange(request.license_number, values, audit)))
        return self.get(Get(action="get", license_number=request.license_number))

    def approve(self, request: Approve) -> dict[str, Any]:
        self._write(
            lambda: self.store.approve(
                request.license_number, self._audit(request.license_number, "approved", request.actor)
            ),
            refused=lambda found: AccountDisabled() if found.awaiting_approval else NotPendingReview(),
        )
        # The write's condition: the account was active and awaiting approval; now it is active.
        return {"license_number": request.license_number, "account_status": "active"}

    def get(self, request: Get) -> dict[str, Any]:
        found = self.store.get_contractor_with_audit(request.license_number, AUDIT_SUMMARY_LENGTH)
        if found is None:
            raise ContractorNotFound
        return self._view(*found)

    @staticmethod
    def _write(
        write: Callable[[], None], refused: Callable[[Contractor], DomainError] = lambda _: AccountDisabled()
    ) -> None:
        """One staff write, no read around it: its failed condition says what was wrong, from the
        account it returns (no such account; else ``refused`` tells which condition failed)."""
        try:
            write()
        except NoSuchContractor as missing:
            raise ContractorNotFound from missing
        except ConflictingWrite as conflict:
            if conflict.found is None:  # a concurrent write on the account: try again
                raise ServiceUnavailable from conflict
            raise refused(conflict.found) from conflict

    def _view(self, contractor: Contractor, audit: list[AuditEntry]) -> dict[str, Any]:
        today = city_today(self.clock, self.settings)
        until = locked_until(contractor)
        view: dict[str, Any] = contractor_view(contractor, today).model_dump(mode="json")
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
                    "locked_until": _iso(until) if until and until > self.clock.now() else None,
                },
                # Browsers that sign in past the lock (OWASP device cookies); no token or hash.
                "trusted_devices": [
                    {"issued_at": _iso(device.issued_at), "failed_sign_ins": device.failures}
                    for device in contractor.trusted_devices
                    if device_is_live(device, self.clock.now())
                ],
                "audit": [
                    {"action": entry.action, "actor": entry.actor, "at": _iso(entry.at), **entry.details}
                    for entry in audit
                ],
            }
        )
        return {"contractor": view}


def _iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the API writes its times."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None
