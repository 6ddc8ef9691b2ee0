"""Requests into the real handlers, in-process, as API Gateway and Lambda send them: the REST
proxy event (local_portal.events, the local portal's own builder) to the function the template's
route table names; staff and scheduled events straight to their function; the template's queues
delivered as Lambda's poller would (local_portal.queues); what SES (moto) sent."""

import importlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from local_portal.buckets import deliver_uploads as deliver_bucket_uploads
from local_portal.events import LambdaContext, rest_event
from local_portal.parameters import LOCAL_WEB_ORIGINS
from local_portal.queues import deliver_batch
from local_portal.routes import RouteTable
from tests.support.aws_calls import handling
from tests.support.environment import TABLE_NAME, TEMPLATE
from tests.support.samples import EMAIL, registration_body

ORIGIN = LOCAL_WEB_ORIGINS[0]
ROUTES = RouteTable(TEMPLATE)


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def handler(logical_id: str) -> Any:
    module_name, _, attribute = TEMPLATE.functions[logical_id].handler.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def invoke(logical_id: str, event: dict[str, Any], timeout_seconds: float = 10.0) -> dict[str, Any]:
    """A function invoked as Lambda would (console, CLI, a schedule, a poller)."""
    with handling(logical_id):
        context = LambdaContext.for_function(logical_id, timeout_seconds)
        result: dict[str, Any] = handler(logical_id)(event, context)
    return result


def staff(event: dict[str, Any]) -> dict[str, Any]:
    return invoke("StaffFunction", event)


def sns_event(*messages: dict[str, Any]) -> dict[str, Any]:
    """What SNS hands a subscribed function: one record per message."""
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": f"message-{index}",
                    "TopicArn": "arn:aws:sns:us-west-2:123456789012:EmailEventsTopic",
                    "Message": json.dumps(message),
                    "Timestamp": "2026-11-26T18:00:00.000Z",
                },
            }
            for index, message in enumerate(messages)
        ]
    }


def bounce(license_number: str, address: str = EMAIL, bounce_type: str = "Permanent") -> dict[str, Any]:
    """What SES reports of a bounce of ``address`` (through SNS: ``sns_event``)."""
    return {
        "eventType": "Bounce",
        "bounce": {"bounceType": bounce_type, "bouncedRecipients": [{"emailAddress": address}]},
        "mail": {"destination": [address], "tags": {"license_number": [license_number]}},
    }


