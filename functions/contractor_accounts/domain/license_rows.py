"""A row of the state board's license master list (CSLB's CSV file) read into a ``StateLicense``:
columns by CSLB's header names (their order and any other column do not matter), dates
``MM/DD/YYYY``, classifications separated by ``|``, and the row's digest, which tells an
unchanged row from a changed one without reading the stored record."""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from contractor_accounts.domain.state_license import StateLicense

# Without these a file cannot be read at all: it is refused whole.
REQUIRED_COLUMNS: Final = ("LicenseNo", "BusinessName", "PrimaryStatus", "ExpirationDate")
# CSLB's header says "Classifications(s)"; "Classifications" is read the same.
CLASSIFICATION_COLUMNS: Final = ("Classifications(s)", "Classifications")
_OPTIONAL_COLUMNS: Final = ("SecondaryStatus", "WCInsuranceCompany", "WCPolicyNumber", "WCExpirationDate")
_MAX_LICENSE_DIGITS: Final = 8
_MAX_TEXT: Final = 400  # longer than any of CSLB's fields; a longer cell is a broken row
# Where the import keeps what outlives an invocation, in the bucket the files arrive in: nothing
# under it is a license file (its own writes there never start an import, only a resume).
STATE_PREFIX: Final = "import-state/"
RESUME_KEY: Final = STATE_PREFIX + "resume.json"


@dataclass(frozen=True, slots=True)
class LicenseFile:
    """One uploaded version of a license file: the version imported is the one uploaded, even if
    the key is overwritten during the import."""

    bucket: str
    key: str
    version_id: str | None
    uploaded_at: datetime


class RefusedFile(ValueError):
    """The file cannot be imported at all (its header lacks a required column...)."""


class BadRow(ValueError):
    """One row cannot be read (a date not MM/DD/YYYY, no license number): skipped and reported."""


def license_number_of(text: str) -> str:
    """CSLB's LicenseNo as the service keys it: digits only, without leading zeros (as
    registration normalizes what a contractor types)."""
    compact = text.strip().replace(" ", "").replace("-", "")
    number = compact.lstrip("0")
    if not compact.isascii() or not compact.isdigit() or not number or len(number) > _MAX_LICENSE_DIGITS:
        raise BadRow(f"LicenseNo {text!r} is not 1 to 8 digits")
    return number


def board_date(text: str, column: str) -> date | None:
    """CSLB's ``MM/DD/YYYY`` (an empty cell is no date)."""
    text = text.strip()
    if not text:
        return None
    month, day, year = ([*text.split("/"), "", "", ""])[:3]
    if not (len(year) == 4 and month.isdigit() and day.isdigit() and year.isdigit() and text.count("/") == 2):
        raise BadRow(f"{column} {text!r} is not MM/DD/YYYY")
    try:
        return date(int(year), int(month), int(day))
    except ValueError as error:
        raise BadRow(f"{column} {text!r} is not a date") from error


@dataclass(frozen=True, slots=True)
class Columns:
    """Where each column the import reads is in this file's rows."""

    positions: Mapping[str, int]
    classifications: int | None

    @classmethod
    def from_header(cls, header: Sequence[str]) -> "Columns":
        names = [name.strip().lstrip("\ufeff") for name in header]
        positions = {name: index for index, name in reversed(list(enumerate(names)))}
        missing = [name for name in REQUIRED_COLUMNS if name not in positions]
        if missing:
            raise RefusedFile(f"the header has no column {', '.join(missing)} (it has: {', '.join(names)[:300]})")
        wanted: dict[str, int] = {
            name: positions[name] for name in (*REQUIRED_COLUMNS, *_OPTIONAL_COLUMNS) if name in positions
        }
        classifications = next((positions[name] for name in CLASSIFICATION_COLUMNS if name in positions), None)
        return cls(wanted, classifications)

    def cell(self, row: Sequence[str], column: str) -> str:
        index = self.positions.get(column)
        if index is None or index >= len(row):
            return ""
        text = row[index].strip()
        if len(text) > _MAX_TEXT:
            raise BadRow(f"{column} is {len(text)} characters long")
        return text

    def license_number(self, row: Sequence[str]) -> str:
        return license_number_of(self.cell(row, "LicenseNo"))

    def record(self, row: Sequence[str], as_of: date) -> StateLicense:
        """The row as the board's record of its license (``as_of``: the file's date)."""
        status = self.cell(row, "PrimaryStatus").upper()
        if not status:
            raise BadRow("PrimaryStatus is empty")
        text = row[self.classifications] if self.classifications is not None and self.classifications < len(row) else ""
        return StateLicense(
            license_number=self.license_number(row),
            business_name=self.cell(row, "BusinessName"),
            primary_status=status,
            expires_on=board_date(self.cell(row, "ExpirationDate"), "ExpirationDate"),
            classifications=tuple(part.strip() for part in text.split("|") if part.strip()),
            as_of=as_of,
            secondary_status=self.cell(row, "SecondaryStatus") or None,
            workers_comp_carrier=self.cell(row, "WCInsuranceCompany") or None,
            workers_comp_policy_number=self.cell(row, "WCPolicyNumber") or None,
            workers_comp_expires_on=board_date(self.cell(row, "WCExpirationDate"), "WCExpirationDate"),
        )


def row_digest(record: StateLicense) -> int:
    """64 bits of BLAKE2b over everything the record says but its date (``as_of``): equal digests,
    an unchanged row. Stable across runs and Python versions (no ``hash()``)."""
    fields = (
        record.license_number,
        record.business_name,
        record.primary_status,
        record.secondary_status or "",
        record.expires_on.isoformat() if record.expires_on else "",
        "|".join(record.classifications),
        record.workers_comp_carrier or "",
        record.workers_comp_policy_number or "",
        record.workers_comp_expires_on.isoformat() if record.workers_comp_expires_on else "",
    )
    digest = hashlib.blake2b("\x1f".join(fields).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")
