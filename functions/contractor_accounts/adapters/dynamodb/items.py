"""The table's items and keys, and the domain's types to and from them: the only place the
adapter speaks in dicts. Times are ISO 8601 UTC with microseconds, so they compare correctly as
strings in condition expressions."""

import secrets
from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Final

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from contractor_accounts.domain.entities import (
    AuditEntry,
    Contractor,
    Passkey,
    PasskeyChallenge,
    PolicyHolder,
    TokenRecord,
    TrustedDevice,
)
from contractor_accounts.domain.requests import ContactDetails
from contractor_accounts.domain.values import MailingAddress, WorkersComp, WorkersCompExempt, WorkersCompPolicy

PROFILE: Final = "PROFILE"
AUDIT: Final = "AUDIT#"
EXPIRY_INDEX: Final = "WorkersCompExpiryIndex"
_TOKEN: Final = "TOKEN"
_REMINDER: Final = "REMINDER"
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

# Keys.


def account_partition(license_number: str) -> str:
    return f"CONTRACTOR#{license_number}"


def contractor_key(license_number: str) -> dict[str, str]:
    return {"pk": account_partition(license_number), "sk": PROFILE}


def token_key(token_hash: str) -> dict[str, str]:
    return {"pk": f"TOKEN#{token_hash}", "sk": _TOKEN}


def reminder_key(key: str) -> dict[str, str]:
    return {"pk": f"REMINDER#{key}", "sk": _REMINDER}


def challenge_key(challenge_hash: str) -> dict[str, str]:
    return {"pk": f"CHALLENGE#{challenge_hash}", "sk": "CHALLENGE"}


def passkey_handle_key(user_handle: str) -> dict[str, str]:
    return {"pk": f"PASSKEY_USER#{user_handle}", "sk": "PASSKEY_USER"}


def request_counter_key(key: str) -> dict[str, str]:
    return {"pk": f"RATE#{key}", "sk": "MINUTES"}


def is_account_key(key: Mapping[str, Any]) -> bool:
    """A key (or item) on the wire that is an account's."""
    return bool(key.get("sk") == {"S": PROFILE} and str(key.get("pk", {}).get("S", "")).startswith("CONTRACTOR#"))


# Values.


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def format_times(values: tuple[datetime, ...]) -> list[str]:
    return [format_time(value) for value in values]


def _required_time(value: object) -> datetime:
    parsed = parse_time(value)
    if parsed is None:
        raise ValueError(f"not a stored time: {value!r}")
    return parsed


def _optional_time(value: datetime | None) -> str | None:
    return format_time(value) if value else None


