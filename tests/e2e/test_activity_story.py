"""My Account's Activity section and the notices, in headless Chromium against the local portal
(`make run`'s stack: the table's stream delivered to NoticeFunction as Lambda would): a
contractor signs in from a new browser, sees it on My Account in city time with the browser's
name, and the notice lands in the outbox; axe-core checks the section."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from local_portal import Stack
from tests.e2e.browser import expect_accessible, open_my_account, sign_in
from tests.e2e.support import Contractor

pytestmark = pytest.mark.e2e


def notice_in_outbox(stack: Stack, address: str, subject_end: str, timeout: float = 15.0) -> dict[str, Any]:
    """The notice NoticeFunction sent (it reads the stream after the request answered)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for email in stack.outbox():
            recipients = email["to"] if isinstance(email["to"], list) else [email["to"]]
            if address in recipients and str(email["subject"]).endswith(subject_end):
                return dict(email)
        time.sleep(0.25)
    raise AssertionError(f"no notice '{subject_end}' to {address} in the outbox")


def test_given_a_sign_in_from_a_new_browser_then_my_account_shows_it_and_the_notice_arrives(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    # Given a contractor with a confirmed address
    contractor = register_via_api()
    # When they sign in in this browser (no device token yet: a browser not seen before)
    sign_in(page, stack, contractor)
    open_my_account(page, stack, contractor.license_number)
    # Then My Account's Activity lists the sign-in first, by them, from Chrome, in city time
    section = page.get_by_role("region", name="Activity")
    expect(section.get_by_role("heading", name="Activity")).to_be_visible()
    first = section.locator("#activity-rows tr").first
    expect(first).to_contain_text("Signed in")
    expect(first).to_contain_text("You")
    expect(first).to_contain_text("Chrome on Linux")
    expect(first).to_contain_text(re.compile(r"P[SD]T"))
    expect(section.locator("#activity-rows tr")).to_have_count(3)  # signed in, email confirmed, set up
    expect(section.locator("#activity-failures")).to_have_text("No failed sign-ins since your last successful one.")
    expect_accessible(page, "My Account with its Activity")
    # And the notice of the new browser reached the verified address, naming the browser, no link
    notice = notice_in_outbox(stack, contractor.email, "a sign-in from a new browser")
    assert "Browser: Chrome on Linux" in notice["text"]
    assert "Forgot Password" in notice["text"]
    assert "http" not in notice["text"]
