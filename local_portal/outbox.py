"""Every email sent through the emulated SES, newest first.

moto keeps sent messages in its SES backend (`sent_messages`), but for an SES v2 `send_email`
with Content.Simple it keeps only one body (the HTML one when both are given) and no time. So a
thin WSGI middleware in front of moto records each successful send's full content by MessageId,
and the outbox joins the two: moto decides what was sent, the record adds text, HTML and time.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import io
import json
import re
import threading
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

OutboxEntry = dict[str, Any]
_MESSAGE_ID = re.compile(rb"<MessageId>([^<]+)</MessageId>|\"MessageId\"\s*:\s*\"([^\"]+)\"")


@dataclass
class _Capture:
    to: list[str]
    cc: list[str]
    bcc: list[str]
    sender: str
    subject: str
    text: str | None
    html: str | None
    sent_at: str


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_send(path: str, body: bytes) -> _Capture | None:
    """The content of an SES v2 SendEmail (JSON) or v1 SendEmail (query form) request."""
    if path.rstrip("/").endswith("/v2/email/outbound-emails"):
        try:
            params = json.loads(body)
            simple = params["Content"]["Simple"]
        except (ValueError, KeyError, TypeError):
            return None
        destination = params.get("Destination") or {}
        message_body = simple.get("Body") or {}
        return _Capture(
            to=list(destination.get("ToAddresses") or []),
            cc=list(destination.get("CcAddresses") or []),
            bcc=list(destination.get("BccAddresses") or []),
            sender=str(params.get("FromEmailAddress", "")),
            subject=str((simple.get("Subject") or {}).get("Data", "")),
            text=(message_body.get("Text") or {}).get("Data"),
            html=(message_body.get("Html") or {}).get("Data"),
            sent_at=_now(),
        )
    form = {key: values[-1] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}
    if form.get("Action") != "SendEmail":
        return None

    def members(prefix: str) -> list[str]:
        return [value for key, value in sorted(form.items()) if key.startswith(f"Destination.{prefix}.member.")]

    return _Capture(
        to=members("ToAddresses"),
        cc=members("CcAddresses"),
        bcc=members("BccAddresses"),
        sender=form.get("Source", ""),
        subject=form.get("Message.Subject.Data", ""),
        text=form.get("Message.Body.Text.Data"),
        html=form.get("Message.Body.Html.Data"),
        sent_at=_now(),
    )


class SendRecorder:
    """WSGI middleware in front of moto that records successful SES sends by MessageId."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.captures: dict[str, _Capture] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or "/ses/" not in environ.get("HTTP_AUTHORIZATION", ""):
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        capture = _parse_send(environ.get("PATH_INFO", ""), body)
        if capture is None:
            return self.app(environ, start_response)
        status: list[str] = []

        def recording_start_response(status_line: str, headers: Any, exc_info: Any = None) -> Any:
            status.append(status_line)
            return start_response(status_line, headers, exc_info)

        chunks = list(self.app(environ, recording_start_response))
        match = _MESSAGE_ID.search(b"".join(chunks))
        if status and status[0].startswith("200") and match:
            message_id = (match.group(1) or match.group(2)).decode()
            with self._lock:
                self.captures[message_id] = capture
        return chunks

    def get(self, message_id: str) -> _Capture | None:
        with self._lock:
            return self.captures.get(message_id)


def _raw_entry(raw_data: str) -> dict[str, Any]:
    message = email.message_from_string(raw_data, policy=email.policy.default)
    text = html = None
    for part in message.walk():
        if part.get_content_maintype() == "multipart" or part.get_content_disposition() == "attachment":
            continue
        content = part.get_content() if hasattr(part, "get_content") else part.get_payload()
        if part.get_content_type() == "text/html" and html is None:
            html = str(content)
        elif part.get_content_type() == "text/plain" and text is None:
            text = str(content)
    return {
        "to": [str(address) for address in message.get_all("To", [])],
        "subject": str(message.get("Subject", "")),
        "text": text,
        "html": html,
    }


def _looks_like_html(body: str) -> bool:
    return bool(re.search(r"<(html|body|p|div|a|table|br)\b", body, re.IGNORECASE))


def read_local_outbox(recorder: SendRecorder | None) -> list[OutboxEntry]:
    """The outbox from the in-process moto's SES backend (what `sesv2` and `ses` both store)."""
    from moto.ses.models import ses_backends

    entries: list[OutboxEntry] = []
    for account_id, regions in list(ses_backends.items()):
        for region, backend in list(regions.items()):
            for message in list(backend.sent_messages):
                entry: OutboxEntry = {
                    "message_id": message.id,
                    "from": getattr(message, "source", ""),
                    "account_id": account_id,
                    "region": region,
                    "sent_at": None,
                    "_order": len(entries),
                }
                capture = recorder.get(message.id) if recorder else None
                if capture is not None:
                    entry.update(
                        to=capture.to,
                        cc=capture.cc,
                        bcc=capture.bcc,
                        subject=capture.subject,
                        text=capture.text,
                        html=capture.html,
                        sent_at=capture.sent_at,
                    )
                elif hasattr(message, "raw_data"):
                    entry.update(_raw_entry(message.raw_data))
                else:
                    entry.update(_entry_from_moto_message(_moto_message_fields(message)))
                entries.append(entry)
    return _newest_first(entries)


def _moto_message_fields(message: Any) -> dict[str, Any]:
    return {
        "destinations": getattr(message, "destinations", {}) or {},
        "subject": getattr(message, "subject", getattr(message, "template", "")),
        "body": getattr(message, "body", getattr(message, "template_data", "")),
    }


def _entry_from_moto_message(fields: dict[str, Any]) -> OutboxEntry:
    destinations = fields.get("destinations") or {}
    body = str(fields.get("body") or "")
    is_html = _looks_like_html(body)
    return {
        "to": list(destinations.get("ToAddresses", [])) if isinstance(destinations, dict) else destinations,
        "cc": list(destinations.get("CcAddresses", [])) if isinstance(destinations, dict) else [],
        "bcc": list(destinations.get("BccAddresses", [])) if isinstance(destinations, dict) else [],
        "subject": str(fields.get("subject") or ""),
        "text": None if is_html else body,
        "html": body if is_html else None,
    }


def read_remote_outbox(aws_endpoint: str) -> list[OutboxEntry]:
    """Best effort for an emulator in another process: moto's /moto-api/data.json model dump.

    That dump has what moto keeps (one body, no time), nothing more.
    """
    with urllib.request.urlopen(f"{aws_endpoint.rstrip('/')}/moto-api/data.json", timeout=5) as reply:  # noqa: S310
        data = json.load(reply)
    messages = data.get("ses", {}).get("Message", []) + data.get("ses", {}).get("RawMessage", [])
    entries: list[OutboxEntry] = []
    for index, message in enumerate(messages):
        entry: OutboxEntry = {"message_id": message.get("id"), "from": message.get("source"), "sent_at": None}
        if "raw_data" in message:
            entry.update(_raw_entry(message["raw_data"]))
        else:
            entry.update(_entry_from_moto_message(message))
        entry["_order"] = index
        entries.append(entry)
    return _newest_first(entries)


def _newest_first(entries: list[OutboxEntry]) -> list[OutboxEntry]:
    # moto appends in sending order, which is the one order every entry has.
    entries.sort(key=lambda entry: int(entry["_order"]), reverse=True)
    for entry in entries:
        del entry["_order"]
    return entries
