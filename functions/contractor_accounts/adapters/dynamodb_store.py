"""The ContractorStore on one DynamoDB table.

Items (pk / sk), readable in the console, no plaintext secret:
  CONTRACTOR#<license> / PROFILE            the account, with its trusted devices (``devices``)
  CONTRACTOR#<license> / AUDIT#<time>#<id>  audit trail (staff actions, password changes)
  TOKEN#<sha256> / TOKEN                    session, challenge, reset or verification token (``kind``)
  REMINDER#<license>#<policy>#<threshold> / REMINDER   a workers' comp reminder sent (once only)
The account carries ``workers_comp_expires_on`` only while it has a policy: the key of the sparse
index the reminder job queries by date (``EXPIRY_INDEX``).
Times are ISO 8601 UTC with microseconds, so they compare correctly as strings in
condition expressions. Tokens carry ``expires_at_epoch`` for TTL; expiry is still checked
in code, because TTL deletes lazily."""

import secrets
from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, cast

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from contractor_accounts.domain.changes import (
    ContactChange,
    DeviceChange,
    OwnPasswordChange,
    PasswordChange,
    VerificationIssue,
)
from contractor_accounts.domain.entities import (
    AccountStatus,
    AuditEntry,
    Contractor,
    PolicyHolder,
    TokenRecord,
    TrustedDevice,
)
from contractor_accounts.domain.policy import (
    DEVICE_MAX_FAILURES,
    DEVICE_TOKEN_DAYS,
    LOCKOUT_CAP,
    LOCKOUT_THRESHOLD,
    MAX_WRONG_ANSWERS,
    lockout_delay,
)
from contractor_accounts.domain.values import MailingAddress, WorkersComp, WorkersCompExempt, WorkersCompPolicy
from contractor_accounts.ports.store import ConflictingWrite, ContractorExists, NoSuchContractor

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

_PROFILE: Final = "PROFILE"
_TOKEN: Final = "TOKEN"
_REMINDER: Final = "REMINDER"
EXPIRY_INDEX: Final = "WorkersCompExpiryIndex"
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _contractor_key(license_number: str) -> dict[str, str]:
    return {"pk": f"CONTRACTOR#{license_number}", "sk": _PROFILE}


def _token_key(token_hash: str) -> dict[str, str]:
    return {"pk": f"TOKEN#{token_hash}", "sk": _TOKEN}


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _required_time(value: object) -> datetime:
    parsed = parse_time(value)
    if parsed is None:
        raise ValueError(f"not a stored time: {value!r}")
    return parsed


def _plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; the domain wants int."""
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _to_wire(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in values.items() if value is not None}


def _from_wire(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _plain(_deserializer.deserialize(value)) for key, value in item.items()}


def _expires_on(workers_comp: WorkersComp | None) -> str | None:
    """The expiry index's key: only an account with a policy (not exempt) is in the index."""
    if isinstance(workers_comp, WorkersCompPolicy):
        return workers_comp.expires_on.isoformat()
    return None


def _workers_comp_attribute(workers_comp: WorkersComp | None) -> dict[str, Any] | None:
    """How the item keeps workers' compensation: ``{"exempt": true}`` or the policy."""
    if workers_comp is None:
        return None
    if isinstance(workers_comp, WorkersCompPolicy):
        return {**asdict(workers_comp), "expires_on": workers_comp.expires_on.isoformat()}
    return {"exempt": True}


def _workers_comp_from(attribute: Mapping[str, Any] | None) -> WorkersComp | None:
    if not attribute:
        return None
    if attribute.get("exempt"):
        return WorkersCompExempt()
    return _policy_from(attribute)


def _policy_from(attribute: Mapping[str, Any]) -> WorkersCompPolicy:
    return WorkersCompPolicy(
        str(attribute["carrier"]), str(attribute["policy_number"]), date.fromisoformat(str(attribute["expires_on"]))
    )


def _address_attribute(address: MailingAddress | None) -> dict[str, str] | None:
    return asdict(address) if address else None


def _address_from(attribute: Mapping[str, Any] | None) -> MailingAddress | None:
    if not attribute:
        return None
    return MailingAddress(
        str(attribute["street"]), str(attribute["city"]), str(attribute["state"]), str(attribute["postal_code"])
    )


def _email_verified(item: Mapping[str, Any]) -> bool:
    """Accounts written before email verification have no ``email_verified``: an address staff
    imported counts as verified (staff set it); one a contractor typed does not (checklist 30)."""
    if "email_verified" in item:
        return bool(item["email_verified"])
    return bool(item.get("email")) and item.get("created_by") == "staff_import"


