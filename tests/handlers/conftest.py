"""Handler tests: real API Gateway REST proxy events into the real handlers, under moto,
routed by the template's own Api events and backed by the table the template defines. After
each request the template's queues are delivered to their functions in real SQS events, as
Lambda's poller would (``deliver_queued``), so a forgot-password email is there to read."""

import importlib
import json
import re
import threading
from collections import UserDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from contractor_accounts import runtime

from local_portal.events import LambdaContext, rest_event
from local_portal.parameters import LOCAL_WEB_ORIGINS
from local_portal.queues import deliver_batch
from tests.conftest import TEMPLATE
from tests.samples import registration_body

ORIGIN = LOCAL_WEB_ORIGINS[0]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class MovableClock:
    at: datetime = field(default_factory=lambda: datetime(2026, 11, 26, 18, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def _handler(logical_id: str) -> Any:
    module_name, _, attribute = TEMPLATE.functions[logical_id].handler.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


class Api:
    """Sends a request the way API Gateway would: to the function the template routes it to.
    With ``deliver_queued`` (the default) what the request queued is then delivered."""

    def __init__(self, *, deliver_queued: bool = True) -> None:
        self.deliver_queued = deliver_queued
        self.routes: list[tuple[str, re.Pattern[str], str, str]] = []
        for logical_id, function in TEMPLATE.functions.items():
            for event in function.api_events:
                pattern = re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", event.path) + "$")
                self.routes.append((event.method.upper(), pattern, event.path, logical_id))

    def request(
        self,
        method: str,
        path: str,
        json_body: Any = None,
        *,
        body: str | None = None,
        token: str | None = None,
        headers: dict[str, str | None] | None = None,
        source_ip: str = "198.51.100.7",
        is_base64: bool = False,
    ) -> Answer:
        """``headers`` override the defaults; a header set to None is not sent."""
        matches = [
            (resource, function)
            for verb, pattern, resource, function in self.routes
            if verb == method and pattern.match(path)
        ]
        assert matches, f"the template routes no {method} {path}"
        resource, logical_id = matches[0]
        chosen = {"Content-Type": "application/json", "Origin": ORIGIN, **(headers or {})}
        sent_headers = {name: value for name, value in chosen.items() if value is not None}
        if token:
            sent_headers["Authorization"] = f"Bearer {token}"
        if json_body is not None:
            body = json.dumps(json_body)
        event = rest_event(method, path, resource, body=body, headers=sent_headers, source_ip=source_ip)
        if is_base64:  # the body is already base64, as API Gateway passes a binary body
            event["isBase64Encoded"] = True
        result = _handler(logical_id)(event, LambdaContext.for_function(logical_id))
        if self.deliver_queued:
            deliver_queued()
        flat = {name: ",".join(values) for name, values in (result.get("multiValueHeaders") or {}).items()}
        flat.update(result.get("headers") or {})
        return Answer(status=result["statusCode"], headers=flat, body=result.get("body") or "")

    def post(self, path: str, json_body: Any = None, **kwargs: Any) -> Answer:
        return self.request("POST", path, json_body, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.request("GET", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Answer:
        return self.request("DELETE", path, **kwargs)


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


class ScanCalled(AssertionError):
    """A Scan reached DynamoDB: no path of the service may scan the table."""


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


def invoke(logical_id: str, event: dict[str, Any]) -> dict[str, Any]:
    """A function without an API route, invoked as Lambda would (console, CLI, a schedule)."""
    result: dict[str, Any] = _handler(logical_id)(event, LambdaContext.for_function(logical_id))
    return result


def deliver_queued() -> list[dict[str, Any]]:
    """What Lambda's poller does: every visible message of the template's queues goes to the
    function its event source mapping names, in batches as the mapping sets them, as real SQS
    events (built by local_portal.queues, as the local portal builds them); what the function
    handled is deleted, a reported failure stays (invisible until its visibility timeout).
    Returns each batch's result."""
    import boto3

    sqs = boto3.client("sqs")
    results: list[dict[str, Any]] = []

    def invoke_recording(logical_id: str) -> Any:
        def run(event: dict[str, Any]) -> dict[str, Any]:
            results.append(invoke(logical_id, event))
            return results[-1]

        return run

    for source in TEMPLATE.sqs_sources:
        while deliver_batch(sqs, TEMPLATE, source, invoke_recording(source.function)):
            pass
    return results


def staff(event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = invoke("StaffFunction", event)
    return result


def sent_emails() -> list[dict[str, Any]]:
    """What SES (moto) sent."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-west-2"]
    return [
        {"to": message.destinations["ToAddresses"], "subject": message.subject, "body": message.body}
        for message in backend.sent_messages
    ]


def registration(**overrides: Any) -> dict[str, Any]:
    return registration_body(**overrides)


def link_token(page: str, address: str | None = None) -> str:
    """The token of the newest emailed link to ``page`` (e.g. "verify-email.html")."""
    for email in reversed(sent_emails()):
        if address and address not in email["to"]:
            continue
        match = re.search(re.escape(page) + r"#token=([A-Za-z0-9_-]{43})", email["body"])
        if match:
            return match.group(1)
    raise AssertionError(f"no email with a {page} link")


def reset_emails() -> list[dict[str, Any]]:
    return [email for email in sent_emails() if "reset your permit portal password" in email["subject"]]


def register_verified(api: Api, body: dict[str, Any] | None = None) -> Answer:
    """Registers, then opens the emailed confirmation link: the email is verified (as it must be
    for a reset link to be sent to it)."""
    body = body or registration()
    created = api.post("/contractors", body)
    assert created.status == 201, created.body
    verified = api.post("/email/verify", {"token": link_token("verify-email.html", body["email"])})
    assert verified.status == 200, verified.body
    return created
