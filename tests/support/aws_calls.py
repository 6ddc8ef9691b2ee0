"""Every AWS API call a request makes, counted by botocore's own event hooks (``before-call``
fires once per API call, before moto or the network sees it; retries of one call are not counted
twice): the call-count guard (tests/performance) and `make bench` count the same way. What each
call asks IAM for (local_portal/iam.py), by the function that made it (``handling``), is noted
for the IAM test (tests/test_iam.py)."""

import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Final

import boto3

from local_portal.iam import Request, requests
from local_portal.roles import local_account
from tests.support.environment import TEMPLATE, mocked_aws

ACCOUNT: Final = local_account(TEMPLATE)
# The function whose handler is running (tests/support/api.invoke sets it).
_HANDLING: ContextVar[str | None] = ContextVar("handling", default=None)


@contextmanager
def handling(logical_id: str) -> Iterator[None]:
    """The AWS calls made inside are that function's."""
    token = _HANDLING.set(logical_id)
    try:
        yield
    finally:
        _HANDLING.reset(token)


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
    # What each function's calls asked IAM for (recorded in and out of ``record()``).
    needs: defaultdict[str, set[Request]] = field(default_factory=lambda: defaultdict(set))
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

    def on_any_parameters(self, params: dict[str, Any], model: Any, **_kwargs: Any) -> None:
        function = _HANDLING.get()
        if function is not None:
            self.needs[function].update(requests(model.service_model.service_name, model.name, params, ACCOUNT))

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
        session.events.register("before-parameter-build", self.on_any_parameters)
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

    def summary(self) -> str:
        return ", ".join(f"{service}.{operation}" for service, operation in self.calls) or "none"


@contextmanager
def counted_aws() -> Iterator[AwsCalls]:
    """moto with the template's resources (environment.mocked_aws), every client built from a
    session that counts each AWS call (only inside ``calls.record()``)."""
    from contractor_accounts import runtime

    with mocked_aws():
        boto3.setup_default_session()
        calls = AwsCalls()
        assert boto3.DEFAULT_SESSION is not None
        calls.install(boto3.DEFAULT_SESSION)
        runtime.reset()
        yield calls


class ScanCalled(AssertionError):
    """A Scan reached DynamoDB: no path of the service may scan the table."""
