"""The license data bucket (``LicenseDataBucket``): the uploaded files, streamed with botocore's
StreamingBody lines, and the import's own state under ``import-state/``:

  import-state/listed.tsv      license number TAB row digest (hex), sorted: the last whole file's
  import-state/progress.json   the file being (or last) imported, and how far it got
  import-state/resume.json     written to go on in a new invocation: its upload event starts one

What exists under ``import-state/`` is listed once (ListObjectsV2), so an absent object is never
asked for (S3 answers that with AccessDenied to a role without s3:ListBucket)."""

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, Final

from contractor_accounts.domain.license_rows import RESUME_KEY, STATE_PREFIX, LicenseFile
from contractor_accounts.ports.license_import import Progress

# boto3's S3 client (boto3-stubs carries no S3 types in this project's lock: Any, not a guess).
S3Client = Any

LISTED_KEY: Final = STATE_PREFIX + "listed.tsv"
PROGRESS_KEY: Final = STATE_PREFIX + "progress.json"
_CHUNK: Final = 1024 * 1024  # bytes read at a time from the stream


class S3LicenseFiles:
    def __init__(self, s3: Callable[[], S3Client]) -> None:
        self._s3 = s3

    def lines(self, file: LicenseFile) -> Iterator[bytes]:
        version = {"VersionId": file.version_id} if file.version_id else {}
        body = self._s3().get_object(Bucket=file.bucket, Key=file.key, **version)["Body"]
        try:
            yield from body.iter_lines(chunk_size=_CHUNK, keepends=True)
        finally:
            body.close()


class S3ImportState:
    """The import's state in ``bucket`` (built per invocation: it lists what exists once)."""

    def __init__(self, s3: Callable[[], S3Client], bucket: str) -> None:
        self._s3 = s3
        self.bucket = bucket
        self._existing: set[str] | None = None

    def _exists(self, key: str) -> bool:
        if self._existing is None:
            listed = self._s3().list_objects_v2(Bucket=self.bucket, Prefix=STATE_PREFIX)
            self._existing = {str(item["Key"]) for item in listed.get("Contents", [])}
        return key in self._existing

    def _put(self, key: str, body: bytes, content_type: str) -> None:
        self._s3().put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)
        if self._existing is not None:
            self._existing.add(key)

    def listed(self) -> dict[int, int]:
        if not self._exists(LISTED_KEY):
            return {}
        body = self._s3().get_object(Bucket=self.bucket, Key=LISTED_KEY)["Body"]
        digests: dict[int, int] = {}
        for line in body.iter_lines(chunk_size=_CHUNK):
            number, _, digest = line.partition(b"\t")
            digests[int(number)] = int(digest, 16)
        return digests

    def save_listed(self, digests: Iterable[tuple[int, int]]) -> None:
        # ~25 bytes a license: 6 MB for the whole list, built as one body for one PutObject.
        body = b"".join(b"%d\t%016x\n" % (number, digest) for number, digest in digests)
        self._put(LISTED_KEY, body, "text/tab-separated-values")

    def progress(self) -> Progress | None:
        if not self._exists(PROGRESS_KEY):
            return None
        return _progress_from(json.loads(self._s3().get_object(Bucket=self.bucket, Key=PROGRESS_KEY)["Body"].read()))

    def save_progress(self, progress: Progress) -> None:
        self._put(PROGRESS_KEY, json.dumps(_progress_document(progress)).encode(), "application/json")

    def ask_to_resume(self, progress: Progress) -> None:
        self.save_progress(progress)
        self._put(RESUME_KEY, json.dumps(_progress_document(progress)).encode(), "application/json")


def _progress_document(progress: Progress) -> dict[str, Any]:
    file = progress.file
    return {
        "file": {
            "bucket": file.bucket,
            "key": file.key,
            "version_id": file.version_id,
            "uploaded_at": file.uploaded_at.isoformat(),
        },
        "rows_done": progress.rows_done,
        "written": progress.written,
        "unchanged": progress.unchanged,
        "skipped": progress.skipped,
        "done": progress.done,
        "rewrite": progress.rewrite,
    }


def _progress_from(document: dict[str, Any]) -> Progress:
    file = document["file"]
    return Progress(
        file=LicenseFile(
            bucket=str(file["bucket"]),
            key=str(file["key"]),
            version_id=file.get("version_id"),
            uploaded_at=datetime.fromisoformat(str(file["uploaded_at"])),
        ),
        rows_done=int(document["rows_done"]),
        written=int(document["written"]),
        unchanged=int(document["unchanged"]),
        skipped=int(document["skipped"]),
        done=bool(document["done"]),
        rewrite=bool(document.get("rewrite", False)),
    )