class Api:
    """Sends a request the way API Gateway would: to the function the template routes it to.
    With ``deliver_queued`` (the default) what the request queued is then delivered. Every
    request comes from ``source_ip``; with None, each from a new address (the per-address
    limits are then never what is measured)."""

    def __init__(self, *, deliver_queued: bool = True, source_ip: str | None = "198.51.100.7") -> None:
        self.deliver_queued = deliver_queued
        self.source_ip = source_ip
        self._addresses = 0

    def _address(self) -> str:
        if self.source_ip is not None:
            return self.source_ip
        self._addresses += 1
        return f"10.{(self._addresses >> 16) & 255}.{(self._addresses >> 8) & 255}.{self._addresses & 255}"

    def event(
        self,
        method: str,
        path: str,
        json_body: Any = None,
        *,
        body: str | None = None,
        token: str | None = None,
        headers: dict[str, str | None] | None = None,
        source_ip: str | None = None,
        is_base64: bool = False,
    ) -> tuple[str, dict[str, Any]]:
        """(function, the API Gateway event it gets) for a request; ``headers`` override the
        defaults, a header set to None is not sent."""
        route = ROUTES.match(method, path)
        chosen = {"Content-Type": "application/json", "Origin": ORIGIN, **(headers or {})}
        sent_headers = {name: value for name, value in chosen.items() if value is not None}
        if token:
            sent_headers["Authorization"] = f"Bearer {token}"
        if json_body is not None:
            body = json.dumps(json_body)
        event = rest_event(
            method,
            path,
            route.resource,
            body=body,
            headers=sent_headers,
            path_parameters=route.path_parameters,
            source_ip=source_ip or self._address(),
        )
        if is_base64:  # the body is already base64, as API Gateway passes a binary body
            event["isBase64Encoded"] = True
        return route.function, event

    def request(self, method: str, path: str, json_body: Any = None, **kwargs: Any) -> Answer:
        logical_id, event = self.event(method, path, json_body, **kwargs)
        result = invoke(logical_id, event)
        if self.deliver_queued:
            deliver_queued()
            deliver_stream()
        flat = {name: ",".join(values) for name, values in (result.get("multiValueHeaders") or {}).items()}
        flat.update(result.get("headers") or {})
        return Answer(status=result["statusCode"], headers=flat, body=result.get("body") or "")

    def post(self, path: str, json_body: Any = None, **kwargs: Any) -> Answer:
        return self.request("POST", path, json_body, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.request("GET", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Answer:
        return self.request("DELETE", path, **kwargs)


def deliver_queued(only: str | None = None) -> list[dict[str, Any]]:
    """What Lambda's poller does: every visible message of the template's queues (or of the queue
    ``only``) goes to the function its event source mapping names, in batches as the mapping
    sets them, as real SQS events; what the function handled is deleted, a reported failure
    stays (invisible until its visibility timeout). Returns each batch's result."""
    import boto3

    sqs = boto3.client("sqs")
    results: list[dict[str, Any]] = []

    def invoke_recording(logical_id: str) -> Any:
        def run(event: dict[str, Any]) -> dict[str, Any]:
            results.append(invoke(logical_id, event))
            return results[-1]

        return run

    for source in TEMPLATE.sqs_sources:
        while (only is None or source.queue == only) and deliver_batch(
            sqs, TEMPLATE, source, invoke_recording(source.function)
        ):
            pass
    return results


LICENSE_BUCKET = TEMPLATE.physical_name("LicenseDataBucket")
_UPLOADS_SEEN: set[tuple[str, str]] = set()  # object versions handed already (unique per moto)


def upload_license_file(body: bytes | str, key: str = "incoming/2026-03-01.csv") -> str:
    """A license file put into the license bucket (moto), as the city's loader does; its version."""
    import boto3

    data = body.encode("utf-8") if isinstance(body, str) else body
    put = boto3.client("s3").put_object(Bucket=LICENSE_BUCKET, Key=key, Body=data)
    return str(put.get("VersionId"))


def deliver_uploads(timeout_seconds: float = 900.0) -> list[dict[str, Any]]:
    """What EventBridge does: every new object of the license bucket that the function's rule
    matches goes to it as an "Object Created" event, oldest first, until none is new (the
    import's own resume request too). Returns each invocation's answer."""
    import boto3

    s3 = boto3.client("s3")
    results: list[dict[str, Any]] = []
    for source in TEMPLATE.bucket_sources:

        def run(event: dict[str, Any], function: str = source.function) -> None:
            results.append(invoke(function, event, timeout_seconds))

        deliver_bucket_uploads(s3, TEMPLATE, source, run, _UPLOADS_SEEN)
    return results


_STREAM_READERS: dict[str, Any] = {}


def deliver_stream() -> list[dict[str, Any]]:
    """What Lambda's stream poller does: the table stream's new records that the template's
    mappings' filters match go to their function (``local_portal.streams``, as `make run` does);
    what a function reports failed is read again next time. Returns each invocation's result."""
    import boto3

    from local_portal.streams import StreamReader, deliver_records

    results: list[dict[str, Any]] = []
    for source in TEMPLATE.stream_sources:
        arn = boto3.client("dynamodb").describe_table(TableName=TABLE_NAME)["Table"]["LatestStreamArn"]
        reader = _STREAM_READERS.setdefault(arn, StreamReader(boto3.client("dynamodbstreams"), arn))

        def run(event: dict[str, Any], function: str = source.function) -> dict[str, Any]:
            results.append(invoke(function, event))
            return results[-1]

        deliver_records(reader, source, run)
    return results


def sent_emails() -> list[dict[str, Any]]:
    """What SES (moto) sent, oldest first."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-west-2"]
    return [
        {"to": message.destinations["ToAddresses"], "subject": message.subject, "body": message.body}
        for message in backend.sent_messages
    ]


def link_token(page: str, address: str | None = None) -> str:
    """The token of the newest emailed link to ``page`` (e.g. "verify-email.html")."""
    for email in reversed(sent_emails()):
        if address and address not in email["to"]:
            continue
        match = re.search(re.escape(page) + r"#token=([A-Za-z0-9_-]{43})", str(email["body"]))
        if match:
            return match.group(1)
    raise AssertionError(f"no email with a {page} link")


def reset_token_from_last_email() -> str:
    body = sent_emails()[-1]["body"]
    match = re.search(r"reset-password\.html#token=([A-Za-z0-9_-]{43})", body)
    assert match, body
    return match.group(1)


def reset_emails() -> list[dict[str, Any]]:
    return [email for email in sent_emails() if "reset your permit portal password" in email["subject"]]


def register_verified(api: Api, body: dict[str, Any] | None = None) -> Answer:
    """Registers, then opens the emailed confirmation link: the email is verified (as it must be
    for a reset link to be sent to it)."""
    body = body or registration_body()
    created = api.post("/contractors", body)
    assert created.status == 201, created.body
    verified = api.post("/email/verify", {"token": link_token("verify-email.html", body["email"])})
    assert verified.status == 200, verified.body
    return created