def _contractor_item(contractor: Contractor) -> dict[str, Any]:
    return {
        **_contractor_key(contractor.license_number),
        "item_type": "contractor",
        "license_number": contractor.license_number,
        "business_name": contractor.business_name,
        "contact_name": contractor.contact_name,
        "email": contractor.email,
        "phone": contractor.phone,
        "mailing_address": _address_attribute(contractor.mailing_address),
        "workers_comp": _workers_comp_attribute(contractor.workers_comp),
        "security_question": contractor.security_question,
        "security_answer_hash": contractor.security_answer_hash,
        "password_hash": contractor.password_hash,
        "password_state": contractor.password_state,
        "temporary_password_expires_at": _optional_time(contractor.temporary_password_expires_at),
        "password_changed_at": _optional_time(contractor.password_changed_at),
        "account_status": contractor.account_status,
        "failed_login_count": contractor.failed_login_count,
        "last_failed_login_at": _optional_time(contractor.last_failed_login_at),
        "last_login_at": _optional_time(contractor.last_login_at),
        "session_generation": contractor.session_generation,
        "reset_token_hash": contractor.reset_token_hash,
        "reset_emails_sent_at": [format_time(sent) for sent in contractor.reset_emails_sent_at] or None,
        "reset_request_id": contractor.reset_request_id,
        "devices": {device.token_hash: _device_entry(device) for device in contractor.trusted_devices} or None,
        "email_verified": contractor.email_verified,
        "pending_email": contractor.pending_email,
        "verification_token_hash": contractor.verification_token_hash,
        "verification_emails_sent_at": [format_time(sent) for sent in contractor.verification_emails_sent_at] or None,
        "awaiting_approval": contractor.awaiting_approval or None,
        "workers_comp_expires_on": _expires_on(contractor.workers_comp),
        "undeliverable_email": contractor.undeliverable_email,
        "undeliverable_since": _optional_time(contractor.undeliverable_since),
        "created_at": format_time(contractor.created_at),
        "created_by": contractor.created_by,
        "updated_at": format_time(contractor.created_at),
    }


def _device_entry(device: TrustedDevice) -> dict[str, Any]:
    return {"issued_at": format_time(device.issued_at), "failures": device.failures}


def _devices_from(devices: dict[str, Any] | None) -> tuple[TrustedDevice, ...]:
    found = (
        TrustedDevice(token_hash, _required_time(entry["issued_at"]), entry.get("failures", 0))
        for token_hash, entry in (devices or {}).items()
    )
    return tuple(sorted(found, key=lambda device: (device.issued_at, device.token_hash)))


def _optional_time(value: datetime | None) -> str | None:
    return format_time(value) if value else None


def _contractor_from(item: dict[str, Any]) -> Contractor:
    return Contractor(
        license_number=item["license_number"],
        business_name=item["business_name"],
        created_at=_required_time(item["created_at"]),
        created_by=item["created_by"],
        contact_name=item.get("contact_name"),
        email=item.get("email"),
        phone=item.get("phone"),
        mailing_address=_address_from(item.get("mailing_address")),
        workers_comp=_workers_comp_from(item.get("workers_comp")),
        security_question=item.get("security_question"),
        security_answer_hash=item.get("security_answer_hash"),
        password_hash=item.get("password_hash"),
        password_state=item.get("password_state", "none"),
        temporary_password_expires_at=parse_time(item.get("temporary_password_expires_at")),
        password_changed_at=parse_time(item.get("password_changed_at")),
        account_status=item.get("account_status", "active"),
        failed_login_count=item.get("failed_login_count", 0),
        last_failed_login_at=parse_time(item.get("last_failed_login_at")),
        last_login_at=parse_time(item.get("last_login_at")),
        session_generation=item.get("session_generation", 0),
        reset_token_hash=item.get("reset_token_hash"),
        reset_emails_sent_at=tuple(_required_time(sent) for sent in item.get("reset_emails_sent_at", [])),
        reset_request_id=item.get("reset_request_id"),
        trusted_devices=_devices_from(item.get("devices")),
        email_verified=_email_verified(item),
        pending_email=item.get("pending_email"),
        verification_token_hash=item.get("verification_token_hash"),
        verification_emails_sent_at=tuple(_required_time(sent) for sent in item.get("verification_emails_sent_at", [])),
        awaiting_approval=bool(item.get("awaiting_approval", False)),
        undeliverable_email=item.get("undeliverable_email"),
        undeliverable_since=parse_time(item.get("undeliverable_since")),
    )


def _token_item(token: TokenRecord) -> dict[str, Any]:
    return {
        **_token_key(token.token_hash),
        "item_type": "token",
        "kind": token.kind,
        "license_number": token.license_number,
        "session_generation": token.session_generation,
        "created_at": format_time(token.created_at),
        "expires_at": format_time(token.expires_at),
        "expires_at_epoch": int(token.expires_at.timestamp()),
        "last_seen_at": _optional_time(token.last_seen_at),
        "answers_counted": token.answers_counted,
        "email": token.email,
    }


