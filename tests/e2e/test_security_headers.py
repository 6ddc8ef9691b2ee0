"""In Chromium, every page works under the web server's Content-Security-Policy (no
'unsafe-inline'): no violation is reported, and each page's own script runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from local_portal import Stack

pytestmark = pytest.mark.e2e

PAGES = sorted(path.name for path in (Path(__file__).resolve().parents[2] / "web").glob("*.html"))


@pytest.mark.parametrize("name", [*PAGES, "outbox"])
def test_given_the_security_headers_when_each_page_opens_then_nothing_is_blocked(
    page: Page, stack: Stack, name: str
) -> None:
    # Given the page's own report of CSP violations, and the browser's console
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (event) => window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));"
    )
    console: list[str] = []
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # When the page opens (as the server sends it, headers included)
    reply = page.goto(f"{stack.web_url}/{name}")
    assert reply is not None
    assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
    expect(page.locator("h1").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    # Then nothing was blocked and no script failed
    assert page.evaluate("window.__violations") == []
    assert [text for text in console if "Content Security Policy" in text] == []
    assert errors == []
    # And the page's stylesheet applied (a blocked one would leave the default margins)
    assert page.evaluate("getComputedStyle(document.body).marginTop") != "8px"
