"""The web client's security headers from the local web server (checklist: issue 9), and the
same for the static host as docs/web-client.md writes them down."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from werkzeug.test import Client

from local_portal.web import CONTENT_SECURITY_POLICY, WebClient

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
PAGES = sorted(path.name for path in WEB.glob("*.html"))
OUTBOX = [
    {
        "message_id": "m1",
        "to": ["pat@example.com"],
        "from": "no-reply@permits.example.gov",
        "subject": "Reset",
        "text": "Open https://example.gov/reset#token=x",
        "html": '<p style="color: red">Link</p>',
        "sent_at": "2026-11-26T18:00:00Z",
    }
]


def client() -> Client:
    return Client(WebClient(WEB, api_port=3000, api_host="127.0.0.1", outbox=lambda: OUTBOX))


def directives(policy: str) -> dict[str, list[str]]:
    parts = (directive.split() for directive in policy.split(";") if directive.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("path", [*(f"/{page}" for page in PAGES), "/", "/api.js", "/config.js", "/outbox", "/nope"])
def test_every_response_carries_the_security_headers(path: str) -> None:
    reply = client().get(path, base_url="http://127.0.0.1:8080")
    policy = directives(reply.headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in reply.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in reply.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'", "http://127.0.0.1:3000"]
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    # And no HSTS over plain HTTP
    assert "Strict-Transport-Security" not in reply.headers


def test_hsts_only_over_https() -> None:
    reply = client().get("/", base_url="https://permits.example.gov")
    assert reply.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(reply.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 31_536_000


class _InlineCode(HTMLParser):
    """Finds what a CSP without 'unsafe-inline' would block: script or style text in the page,
    style attributes, event-handler attributes and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self._open = "script"
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{tag}[{name}]" for name in names if name == "style" or name.startswith("on")]
        self.found += [
            f"{tag}[{name}]" for name, value in attrs if (value or "").strip().lower().startswith("javascript:")
        ]

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "script" and data.strip():
            self.found.append("<script> text")


@pytest.mark.parametrize("path", [*(f"/{page}" for page in PAGES), "/outbox"])
def test_no_page_has_inline_script_or_style(path: str) -> None:
    parser = _InlineCode()
    page = client().get(path).get_data(as_text=True)
    parser.feed(page)
    assert parser.found == [], path


def test_an_email_preview_is_styled_inline_but_runs_nothing() -> None:
    # The outbox shows each email in a sandboxed frame of its own, as a mail client would
    reply = client().get("/outbox/m1.html")
    policy = directives(reply.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]  # no script, no connection, nothing loaded
    assert "script-src" not in policy
    assert policy["style-src"] == ["'unsafe-inline'"]
    assert reply.get_data(as_text=True).endswith('<p style="color: red">Link</p>')
    page = client().get("/outbox").get_data(as_text=True)
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox" src="/outbox/m1.html"' in page
    assert client().get("/outbox/nope.html").status_code == 404


def test_the_static_hosts_headers_in_the_docs_are_the_local_servers() -> None:
    # docs/web-client.md gives the CloudFront response headers policy; its CSP must be this one
    doc = (ROOT / "docs" / "web-client.md").read_text(encoding="utf-8")
    documented = re.search(r"ContentSecurityPolicy: \"([^\"]+)\"", doc)
    assert documented, "docs/web-client.md has no ContentSecurityPolicy"
    expected = directives(CONTENT_SECURITY_POLICY.format(api_origin="https://API_ID.execute-api.REGION.amazonaws.com"))
    assert directives(documented.group(1)) == expected
    for required in (
        "ContentTypeOptions",
        "ReferrerPolicy: no-referrer",
        "FrameOption: DENY",
        "StrictTransportSecurity",
    ):
        assert required in doc, required