def _token_from(item: dict[str, Any]) -> TokenRecord:
    return TokenRecord(
        token_hash=item["pk"].removeprefix("TOKEN#"),
        kind=item["kind"],
        license_number=item["license_number"],
        session_generation=item["session_generation"],
        created_at=_required_time(item["created_at"]),
        expires_at=_required_time(item["expires_at"]),
        last_seen_at=parse_time(item.get("last_seen_at")),
        answers_counted=item.get("answers_counted", 0),
        email=item.get("email"),
    )


def _audit_item(entry: AuditEntry) -> dict[str, Any]:
    return {
        "pk": f"CONTRACTOR#{entry.license_number}",
        # A random suffix keeps two entries of the same microsecond apart.
        "sk": f"AUDIT#{format_time(entry.at)}#{secrets.token_hex(4)}",
        "item_type": "audit",
        "license_number": entry.license_number,
        "action": entry.action,
        "actor": entry.actor,
        "at": format_time(entry.at),
        "details": entry.details or None,
    }


def _audit_from(item: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        license_number=item["license_number"],
        action=item["action"],
        actor=item["actor"],
        at=_required_time(item["at"]),
        details=item.get("details") or {},
    )


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _is_account(action: Mapping[str, Any]) -> bool:
    """A transaction's action on an account item (``Key``, or the ``Item`` of a Put)."""
    key = action.get("Key") or action.get("Item") or {}
    return bool(key.get("sk") == {"S": _PROFILE} and str(key.get("pk", {}).get("S", "")).startswith("CONTRACTOR#"))


