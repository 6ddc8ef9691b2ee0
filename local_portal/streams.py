"""Lambda's DynamoDB stream poller, locally: for each event source mapping on a table's stream
in the template, read the stream in moto (DynamoDB Streams), keep the records its filter
patterns match, and invoke the function with the event Lambda would build, in batches as the
mapping sets them. With ReportBatchItemFailures a reported record and those after it are read
again (as Lambda retries from the first failure); a failed invoke retries the batch.

The handler tests use ``deliver_records`` too, so they and the portal build the same events."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from local_portal.events import LOCAL_REGION
from local_portal.lambda_runtime import FunctionPool, LogSink
from local_portal.queues import InvokeFailed
from local_portal.template import SamTemplate, StreamSource

Invoke = Callable[[dict[str, Any]], Any]


def matches(pattern: Mapping[str, Any], value: Any) -> bool:
    """An event filter pattern (the subset Lambda's FilterCriteria use here: nested keys, and a
    list of the values a leaf may have) against a record."""
    for key, wanted in pattern.items():
        if not isinstance(value, Mapping) or key not in value:
            return False
        if isinstance(wanted, Mapping):
            if not matches(wanted, value[key]):
                return False
        elif value[key] not in wanted:
            return False
    return True


def stream_event(records: list[Mapping[str, Any]], stream_arn: str) -> dict[str, Any]:
    """The event Lambda hands a function for a batch of a stream's records."""
    return {
        "Records": [
            {
                "eventID": record["eventID"],
                "eventName": record["eventName"],
                "eventVersion": record.get("eventVersion", "1.1"),
                "eventSource": "aws:dynamodb",
                "awsRegion": LOCAL_REGION,
                "dynamodb": {
                    key: value for key, value in record["dynamodb"].items() if key != "ApproximateCreationDateTime"
                },
                "eventSourceARN": stream_arn,
            }
            for record in records
        ]
    }


class StreamReader:
    """Where each shard of a stream was read up to (the last record handed on), so each record
    reaches the function once, or again after a reported failure."""

    def __init__(self, streams: Any, stream_arn: str) -> None:
        self.streams = streams
        self.stream_arn = stream_arn
        self.read_up_to: dict[str, str] = {}

    def new_records(self) -> list[tuple[str, dict[str, Any]]]:
        found: list[tuple[str, dict[str, Any]]] = []
        shards = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]
        for shard in shards:
            shard_id = shard["ShardId"]
            after = self.read_up_to.get(shard_id)
            where: dict[str, Any] = (
                {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after}
                if after
                else {"ShardIteratorType": "TRIM_HORIZON"}
            )
            iterator = self.streams.get_shard_iterator(StreamArn=self.stream_arn, ShardId=shard_id, **where)
            found += [
                (shard_id, record)
                for record in self.streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
            ]
        return found


def deliver_records(reader: StreamReader, source: StreamSource, invoke: Invoke) -> int:
    """Hands the stream's new records that match ``source``'s filter to ``invoke``, in batches;
    returns how many records were read (0: nothing new)."""
    records = reader.new_records()
    stopped: set[str] = set()  # a shard whose record failed: nothing after it before it succeeds
    for shard_id, record in records:
        if shard_id in stopped:
            continue
        wanted = not source.patterns or any(matches(pattern, record) for pattern in source.patterns)
        if wanted and not _handed(reader, source, invoke, record):
            stopped.add(shard_id)
            continue
        reader.read_up_to[shard_id] = record["dynamodb"]["SequenceNumber"]
    return len(records)


def _handed(reader: StreamReader, source: StreamSource, invoke: Invoke, record: dict[str, Any]) -> bool:
    """One record at a time (a request writes one record that asks for a notice); whether the
    function took it (no error, no reported failure)."""
    try:
        result = invoke(stream_event([record], reader.stream_arn))
    except InvokeFailed:
        return False
    return not (source.reports_item_failures and isinstance(result, dict) and result.get("batchItemFailures"))


class StreamPollers:
    """One thread per stream event source mapping, polling moto until stop()."""

    def __init__(
        self, template: SamTemplate, functions: FunctionPool, dynamodb: Any, streams: Any, log: LogSink
    ) -> None:
        self.template = template
        self.functions = functions
        self.dynamodb = dynamodb
        self.streams = streams
        self.log = log
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._poll, args=(source,), name=f"stream-{source.table}", daemon=True)
            for source in template.stream_sources
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def _poll(self, source: StreamSource) -> None:
        worker = self.functions.get(source.function)
        if worker is None:
            self.log("streams", f"{source.table}: no function {source.function}")
            return

        def invoke(event: dict[str, Any]) -> Any:
            invocation = worker.invoke(event)
            if invocation.function_error:
                self.log("streams", f"{source.function} failed on a record of {source.table}: {invocation.payload!r}")
                raise InvokeFailed
            return invocation.json()

        reader: StreamReader | None = None
        while not self._stopping.is_set():
            try:
                if reader is None:
                    table = self.template.physical_name(source.table)
                    arn = self.dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
                    reader = StreamReader(self.streams, arn)
                    # From now on, as a new mapping with StartingPosition LATEST.
                    for shard_id, record in reader.new_records():
                        reader.read_up_to[shard_id] = record["dynamodb"]["SequenceNumber"]
                if not deliver_records(reader, source, invoke):
                    self._stopping.wait(0.5)
            except Exception as error:  # moto stopping, a connection reset: say so, keep polling
                if self._stopping.is_set():
                    return
                self.log("streams", f"reading the stream of {source.table} failed: {error!r}")
                self._stopping.wait(1.0)

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=5)
