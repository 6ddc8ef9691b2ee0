"""Requests into the real handlers, as API Gateway and the Lambda console send them, with every
AWS call counted by botocore's own event hooks (``before-call`` fires once per API call, before
moto or the network sees it; retries of one call are not counted twice).

Used in-process under moto's mock_aws (call counts, warm latency) and by the tests in
tests/performance, so the bench and the guards drive exactly the same requests."""

import importlib
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final

import boto3

from bench.environment import TABLE_NAME, template

ORIGIN: Final = "http://127.0.0.1:8080"
# DynamoDB operations that write (and bill write units).
WRITE_OPERATIONS: Final = frozenset(
    {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem", "ExecuteTransaction"}
)


@dataclass
class AwsCalls:
    """Every AWS API call made while recording, as (service, operation)."""

    calls: list[tuple[str, str]] = field(default_factory=list)
    # DynamoDB keys each call touched: (operation, table, key, in a transaction)
    touched: list[tuple[str, str, dict[str, Any], bool]] = field(default_factory=list)
    recording: bool = False
    seconds: float = 0.0  # time spent inside AWS calls (moto's work, here) while recording
    _started: float = 0.0

    def on_before_call(self, event_name: str, **_kwargs: Any) -> None:
        if self.recording:
            _, service, operation = event_name.split(".", 2)
            self.calls.append((service, operation))
            self._started = time.perf_counter()

    def on_parameters(self, event_name: str, params: dict[str, Any], **_kwargs: Any) -> None:
        """The call's API parameters (``before-call`` sees the serialized request instead)."""
        if self.recording:
            self._note_keys(event_name.rsplit(".", 1)[-1], params)

    def _note_keys(self, operation: str, params: dict[str, Any]) -> None:
        if operation == "TransactWriteItems":
            for item in params.get("TransactItems", []):
                for kind, action in item.items():
                    key = action.get("Key") or {name: action["Item"][name] for name in ("pk", "sk")}
                    self.touched.append((kind, action["TableName"], key, True))
        elif "Key" in params:
            self.touched.append((operation, params["TableName"], params["Key"], False))
        elif "Item" in params:
            key = {name: params["Item"][name] for name in ("pk", "sk") if name in params["Item"]}
            self.touched.append((operation, params["TableName"], key, False))
        elif operation == "Query":
            self.touched.append((operation, params["TableName"], {}, False))

    def on_after_call(self, **_kwargs: Any) -> None:
        if self.recording:
            self.seconds += time.perf_counter() - self._started

    def install(self, session: "boto3.Session") -> None:
        """Registered on the session before any client exists: every client built from it,
        the handlers' included, inherits the hooks."""
        session.events.register("before-call", self.on_before_call)
        session.events.register("before-parameter-build.dynamodb", self.on_parameters)
        session.events.register("after-call", self.on_after_call)
        session.events.register("after-call-error", self.on_after_call)

    @contextmanager
    def record(self) -> Iterator["AwsCalls"]:
        self.calls.clear()
        self.touched.clear()
        self.seconds = 0.0
        self.recording = True
        try:
            yield self
        finally:
            self.recording = False

    def by_service(self) -> Counter[str]:
        return Counter(service for service, _ in self.calls)

    def dynamodb_writes(self) -> int:
        return sum(1 for service, operation in self.calls if service == "dynamodb" and operation in WRITE_OPERATIONS)

    def capacity_units(self, client: Any) -> tuple[int, int]:
        """(write units, read units) the recorded calls cost, estimated from the items' sizes
        after the request: a write of an item is ceil(size / 1 KB) units, twice that inside a
        transaction; a strongly consistent read ceil(size / 4 KB). A Query counts 1 per call
        (its pages are small here); a deleted or missing item counts as the smallest, 1."""
        writes = reads = 0
        for operation, table, key, transactional in self.touched:
            size = item_size(client.get_item(TableName=table, Key=key).get("Item")) if key else 0
            if operation in {"GetItem", "Query"}:
                reads += max(1, -(-size // 4096))
            else:
                writes += max(1, -(-size // 1024)) * (2 if transactional else 1)
        return writes, reads

    def summary(self) -> str:
        return ", ".join(f"{service}.{operation}" for service, operation in self.calls) or "none"


def _value_size(value: dict[str, Any]) -> int:
    ((kind, inner),) = value.items()
    if kind in {"S", "B"}:
        return len(inner.encode("utf-8")) if isinstance(inner, str) else len(inner)
    if kind == "N":
        return len(str(inner).lstrip("-").replace(".", "")) // 2 + 1
    if kind in {"BOOL", "NULL"}:
        return 1
    if kind in {"SS", "NS", "BS"}:
        return sum(_value_size({kind[0]: element}) for element in inner)
    if kind == "L":
        return 3 + sum(1 + _value_size(element) for element in inner)
    return 3 + sum(1 + len(name.encode("utf-8")) + _value_size(element) for name, element in inner.items())


def item_size(item: dict[str, Any] | None) -> int:
    """DynamoDB's size of an item (attribute names count), as billing rounds it."""
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + _value_size(value) for name, value in item.items())


class FakeLambdaContext:
    def __init__(self, function_name: str, memory_mb: int = 1024) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory_mb
        self.invoked_function_arn = f"arn:aws:lambda:us-west-2:123456789012:function:{function_name}"
        self.aws_request_id = "00000000-0000-0000-0000-000000000000"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@dataclass
class Answer:
    status: int
    body: str

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def rest_event(
    method: str, path: str, resource: str, body: str | None, headers: dict[str, str], source_ip: str
) -> dict[str, Any]:
    """An API Gateway REST proxy event, as the tests send it."""
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": f"/v1{path}",
            "stage": "v1",
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "accountId": "123456789012",
            "apiId": "contractors",
            "protocol": "HTTP/1.1",
            "identity": {"sourceIp": source_ip, "userAgent": "bench"},
            "requestTimeEpoch": 1764180000000,
        },
        "body": body,
        "isBase64Encoded": False,
    }


def lambda_handler(logical_id: str) -> Any:
    module_name, _, attribute = template().functions[logical_id].handler.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def api_routes() -> list[tuple[str, str, str]]:
    """(METHOD, path, function) for every route the template gives API Gateway (no OPTIONS:
    API Gateway's CORS preflight is answered by the same resolver without AWS calls)."""
    return [
        (event.method.upper(), event.path, logical_id)
        for logical_id, function in template().functions.items()
        for event in function.api_events
        if event.method.lower() != "options"
    ]


class Api:
    """Sends a request to the function the template routes it to, the way API Gateway would."""

    def __init__(self) -> None:
        self.routes = [
            (method, re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", path) + "$"), path, logical_id)
            for method, path, logical_id in api_routes()
        ]
        self._addresses = 0

    def next_address(self) -> str:
        """A new caller address each time: the per-address limits are not what is measured."""
        self._addresses += 1
        return f"10.{(self._addresses >> 16) & 255}.{(self._addresses >> 8) & 255}.{self._addresses & 255}"

    def route(self, method: str, path: str) -> tuple[str, str]:
        """(resource, function) the template routes a request to."""
        for verb, pattern, resource, logical_id in self.routes:
            if verb == method and pattern.match(path):
                return resource, logical_id
        raise LookupError(f"the template routes no {method} {path}")

    def event(
        self, method: str, path: str, json_body: Any = None, *, token: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        """(function, the API Gateway event it gets) for a request."""
        resource, logical_id = self.route(method, path)
        headers = {"Content-Type": "application/json", "Origin": ORIGIN}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = None if json_body is None else json.dumps(json_body)
        return logical_id, rest_event(method, path, resource, body, headers, self.next_address())

    def request(self, method: str, path: str, json_body: Any = None, *, token: str | None = None) -> Answer:
        logical_id, event = self.event(method, path, json_body, token=token)
        result = lambda_handler(logical_id)(event, FakeLambdaContext(logical_id))
        return Answer(status=result["statusCode"], body=result.get("body") or "")


def staff(event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = lambda_handler("StaffFunction")(event, FakeLambdaContext("StaffFunction"))
    return result


@contextmanager
def counted_aws() -> Iterator[AwsCalls]:
    """moto's mock_aws with the template's table and email resources, the handlers' clients
    rebuilt inside it, and every AWS call counted (only inside ``calls.record()``)."""
    from contractor_accounts import runtime
    from moto import mock_aws

    with mock_aws():
        boto3.setup_default_session()
        calls = AwsCalls()
        assert boto3.DEFAULT_SESSION is not None
        calls.install(boto3.DEFAULT_SESSION)
        template().create_table(boto3.client("dynamodb"), table_name=TABLE_NAME)
        template().create_email_resources(boto3.client("sesv2"), boto3.client("ses"))
        template().create_queues(boto3.client("sqs"))
        runtime.reset()
        try:
            yield calls
        finally:
            runtime.reset()
