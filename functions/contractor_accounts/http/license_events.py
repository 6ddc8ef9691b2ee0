"""LicenseDataFunction's events in and answers out: S3's "Object Created" event as EventBridge
delivers it (the bucket sends its events to EventBridge; a rule starts the function), for an
uploaded license file or for the import's own request to resume (``import-state/resume.json``).
The answer says what became of the file: ``{"ok": true, "status": "imported", ...}``."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from contractor_accounts.domain.license_rows import RESUME_KEY, STATE_PREFIX, LicenseFile
from contractor_accounts.use_cases.license_import import ImportOutcome


class NotALicenseEvent(ValueError):
    """The event is not an S3 Object Created event of a license file."""


@dataclass(frozen=True, slots=True)
class LicenseEvent:
    file: LicenseFile
    resume: bool  # the import's own request to go on (the file is in the saved progress)
    ignored: bool = False  # an object of the import's own state, not a file to import


def license_event(event: dict[str, Any]) -> LicenseEvent:
    try:
        detail = event["detail"]
        bucket, key = str(detail["bucket"]["name"]), unquote_plus(str(detail["object"]["key"]))
        version = detail["object"].get("version-id")
        uploaded_at = datetime.fromisoformat(str(event.get("time") or datetime.now(UTC).isoformat()))
    except (KeyError, TypeError, ValueError) as error:
        raise NotALicenseEvent(f"not an S3 Object Created event: {error!r}") from error
    if event.get("source") != "aws.s3" or event.get("detail-type") != "Object Created":
        raise NotALicenseEvent(f"not an S3 Object Created event: {event.get('source')} {event.get('detail-type')}")
    file = LicenseFile(bucket, key, str(version) if version else None, uploaded_at)
    return LicenseEvent(file, resume=key == RESUME_KEY, ignored=key.startswith(STATE_PREFIX) and key != RESUME_KEY)


def answer(outcome: ImportOutcome) -> dict[str, Any]:
    file = outcome.file
    return {
        "ok": outcome.ok,
        "status": outcome.status,
        **({"key": file.key, "version_id": file.version_id} if file else {}),
        "rows": outcome.rows,
        "written": outcome.written,
        "unchanged": outcome.unchanged,
        "skipped": outcome.skipped,
        "not_listed": outcome.not_listed,
        **({"reason": outcome.reason} if outcome.reason else {}),
    }
