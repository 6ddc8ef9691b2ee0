"""Passkeys in headless Chromium against the local portal at http://localhost:<port> (contract v3;
WebAuthn refuses IP addresses): a contractor adds a passkey on My Account with the CDP virtual
authenticator (a platform authenticator that verifies the user and keeps discoverable
credentials), signs out, and signs in with it. axe-core checks the new sections."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from local_portal import Stack
from tests.e2e.browser import expect_accessible, expect_dashboard_of, log_in, open_my_account, url_of
from tests.e2e.support import Contractor

pytestmark = pytest.mark.e2e


def virtual_authenticator(page: Page) -> str:
    """A platform authenticator in the browser (CDP WebAuthn domain): ctap2, internal transport,
    resident keys, user verification that succeeds, presence given without a touch."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return str(added["authenticatorId"])


def test_a_contractor_adds_a_passkey_signs_out_and_signs_in_with_it(
    page: Page, stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    # Given a registered contractor on a browser with a platform authenticator, at localhost
    assert stack.web_url.startswith("http://localhost:"), stack.web_url
    virtual_authenticator(page)
    contractor = register_via_api()
    page.goto(f"{stack.web_url}/index.html")
    expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_visible()
    expect_accessible(page, "sign-in page with the passkey button")
    log_in(page, contractor.license_number, contractor.password)
    expect_dashboard_of(page, stack, contractor.license_number, contractor.business_name)
    # Then the Dashboard offers, once and dismissibly, to add a passkey
    offer = page.locator("#passkey-offer")
    expect(offer).to_be_visible()
    expect_accessible(page, "dashboard with the passkey offer")
    # When the contractor adds one on My Account
    open_my_account(page, stack, contractor.license_number)
    section = page.locator("#passkeys")
    expect(section).to_be_visible()
    expect(section).to_contain_text("You have no passkeys yet.")
    expect(page.locator("#everywhere-passkeys")).to_contain_text("does not remove them")
    page.locator("#passkey_name").fill("This laptop")
    page.locator("#passkey_current_password").fill(contractor.password)
    page.get_by_role("button", name="ADD A PASSKEY").click()
    # Then it is listed
    expect(page.locator("#notice")).to_contain_text("The passkey This laptop is added")
    expect(page.locator("#passkey-list li")).to_have_count(1)
    expect(page.locator("#passkey-list")).to_contain_text("This laptop")
    expect(page.locator("#passkey-list")).to_contain_text("not used yet")
    expect_accessible(page, "My Account's Passkeys section")
    # When the contractor signs out and signs in with the passkey (no license, no password)
    page.locator("#sign-out").click()
    expect(page).to_have_url(url_of(stack, "index.html"))
    page.get_by_role("button", name="Sign in with a passkey").click()
    # Then the Dashboard is theirs, and My Account shows the passkey's last use
    expect_dashboard_of(page, stack, contractor.license_number, contractor.business_name)
    expect(page.locator("#passkey-offer")).to_be_hidden()
    open_my_account(page, stack, contractor.license_number)
    expect(page.locator("#passkey-list")).to_contain_text("last used")
    # And removing it leaves none
    page.get_by_role("button", name="Remove This laptop").click()
    expect(page.locator("#no-passkeys")).to_be_visible()


def test_without_webauthn_nothing_about_passkeys_shows(page: Page, stack: Stack) -> None:
    # Given a page on 127.0.0.1 (not the RP ID): the portal serves it, without passkeys
    page.goto(stack.web_url.replace("localhost", "127.0.0.1") + "/index.html")
    expect(page.locator("#passkey-sign-in")).to_be_hidden()
    # And a browser without WebAuthn at localhost
    page.add_init_script("delete window.PublicKeyCredential;")
    page.goto(f"{stack.web_url}/index.html")
    expect(page.locator("#login-heading")).to_be_visible()
    expect(page.locator("#passkey-sign-in")).to_be_hidden()
