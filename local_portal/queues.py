"""Lambda's SQS poller, locally: for each event source mapping in the template, receive from
the queue in moto, invoke the function with the event Lambda would build, and delete what it
handled (with ReportBatchItemFailures, every record but the ones it reports; without, the whole
batch, unless the invoke failed). Failed records come back after the visibility timeout and,
past the redrive policy's maxReceiveCount, moto moves them to the dead-letter queue.

The handler tests use ``deliver_batch`` too, so they and the portal build the same events."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from local_portal.events import LOCAL_REGION
from local_portal.lambda_runtime import FunctionPool, LogSink
from local_portal.template import SamTemplate, SqsSource

# Invokes the function with an event and returns its result payload.
Invoke = Callable[[dict[str, Any]], Any]


class InvokeFailed(Exception):
    """The function failed on the batch (an error, a timeout): nothing of it is deleted."""


def sqs_event(messages: Sequence[Mapping[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The event Lambda hands a function for a batch of ReceiveMessage's messages."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": dict(message.get("Attributes") or {}),
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value["DataType"],
                    }
                    for name, value in (message.get("MessageAttributes") or {}).items()
                },
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": LOCAL_REGION,
            }
            for message in messages
        ]
    }


def deliver_batch(sqs: Any, template: SamTemplate, source: SqsSource, invoke: Invoke, wait_seconds: int = 0) -> int:
    """Receives one batch of ``source``'s queue and hands it to ``invoke``; returns how many
    messages were received (0: the queue had none visible)."""
    queue_url = template.queue_url(source.queue)
    received = sqs.receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=min(source.batch_size, 10),
        WaitTimeSeconds=wait_seconds,
        MessageSystemAttributeNames=["All"],
        MessageAttributeNames=["All"],
    )
    messages: list[dict[str, Any]] = received.get("Messages") or []
    if not messages:
        return 0
    try:
        result = invoke(sqs_event(messages, template.resolve({"Fn::GetAtt": [source.queue, "Arn"]})))
    except InvokeFailed:
        return len(messages)  # the whole batch comes back after the visibility timeout
    failed: set[str] = set()
    if source.reports_item_failures and isinstance(result, dict):
        failed = {str(failure["itemIdentifier"]) for failure in result.get("batchItemFailures") or []}
    done = [message for message in messages if message["MessageId"] not in failed]
    if done:
        sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": str(n), "ReceiptHandle": message["ReceiptHandle"]} for n, message in enumerate(done)],
        )
    return len(messages)


class QueuePollers:
    """One thread per event source mapping, long-polling moto until stop()."""

    def __init__(self, template: SamTemplate, functions: FunctionPool, sqs: Any, log: LogSink) -> None:
        self.template = template
        self.functions = functions
        self.sqs = sqs
        self.log = log
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._poll, args=(source,), name=f"poller-{source.queue}", daemon=True)
            for source in template.sqs_sources
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def _poll(self, source: SqsSource) -> None:
        worker = self.functions.get(source.function)
        if worker is None:
            self.log("queues", f"{source.queue}: no function {source.function}")
            return

        def invoke(event: dict[str, Any]) -> Any:
            invocation = worker.invoke(event)
            if invocation.function_error:
                self.log("queues", f"{source.function} failed on a batch of {source.queue}: {invocation.payload!r}")
                raise InvokeFailed
            return invocation.json()

        while not self._stopping.is_set():
            try:
                deliver_batch(self.sqs, self.template, source, invoke, wait_seconds=1)
            except Exception as error:  # moto stopping, a connection reset: say so, keep polling
                if self._stopping.is_set():
                    return
                self.log("queues", f"polling {source.queue} failed: {error!r}")
                self._stopping.wait(1.0)

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=5)
