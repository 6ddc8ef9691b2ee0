"""The contractor's own account through the years, in headless Chromium against the local portal:
renewing workers' compensation, changing and confirming the email, changing the password, and
staff handing a claimed license back. axe-core checks every page on the way (and every page of
the client in one test at the end)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from playwright.sync_api import Browser, Page, expect

from local_portal import Stack
from tests.e2e.browser import (  # noqa: F401 - the same browser settings
    CHROMIUM_ARGS,
    DESKTOP,
    choose_first_question,
    expect_accessible,
    expect_dashboard_of,
    log_in,
    open_my_account,
    sign_in,
    url_of,
)
from tests.e2e.support import Contractor, emailed_link, future_date, http, make_passphrase

pytestmark = pytest.mark.e2e

Screenshot = Callable[..., Path]
SAVE_WORKERS_COMP = re.compile(r"^SAVE WORKERS. COMPENSATION$")


def expire_policy(stack: Stack, license_number: str) -> None:
    """Given data: the policy on file expired last month (the API refuses to enter an expired one)."""
    expired = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    boto3.client(
        "dynamodb",
        endpoint_url=stack.aws_endpoint,
        region_name="us-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).update_item(
        TableName="ContractorsTable",
        Key={"pk": {"S": f"CONTRACTOR#{license_number}"}, "sk": {"S": "PROFILE"}},
        UpdateExpression="SET workers_comp.expires_on = :expired, workers_comp_expires_on = :expired",
        ExpressionAttributeValues={":expired": {"S": expired}},
    )


# -- renewing workers' compensation ----------------------------------------------------------------


def test_given_an_expired_policy_when_the_contractor_enters_the_renewal_then_the_dashboard_says_valid(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor], screenshot: Screenshot
) -> None:
    contractor = register_via_api()
    expire_policy(stack, contractor.license_number)
    # Given the dashboard says the policy has expired, with a link to renew it
    sign_in(page, stack, contractor)
    expect(page.locator("#dash-wc-status")).to_have_text("Expired")
    renew = page.get_by_role("link", name="Renew your policy: enter the new one in My Account")
    expect(renew).to_be_visible()
    expect_accessible(page, "dashboard with an expired policy")
    screenshot(page, "dashboard-expired", at=page.locator("#wc-heading"))
    # When they follow it and enter the renewed policy
    renew.click()
    expect(page).to_have_url(url_of(stack, "account.html"))
    expect(page.locator("#wc-current")).to_contain_text("(expired)")
    page.locator("#wc_carrier").fill("State Fund")
    page.locator("#wc_policy_number").fill("WC-2027-777")
    page.locator("#wc_expires_on").fill(future_date(365))
    expect_accessible(page, "My Account")
    screenshot(page, "account", at=page.locator("#workers-comp"))
    page.get_by_role("button", name=SAVE_WORKERS_COMP).click()
    expect(page.locator("#notice")).to_contain_text("compensation is saved")
    # Then the dashboard says "Valid", with the new policy
    page.locator("header").get_by_role("link", name="Dashboard").click()
    expect(page.locator("#dash-wc-status")).to_have_text("Valid")
    expect(page.locator("#dash-wc-policy-number")).to_have_text("WC-2027-777")
    expect(page.locator("#renew-link")).to_be_hidden()


def test_given_the_wc_form_when_the_date_has_passed_then_the_reason_is_next_to_it(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    contractor = register_via_api()
    sign_in(page, stack, contractor)
    open_my_account(page, stack, contractor)
    page.locator("#wc_carrier").fill("State Fund")
    page.locator("#wc_policy_number").fill("WC-1")
    date_input = page.locator("#wc_expires_on")
    date_input.evaluate("(el) => el.removeAttribute('min')")
    date_input.fill("2020-01-01")
    page.get_by_role("button", name=SAVE_WORKERS_COMP).click()
    expect(page.locator("#wc_expires_on-error")).to_contain_text("expired")
    expect(page.locator("#error-summary")).to_be_visible()
    expect_accessible(page, "My Account with an error")


# -- changing the email ----------------------------------------------------------------------------


def test_given_a_new_email_when_the_link_from_the_outbox_is_opened_then_the_dashboard_shows_it_confirmed(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor], screenshot: Screenshot
) -> None:
    contractor = register_via_api()
    new_email = f"maria.new.{contractor.license_number}@example.com"
    sign_in(page, stack, contractor)
    open_my_account(page, stack, contractor)
    # When they enter a new email and their current password
    page.locator("#new_email").fill(new_email)
    page.locator("#email_current_password").fill(contractor.password)
    page.get_by_role("button", name="CHANGE EMAIL").click()
    # Then they are told a link went there, and the change waits for it
    expect(page.locator("#notice")).to_contain_text("We have sent a link to the new address")
    expect(page.locator("#pending-email-note")).to_contain_text(new_email)
    expect(page.locator("#current-email")).to_have_text(contractor.email)
    # And the old address got a notice without a link
    notice = next(email for email in stack.outbox() if contractor.email in email["to"])
    assert "#token=" not in (notice["text"] or "")
    # When they open the link from the outbox
    page.goto(emailed_link(stack, new_email, "verify-email.html"))
    # Then the page confirms the address, and the token left the address bar
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email")
    expect(page.locator("#verify-message")).to_have_text(f"Your email address {new_email} is confirmed.")
    assert "token" not in page.url
    expect_accessible(page, "Confirm Email")
    screenshot(page, "verify-email")
    # And the dashboard shows the new email, confirmed
    page.get_by_role("link", name="Go to your Dashboard").click()
    expect(page.locator("#dash-email")).to_have_text(new_email)
    expect(page.locator("#dash-email-status")).to_have_text("Confirmed")
    expect(page.locator("#resend-link")).to_be_hidden()


def test_given_an_unconfirmed_email_when_the_contractor_asks_again_then_a_new_link_works(
    page: Page, stack: Stack, new_license: Callable[[], str], screenshot: Screenshot
) -> None:
    from tests.e2e.support import registration_body, security_questions

    license_number = new_license()
    body = registration_body(license_number, make_passphrase(), security_questions(stack)[0])
    assert http(f"{stack.api_url}/contractors", "POST", body).status == 201
    contractor = Contractor(
        license_number, body["password"], body["business_name"], body["contact_name"], body["email"], "", ""
    )
    first = emailed_link(stack, contractor.email, "verify-email.html")
    sign_in(page, stack, contractor)
    # Given the dashboard shows the email as not confirmed, with a button to send the link again
    expect(page.locator("#dash-email-status")).to_have_text("Not confirmed")
    expect_accessible(page, "dashboard with an unconfirmed email")
    screenshot(page, "dashboard-unconfirmed-email")
    # When they select it
    page.get_by_role("button", name="Send the link again").click()
    expect(page.locator("#notice")).to_contain_text("new link")
    # Then only the new link works
    newest = emailed_link(stack, contractor.email, "verify-email.html")
    assert newest != first
    page.goto(first)
    expect(page.locator("#verify-invalid-message")).to_be_visible()
    expect_accessible(page, "Confirm Email, refused link")
    page.goto(newest)
    expect(page.locator("#verify-message")).to_contain_text("is confirmed")


# -- changing the password -------------------------------------------------------------------------


def test_given_two_browsers_when_the_password_is_changed_in_one_then_the_other_is_signed_out(
    page: Page, browser: Browser, stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    contractor = register_via_api()
    # Given the contractor is signed in on two browsers
    other_context = browser.new_context(viewport=DESKTOP, locale="en-US", timezone_id="America/Los_Angeles")
    other = other_context.new_page()
    try:
        sign_in(other, stack, contractor)
        sign_in(page, stack, contractor)
        # When they change the password in one
        open_my_account(page, stack, contractor)
        new_password = make_passphrase()
        page.locator("#password_current_password").fill(contractor.password)
        page.locator("#new_password").fill(new_password)
        page.locator("#new_password_confirm").fill(new_password)
        page.get_by_role("button", name="CHANGE PASSWORD").click()
        expect(page.locator("#notice")).to_contain_text("Your password is changed")
        # Then this browser stays signed in
        page.locator("header").get_by_role("link", name="Dashboard").click()
        expect_dashboard_of(page, stack, contractor.license_number, contractor.business_name)
        # And the other is signed out at its next step
        other.reload()
        expect(other).to_have_url(url_of(stack, "index.html"))
        expect(other.locator("#notice")).to_have_text("Your session has ended. Please log in again.")
        # And the new password signs in
        sign_in(other, stack, contractor, new_password)
    finally:
        other_context.close()


def test_given_a_wrong_current_password_when_changing_the_password_then_the_field_says_so(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    contractor = register_via_api()
    sign_in(page, stack, contractor)
    open_my_account(page, stack, contractor)
    new_password = make_passphrase()
    page.locator("#password_current_password").fill("not my password at all")
    page.locator("#new_password").fill(new_password)
    page.locator("#new_password_confirm").fill(new_password)
    page.get_by_role("button", name="CHANGE PASSWORD").click()
    expect(page.locator("#password_current_password-error")).to_contain_text("current password is not correct")
    expect(page.locator("#password_current_password")).to_have_attribute("aria-invalid", "true")
    expect_accessible(page, "My Account, wrong current password")


# -- staff hand a claimed license back -------------------------------------------------------------


def test_given_an_attacker_claimed_a_license_when_staff_hand_it_back_then_the_owner_sees_their_email(
    page: Page,
    stack: Stack,
    staff: Callable[[dict[str, Any]], dict[str, Any]],
    register_via_api: Callable[[], Contractor],
) -> None:
    # Given an attacker registered the owner's (public) license number with their own email
    attacker = register_via_api()
    owner_email = f"owner.{attacker.license_number}@realbuilders.example"
    # When the owner calls and staff correct the contact, then issue a temporary password
    updated = staff(
        {
            "action": "update_contact",
            "actor": "e2e staff",
            "license_number": attacker.license_number,
            "contact_name": "Maria Owner",
            "email": owner_email,
            "business_name": f"Real Builders {attacker.license_number}",
        }
    )
    assert updated["ok"] is True, updated
    issued = staff(
        {"action": "issue_temporary_password", "actor": "e2e staff", "license_number": attacker.license_number}
    )
    assert issued["ok"] is True, issued
    # Then the attacker's password no longer works
    refused = http(
        f"{stack.api_url}/sessions", "POST", {"license_number": attacker.license_number, "password": attacker.password}
    )
    assert refused.status == 401
    # When the owner logs in with the temporary password and completes SAVE AND LOGIN
    page.goto(f"{stack.web_url}/index.html")
    log_in(page, attacker.license_number, issued["temporary_password"])
    expect(page).to_have_url(url_of(stack, "first-login.html"))
    new_password = make_passphrase()
    page.locator("#new_password").fill(new_password)
    page.locator("#new_password_confirm").fill(new_password)
    choose_first_question(page)
    page.locator("#security_answer").fill("Elm Street")
    expect_accessible(page, "Reset Your Password (first login)")
    page.get_by_role("button", name="SAVE AND LOGIN").click()
    # Then the dashboard shows the owner's email, confirmed
    expect_dashboard_of(page, stack, attacker.license_number, f"Real Builders {attacker.license_number}")
    expect(page.locator("#dash-email")).to_have_text(owner_email)
    expect(page.locator("#dash-email-status")).to_have_text("Confirmed")


# -- every page ------------------------------------------------------------------------------------


def test_every_page_passes_axe(page: Page, stack: Stack, register_via_api: Callable[[], Contractor]) -> None:
    signed_out = [
        "index.html",
        "setup.html",
        "register.html",
        "forgot-password.html",
        "reset-password.html",
        "first-login.html",
        "verify-email.html",
        "outbox",
    ]
    for name in signed_out:
        page.goto(f"{stack.web_url}/{name}")
        page.wait_for_load_state("networkidle")
        expect_accessible(page, name)
    # The registration form with every field's error shown
    page.goto(f"{stack.web_url}/register.html")
    page.get_by_role("button", name="CREATE ACCOUNT").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect_accessible(page, "register.html with errors")
    # Signed in: the dashboard and My Account
    contractor = register_via_api()
    sign_in(page, stack, contractor)
    expect_accessible(page, "dashboard.html")
    open_my_account(page, stack, contractor)
    expect_accessible(page, "account.html")


# -- the reminder job, run locally -----------------------------------------------------------------


def test_given_the_local_portal_when_the_saved_reminder_event_is_invoked_then_the_job_runs(
    stack: Stack, lambda_client: Any, register_via_api: Callable[[], Contractor]
) -> None:
    import json

    from tests.e2e.support import REPO_ROOT_EVENTS

    contractor = register_via_api()
    # Given a policy that expires today (renewed through the API: registration allows today)
    token = http(
        f"{stack.api_url}/sessions",
        "POST",
        {"license_number": contractor.license_number, "password": contractor.password},
    ).json()["session"]["token"]
    today = dt.datetime.now(ZoneInfo("America/Los_Angeles")).date()
    policy = {"carrier": "State Fund", "policy_number": f"WC-{contractor.license_number}", "expires_on": str(today)}
    renewed = http(f"{stack.api_url}/me", "PATCH", {"workers_comp": policy}, token=token)
    assert renewed.status == 200, renewed
    # When the saved event is invoked on the local invoke endpoint, as staff or a developer would
    event = json.loads((REPO_ROOT_EVENTS / "reminders.json").read_text())
    response = lambda_client.invoke(FunctionName="ReminderFunction", Payload=json.dumps(event).encode())
    result = json.loads(response["Payload"].read())
    # Then the job ran for today
    assert result["ok"] is True, result
    assert result["today"] == str(today)
    # And the contractor got the expiry-day reminder, in the outbox
    reminder = next(email for email in stack.outbox() if contractor.email in email["to"])
    assert "expires today" in reminder["subject"]