def _plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; the domain wants int."""
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def to_wire(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in values.items() if value is not None}


def from_wire(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _plain(_deserializer.deserialize(value)) for key, value in item.items()}


def expires_on(workers_comp: WorkersComp | None) -> str | None:
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


def device_entry(device: TrustedDevice) -> dict[str, Any]:
    return {"issued_at": format_time(device.issued_at), "failures": device.failures}


def _devices_from(devices: dict[str, Any] | None) -> tuple[TrustedDevice, ...]:
    found = (
        TrustedDevice(token_hash, _required_time(entry["issued_at"]), entry.get("failures", 0))
        for token_hash, entry in (devices or {}).items()
    )
    return tuple(sorted(found, key=lambda device: (device.issued_at, device.token_hash)))


def passkey_entry(passkey: Passkey) -> dict[str, Any]:
    """A passkey in the account's ``passkeys`` map (keyed by its credential ID): the public key
    (COSE, binary), the sign count, the name and times, the backup state. No secret."""
    entry = {
        "public_key": passkey.public_key,
        "sign_count": passkey.sign_count,
        "name": passkey.name,
        "created_at": format_time(passkey.created_at),
        "last_used_at": _optional_time(passkey.last_used_at),
        "synced": passkey.synced,
    }
    return {name: value for name, value in entry.items() if value is not None}


def _passkeys_from(passkeys: dict[str, Any] | None) -> tuple[Passkey, ...]:
    found = (
        Passkey(
            credential_id=credential_id,
            public_key=bytes(entry["public_key"]),
            sign_count=int(entry.get("sign_count", 0)),
            name=str(entry.get("name", "")),
            created_at=_required_time(entry["created_at"]),
            last_used_at=parse_time(entry.get("last_used_at")),
            synced=bool(entry.get("synced", False)),
        )
        for credential_id, entry in (passkeys or {}).items()
    )
    return tuple(sorted(found, key=lambda passkey: (passkey.created_at, passkey.credential_id)))


def challenge_item(challenge: PasskeyChallenge) -> dict[str, Any]:
    return {
        **challenge_key(challenge.challenge_hash),
        "item_type": "passkey_challenge",
        "ceremony": challenge.ceremony,
        "license_number": challenge.license_number,
        "session_hash": challenge.session_hash,
        "created_at": format_time(challenge.created_at),
        "expires_at": format_time(challenge.expires_at),
        "expires_at_epoch": int(challenge.expires_at.timestamp()),
    }


def contact_attributes(details: ContactDetails) -> dict[str, Any]:
    """The attributes a contact change sets (a field left out is None: not changed)."""
    return {
        "business_name": details.business_name,
        "contact_name": details.contact_name,
        "email": details.email,
        "phone": details.phone,
        "mailing_address": _address_attribute(details.mailing_address),
        "workers_comp": _workers_comp_attribute(details.workers_comp),
    }


# Items.


def contractor_item(contractor: Contractor) -> dict[str, Any]:
    return {
        **contractor_key(contractor.license_number),
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
        "reset_emails_sent_at": format_times(contractor.reset_emails_sent_at) or None,
        "reset_request_id": contractor.reset_request_id,
        "devices": {device.token_hash: device_entry(device) for device in contractor.trusted_devices} or None,
        "email_verified": contractor.email_verified,
        "pending_email": contractor.pending_email,
        "verification_token_hash": contractor.verification_token_hash,
        "verification_emails_sent_at": format_times(contractor.verification_emails_sent_at) or None,
        "awaiting_approval": contractor.awaiting_approval or None,
        "workers_comp_expires_on": expires_on(contractor.workers_comp),
        "undeliverable_email": contractor.undeliverable_email,
        "undeliverable_since": _optional_time(contractor.undeliverable_since),
        "passkey_handle": contractor.passkey_handle,
        "passkeys": {passkey.credential_id: passkey_entry(passkey) for passkey in contractor.passkeys} or None,
        "created_at": format_time(contractor.created_at),
        "created_by": contractor.created_by,
        "updated_at": format_time(contractor.created_at),
    }


def contractor_from(item: dict[str, Any]) -> Contractor:
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
        passkey_handle=item.get("passkey_handle"),
        passkeys=_passkeys_from(item.get("passkeys")),
    )


def policy_holder_from(item: dict[str, Any]) -> PolicyHolder:
    """An account as the expiry index projects it."""
    return PolicyHolder(
        license_number=item["license_number"],
        email=item.get("email"),
        email_verified=_email_verified(item),
        account_status=item.get("account_status", "active"),
        workers_comp=_policy_from(item["workers_comp"]),
        undeliverable_email=item.get("undeliverable_email"),
    )


def token_item(token: TokenRecord) -> dict[str, Any]:
    return {
        **token_key(token.token_hash),
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
        "device_hash": token.device_hash,
    }


def token_from(item: dict[str, Any]) -> TokenRecord:
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
        device_hash=item.get("device_hash"),
    )


def audit_item(entry: AuditEntry) -> dict[str, Any]:
    return {
        "pk": account_partition(entry.license_number),
        # A random suffix keeps two entries of the same microsecond apart.
        "sk": f"{AUDIT}{format_time(entry.at)}#{secrets.token_hex(4)}",
        "item_type": "audit",
        "license_number": entry.license_number,
        "action": entry.action,
        "actor": entry.actor,
        "at": format_time(entry.at),
        "details": entry.details or None,
    }


def audit_from(item: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        license_number=item["license_number"],
        action=item["action"],
        actor=item["actor"],
        at=_required_time(item["at"]),
        details=item.get("details") or {},
    )


def reminder_item(key: str, keep_until: datetime) -> dict[str, Any]:
    return {**reminder_key(key), "item_type": "reminder", "expires_at_epoch": int(keep_until.timestamp())}
