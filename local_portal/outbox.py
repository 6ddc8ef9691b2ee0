"""Every email sent through the emulated SES, newest first.

moto keeps an SES v2 `send_email` with Content.Simple as one body (the HTML one when both are
given) and no time. So a thin WSGI middleware in front of moto records each send moto accepted,
whole: sender, recipients, subject, both bodies and the time. That is the only kind of email the
functions send (contractor_accounts/mail.py).
"""

from __future__ import annotations

import datetime
import io
import json
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

OutboxEntry = dict[str, Any]
_SEND_EMAIL_PATH = "/v2/email/outbound-emails"
_MESSAGE_ID = re.compile(rb"\"MessageId\"\s*:\s*\"([^\"]+)\"")


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_send(body: bytes) -> OutboxEntry | None:
    """The content of an SES v2 SendEmail request with Simple content."""
    try:
        params = json.loads(body)
        simple = params["Content"]["Simple"]
    except (ValueError, KeyError, TypeError):
        return None
    destination = params.get("Destination") or {}
    message_body = simple.get("Body") or {}
    return {
        "to": list(destination.get("ToAddresses") or []),
        "cc": list(destination.get("CcAddresses") or []),
        "bcc": list(destination.get("BccAddresses") or []),
        "from": str(params.get("FromEmailAddress", "")),
        "subject": str((simple.get("Subject") or {}).get("Data", "")),
        "text": (message_body.get("Text") or {}).get("Data"),
        "html": (message_body.get("Html") or {}).get("Data"),
        "sent_at": _now(),
    }


class SendRecorder:
    """WSGI middleware in front of moto that records the SES sends moto accepted."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self._sent: list[OutboxEntry] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        is_send = environ.get("PATH_INFO", "").rstrip("/").endswith(_SEND_EMAIL_PATH)
        if environ.get("REQUEST_METHOD") != "POST" or not is_send:
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        entry = _parse_send(body)
        if entry is None:
            return self.app(environ, start_response)
        status: list[str] = []

        def recording_start_response(status_line: str, headers: Any, exc_info: Any = None) -> Any:
            status.append(status_line)
            return start_response(status_line, headers, exc_info)

        chunks = list(self.app(environ, recording_start_response))
        match = _MESSAGE_ID.search(b"".join(chunks))
        if status and status[0].startswith("200") and match:
            entry["message_id"] = match.group(1).decode()
            with self._lock:
                self._sent.append(entry)
        return chunks

    def outbox(self) -> list[OutboxEntry]:
        """Newest first."""
        with self._lock:
            return [dict(entry) for entry in reversed(self._sent)]
