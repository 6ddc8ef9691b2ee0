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
    recording: bool = False
    seconds: float = 0.0  # time spent inside AWS calls (moto's work, here) while recording
    _started: float = 0.0

    def on_before_call(self, event_name: str, **_kwargs: Any) -> None:
        if self.recording:
            _, service, operation = event_name.split(".", 2)
            self.calls.append((service, operation))
            self._started = time.perf_counter()

    def on_after_call(self, **_kwargs: Any) -> None:
        if self.recording:
            self.seconds += time.perf_counter() - self._started

    def install(self, session: "boto3.Session") -> None:
        """Registered on the session before any client exists: every client built from it,
        the handlers' included, inherits the hooks."""
        session.events.register("before-call", self.on_before_call)
        session.events.register("after-call", self.on_after_call)
        session.events.register("after-call-error", self.on_after_call)

    @contextmanager
    def record(self) -> Iterator["AwsCalls"]:
        self.calls.clear()
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

    def summary(self) -> str:
        return ", ".join(f"{service}.{operation}" for service, operation in self.calls) or "none"


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

    def request(self, method: str, path: str, json_body: Any = None, *, token: str | None = None) -> Answer:
        resource, logical_id = self.route(method, path)
        headers = {"Content-Type": "application/json", "Origin": ORIGIN}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = None if json_body is None else json.dumps(json_body)
        event = rest_event(method, path, resource, body, headers, self.next_address())
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
        runtime.reset()
        try:
            yield calls
        finally:
            runtime.reset()
