"""Nobody gets stuck (issue 19), in headless Chromium against the local portal: locked out and
helped, a new tab of the same browser, the session ending while editing, the idle warning, an
email typo, the unconfirmed address, sign out everywhere asked first. axe-core on each page as
it is then."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from local_portal import Stack
from tests.e2e.browser import expect_accessible, expect_dashboard_of, log_in, open_my_account, sign_in, url_of
from tests.e2e.support import (
    STAFF_PHONE,
    Contractor,
    http,
    make_license,
    make_passphrase,
    registration_body,
    security_questions,
)

pytestmark = pytest.mark.e2e
Screenshot = Callable[..., Path]


def session_token(page: Page) -> str:
    stored = page.evaluate("() => sessionStorage.getItem('portal.session')")
    return str(json.loads(stored)["token"])


def test_locked_out_then_helped(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor], screenshot: Screenshot
) -> None:
    contractor = register_via_api()
    page.goto(f"{stack.web_url}/index.html")
    # Given a wrong password
    log_in(page, contractor.license_number, "not my password at all")
    # Then the same help as for any refusal: the lockout in one sentence, Forgot Password, the phone
    help_box = page.locator("#sign-in-help")
    expect(help_box).to_contain_text("After 5 wrong passwords in a row")
    expect(help_box).to_contain_text("up to 15 minutes")
    expect(help_box.get_by_role("link", name="Forgot Password")).to_have_attribute("href", "forgot-password.html")
    expect(help_box).to_contain_text(STAFF_PHONE)
    # And the license number stays typed, the password is cleared, the heading stays in view
    expect(page.locator("#license_number")).to_have_value(contractor.license_number)
    expect(page.locator("#password")).to_have_value("")
    expect(page.get_by_role("heading", name="Log In")).to_be_in_viewport()
    expect_accessible(page, "log in, refused")
    # When the license is locked (more wrong passwords) and the right one is typed
    for _ in range(7):
        http(f"{stack.api_url}/sessions", "POST", {"license_number": contractor.license_number, "password": "wrong"})
    log_in(page, contractor.license_number, contractor.password)
    # Then the API says what it always says, and the page still explains why and what to do
    expect(page.locator("#error-summary")).to_contain_text("not correct")
    expect(help_box).to_contain_text("refused even with the right password")
    screenshot(page, "sign-in-help")
    help_box.get_by_role("link", name="Forgot Password").click()
    expect(page).to_have_url(url_of(stack, "forgot-password.html"))


def test_a_new_tab_of_the_same_browser_keeps_the_session(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    contractor = register_via_api()
    sign_in(page, stack, contractor)
    # When the contractor opens the Dashboard in a new tab
    second = page.context.new_page()
    second.goto(f"{stack.web_url}/dashboard.html")
    # Then it is signed in, as the first one
    expect_dashboard_of(second, stack, contractor.license_number, contractor.business_name)
    # And signing out in one tab signs out the other
    second.locator("#sign-out").click()
    expect(second).to_have_url(url_of(stack, "index.html"))
    page.reload()
    expect(page).to_have_url(url_of(stack, "index.html"))
    # And a new browser (another context: nothing shared) is not signed in
    other = page.context.browser.new_context().new_page()  # type: ignore[union-attr]
    other.goto(f"{stack.web_url}/dashboard.html")
    expect(other).to_have_url(url_of(stack, "index.html"))
    other.context.close()


def test_the_session_ends_while_editing_and_the_edits_are_saved_after_sign_in(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    contractor = register_via_api()
    sign_in(page, stack, contractor)
    open_my_account(page, stack, contractor.license_number)
    page.locator("#contact_name").fill("Maria Lopez-Reyes")
    page.locator("#phone").fill("(213) 555-0142")
    # When the session ends meanwhile (elsewhere: the server no longer knows it)
    assert http(f"{stack.api_url}/sessions/current", "DELETE", token=session_token(page)).status == 204
    page.get_by_role("button", name="SAVE CONTACT DETAILS").click()
    # Then the log-in page says the typing is kept
    expect(page).to_have_url(url_of(stack, "index.html"))
    expect(page.locator("#notice")).to_contain_text("What you typed is kept")
    expect_accessible(page, "log in after the session ended")
    # And after the sign-in the contractor is back on My Account, the edits saved
    log_in(page, contractor.license_number, contractor.password)
    expect(page).to_have_url(url_of(stack, "account.html"))
    expect(page.locator("#notice")).to_contain_text("Your contact details are saved.")
    expect(page.locator("#contact_name")).to_have_value("Maria Lopez-Reyes")
    me = http(f"{stack.api_url}/me", token=session_token(page)).json()
    assert (me["contact_name"], me["phone"]) == ("Maria Lopez-Reyes", "(213) 555-0142")


def test_the_idle_warning_and_stay_signed_in(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor], screenshot: Screenshot
) -> None:
    contractor = register_via_api()
    page.clock.install()
    sign_in(page, stack, contractor)
    expect(page.locator("#idle-warning")).to_be_hidden()
    # When 27 minutes pass without a request (the earliest end is 29: the last use is stored
    # at most once a minute)
    page.clock.fast_forward("27:10")
    warning = page.locator("#idle-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("You will be signed out in about 2 minutes")
    expect_accessible(page, "the idle warning")
    screenshot(page, "idle-warning")
    # Then "Stay signed in" asks the server (GET /me) and the warning goes
    with page.expect_request(re.compile(r".*/me$")):
        page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    # And without it, at the earliest end, the tab returns to the log-in page
    page.clock.fast_forward("29:30")
    expect(page).to_have_url(url_of(stack, "index.html"))
    expect(page.locator("#notice")).to_contain_text("nothing was done for a while")


def test_an_email_typo_is_caught_and_a_wrong_address_changed(page: Page, stack: Stack, screenshot: Screenshot) -> None:
    page.goto(f"{stack.web_url}/register.html")
    page.locator("#email").fill("jo@gmial.com")
    page.locator("#phone").focus()
    suggestion = page.locator("#email-suggestion")
    expect(suggestion).to_contain_text("Did you mean jo@gmail.com?")
    expect_accessible(page, "registration with a suggestion")
    screenshot(page, "email-suggestion", at=page.locator("#email"))
    suggestion.get_by_role("button", name="Yes, use jo@gmail.com").click()
    expect(page.locator("#email")).to_have_value("jo@gmail.com")
    expect(suggestion).to_be_hidden()
    # An address that looks right gets no suggestion
    page.locator("#email").fill("maria@sunsetbuilders.example")
    page.locator("#phone").focus()
    expect(suggestion).to_be_hidden()
    # Given an unconfirmed (mistyped) address, the Dashboard offers to change it
    license_number = make_license()
    body = registration_body(license_number, make_passphrase(), security_questions(stack)[0], email="jo@gmial.com")
    assert http(f"{stack.api_url}/contractors", "POST", body).status == 201
    page.goto(f"{stack.web_url}/index.html")
    log_in(page, license_number, body["password"])
    wrong = page.locator("#dash-email-wrong")
    expect(wrong).to_contain_text("Wrong address?")
    wrong.get_by_role("link", name="Change it in My Account").click()
    expect(page).to_have_url(url_of(stack, "account.html"))
    page.locator("#new_email").fill("jo@yaho.com")
    page.locator("#email_current_password").focus()
    expect(page.locator("#new_email-suggestion")).to_contain_text("Did you mean jo@yahoo.com?")


def test_my_account_small_points(page: Page, stack: Stack, register_via_api: Callable[[], Contractor]) -> None:
    contractor = register_via_api()
    sign_in(page, stack, contractor)
    open_my_account(page, stack, contractor.license_number)
    # The workers' comp form shows the expiry date on file with the carrier and policy
    expect(page.locator("#wc_carrier")).not_to_have_value("")
    expect(page.locator("#wc_expires_on")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    # Each password form names its username for password managers
    for form in ("email-form", "password-form", "question-form"):
        expect(page.locator(f"#{form} input[autocomplete='username']")).to_have_value(contractor.license_number)
    # SIGN OUT EVERYWHERE asks first; Cancel keeps the contractor signed in
    page.get_by_role("button", name="SIGN OUT EVERYWHERE").click()
    confirm = page.locator("#sign-out-everywhere-confirm")
    expect(confirm).to_contain_text("this one included?")
    expect(page.get_by_role("button", name="Yes, sign out everywhere")).to_be_focused()
    expect_accessible(page, "sign out everywhere, asked")
    page.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    expect(page).to_have_url(url_of(stack, "account.html"))
    page.get_by_role("button", name="SIGN OUT EVERYWHERE").click()
    page.get_by_role("button", name="Yes, sign out everywhere").click()
    expect(page).to_have_url(url_of(stack, "index.html"))
    expect(page.locator("#notice")).to_contain_text("every computer and phone")


def test_no_ring_around_a_heading_focused_by_the_page(page: Page, stack: Stack) -> None:
    page.goto(f"{stack.web_url}/verify-email.html")
    heading = page.get_by_role("heading", name="Confirm Email")
    expect(heading).to_be_focused()
    style = heading.evaluate("(el) => [getComputedStyle(el).outlineStyle, getComputedStyle(el).boxShadow]")
    assert style == ["none", "none"]
