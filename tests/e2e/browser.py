"""The browser of the end-to-end tests: headless Chromium's settings and what a contractor does
and sees in it, shared by the browser stories."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from local_portal import Stack
from tests.e2e.support import Contractor

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


def url_of(stack: Stack, page_name: str) -> re.Pattern[str]:
    """The address bar showing that page of the web client (nothing after it but a query/fragment)."""
    return re.compile(re.escape(f"{stack.web_url}/{page_name}") + r"([?#].*)?$")


def log_in(page: Page, license_number: str, password: str) -> None:
    page.locator("#license_number").fill(license_number)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="LOG IN").click()


def expect_dashboard_of(page: Page, stack: Stack, license_number: str, business_name: str) -> None:
    expect(page).to_have_url(url_of(stack, "dashboard.html"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    # The guide: "your username should appear on the top, right hand corner".
    expect(page.locator("#signed-in-user")).to_have_text(license_number)
    expect(page.locator("header")).to_contain_text(f"Signed in as {license_number}")
    expect(page.locator("#dash-license-number")).to_have_text(license_number)
    expect(page.locator("#dash-business-name")).to_have_text(business_name)


def choose_first_question(page: Page) -> str:
    select = page.locator("#security_question")
    # The questions come from GET /security-questions; wait until they are there.
    expect(select.locator("option")).not_to_have_count(1)
    expect(select).to_be_enabled()
    question = select.locator("option").nth(1).inner_text()
    select.select_option(label=question)
    return question


AXE = Axe()


def expect_accessible(page: Page, what: str) -> None:
    """axe-core (WCAG rules) finds no violation on the page as it is now."""
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def sign_in(page: Page, stack: Stack, contractor: Contractor, password: str | None = None) -> None:
    page.goto(f"{stack.web_url}/index.html")
    log_in(page, contractor.license_number, password or contractor.password)
    expect_dashboard_of(page, stack, contractor.license_number, contractor.business_name)


def open_my_account(page: Page, stack: Stack, contractor: Contractor) -> None:
    # The guide's username top right opens the contractor's own account
    page.locator("header").get_by_role("link", name=f"Signed in as {contractor.license_number}").click()
    expect(page).to_have_url(url_of(stack, "account.html"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My Account")
    expect(page.locator("#account-license")).to_have_text(contractor.license_number)