class _Table:
    """The table and the building blocks every write is made of."""

    def __init__(self, client: "DynamoDBClient", table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _put(self, item: dict[str, Any], condition: str | None = None) -> "TransactWriteItemTypeDef":
        put: dict[str, Any] = {"TableName": self._table, "Item": _to_wire(item)}
        if condition:
            put["ConditionExpression"] = condition
        return cast("TransactWriteItemTypeDef", {"Put": put})

    def _update(
        self,
        key: dict[str, str],
        expression: str,
        values: Mapping[str, Any],
        condition: str,
        names: Mapping[str, str] | None = None,
    ) -> "TransactWriteItemTypeDef":
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": _to_wire(key),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": _to_wire(values),
        }
        if names:
            update["ExpressionAttributeNames"] = dict(names)
        return cast("TransactWriteItemTypeDef", {"Update": update})

    def _transact(self, items: list["TransactWriteItemTypeDef"]) -> None:
        """One transaction. A condition on the account that fails returns the account as it was
        (ALL_OLD, no extra read): NoSuchContractor when there is none, else ConflictingWrite
        with the account as ``found``, so no caller needs a read to tell the two apart."""
        actions = [next(iter(cast(dict[str, dict[str, Any]], item).values())) for item in items]
        for action in actions:
            if action.get("ConditionExpression") and _is_account(action):
                action["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if _error_code(error) == "TransactionCanceledException":
                reasons = cast(list[dict[str, Any]], error.response.get("CancellationReasons", []))
                codes = [str(reason.get("Code", "None")) for reason in reasons]
                for action, reason in zip(actions, reasons, strict=False):
                    if reason.get("Code") == "ConditionalCheckFailed" and _is_account(action):
                        found = reason.get("Item")
                        if not found:
                            raise NoSuchContractor(",".join(codes)) from error
                        raise ConflictingWrite(",".join(codes), _contractor_from(_from_wire(found))) from error
                # A lost condition or a concurrent transaction on the same item: a lost race.
                if any(code in {"ConditionalCheckFailed", "TransactionConflict"} for code in codes):
                    raise ConflictingWrite(",".join(codes)) from error
            raise

    def get_contractor(self, license_number: str) -> Contractor | None:
        response = self._client.get_item(
            TableName=self._table, Key=_to_wire(_contractor_key(license_number)), ConsistentRead=True
        )
        item = response.get("Item")
        return _contractor_from(_from_wire(item)) if item else None


class _RecoveryWrites(_Table):
    """Password changes and reset links: each one transaction that must not race."""

    def change_password(self, change: PasswordChange) -> None:
        token_condition = "attribute_exists(pk) AND #kind = :kind"
        token_values: dict[str, Any] = {":kind": change.consumed_token_kind}
        if change.consumed_token_kind == "reset":
            token_condition += " AND answers_counted <= :max_answers"
            token_values[":max_answers"] = change.max_answers
        delete_token: dict[str, Any] = {
            "TableName": self._table,
            "Key": _to_wire(_token_key(change.consumed_token_hash)),
            "ConditionExpression": token_condition,
            "ExpressionAttributeNames": {"#kind": "kind"},
            "ExpressionAttributeValues": _to_wire(token_values),
        }
        expression = (
            "SET password_hash = :hash, password_state = :set, password_changed_at = :at, "
            "updated_at = :at, failed_login_count = :zero"
        )
        values: dict[str, Any] = {
            ":hash": change.password_hash,
            ":set": "set",
            ":at": format_time(change.at),
            ":zero": 0,
            ":one": 1,
            ":generation": change.expected_generation,
            ":active": "active",
        }
        if change.security_question and change.security_answer_hash:
            expression += ", security_question = :question, security_answer_hash = :answer"
            values[":question"] = change.security_question
            values[":answer"] = change.security_answer_hash
        ends = "temporary_password_expires_at, last_failed_login_at, reset_token_hash"
        if change.new_device:
            # Every other device ends; the browser that set the password is the only one left.
            expression += ", devices = :devices"
            values[":devices"] = {change.new_device.token_hash: _device_entry(change.new_device)}
        else:
            ends += ", devices"
        condition = "session_generation = :generation AND account_status = :active"
        if change.expected_reset_token_hash:
            condition += " AND reset_token_hash = :reset_hash"
            values[":reset_hash"] = change.expected_reset_token_hash
        items: list[TransactWriteItemTypeDef] = [
            cast("TransactWriteItemTypeDef", {"Delete": delete_token}),
            self._update(
                _contractor_key(change.license_number),
                f"{expression} REMOVE {ends} ADD session_generation :one",
                values,
                condition,
            ),
            self._put(_audit_item(change.audit)),
        ]
        if change.new_session:
            items.append(self._put(_token_item(change.new_session), "attribute_not_exists(pk)"))
        self._transact(items)

    def claim_answer_attempt(self, token_hash: str, limit: int = MAX_WRONG_ANSWERS) -> int | None:
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=_to_wire(_token_key(token_hash)),
                UpdateExpression="ADD answers_counted :one",
                ConditionExpression=(
                    "attribute_exists(pk) AND #kind = :reset "
                    "AND (attribute_not_exists(answers_counted) OR answers_counted < :limit)"
                ),
                ExpressionAttributeNames={"#kind": "kind"},
                ExpressionAttributeValues=_to_wire({":one": 1, ":reset": "reset", ":limit": limit}),
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return None
            raise
        return int(_from_wire(response["Attributes"])["answers_counted"])

    def issue_reset_token(
        self, contractor: Contractor, token: TokenRecord, sent_at: tuple[datetime, ...], request_id: str
    ) -> None:
        self._transact(
            [
                self._swap_reset_token(
                    contractor.license_number,
                    expected=contractor.reset_token_hash,
                    new=token.token_hash,
                    sent_at=sent_at,
                    at=token.created_at,
                    request_id=request_id,
                ),
                self._put(_token_item(token), "attribute_not_exists(pk)"),
            ]
        )

    def withdraw_reset_token(self, contractor: Contractor, token: TokenRecord) -> None:
        delete_token: dict[str, Any] = {
            "TableName": self._table,
            "Key": _to_wire(_token_key(token.token_hash)),
        }
        self._transact(
            [
                self._swap_reset_token(
                    contractor.license_number,
                    expected=token.token_hash,
                    new=contractor.reset_token_hash,
                    sent_at=contractor.reset_emails_sent_at,
                    at=token.created_at,
                    request_id=contractor.reset_request_id,
                ),
                cast("TransactWriteItemTypeDef", {"Delete": delete_token}),
            ]
        )

    def _swap_reset_token(
        self,
        license_number: str,
        expected: str | None,
        new: str | None,
        sent_at: tuple[datetime, ...],
        at: datetime,
        request_id: str | None,
    ) -> "TransactWriteItemTypeDef":
        """Every issue changes the newest reset token, so it doubles as the version that
        makes concurrent requests (and the email-time list) race-free."""
        values: dict[str, Any] = {":sent": [format_time(sent) for sent in sent_at], ":now": format_time(at)}
        expression = "SET reset_emails_sent_at = :sent, updated_at = :now"
        removed = []
        if new:
            expression += ", reset_token_hash = :new"
            values[":new"] = new
        else:
            removed.append("reset_token_hash")
        if request_id:
            expression += ", reset_request_id = :request"
            values[":request"] = request_id
        else:
            removed.append("reset_request_id")
        if removed:
            expression += " REMOVE " + ", ".join(removed)
        if expected:
            condition = "reset_token_hash = :expected"
            values[":expected"] = expected
        else:
            condition = "attribute_exists(pk) AND attribute_not_exists(reset_token_hash)"
        return self._update(_contractor_key(license_number), expression, values, condition)


class _StaffWrites(_Table):
    """Staff changes, each with its audit item in the same transaction."""

    def set_temporary_password(
        self, license_number: str, password_hash: str, expires_at: datetime, audit: AuditEntry
    ) -> None:
        self._staff_update(
            license_number,
            audit,
            "SET password_hash = :hash, password_state = :temporary, temporary_password_expires_at = :expires, "
            "failed_login_count = :zero, updated_at = :at REMOVE last_failed_login_at, devices "
            "ADD session_generation :one",
            {
                ":hash": password_hash,
                ":temporary": "temporary",
                ":expires": format_time(expires_at),
                ":zero": 0,
                ":one": 1,
                ":active": "active",
            },
            "attribute_exists(pk) AND account_status = :active",
        )

    def unlock(self, license_number: str, audit: AuditEntry) -> None:
        self._staff_update(
            license_number,
            audit,
            "SET failed_login_count = :zero, updated_at = :at REMOVE last_failed_login_at",
            {":zero": 0},
            "attribute_exists(pk)",
        )

    def set_account_status(self, license_number: str, status: AccountStatus, audit: AuditEntry) -> None:
        expression = "SET account_status = :status, updated_at = :at"
        values: dict[str, Any] = {":status": status}
        if status == "disabled":
            expression += " REMOVE devices ADD session_generation :one"
            values[":one"] = 1
        self._staff_update(license_number, audit, expression, values, "attribute_exists(pk)")

    def approve(self, license_number: str, audit: AuditEntry) -> None:
        self._staff_update(
            license_number,
            audit,
            "SET updated_at = :at REMOVE awaiting_approval",
            {":yes": True, ":active": "active"},
            "awaiting_approval = :yes AND account_status = :active",
        )

    def _staff_update(
        self, license_number: str, audit: AuditEntry, expression: str, values: dict[str, Any], condition: str
    ) -> None:
        # One round trip: a failed condition brings the account back (``_transact``), so
        # neither a read before (does it exist? is it active?) nor one after is needed.
        self._transact(
            [
                self._update(
                    _contractor_key(license_number),
                    expression,
                    {**values, ":at": format_time(audit.at)},
                    condition,
                ),
                self._put(_audit_item(audit)),
            ]
        )

    def recent_audit(self, license_number: str, limit: int) -> list[AuditEntry]:
        found = self.get_contractor_with_audit(license_number, limit)
        return found[1] if found else []

    def get_contractor_with_audit(self, license_number: str, limit: int) -> tuple[Contractor, list[AuditEntry]] | None:
        """One Query of the account's partition, newest first: between ``AUDIT#`` and ``PROFILE``
        (every other sort key prefix of the partition falls outside), PROFILE sorts last, so
        descending it comes first, then the newest audit entries: one page of ``limit + 1``."""
        response = self._client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :audit AND :profile",
            ExpressionAttributeValues=_to_wire(
                {":pk": f"CONTRACTOR#{license_number}", ":audit": "AUDIT#", ":profile": _PROFILE}
            ),
            ScanIndexForward=False,
            Limit=limit + 1,
            ConsistentRead=True,
        )
        items = [_from_wire(item) for item in response.get("Items", [])]
        if not items or items[0]["sk"] != _PROFILE:
            return None
        return _contractor_from(items[0]), [_audit_from(item) for item in items[1:] if item["sk"].startswith("AUDIT#")]


