"""End-to-end fixtures: the whole local portal once per session (on free ports, in a child
process), one headless Chromium per session, and a fresh browser context per test.

Tests share the stack, so every test makes up its own license numbers (`new_license`).

Smoke mode (`make smoke API_URL=https://.../v1 WEB_ORIGIN=https://...`): with API_URL set, the
tests run against that deployed stage instead of a local stack. A real stage has no local invoke
endpoint, outbox or locally served web client, so tests that need staff invoke (the `staff` or
`lambda_client` fixtures), the browser, or are marked `local_only` are skipped there, each with the
reason.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, Playwright, sync_playwright

from local_portal import Stack, running
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE
from tests.e2e.support import (
    Contractor,
    http,
    make_license,
    make_passphrase,
    registration_body,
    security_questions,
    verify_email,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "docs" / "screenshots"


# -- the stack -------------------------------------------------------------------------------------

# A deployed stage's base URL (smoke mode), and an origin its AllowedOrigins include.
DEPLOYED_API_URL = os.environ.get("API_URL", "").rstrip("/")
DEPLOYED_WEB_ORIGIN = os.environ.get("WEB_ORIGIN", "").rstrip("/")
LOCAL_ONLY_FIXTURES = {"staff": "staff invoke", "lambda_client": "the Lambda invoke endpoint"}
BROWSER_FIXTURES = {"browser", "page", "phone_page"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not DEPLOYED_API_URL:
        return
    for item in items:
        needs = [why for name, why in LOCAL_ONLY_FIXTURES.items() if name in getattr(item, "fixturenames", ())]
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            needs.append("the locally served web client")
        if item.get_closest_marker("local_only"):
            needs.append("the local stack")
        if needs:
            item.add_marker(pytest.mark.skip(reason=f"smoke against {DEPLOYED_API_URL}: needs {', '.join(needs)}"))


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole product (API, invoke endpoint, web client, moto) on free ports. Every test
    registers and signs in its own contractors from this one address, dozens a minute: the
    per-address registration and sign-in limits (10 and 30 a minute by default, over a sliding
    window, proved by the handler tests) are raised here.
    In smoke mode, the deployed stage instead (only api_url and web_url are meaningful then)."""
    if DEPLOYED_API_URL:
        if not DEPLOYED_WEB_ORIGIN:
            pytest.fail("smoke mode needs WEB_ORIGIN: one of the stage's AllowedOrigins", pytrace=False)
        yield Stack(api_url=DEPLOYED_API_URL, invoke_url="", web_url=DEPLOYED_WEB_ORIGIN, aws_endpoint="", pid=0)
        return
    log = tmp_path_factory.mktemp("stack") / "local-portal.log"
    with running(
        log=log, parameters={"RegistrationsPerAddressPerMinute": "1000", "SignInsPerAddressPerMinute": "1000"}
    ) as started:
        yield started


# -- the browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(`make chromium`, or `apt-get install -y chromium`); Playwright cannot download its own here.",
            pytrace=False,
        )
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context (no cookies, no sessionStorage) at desktop size; no smooth scrolling."""
    context = browser.new_context(
        viewport=DESKTOP, locale="en-US", timezone_id="America/Los_Angeles", reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A fresh context at a phone's width, with touch and a phone's pixel ratio."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-US",
        reduced_motion="reduce",
        timezone_id="America/Los_Angeles",
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


# -- screenshots -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screenshots with UPDATE_SCREENSHOTS=1, else a throwaway directory."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        return SCREENSHOT_DIR
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def screenshot(screenshot_dir: Path) -> Callable[..., Path]:
    """screenshot(page, name, at=locator): the viewport, scrolled to the top or to `at`."""

    def take(tab: Page, name: str, at: Locator | None = None) -> Path:
        if at is None:
            tab.evaluate("() => window.scrollTo(0, 0)")
        else:
            at.evaluate("(el) => el.scrollIntoView({block: 'start'})")
        tab.evaluate("() => document.activeElement && document.activeElement.blur()")
        path = screenshot_dir / f"{name}.png"
        tab.screenshot(path=str(path), animations="disabled", caret="hide")
        return path

    return take


# -- test data -------------------------------------------------------------------------------------


@pytest.fixture
def new_license() -> Callable[[], str]:
    return make_license


@pytest.fixture
def new_passphrase() -> Callable[[], str]:
    return make_passphrase


@pytest.fixture
def register_via_api(stack: Stack) -> Callable[[], Contractor]:
    """A contractor registered over HTTP with a confirmed email (faster than the form when the
    form is not the point)."""

    def register() -> Contractor:
        license_number = make_license()
        question = security_questions(stack)[0]
        body = registration_body(license_number, make_passphrase(), question)
        reply = http(f"{stack.api_url}/contractors", "POST", body)
        assert reply.status == 201, (reply.status, reply.body)
        # Confirmed, as a contractor who opened the emailed link (reset links go only there).
        verify_email(stack, body["email"])
        return Contractor(
            license_number=license_number,
            password=body["password"],
            business_name=body["business_name"],
            contact_name=body["contact_name"],
            email=body["email"],
            security_question=question,
            security_answer=body["security_answer"],
        )

    return register


@pytest.fixture(scope="session")
def lambda_client(stack: Stack) -> Any:
    """boto3's Lambda client pointed at the stack's invoke endpoint, as staff would use it."""
    return stack.lambda_client()


@pytest.fixture
def staff(lambda_client: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Invoke the StaffFunction with an event, as from the console's "Test" button."""

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        response = lambda_client.invoke(FunctionName="StaffFunction", Payload=json.dumps(event).encode())
        assert "FunctionError" not in response, response
        result: dict[str, Any] = json.loads(response["Payload"].read())
        return result

    return invoke
