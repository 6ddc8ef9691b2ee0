"""The web client's static files, its config.js pointed at the local API, and the email outbox,
with the security headers a static host must send (docs/web-client.md gives them for CloudFront)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from werkzeug.exceptions import NotFound
from werkzeug.utils import send_from_directory
from werkzeug.wrappers import Request, Response

from local_portal.outbox import OutboxEntry

_OUTBOX_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Outbox ({count}) - local portal</title>
<link rel="stylesheet" href="/outbox.css">
</head>
<body>
<main>
<h1>Outbox</h1>
<p>Every email sent through the local SES, newest first ({count}).
Also as <a href="/outbox.json">JSON</a>. Reload to see new ones.</p>
{messages}
</main>
</body>
</html>
"""

# A file, not a <style> element: the Content-Security-Policy has no 'unsafe-inline'.
_OUTBOX_CSS = """body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
article { border: 1px solid #ccc; border-radius: 6px; margin: 1.5rem 0; padding: 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
dt { font-weight: 600; }
iframe { border: 1px solid #ddd; width: 100%; height: 24rem; }
pre { background: #f6f6f6; padding: .75rem; white-space: pre-wrap; }
"""

# For every page (docs/web-client.md gives the same for the static host): scripts, styles and
# images only from the page's own origin, never inline; requests only to itself and the API; no
# framing (clickjacking), no <base>, no native form posts, no plugins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' {api_origin}; base-uri 'none'; form-action 'none'; object-src 'none'; "
    "frame-ancestors 'none'"
)
HSTS = "max-age=63072000; includeSubDomains"
# An email preview in the outbox (local only): emails are styled inline, as mail clients expect;
# nothing else loads and no script runs (the frame is sandboxed too).
EMAIL_PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)
_EMAIL_PREVIEW: Final = re.compile(r"^/outbox/([^/]+)\.html$")


def security_headers(api_origin: str, https: bool) -> dict[str, str]:
    """The headers every response of the web client carries; HSTS only over HTTPS (a browser
    ignores it over HTTP, and locally there is no HTTPS to pin)."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY.format(api_origin=api_origin),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP level 2
    }
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


_MESSAGE = """<article class="email" data-message-id="{message_id}">
<h2 class="subject">{subject}</h2>
<dl>
<dt>To</dt><dd class="to">{to}</dd>
<dt>From</dt><dd class="from">{sender}</dd>
<dt>Sent</dt><dd class="sent-at"><time>{sent_at}</time></dd>
</dl>
{html_part}
{text_part}
</article>
"""


_BASE_TARGET = '<base target="_blank">'
_URL = re.compile(r"https?://[^\s<>\"']+")


def _linkified(text: str) -> str:
    """Escaped text whose URLs are links."""
    parts, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0)
        parts += [html.escape(text[last : match.start()]), f'<a href="{html.escape(url)}">{html.escape(url)}</a>']
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def _addresses(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def render_outbox(entries: list[OutboxEntry]) -> str:
    messages = []
    for entry in entries:
        html_part = text_part = ""
        if entry.get("html"):
            # Its own document (/outbox/<message id>.html, with the email's own policy) in a sandbox
            # without scripts: the email renders as a mail client shows it but cannot act on this
            # page; its links open in a new tab (a reset link is meant to be clicked).
            source = f"/outbox/{quote(str(entry.get('message_id') or ''))}.html"
            title = html.escape(str(entry.get("subject") or "email"))
            html_part = (
                '<h3>HTML</h3><iframe class="html-body" sandbox="allow-popups allow-popups-to-escape-sandbox" '
                f'src="{source}" title="{title}"></iframe>'
            )
        if entry.get("text"):
            text_part = f'<h3>Text</h3><pre class="text-body">{_linkified(entry["text"])}</pre>'
        messages.append(
            _MESSAGE.format(
                message_id=html.escape(str(entry.get("message_id") or "")),
                subject=html.escape(str(entry.get("subject") or "(no subject)")),
                to=html.escape(_addresses(entry.get("to"))),
                sender=html.escape(str(entry.get("from") or "")),
                sent_at=html.escape(str(entry.get("sent_at") or "")),
                html_part=html_part,
                text_part=text_part,
            )
        )
    return _OUTBOX_PAGE.format(count=len(entries), messages="\n".join(messages) or "<p>No email yet.</p>")


class WebClient:
    """Serves web/ as is, except /config.js (the local API's URL), /outbox and /outbox.json."""

    def __init__(
        self,
        web_dir: Path,
        api_port: int,
        api_host: str,
        outbox: Callable[[], list[OutboxEntry]],
        branding: Mapping[str, str] | None = None,
    ):
        self.web_dir = web_dir
        self.api_port = api_port
        self.api_host = api_host
        self.outbox = outbox
        # portalName / staffPhone for the pages, from the same parameters the functions get.
        self.branding = dict(branding or {})

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.handle(request)
        # A development server: always the current files.
        response.headers["Cache-Control"] = "no-store"
        for name, value in security_headers(self.api_origin(request), https=request.scheme == "https").items():
            response.headers.setdefault(name, value)  # an email preview keeps its own policy
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        path = request.path
        if path == "/config.js":
            return self.config_js(request)
        if path == "/outbox.json":
            return Response(json.dumps(self.outbox(), indent=2), content_type="application/json")
        if path in ("/outbox", "/outbox/"):
            return Response(render_outbox(self.outbox()), content_type="text/html; charset=utf-8")
        preview = _EMAIL_PREVIEW.match(path)
        if preview:
            return self.email_preview(preview.group(1))
        if path == "/outbox.css":
            return Response(_OUTBOX_CSS, content_type="text/css; charset=utf-8")
        relative = path.lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        try:
            return send_from_directory(self.web_dir, relative, request.environ, max_age=0)
        except NotFound:
            return Response("Not found\n", status=404, content_type="text/plain")

    def email_preview(self, message_id: str) -> Response:
        found = [entry for entry in self.outbox() if str(entry.get("message_id")) == message_id and entry.get("html")]
        if not found:
            return Response("Not found\n", status=404, content_type="text/plain")
        response = Response(_BASE_TARGET + found[0]["html"], content_type="text/html; charset=utf-8")
        response.headers["Content-Security-Policy"] = EMAIL_PREVIEW_POLICY
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def api_origin(self, request: Request) -> str:
        # Same host name as the page (127.0.0.1 or localhost), so the API is as same-site as deployed.
        hostname = request.host.rsplit(":", 1)[0] if request.host else self.api_host
        if hostname not in ("127.0.0.1", "localhost", "[::1]"):
            hostname = self.api_host
        return f"http://{hostname}:{self.api_port}"

    def config_js(self, request: Request) -> Response:
        api_url = self.api_origin(request)
        original = self.web_dir / "config.js"
        script = original.read_text(encoding="utf-8") + "\n" if original.is_file() else ""
        # Keep whatever else the shipped config sets; only the API's URL is the local one.
        script += (
            "window.PORTAL_CONFIG = Object.assign({}, window.PORTAL_CONFIG, "
            f"{json.dumps({**self.branding, 'apiBaseUrl': api_url})});\n"
        )
        return Response(script, content_type="text/javascript; charset=utf-8")
