"""The state board's license file imported (LicenseDataFunction): streamed row by row, only the
rows whose digest differs from the last whole file's written, the licenses the file no longer
holds marked NOT LISTED, and the list's own item written last.

- A file whose header lacks a required column is refused whole (logged, ``LicenseFileRefused``).
- A row that cannot be read (a date not MM/DD/YYYY, no license number, text not in the file's
  encoding) is skipped and reported: the license keeps its record as it was, and is not taken
  for one that left the list. A file with more than 1% of its rows skipped also counts as failed.
- Each row is one item put whole (no half-written row); the progress (rows done) is saved after a
  batch, every ``_PROGRESS_EVERY`` rows and when the invocation runs out of time, so a rerun or
  the resume goes on after the last row written; a rerun of an imported file writes nothing.
- No Scan: the last whole file's digests (sorted by license number) are the import's own state in
  the bucket; what the new file lacks of them is what left the list. A file that supersedes an
  unfinished import of another writes every row (the digests no longer say what is stored).
- A file wholly imported is recognised by its version: its event again writes nothing."""

import codecs
import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from itertools import islice
from typing import Final, Literal
from zoneinfo import ZoneInfo

from contractor_accounts.domain.license_rows import BadRow, Columns, LicenseFile, RefusedFile, row_digest
from contractor_accounts.domain.state_license import StateLicense
from contractor_accounts.observability import logger, metrics
from contractor_accounts.ports.clock import Clock
from contractor_accounts.ports.license_import import ImportFacts, ImportState, LicenseFiles, LicenseWrites, Progress

_BATCH: Final = 25  # BatchWriteItem's most
_PROGRESS_EVERY: Final = 20_000  # rows between saved progress (a cut-off import redoes at most these)
_CHECK_EVERY: Final = 1_000  # rows between looks at the time left, even when no row changed
# Stop and resume in a new invocation below this much time left (a batch with retries takes far less).
_RESUME_BELOW_MS: Final = 60_000
_MARK_CHUNK: Final = 25
_REPORTED_ROWS: Final = 20  # skipped rows named in the log (all are counted)
_SKIPPED_FAILS_ABOVE: Final = 0.01


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    status: Literal["imported", "already_imported", "paused", "refused", "superseded"]
    file: LicenseFile | None
    rows: int = 0
    written: int = 0
    unchanged: int = 0
    skipped: int = 0
    not_listed: int = 0
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status in {"imported", "already_imported", "paused", "superseded"}


class _Run:
    """One invocation's pass over the file: its counts, the rows held for the next batch, and the
    progress as of the last batch written (what a rerun may rely on)."""

    def __init__(self, progress: Progress, writes: LicenseWrites) -> None:
        self.progress = progress
        self.writes = writes
        self.written, self.unchanged, self.skipped = progress.written, progress.unchanged, progress.skipped
        self.pending: list[tuple[StateLicense, int]] = []
        self.numbers: list[int] = []  # every license of the file, in file order, with ...
        self.digests: list[int] = []  # ... its digest (as written, or carried when its row was bad)
        self.reported: list[str] = []

    def flush(self, rows_done: int) -> None:
        if self.pending:
            self.writes.put_licenses(self.pending)
            self.written += len(self.pending)
            self.pending = []
        self.progress = replace(
            self.progress,
            rows_done=max(self.progress.rows_done, rows_done),
            written=self.written,
            unchanged=self.unchanged,
            skipped=self.skipped,
        )


