"""Handler tests: real API Gateway REST proxy events into the real handlers, under moto,
routed by the template's own Api events and backed by the table the template defines
(tests/support/api.py). After each request the template's queues are delivered to their
functions in real SQS events, as Lambda's poller would, so a forgot-password email is there to read."""

import importlib
import threading
from collections import UserDict
from collections.abc import Callable
from typing import Any

import pytest
from contractor_accounts import runtime
from moto.core.botocore_stubber import BotocoreStubber

from tests.support.api import Api
from tests.support.aws_calls import ScanCalled
from tests.support.clock import MovableClock
from tests.support.environment import TEMPLATE


class PerThreadDict(UserDict[str, Any]):
    """A dict whose contents belong to the calling thread."""

    def __init__(self) -> None:  # no UserDict.__init__: ``data`` is per thread
        self._local = threading.local()

    @property
    def data(self) -> dict[str, Any]:  # type: ignore[override]
        if not hasattr(self._local, "data"):
            self._local.data = {}
        return self._local.data


@pytest.fixture
def resolver_context_per_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each function's resolver keeps its per-request state (the matched route, the Depends
    cache) in ``app.context``, one dict per module. Lambda never runs two requests in one
    process at once; the race tests do, in threads, so each thread gets its own."""
    for function in TEMPLATE.functions.values():
        module = importlib.import_module(function.handler.rpartition(".")[0])
        if hasattr(module, "app"):
            monkeypatch.setattr(module.app, "context", PerThreadDict())
    # Powertools' metrics are one set per process, flushed after each request: threads take turns.
    from contractor_accounts.observability import metrics

    turns = threading.RLock()
    for name in (
        "add_metric",
        "add_dimension",
        "add_metadata",
        "serialize_metric_set",
        "flush_metrics",
        "clear_metrics",
    ):
        monkeypatch.setattr(metrics.provider, name, _taking_turns(getattr(metrics.provider, name), turns))


def _taking_turns(method: Callable[..., Any], turns: threading.RLock) -> Callable[..., Any]:
    def one_thread_at_a_time(*args: Any, **kwargs: Any) -> Any:
        with turns:
            return method(*args, **kwargs)

    return one_thread_at_a_time


@pytest.fixture(autouse=True)
def no_scan(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every handler test fails on a DynamoDB Scan, whichever client or path makes it; the
    operations called are recorded for tests that look at them."""
    from botocore.client import BaseClient

    called: list[str] = []
    original = BaseClient._make_api_call

    def refuse_scans(self: BaseClient, operation_name: str, api_params: Any) -> Any:
        called.append(operation_name)
        if operation_name in {"Scan", "ParallelScan"}:
            raise ScanCalled(f"{operation_name} on {api_params.get('TableName')}")
        return original(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", refuse_scans)
    return called


@pytest.fixture
def clock(aws: None, monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    """Moves time for every use case the functions build (they read ``runtime.clock`` per
    request), without sleeping."""
    moved = MovableClock()
    monkeypatch.setattr(runtime, "clock", lambda: moved)
    return moved


@pytest.fixture
def api(aws: None, clock: MovableClock) -> Api:
    return Api()


@pytest.fixture
def serialized_dynamodb(monkeypatch: pytest.MonkeyPatch, resolver_context_per_thread: None) -> None:
    """moto handles one request at a time, as DynamoDB serializes conflicting writes to one item."""
    lock = threading.Lock()
    original = BotocoreStubber.__call__

    def one_at_a_time(self: BotocoreStubber, *args: Any, **kwargs: Any) -> Any:
        with lock:
            return original(self, *args, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", one_at_a_time)
