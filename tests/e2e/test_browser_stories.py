"""The user's guide, story by story, in headless Chromium against the local portal.

Each test asserts what the contractor sees (headings, messages, the license number top right,
the address bar), not how the pages work inside.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from local_portal import Stack
from tests.e2e.browser import choose_first_question, expect_dashboard_of, log_in, url_of
from tests.e2e.support import Contractor, future_date, http, wait_for_email

pytestmark = pytest.mark.e2e

Screenshot = Callable[..., Path]
RESET_LINK = re.compile(r"https?://[^\s\"'<>]+/reset-password\.html#token=[^\s\"'<>]+")


def fill_registration(page: Page, license_number: str, password: str, business_name: str) -> None:
    page.locator("#license_number").fill(license_number)
    page.locator("#password").fill(password)
    page.locator("#password_confirm").fill(password)
    choose_first_question(page)
    page.locator("#security_answer").fill("Biscuit the beagle")
    page.locator("#business_name").fill(business_name)
    page.locator("#contact_name").fill("Maria Lopez")
    page.locator("#email").fill(f"maria.{license_number}@sunsetbuilders.example")
    page.locator("#phone").fill("323-555-0100")
    page.locator("#street").fill("8300 Santa Monica Blvd")
    page.locator("#city").fill("West Hollywood")
    page.locator("#state").fill("CA")
    page.locator("#postal_code").fill("90069")
    expect(page.locator("#wc_exempt")).not_to_be_checked()
    page.locator("#wc_carrier").fill("State Fund")
    page.locator("#wc_policy_number").fill("WC-123456")
    page.locator("#wc_expires_on").fill(future_date(400))


def stored_session_token(page: Page) -> str:
    """The bearer token the tab holds (only to prove the server ended it after Sign Out)."""
    token: str = page.evaluate("() => JSON.parse(sessionStorage.getItem('portal.session') || '{}').token || ''")
    return token


def stored_device_token(page: Page, license_number: str) -> str:
    """The device token this browser keeps for the license number (localStorage: it outlives the tab)."""
    token: str = page.evaluate("(license) => localStorage.getItem('portal.device.' + license) || ''", license_number)
    return token


def assert_fits_the_width(page: Page) -> None:
    """No horizontal scroll, and no visible element sticking out to the right, at the device's width.

    A mobile browser widens its layout viewport to fit wide content (and zooms out), so the
    measure is the device width the context was opened with, not window.innerWidth.
    """
    assert page.viewport_size is not None
    width = page.viewport_size["width"]
    sizes: dict[str, Any] = page.evaluate(
        """(width) => ({
            device: width,
            layout: window.innerWidth,
            scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
            wide: [...document.querySelectorAll('body *')]
                .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > width + 0.5)
                .slice(0, 5)
                .map((el) => el.tagName + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '')),
        })""",
        width,
    )
    assert sizes["layout"] == width, sizes
    assert sizes["scroll"] <= width, sizes
    assert not sizes["wide"], sizes


# -- a) a new contractor ------------------------------------------------------------------------


def test_given_a_new_contractor_when_they_set_up_an_account_then_they_land_on_their_dashboard_and_can_sign_out(
    page: Page, stack: Stack, new_license: Callable[[], str], new_passphrase: Callable[[], str], screenshot: Screenshot
) -> None:
    license_number = new_license()
    password = new_passphrase()
    business_name = f"Sunset Builders {license_number} Inc"

    # Given the city's eTRAKIT log-in page
    page.goto(f"{stack.web_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log In")
    expect(page.locator("#login_as")).to_have_value("contractor")
    screenshot(page, "login")

    # When the contractor selects "Setup an Account"
    page.get_by_role("link", name="Setup an Account").click()
    # Then the account setup page offers CONTRACTOR REGISTRATION
    expect(page).to_have_url(url_of(stack, "setup.html"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Setup an Account")
    screenshot(page, "setup")
    page.get_by_role("link", name="CONTRACTOR REGISTRATION").click()

    # And "Create New Contractor Account" asks for every field, marked with "*"
    expect(page).to_have_url(url_of(stack, "register.html"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create New Contractor Account")
    expect(page.locator("main")).to_contain_text("Please enter all information preceded with an asterisk")
    fill_registration(page, license_number, password, business_name)
    screenshot(page, "register")
    screenshot(page, "register-filled", at=page.locator("#wc-fieldset"))

    # When they select CREATE ACCOUNT
    page.get_by_role("button", name="CREATE ACCOUNT").click()

    # Then a confirmation screen says the account exists, with the license number as username
    expect(page.get_by_role("heading", name="Your account has been created")).to_be_visible()
    expect(page.locator("#confirmation")).to_contain_text(license_number)
    expect(page.get_by_role("heading", name="Create New Contractor Account")).to_be_hidden()
    expect(page.locator("#signed-in-user")).to_have_text(license_number)
    screenshot(page, "confirmation")

    # When they select CONTINUE
    page.get_by_role("button", name="CONTINUE").click()

    # Then their Dashboard shows the license number top right and the business name
    expect_dashboard_of(page, stack, license_number, business_name)
    expect(page.locator("#dash-wc-status")).to_have_text("Valid")
    expect(page.locator("#dash-wc-carrier")).to_have_text("State Fund")
    screenshot(page, "dashboard")
    token = stored_session_token(page)
    assert token, "the tab holds no session after registration"

    # When they select "Sign Out"
    page.get_by_role("button", name="Sign Out").click()

    # Then they are back on the log-in page, told they signed out, with no name top right
    expect(page).to_have_url(url_of(stack, "index.html"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log In")
    expect(page.locator("#notice")).to_have_text("You have signed out.")
    expect(page.locator("#signed-in-user")).to_have_count(0)
    # And the session is over on the server too: /me refuses the old token
    me = http(f"{stack.api_url}/me", token=token)
    assert me.status == 401, me
    assert me.json()["error"] == "unauthorized"
    # And the Dashboard is no longer reachable in this tab
    page.goto(f"{stack.web_url}/dashboard.html")
    expect(page).to_have_url(url_of(stack, "index.html"))
    expect(page.locator("#notice")).to_have_text("Please log in to see your Dashboard.")


def test_given_the_registration_form_when_the_password_is_too_short_or_refused_then_the_reason_is_next_to_it(
    page: Page, stack: Stack, new_license: Callable[[], str], new_passphrase: Callable[[], str]
) -> None:
    license_number = new_license()
    business_name = f"Short Password Roofing {license_number}"
    page.goto(f"{stack.web_url}/register.html")
    fill_registration(page, license_number, new_passphrase(), business_name)
    password_error = page.locator("#password-error")

    # Given a password of 9 characters
    page.locator("#password").fill("sunset 12")
    page.locator("#password_confirm").fill("sunset 12")
    # When CREATE ACCOUNT is selected
    page.get_by_role("button", name="CREATE ACCOUNT").click()
    # Then the page says next to the password that it needs 15 characters, and nothing is created
    expect(password_error).to_be_visible()
    expect(password_error).to_contain_text("at least 15 characters")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_role("heading", name="Your account has been created")).to_be_hidden()

    # Given a password long enough for the page but that the API refuses (it holds the license number)
    refused = f"my license is {license_number}"
    page.locator("#password").fill(refused)
    page.locator("#password_confirm").fill(refused)
    # When CREATE ACCOUNT is selected
    with page.expect_response(lambda r: r.url.endswith("/contractors") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="CREATE ACCOUNT").click()
    api_answer = answer.value
    assert api_answer.status == 422
    api_message = api_answer.json()["fields"]["password"]

    # Then the API's own reason is shown next to the password field, and the summary links to it
    expect(password_error).to_be_visible()
    expect(password_error).to_have_text(f"Error: {api_message}")
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-summary")).to_contain_text(api_message)
    expect(page.get_by_role("heading", name="Create New Contractor Account")).to_be_visible()
    # And no account exists for that license
    login = http(f"{stack.api_url}/sessions", "POST", {"license_number": license_number, "password": refused})
    assert login.status == 401


# -- b) a returning contractor ------------------------------------------------------------------


def test_given_a_returning_contractor_with_a_temporary_password_when_they_log_in_then_they_set_a_new_one(
    page: Page,
    stack: Stack,
    staff: Callable[[dict[str, Any]], dict[str, Any]],
    new_license: Callable[[], str],
    new_passphrase: Callable[[], str],
    screenshot: Screenshot,
) -> None:
    license_number = new_license()
    business_name = f"Old Town Masonry {license_number}"

    # Given staff imported the contractor and, on the phone, issued a temporary password
    imported = staff(
        {
            "action": "import_contractors",
            "actor": "e2e staff",
            "contractors": [
                {
                    "license_number": f"{license_number[:3]}-{license_number[3:]}",
                    "business_name": business_name,
                    "contact_name": "Sam Lee",
                    "email": f"sam.{license_number}@oldtown.example",
                }
            ],
        }
    )
    assert imported["ok"] is True, imported
    assert imported["imported"] == 1, imported
    issued = staff({"action": "issue_temporary_password", "actor": "e2e staff", "license_number": license_number})
    assert issued["ok"] is True, issued
    temporary_password = issued["temporary_password"]

    # When they log in as Contractor with the license number and the temporary password
    page.goto(f"{stack.web_url}/index.html")
    expect(page.locator("#login_as")).to_have_value("contractor")
    log_in(page, license_number, temporary_password)

    # Then they are on the reset login page, their license number shown
    expect(page).to_have_url(url_of(stack, "first-login.html"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset Your Password")
    expect(page.locator("#license_number")).to_have_value(license_number)
    expect(page.locator("#signed-in-user")).to_have_count(0)

    # When they enter a new password, a security question and an answer
    new_password = new_passphrase()
    page.locator("#new_password").fill(new_password)
    page.locator("#new_password_confirm").fill(new_password)
    choose_first_question(page)
    page.locator("#security_answer").fill("Elm Street")
    screenshot(page, "first-login")
    # And select SAVE AND LOGIN
    page.get_by_role("button", name="SAVE AND LOGIN").click()

    # Then they are logged into their Dashboard with their username top right
    expect_dashboard_of(page, stack, license_number, business_name)
    # And this browser is now the account's trusted device (contract v2)
    assert stored_device_token(page, license_number), "SAVE AND LOGIN left no device token"
    # And the temporary password no longer works, the new one does
    old = http(f"{stack.api_url}/sessions", "POST", {"license_number": license_number, "password": temporary_password})
    assert old.status == 401, old
    new = http(f"{stack.api_url}/sessions", "POST", {"license_number": license_number, "password": new_password})
    assert new.status == 200, new
    assert "session" in new.json(), new


# -- c) forgot password ---------------------------------------------------------------------------


def test_given_a_contractor_who_forgot_the_password_when_they_follow_the_emailed_link_then_they_reset_it(
    page: Page,
    stack: Stack,
    register_via_api: Callable[[], Contractor],
    new_passphrase: Callable[[], str],
    screenshot: Screenshot,
) -> None:
    # Given a registered contractor on the log-in page
    contractor = register_via_api()
    page.goto(f"{stack.web_url}/index.html")

    # When they select "Forgot Password" at the top right of the page
    page.locator("header").get_by_role("link", name="Forgot Password").click()
    expect(page).to_have_url(url_of(stack, "forgot-password.html"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot Password")
    # And enter their contractor's license
    page.locator("#license_number").fill(contractor.license_number)
    page.get_by_role("button", name="SUBMIT").click()

    # Then they are told an email is on its way
    message = page.locator("#forgot-message")
    expect(message).to_be_visible()
    expect(message).not_to_be_empty()
    expect(page.locator("#license_number")).to_be_hidden()
    screenshot(page, "forgot-password")

    # And the email in their inbox (sent by the reset mailer from the queue) holds a reset link
    email = wait_for_email(stack, contractor.email, RESET_LINK)
    links = RESET_LINK.findall(email["text"] or "") + RESET_LINK.findall(email["html"] or "")
    assert links, email
    link = links[0]
    assert link.startswith(f"{stack.web_url}/reset-password.html#token="), link
    assert "?" not in link, "the reset token must travel in the fragment, never the query"

    # When they open the link
    page.goto(link)

    # Then the page asks their security question, and the token is gone from the address bar
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset Password")
    expect(page.locator("#security-question-text")).to_have_text(contractor.security_question)
    expect(page).to_have_url(url_of(stack, "reset-password.html"))
    assert "token" not in page.url

    # When they answer it (capitals and spaces do not matter) and choose a new password
    new_password = new_passphrase()
    page.locator("#security_answer").fill(f"  {contractor.security_answer.upper()} ")
    page.locator("#new_password").fill(new_password)
    page.locator("#new_password_confirm").fill(new_password)
    screenshot(page, "reset-password")
    page.get_by_role("button", name="RESET PASSWORD").click()

    # Then the password is reset and they are offered to log in
    expect(page.locator("#reset-message")).to_be_visible()
    expect(page.locator("#reset-message")).not_to_be_empty()
    page.get_by_role("link", name="LOG IN").click()

    # When they log in with the new password
    expect(page).to_have_url(url_of(stack, "index.html"))
    log_in(page, contractor.license_number, new_password)

    # Then they are on their Dashboard
    expect_dashboard_of(page, stack, contractor.license_number, contractor.business_name)
    # And the old password no longer works
    old = http(
        f"{stack.api_url}/sessions",
        "POST",
        {"license_number": contractor.license_number, "password": contractor.password},
    )
    assert old.status == 401, old

    # And the local outbox page lists the email by its subject
    page.goto(f"{stack.web_url}/outbox")
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    to_them = page.locator("article.email").filter(has=page.locator(".to", has_text=contractor.email))
    reset_email = to_them.filter(has=page.locator(".subject", has_text=email["subject"]))
    expect(reset_email).to_have_count(1)
    screenshot(page, "outbox", at=reset_email)


# -- d) a phone ---------------------------------------------------------------------------------


def test_given_a_phone_when_the_log_in_and_registration_pages_open_then_nothing_scrolls_sideways(
    phone_page: Page, stack: Stack, screenshot: Screenshot
) -> None:
    page = phone_page
    # Given a 375 px wide phone on the log-in page
    page.goto(f"{stack.web_url}/index.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log In")
    # Then the page fits the width
    assert_fits_the_width(page)
    screenshot(page, "login-phone")

    # Given the registration form
    page.goto(f"{stack.web_url}/register.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create New Contractor Account")
    expect(page.locator("#security_question")).to_be_enabled()
    # Then it fits the width
    assert_fits_the_width(page)
    # And still fits with every field's error message shown
    page.get_by_role("button", name="CREATE ACCOUNT").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#wc_expires_on-error")).to_be_visible()
    assert_fits_the_width(page)


def test_given_a_phone_and_only_a_keyboard_when_a_contractor_logs_in_then_the_dashboard_opens(
    phone_page: Page, stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    page = phone_page
    contractor = register_via_api()
    page.goto(f"{stack.web_url}/index.html")
    expect(page.locator("#login_as")).to_be_visible()

    def focused() -> str:
        label: str = page.evaluate(
            "() => { const el = document.activeElement; return el.id || el.textContent.trim(); }"
        )
        return label

    # Given only the keyboard: the first Tab reaches "Skip to main content"
    page.keyboard.press("Tab")
    assert focused() == "Skip to main content"
    # When they Tab on to the license number (through the header and "Log in as")
    seen = []
    for _ in range(10):
        page.keyboard.press("Tab")
        seen.append(focused())
        if seen[-1] == "license_number":
            break
    assert seen[-1] == "license_number", seen
    assert "login_as" in seen, seen
    # And type it, Tab to the password, type it and press Enter
    page.keyboard.type(contractor.license_number)
    page.keyboard.press("Tab")
    assert focused() == "password"
    page.keyboard.type(contractor.password)
    page.keyboard.press("Enter")

    # Then the Dashboard opens with their license number top right
    expect_dashboard_of(page, stack, contractor.license_number, contractor.business_name)


# -- d) a trusted browser ------------------------------------------------------------------------


def test_given_a_browser_that_signed_in_before_when_the_contractor_logs_in_again_then_it_sends_its_device_token(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    contractor = register_via_api()
    # Given the contractor logged in from this browser once, and signed out
    page.goto(f"{stack.web_url}/index.html")
    log_in(page, contractor.license_number, contractor.password)
    expect_dashboard_of(page, stack, contractor.license_number, contractor.business_name)
    kept = stored_device_token(page, contractor.license_number)
    assert kept, "no device token kept after logging in"
    page.get_by_role("button", name="Sign Out").click()
    expect(page).to_have_url(url_of(stack, "index.html"))
    # And a stranger who knows the public license number has been guessing (the lock itself,
    # which lasts a second here, is the handler tests' business: tests/handlers/test_attacks.py)
    for _ in range(5):
        wrong = {"license_number": contractor.license_number, "password": "a stranger's guess here"}
        assert http(f"{stack.api_url}/sessions", "POST", wrong).status == 401

    # When the contractor logs in again from this browser (typed with a hyphen, as printed)
    with page.expect_request(lambda request: request.url.endswith("/sessions") and request.method == "POST") as sent:
        log_in(page, f"{contractor.license_number[:3]}-{contractor.license_number[3:]}", contractor.password)

    # Then the browser sent the device token it keeps, and the Dashboard opens
    assert sent.value.post_data_json["device_token"] == kept
    expect_dashboard_of(page, stack, contractor.license_number, contractor.business_name)
    assert stored_device_token(page, contractor.license_number) == kept


# -- e) an address that cannot receive mail ---------------------------------------------------------


def test_given_the_contractors_address_bounced_when_they_open_the_dashboard_then_they_are_asked_to_change_it(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    # Given a contractor whose address SES reported as bouncing (the event SNS hands the EmailEvents function)
    contractor = register_via_api()
    ses_event = {
        "eventType": "Bounce",
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": contractor.email}]},
        "mail": {"destination": [contractor.email], "tags": {"license_number": [contractor.license_number]}},
    }
    result = stack.invoke("EmailEventsFunction", {"Records": [{"Sns": {"Message": json.dumps(ses_event)}}]})
    assert result == {"marked": 1}
    # When they log in
    page.goto(f"{stack.web_url}/index.html")
    log_in(page, contractor.license_number, contractor.password)
    expect_dashboard_of(page, stack, contractor.license_number, contractor.business_name)
    # Then the dashboard says mail cannot reach that address and asks them to change it
    notice = page.locator("#dash-email-undeliverable")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(f"We cannot deliver email to {contractor.email}.")
    expect(notice).to_contain_text("Please change your email address in My Account")
    expect(notice.get_by_role("link", name="change your email address in My Account")).to_have_attribute(
        "href", "account.html#email-heading"
    )
