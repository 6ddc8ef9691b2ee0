"""What the license import (``use_cases/license_import.py``) is handed: the uploaded file's lines,
the import's own state between invocations (the last whole file's digests, the progress of the
file being imported), and the writes of the license records."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from contractor_accounts.domain.license_rows import LicenseFile
from contractor_accounts.domain.state_license import StateLicense


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the import of ``file`` got: every row up to ``rows_done`` is written (or was
    unchanged); ``done`` once the file was wholly imported."""

    file: LicenseFile
    rows_done: int = 0
    written: int = 0
    unchanged: int = 0
    skipped: int = 0
    done: bool = False
    # Every row written whatever its digest: this import superseded one of another file that had
    # written part of its rows, so the last whole file's digests no longer say what is stored.
    rewrite: bool = False


@dataclass(frozen=True, slots=True)
class ImportFacts:
    """The last whole import, on the list's own item (written last)."""

    as_of: date
    file: LicenseFile
    rows: int
    written: int
    unchanged: int
    skipped: int
    not_listed: int
    imported_at: datetime


class LicenseFiles(Protocol):
    def lines(self, file: LicenseFile) -> Iterator[bytes]:
        """The file's lines as uploaded (line endings kept), streamed: never the whole file."""
        ...


class ImportState(Protocol):
    def listed(self) -> dict[int, int]:
        """License number -> row digest of every license in the last file imported whole (empty
        before the first)."""
        ...

    def save_listed(self, digests: Iterable[tuple[int, int]]) -> None:
        """Replace the listed digests with these (sorted by license number)."""
        ...

    def progress(self) -> Progress | None: ...

    def save_progress(self, progress: Progress) -> None: ...

    def ask_to_resume(self, progress: Progress) -> None:
        """Save ``progress`` and have the import invoked again to go on from it."""
        ...


class LicenseWrites(Protocol):
    def put_licenses(self, records: Sequence[tuple[StateLicense, int]]) -> None:
        """Each record whole, with its row digest (at most 25: one batch); raises unless all are
        written."""
        ...

    def mark_not_listed(self, license_numbers: Sequence[str], as_of: date) -> None:
        """These licenses left the board's list: kept, with the status NOT LISTED."""
        ...

    def record_import(self, facts: ImportFacts) -> None:
        """The list's own item: written last, once the file is wholly imported."""
        ...