def _unlocked_at(now: datetime) -> tuple[str, dict[str, Any]]:
    """``policy.lock_ends`` as a condition: the account is not locked at ``now``. The delay
    grows with the count until it reaches the cap, so the rule is one term per count below
    the cap (5..14: 2^(n-5) s) and one for every count at it."""
    terms = [
        "attribute_not_exists(last_failed_login_at)",
        "attribute_not_exists(failed_login_count)",
        "failed_login_count < :threshold",
    ]
    values: dict[str, Any] = {":threshold": LOCKOUT_THRESHOLD}
    failures = LOCKOUT_THRESHOLD
    while lockout_delay(failures) < LOCKOUT_CAP:
        terms.append(f"(failed_login_count = :n{failures} AND last_failed_login_at <= :ended{failures})")
        values[f":n{failures}"] = failures
        values[f":ended{failures}"] = format_time(now - lockout_delay(failures))
        failures += 1
    terms.append("(failed_login_count >= :capped AND last_failed_login_at <= :ended_capped)")
    values[":capped"] = failures
    values[":ended_capped"] = format_time(now - LOCKOUT_CAP)
    return " OR ".join(terms), values


class _SignInWrites(_Table):
    """Sign-in: the attempt is claimed by one conditional write before the password is judged.

    Round trips (besides the per-address counter): a refused or wrong attempt is one
    UpdateItem, the claim, which also returns the account (ALL_NEW), so no read precedes it;
    nothing can be decided on a stale read, and an unknown license creates nothing. A success
    is the claim plus one TransactWriteItems that takes the claim back and stores the session.
    That write could be two plain ones (the session's generation already kills it at use if
    the account changed in between, so its existence need not be atomic with the account
    update): fewer write units but one more round trip, so the transaction stays."""

    def claim_sign_in_attempt(self, license_number: str, now: datetime) -> Contractor | None:
        unlocked, values = _unlocked_at(now)
        return self._claim(
            license_number,
            # Counted as a failure now; a success takes it back. The device map is made here so
            # that a success can add a device to it without another condition.
            "ADD failed_login_count :one "
            "SET last_failed_login_at = :now, updated_at = :now, devices = if_not_exists(devices, :no_devices)",
            f"attribute_exists(pk) AND ({unlocked})",
            {**values, ":one": 1, ":now": format_time(now), ":no_devices": {}},
        )

    def claim_device_attempt(self, license_number: str, device_hash: str, now: datetime) -> Contractor | None:
        return self._claim(
            license_number,
            "SET devices.#device.failures = devices.#device.failures + :one, updated_at = :now",
            "devices.#device.failures < :max_failures AND devices.#device.issued_at > :issued_after",
            {
                ":one": 1,
                ":now": format_time(now),
                ":max_failures": DEVICE_MAX_FAILURES,
                ":issued_after": format_time(now - timedelta(days=DEVICE_TOKEN_DAYS)),
            },
            {"#device": device_hash},
        )

    def _claim(
        self,
        license_number: str,
        expression: str,
        condition: str,
        values: dict[str, Any],
        names: dict[str, str] | None = None,
    ) -> Contractor | None:
        request: dict[str, Any] = {
            "TableName": self._table,
            "Key": _to_wire(_contractor_key(license_number)),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": _to_wire(values),
            "ReturnValues": "ALL_NEW",
        }
        if names:
            request["ExpressionAttributeNames"] = names
        try:
            response = self._client.update_item(**request)
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return None
            raise
        return _contractor_from(_from_wire(response["Attributes"]))

    def start_session(
        self,
        contractor: Contractor,
        token: TokenRecord,
        at: datetime,
        rehashed_password: str | None,
        devices: DeviceChange | None = None,
    ) -> None:
        devices = devices or DeviceChange()
        sets = ["last_login_at = :at", "updated_at = :at"]
        removes: list[str] = []
        names: dict[str, str] = {}
        values: dict[str, Any] = {
            ":at": format_time(at),
            ":zero": 0,
            ":generation": contractor.session_generation,
            ":seen_hash": contractor.password_hash,
            ":active": "active",
        }
        condition = "session_generation = :generation AND password_hash = :seen_hash AND account_status = :active"
        if devices.signed_in_with:
            # Judged by the device: its failures go back to zero; the account's lock is its own.
            sets.append("devices.#used.failures = :zero")
            names["#used"] = devices.signed_in_with
            condition += " AND attribute_exists(devices.#used)"
        else:
            sets.append("failed_login_count = :zero")
            removes.append("last_failed_login_at")
        if devices.added:
            sets.append("devices.#added = :added")
            names["#added"] = devices.added.token_hash
            values[":added"] = _device_entry(devices.added)
        for number, evicted in enumerate(devices.evicted):
            removes.append(f"devices.#evicted{number}")
            names[f"#evicted{number}"] = evicted
        if rehashed_password:
            sets.append("password_hash = :rehashed")
            values[":rehashed"] = rehashed_password
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        self._transact(
            [
                self._update(_contractor_key(contractor.license_number), expression, values, condition, names),
                self._put(_token_item(token), "attribute_not_exists(pk)"),
            ]
        )