class LicenseImport:
    def __init__(
        self,
        files: LicenseFiles,
        state: ImportState,
        writes: LicenseWrites,
        clock: Clock,
        zone: ZoneInfo,
        encoding: str,
    ) -> None:
        self.files = files
        self.state = state
        self.writes = writes
        self.clock = clock
        self.zone = zone
        self.encoding = encoding

    def resume(self, remaining_ms: Callable[[], int]) -> ImportOutcome:
        """Go on with the file the saved progress is for (the import asked for this itself)."""
        progress = self.state.progress()
        if progress is None or progress.done:
            return ImportOutcome("superseded", progress.file if progress else None)
        return self.run(progress.file, remaining_ms)

    def run(self, file: LicenseFile, remaining_ms: Callable[[], int]) -> ImportOutcome:
        saved = self.state.progress()
        if saved is not None and saved.file == file and saved.done:
            logger.info("license file already imported", extra={"key": file.key, "version": file.version_id})
            return ImportOutcome("already_imported", file, saved.rows_done)
        if saved is not None and saved.file == file:
            progress = saved
        else:  # a newer file while another's import was cut off part-way: it cannot trust the digests
            progress = Progress(file, rewrite=saved is not None and not saved.done)
        try:
            return self._import(progress, remaining_ms)
        except RefusedFile as refusal:
            logger.error("license file refused", extra={"key": file.key, "reason": str(refusal)})
            metrics.add_metric(name="LicenseFileRefused", unit="Count", value=1)
            return ImportOutcome("refused", file, reason=str(refusal))
        except Exception:
            metrics.add_metric(name="LicenseImportFailed", unit="Count", value=1)
            raise

    def _import(self, progress: Progress, remaining_ms: Callable[[], int]) -> ImportOutcome:
        file = progress.file
        as_of = file.uploaded_at.astimezone(self.zone).date()
        rows = csv.reader(_decoded(self.files.lines(file), self.encoding))
        columns = Columns.from_header(next(rows, []))
        previous = self.state.listed()
        run = _Run(progress, self.writes)
        resumed_after = saved_at = progress.rows_done
        row_number = 0
        try:
            for row_number, row in enumerate(rows, start=1):
                if not any(cell.strip() for cell in row):
                    continue
                self._row(run, columns, row, row_number, as_of, previous, write=row_number > resumed_after)
                if row_number <= resumed_after or (len(run.pending) < _BATCH and row_number % _CHECK_EVERY):
                    continue
                run.flush(row_number)
                if row_number - saved_at >= _PROGRESS_EVERY:
                    self.state.save_progress(run.progress)
                    saved_at = row_number
                if remaining_ms() < _RESUME_BELOW_MS:
                    self.state.ask_to_resume(run.progress)
                    logger.info("license import paused", extra={"key": file.key, "rows_done": row_number})
                    return _outcome("paused", run.progress)
            run.flush(row_number)
        except Exception:
            self.state.save_progress(run.progress)  # as of the last batch written
            raise
        return self._finish(run, previous, row_number, as_of)

    def _row(
        self,
        run: _Run,
        columns: Columns,
        row: list[str],
        row_number: int,
        as_of: date,
        previous: dict[int, int],
        *,
        write: bool,
    ) -> None:
        number: int | None = None
        try:
            if any("\udc80" <= char <= "\udcff" for cell in row for char in cell):
                raise BadRow(f"text that is not {self.encoding} (the LICENSE_FILE_ENCODING setting)")
            number = int(columns.license_number(row))
            record = columns.record(row, as_of)
        except BadRow as bad:
            carried = previous.pop(number, None) if number is not None else None
            if carried is not None:  # its record stays as it was: still listed, not rewritten
                run.numbers.append(number or 0)
                run.digests.append(carried)
            if write:
                run.skipped += 1
                if len(run.reported) < _REPORTED_ROWS:
                    run.reported.append(f"row {row_number}: {bad}")
            return
        digest = row_digest(record)
        before = previous.pop(number, None)
        run.numbers.append(number)
        run.digests.append(digest)
        if not write:
            return
        if before == digest and not run.progress.rewrite:
            run.unchanged += 1
        else:
            run.pending.append((record, digest))

    def _finish(self, run: _Run, previous: dict[int, int], rows: int, as_of: date) -> ImportOutcome:
        progress = run.progress
        gone = sorted(previous)  # in the last whole file, not in this one
        for chunk in _chunks((str(number) for number in gone), _MARK_CHUNK):
            self.writes.mark_not_listed(chunk, as_of)
        self.state.save_listed(_sorted_unique(run.numbers, run.digests))
        self.writes.record_import(
            ImportFacts(
                as_of=as_of,
                file=progress.file,
                rows=rows,
                written=progress.written,
                unchanged=progress.unchanged,
                skipped=progress.skipped,
                not_listed=len(gone),
                imported_at=self.clock.now(),
            )
        )
        done = replace(progress, rows_done=rows, done=True)
        self.state.save_progress(done)
        facts = {"key": progress.file.key, "rows": rows, "written": progress.written, "not_listed": len(gone)}
        if progress.skipped:
            logger.warning(
                "license rows skipped", extra={**facts, "skipped": progress.skipped, "skipped_rows": run.reported}
            )
            metrics.add_metric(name="LicenseRowsSkipped", unit="Count", value=progress.skipped)
        if progress.skipped > _SKIPPED_FAILS_ABOVE * max(rows, 1):
            metrics.add_metric(name="LicenseImportFailed", unit="Count", value=1)
        logger.info("license file imported", extra=facts)
        metrics.add_metric(name="LicenseFileImported", unit="Count", value=1)
        metrics.add_metric(name="LicenseRowsWritten", unit="Count", value=progress.written)
        return ImportOutcome(
            "imported", progress.file, rows, progress.written, progress.unchanged, progress.skipped, len(gone)
        )


def _outcome(status: Literal["paused"], progress: Progress) -> ImportOutcome:
    return ImportOutcome(
        status, progress.file, progress.rows_done, progress.written, progress.unchanged, progress.skipped
    )


def _decoded(lines: Iterable[bytes], encoding: str) -> Iterator[str]:
    """Text lines; bytes that are not ``encoding`` become lone surrogates, so only their row is
    refused (``_row``), not the file."""
    decode = codecs.getdecoder(encoding)
    for line in lines:
        yield decode(line, "surrogateescape")[0]


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _sorted_unique(numbers: list[int], digests: list[int]) -> Iterator[tuple[int, int]]:
    """(license, digest) sorted by license; a license listed twice keeps its last row's digest."""
    last = {number: index for index, number in enumerate(numbers)}
    for number in sorted(last):
        yield number, digests[last[number]]
