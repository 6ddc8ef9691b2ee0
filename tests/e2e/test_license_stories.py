"""The state board's license list as a contractor meets it (contract v3), in headless Chromium
against the local portal: the Dashboard shows the state record, and the registration page says
at once what a license number will meet. axe-core checks each changed page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from local_portal import Stack
from tests.e2e.browser import expect_dashboard_of, log_in
from tests.e2e.support import Contractor

pytestmark = pytest.mark.e2e
AXE = Axe()


def expect_accessible(page: Page, what: str) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def local_table(stack: Stack) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=stack.aws_endpoint,
        region_name="us-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def license_list(stack: Stack) -> Iterator[Callable[[str, dict[str, Any]], None]]:
    """Given data: the board's list as the import leaves it (a record, the list's item). Removed
    after the test: the stack is shared, and other stories register with no list loaded."""
    table = local_table(stack)
    written: list[dict[str, Any]] = []

    def load(license_number: str, record: dict[str, Any]) -> None:
        for item in (
            {"pk": f"LICENSE#{license_number}", "sk": "STATE", "license_number": license_number, **record},
            {"pk": "LICENSE_LIST", "sk": "STATE", "as_of": "2026-03-01"},
        ):
            table.put_item(TableName="ContractorsTable", Item={k: _wire(v) for k, v in item.items()})
            written.append({"pk": {"S": item["pk"]}, "sk": {"S": item["sk"]}})

    yield load
    for key in written:
        table.delete_item(TableName="ContractorsTable", Key=key)


def _wire(value: Any) -> dict[str, Any]:
    return {"L": [{"S": part} for part in value]} if isinstance(value, list) else {"S": str(value)}


def test_given_the_state_list_holds_the_license_when_the_contractor_opens_the_dashboard_then_it_shows_the_record(
    page: Page,
    stack: Stack,
    register_via_api: Callable[[], Contractor],
    license_list: Callable[[str, dict[str, Any]], None],
) -> None:
    # Given a contractor whose license the board's list has, active until next year
    contractor = register_via_api()
    expires = dt.date.today() + dt.timedelta(days=400)
    license_list(
        contractor.license_number,
        {
            "business_name": contractor.business_name.upper(),
            "primary_status": "CLEAR",
            "expires_on": expires.isoformat(),
            "classifications": ["B", "C-10"],
            "as_of": "2026-03-01",
        },
    )
    # When they log in
    page.goto(f"{stack.web_url}/index.html")
    log_in(page, contractor.license_number, contractor.password)
    expect_dashboard_of(page, stack, contractor.license_number, contractor.business_name)
    # Then the Dashboard shows the state record: status, expiry, classifications, as of
    record = page.locator("#dash-state-license")
    expect(record).to_be_visible()
    expect(page.locator("#dash-sl-status")).to_have_text("Active")
    expect(page.locator("#dash-sl-classifications")).to_have_text("B, C-10")
    expect(page.locator("#dash-sl-expires-on")).to_contain_text(str(expires.year))
    expect(page.locator("#dash-sl-as-of")).to_contain_text("2026")
    expect_accessible(page, "the Dashboard with the state record")


def test_given_a_registered_license_when_it_is_entered_on_the_registration_page_then_it_says_at_once_what_to_do(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor], new_license: Callable[[], str]
) -> None:
    # Given a license that has an account already
    contractor = register_via_api()
    page.goto(f"{stack.web_url}/register.html")
    # When it is entered and the contractor moves on to the next field
    page.get_by_label("License Number").fill(contractor.license_number)
    page.get_by_label("License Number").press("Tab")
    # Then the page says so at once: log in, or Forgot Password, or call staff
    check = page.locator("#license-check")
    expect(check).to_be_visible()
    expect(check).to_contain_text("An account already exists for this license number")
    expect(check).to_contain_text("(323) 848-6475")
    expect(check.get_by_role("link", name="Forgot Password")).to_have_attribute("href", "forgot-password.html")
    expect_accessible(page, "the registration page with the early license check")
    # And a license with no account says nothing
    page.get_by_label("License Number").fill(new_license())
    page.get_by_label("License Number").press("Tab")
    expect(check).to_be_hidden()