class _OwnAccountWrites(_Table):
    """The contractor's own changes (and staff's contact changes), each one transaction."""

    def update_contact(self, change: ContactChange) -> None:
        names: dict[str, str] = {}
        values: dict[str, Any] = {":at": format_time(change.audit.at)}
        assignments = ["updated_at = :at"]
        removals: list[str] = []
        details = change.details
        attributes: dict[str, Any] = {
            "business_name": details.business_name,
            "contact_name": details.contact_name,
            "email": details.email,
            "phone": details.phone,
            "mailing_address": _address_attribute(details.mailing_address),
            "workers_comp": _workers_comp_attribute(details.workers_comp),
        }
        for name, value in attributes.items():
            if value is None:
                continue
            names[f"#{name}"] = name
            values[f":{name}"] = value
            assignments.append(f"#{name} = :{name}")
        if details.workers_comp is not None:
            expires_on = _expires_on(details.workers_comp)
            if expires_on:
                assignments.append("workers_comp_expires_on = :expires_on")
                values[":expires_on"] = expires_on
            else:
                removals.append("workers_comp_expires_on")
        if details.email is not None:
            # Staff set it: verified; a pending change and links sent to the old address end.
            assignments.append("email_verified = :verified")
            values[":verified"] = True
            removals += ["pending_email", "verification_token_hash", "reset_token_hash"]
        condition = "attribute_exists(pk)"
        if change.expected_generation is not None:
            condition += " AND session_generation = :generation"
            values[":generation"] = change.expected_generation
        expression = "SET " + ", ".join(assignments) + (" REMOVE " + ", ".join(removals) if removals else "")
        self._transact(
            [
                self._update(_contractor_key(change.license_number), expression, values, condition, names),
                self._put(_audit_item(change.audit)),
            ]
        )

    def issue_verification(self, contractor: Contractor, issue: VerificationIssue) -> None:
        values: dict[str, Any] = {
            ":new": issue.token.token_hash,
            ":sent": [format_time(sent) for sent in issue.sent_at],
            ":at": format_time(issue.token.created_at),
            ":generation": contractor.session_generation,
        }
        expression = "SET verification_token_hash = :new, verification_emails_sent_at = :sent, updated_at = :at"
        if issue.password_confirmed:
            expression += ", failed_login_count = :zero"
            values[":zero"] = 0
        if issue.pending_email:
            expression += ", pending_email = :pending"
            values[":pending"] = issue.pending_email
        if issue.password_confirmed:
            expression += " REMOVE last_failed_login_at"
        if contractor.verification_token_hash:
            condition = "verification_token_hash = :expected"
            values[":expected"] = contractor.verification_token_hash
        else:
            condition = "attribute_exists(pk) AND attribute_not_exists(verification_token_hash)"
        items = [
            self._update(
                _contractor_key(contractor.license_number),
                expression,
                values,
                condition + " AND session_generation = :generation",
            ),
            self._put(_token_item(issue.token), "attribute_not_exists(pk)"),
        ]
        if issue.audit:
            items.append(self._put(_audit_item(issue.audit)))
        self._transact(items)

    def verify_email(self, token: TokenRecord, audit: AuditEntry) -> None:
        self._transact(
            [
                self._delete_token(token.token_hash, "verify"),
                self._update(
                    _contractor_key(token.license_number),
                    "SET email = :email, email_verified = :verified, updated_at = :at"
                    " REMOVE pending_email, verification_token_hash, reset_token_hash",
                    {
                        ":email": token.email,
                        ":verified": True,
                        ":at": format_time(audit.at),
                        ":hash": token.token_hash,
                        ":generation": token.session_generation,
                    },
                    "verification_token_hash = :hash AND session_generation = :generation",
                ),
                self._put(_audit_item(audit)),
            ]
        )

    def change_own_password(self, change: OwnPasswordChange) -> None:
        self._transact(
            [
                self._update(
                    _contractor_key(change.license_number),
                    "SET password_hash = :hash, password_state = :set, password_changed_at = :at, updated_at = :at,"
                    " failed_login_count = :zero"
                    " REMOVE reset_token_hash, last_failed_login_at, devices ADD session_generation :one",
                    {
                        ":hash": change.password_hash,
                        ":set": "set",
                        ":zero": 0,
                        ":at": format_time(change.at),
                        ":one": 1,
                        ":generation": change.expected_generation,
                        ":seen": change.seen_password_hash,
                        ":active": "active",
                    },
                    "session_generation = :generation AND password_hash = :seen AND account_status = :active",
                ),
                self._delete_token(change.ended_session_hash, "session"),
                self._put(_token_item(change.new_session), "attribute_not_exists(pk)"),
                self._put(_audit_item(change.audit)),
            ]
        )

    def set_security_question(
        self, license_number: str, expected_generation: int, question: str, answer_hash: str, audit: AuditEntry
    ) -> None:
        self._transact(
            [
                self._update(
                    _contractor_key(license_number),
                    "SET security_question = :question, security_answer_hash = :answer, updated_at = :at,"
                    " failed_login_count = :zero REMOVE last_failed_login_at",
                    {
                        ":zero": 0,
                        ":question": question,
                        ":answer": answer_hash,
                        ":at": format_time(audit.at),
                        ":generation": expected_generation,
                    },
                    "session_generation = :generation",
                ),
                self._put(_audit_item(audit)),
            ]
        )

    def end_all_sessions(self, license_number: str, expected_generation: int, audit: AuditEntry) -> None:
        # Every session (the generation) and every trusted device, in one write.
        self._transact(
            [
                self._update(
                    _contractor_key(license_number),
                    "SET updated_at = :at REMOVE devices ADD session_generation :one",
                    {
                        ":at": format_time(audit.at),
                        ":one": 1,
                        ":generation": expected_generation,
                        ":active": "active",
                    },
                    "session_generation = :generation AND account_status = :active",
                ),
                self._put(_audit_item(audit)),
            ]
        )

    def _delete_token(self, token_hash: str, kind: str) -> "TransactWriteItemTypeDef":
        delete: dict[str, Any] = {
            "TableName": self._table,
            "Key": _to_wire(_token_key(token_hash)),
            "ConditionExpression": "attribute_exists(pk) AND #kind = :kind",
            "ExpressionAttributeNames": {"#kind": "kind"},
            "ExpressionAttributeValues": _to_wire({":kind": kind}),
        }
        return cast("TransactWriteItemTypeDef", {"Delete": delete})


