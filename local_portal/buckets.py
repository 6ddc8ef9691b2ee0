"""S3 "Object Created" events through EventBridge, locally: for each function event on a bucket
of the template (``SamTemplate.bucket_sources``), every new object version in moto whose key the
rule matches is handed to the function as the event EventBridge would deliver, one at a time and
oldest first (LicenseDataFunction runs one import at a time: reserved concurrency 1).

The handler tests use ``deliver_uploads`` too, so they and the portal build the same events."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

from local_portal.events import LOCAL_ACCOUNT_ID, LOCAL_REGION
from local_portal.lambda_runtime import FunctionPool, LogSink
from local_portal.template import BucketSource, SamTemplate

Invoke = Callable[[dict[str, Any]], Any]


def object_created_event(bucket: str, version: dict[str, Any]) -> dict[str, Any]:
    """What EventBridge hands a rule's target for an object S3 created (``version``: an entry of
    ListObjectVersions)."""
    modified: datetime = version["LastModified"]
    version_id = version.get("VersionId")
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": LOCAL_ACCOUNT_ID,
        "time": modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": LOCAL_REGION,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": {
                "key": quote_plus(str(version["Key"]), safe="/"),
                "size": int(version.get("Size", 0)),
                "etag": str(version.get("ETag", "")).strip('"'),
                **({"version-id": version_id} if version_id and version_id != "null" else {}),
                "sequencer": f"{int(modified.timestamp() * 1e6):016X}",
            },
            "request-id": uuid.uuid4().hex[:16].upper(),
            "requester": LOCAL_ACCOUNT_ID,
            "source-ip-address": "127.0.0.1",
            "reason": "PutObject",
        },
    }


def _versions(s3: Any, bucket: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        found += page.get("Versions") or []
    return sorted(found, key=lambda version: version["LastModified"])


def deliver_uploads(
    s3: Any, template: SamTemplate, source: BucketSource, invoke: Invoke, seen: set[tuple[str, str]]
) -> int:
    """Hands every object version of ``source``'s bucket not in ``seen`` (and matched by the
    rule) to ``invoke``, oldest first, until no new one is left; returns how many it handed."""
    bucket = template.physical_name(source.bucket)
    handed = 0
    while True:
        new = [v for v in _versions(s3, bucket) if (v["Key"], str(v.get("VersionId"))) not in seen]
        if not new:
            return handed
        for version in new:
            seen.add((version["Key"], str(version.get("VersionId"))))
            if source.matches(str(version["Key"])):
                handed += 1
                invoke(object_created_event(bucket, version))


class BucketEvents:
    """One thread per bucket event, polling moto every second until stop()."""

    def __init__(self, template: SamTemplate, functions: FunctionPool, s3: Any, log: LogSink) -> None:
        self.template = template
        self.functions = functions
        self.s3 = s3
        self.log = log
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._poll, args=(source,), name=f"bucket-{source.bucket}", daemon=True)
            for source in template.bucket_sources
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def _poll(self, source: BucketSource) -> None:
        worker = self.functions.get(source.function)
        if worker is None:
            self.log("buckets", f"{source.bucket}: no function {source.function}")
            return
        seen: set[tuple[str, str]] = set()

        def invoke(event: dict[str, Any]) -> Any:
            key = event["detail"]["object"]["key"]
            invocation = worker.invoke(event)
            if invocation.function_error:
                self.log("buckets", f"{source.function} failed on s3://{event['detail']['bucket']['name']}/{key}")
            else:
                self.log("buckets", f"{source.function} on {key}: {invocation.payload!r}")
            return invocation.json()

        while not self._stopping.is_set():
            try:
                deliver_uploads(self.s3, self.template, source, invoke, seen)
            except Exception as error:  # moto stopping, a connection reset: say so, keep polling
                if self._stopping.is_set():
                    return
                self.log("buckets", f"polling {source.bucket} failed: {error!r}")
            self._stopping.wait(1.0)

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=5)