class _ReminderReads(_Table):
    """The reminder job: a Query on the sparse expiry index, and one conditional put per reminder."""

    def policy_holders_expiring_on(self, day: date) -> list[PolicyHolder]:
        holders: list[PolicyHolder] = []
        query: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": EXPIRY_INDEX,
            "KeyConditionExpression": "workers_comp_expires_on = :day",
            "ExpressionAttributeValues": _to_wire({":day": day.isoformat()}),
        }
        while True:
            response = self._client.query(**query)
            for raw in response.get("Items", []):
                item = _from_wire(raw)
                holders.append(
                    PolicyHolder(
                        license_number=item["license_number"],
                        email=item.get("email"),
                        email_verified=_email_verified(item),
                        account_status=item.get("account_status", "active"),
                        workers_comp=_policy_from(item["workers_comp"]),
                        undeliverable_email=item.get("undeliverable_email"),
                    )
                )
            if "LastEvaluatedKey" not in response:
                return holders
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def claim_reminder(self, key: str, keep_until: datetime) -> bool:
        try:
            self._client.put_item(
                TableName=self._table,
                Item=_to_wire(
                    {
                        "pk": f"REMINDER#{key}",
                        "sk": _REMINDER,
                        "item_type": "reminder",
                        "expires_at_epoch": int(keep_until.timestamp()),
                    }
                ),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release_reminder(self, key: str) -> None:
        self._client.delete_item(TableName=self._table, Key=_to_wire({"pk": f"REMINDER#{key}", "sk": _REMINDER}))


class DynamoDBContractorStore(_RecoveryWrites, _StaffWrites, _SignInWrites, _OwnAccountWrites, _ReminderReads):
    """The whole ``ContractorStore`` port: tokens, accounts and sessions here, the rest inherited."""

    def get_token(self, token_hash: str) -> TokenRecord | None:
        response = self._client.get_item(
            TableName=self._table, Key=_to_wire(_token_key(token_hash)), ConsistentRead=True
        )
        item = response.get("Item")
        return _token_from(_from_wire(item)) if item else None

    def create_contractor(
        self,
        contractor: Contractor,
        first_session: TokenRecord | None,
        audit: AuditEntry | None,
        verification: TokenRecord | None = None,
    ) -> None:
        items = [self._put(_contractor_item(contractor), "attribute_not_exists(pk)")]
        for token in (first_session, verification):
            if token:
                items.append(self._put(_token_item(token), "attribute_not_exists(pk)"))
        if audit:
            items.append(self._put(_audit_item(audit)))
        try:
            self._transact(items)
        except ConflictingWrite as lost:
            # The account's failed attribute_not_exists brings the existing account back
            # (ALL_OLD): no read after the cancelled transaction.
            if lost.found is None:
                raise  # a conflict on another item; the caller answers "try again"
            raise ContractorExists(lost.found) from lost

    def mark_email_undeliverable(self, license_number: str, address: str, at: datetime) -> bool:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_to_wire(_contractor_key(license_number)),
                UpdateExpression="SET undeliverable_email = :address, undeliverable_since = :at, updated_at = :at",
                # Only while the account still has that address: a bounce of an old one marks nothing.
                ConditionExpression="email = :address",
                ExpressionAttributeValues=_to_wire({":address": address, ":at": format_time(at)}),
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def count_request(self, key: str, window_start: datetime, window_end: datetime) -> int:
        response = self._client.update_item(
            TableName=self._table,
            Key=_to_wire({"pk": f"RATE#{key}", "sk": f"WINDOW#{format_time(window_start)}"}),
            UpdateExpression="ADD hits :one SET expires_at_epoch = :expires, item_type = :type",
            ExpressionAttributeValues=_to_wire(
                {":one": 1, ":expires": int(window_end.timestamp()) + 3600, ":type": "rate_window"}
            ),
            ReturnValues="UPDATED_NEW",
        )
        return int(_from_wire(response["Attributes"])["hits"])

    def touch_session(self, token_hash: str, now: datetime, idle_since: datetime) -> TokenRecord | None:
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=_to_wire(_token_key(token_hash)),
                UpdateExpression="SET last_seen_at = :now",
                ConditionExpression="#kind = :session AND last_seen_at >= :idle_since AND expires_at > :now",
                ExpressionAttributeNames={"#kind": "kind"},
                ExpressionAttributeValues=_to_wire(
                    {":now": format_time(now), ":idle_since": format_time(idle_since), ":session": "session"}
                ),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return None
            raise
        return _token_from(_from_wire(response["Attributes"]))

    def delete_session(self, token_hash: str) -> bool:
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=_to_wire(_token_key(token_hash)),
                ConditionExpression="#kind = :session",
                ExpressionAttributeNames={"#kind": "kind"},
                ExpressionAttributeValues=_to_wire({":session": "session"}),
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True
