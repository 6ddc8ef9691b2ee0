"""The API contract (/work/shared/api-contract.md) over real HTTP against the local portal,
with the standard library only; staff actions through boto3's Lambda client and the CSV tool."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_portal import Stack
from tests.e2e.support import (
    STAFF_PHONE,
    Contractor,
    Reply,
    http,
    make_license,
    make_passphrase,
    registration_body,
    security_questions,
)

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
LEGACY_CSV = REPO_ROOT / "events" / "legacy-contractors.csv"


def checked(reply: Reply) -> Reply:
    """Every API answer carries Cache-Control: no-store; every error is the JSON envelope."""
    assert reply.header("Cache-Control") == "no-store", (reply.status, reply.headers)
    if reply.status >= 400:
        assert (reply.header("Content-Type") or "").startswith("application/json"), reply.headers
        body = reply.json()
        assert isinstance(body, dict), reply.body
        for key in ("error", "message"):
            assert isinstance(body.get(key), str), body
            assert body[key].strip(), body
    assert reply.status < 500, (reply.status, reply.body)
    return reply


def call(stack: Stack, method: str, path: str, body: Any = None, **kwargs: Any) -> Reply:
    return checked(http(f"{stack.api_url}{path}", method, body, **kwargs))


def web_origin(stack: Stack) -> str:
    return stack.web_url  # http://127.0.0.1:<web port>


# -- CORS -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "method"), [("/contractors", "POST"), ("/me", "GET"), ("/sessions/current", "DELETE")]
)
def test_given_the_web_clients_origin_when_the_browser_sends_a_preflight_then_the_api_allows_it(
    stack: Stack, path: str, method: str
) -> None:
    # Given the web client's origin, http://127.0.0.1:<web port>
    origin = web_origin(stack)
    # When the browser asks before a cross-origin request with a JSON body and a bearer token
    reply = call(
        stack,
        "OPTIONS",
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    # Then the API allows exactly that origin, the method and both headers
    assert 200 <= reply.status < 300, reply
    assert reply.header("Access-Control-Allow-Origin") == origin
    assert method in (reply.header("Access-Control-Allow-Methods") or "").upper().split(",")
    allowed_headers = {h.strip().lower() for h in (reply.header("Access-Control-Allow-Headers") or "").split(",")}
    assert {"authorization", "content-type"} <= allowed_headers, allowed_headers


def test_given_a_cross_origin_request_when_it_is_from_the_web_client_or_elsewhere_then_only_the_client_is_allowed(
    stack: Stack,
) -> None:
    origin = web_origin(stack)
    localhost_origin = origin.replace("127.0.0.1", "localhost")
    # When the web client (under either host name) reads the security questions
    for allowed in (origin, localhost_origin):
        reply = call(stack, "GET", "/security-questions", headers={"Origin": allowed})
        # Then the answer is readable by that origin
        assert reply.status == 200
        assert reply.header("Access-Control-Allow-Origin") == allowed
    # When another site asks
    foreign = "https://evil.example"
    preflight = call(
        stack,
        "OPTIONS",
        "/contractors",
        headers={"Origin": foreign, "Access-Control-Request-Method": "POST"},
    )
    actual = call(stack, "GET", "/security-questions", headers={"Origin": foreign})
    # Then neither answer lets it read the response
    for reply in (preflight, actual):
        assert reply.header("Access-Control-Allow-Origin") in (None, ""), reply.headers
        assert reply.header("Access-Control-Allow-Origin") != "*"


# -- the envelope and the gateway ---------------------------------------------------------------


def test_given_an_unknown_route_when_requested_then_the_gateway_answers_the_json_envelope(stack: Stack) -> None:
    # When a path no function serves is requested, and a known path with a method it lacks
    for method, path in (("GET", "/no-such-route"), ("POST", "/me/elsewhere"), ("PUT", "/contractors")):
        reply = call(stack, method, path, {"x": 1} if method != "GET" else None)
        # Then the answer is a 4xx in the same JSON envelope (checked by `call`)
        assert 400 <= reply.status < 500, (method, path, reply)


def test_given_bad_bodies_when_posted_then_the_errors_are_the_contracts(stack: Stack) -> None:
    # When the body is not JSON
    reply = call(stack, "POST", "/sessions", raw=b"{not json")
    # Then 400 invalid_json
    assert (reply.status, reply.json()["error"]) == (400, "invalid_json")

    # When the body is over 16 KiB
    big = b'{"license_number": "1234567", "password": "' + b"x" * 17_000 + b'"}'
    reply = call(stack, "POST", "/sessions", raw=big)
    # Then 413 payload_too_large
    assert (reply.status, reply.json()["error"]) == (413, "payload_too_large")

    # When a registration misses fields and has an unknown one
    reply = call(stack, "POST", "/contractors", {"license_number": "12-34", "favourite_colour": "red"})
    # Then 422 validation_error names the fields
    assert reply.status == 422
    body = reply.json()
    assert body["error"] == "validation_error"
    assert "password" in body["fields"]
    assert "business_name" in body["fields"]

    # When the workers' comp policy has expired
    question = security_questions(stack)[0]
    expired = registration_body(
        make_license(),
        make_passphrase(),
        question,
        workers_comp={"carrier": "State Fund", "policy_number": "WC-1", "expires_on": "2020-01-31"},
    )
    reply = call(stack, "POST", "/contractors", expired)
    # Then the date is named by its path
    assert reply.status == 422
    assert "workers_comp.expires_on" in reply.json()["fields"]


# -- the session round trip -----------------------------------------------------------------------


def test_given_a_new_contractor_when_they_register_sign_in_and_out_over_http_then_the_session_follows_the_contract(
    stack: Stack,
) -> None:
    license_number = make_license()
    password = make_passphrase()
    question = security_questions(stack)[0]
    assert len(security_questions(stack)) >= 5

    # When they register (the license typed with a space and a hyphen)
    spaced = f" {license_number[:2]}-{license_number[2:]} "
    body = registration_body(spaced, password, question, email=f"office.{license_number}@example.com")
    registered = call(stack, "POST", "/contractors", body)
    # Then 201 with the normalized license number and a session
    assert registered.status == 201, registered
    assert registered.json()["license_number"] == license_number
    assert registered.json()["session"]["token"]
    assert registered.json()["session"]["expires_at"]
    # And registering the same license again (as typed differently) is refused
    again = call(stack, "POST", "/contractors", registration_body(license_number, make_passphrase(), question))
    assert (again.status, again.json()["error"]) == (409, "license_already_registered")

    # When they sign in
    signed_in = call(stack, "POST", "/sessions", {"license_number": license_number, "password": password})
    # Then they get a session and their business name
    assert signed_in.status == 200, signed_in
    token = signed_in.json()["session"]["token"]
    assert signed_in.json()["contractor"] == {
        "license_number": license_number,
        "business_name": body["business_name"],
    }

    # When they read /me
    me = call(stack, "GET", "/me", token=token)
    # Then the dashboard holds their details and no secret
    assert me.status == 200
    dashboard = me.json()
    assert dashboard["license_number"] == license_number
    assert dashboard["business_name"] == body["business_name"]
    assert dashboard["email"] == body["email"]
    assert dashboard["mailing_address"] == body["mailing_address"]
    assert dashboard["workers_comp"]["status"] == "valid"
    text = me.body.decode()
    for secret in (password, body["security_answer"], "argon2", token):
        assert secret not in text

    # When they sign out
    out = call(stack, "DELETE", "/sessions/current", token=token)
    # Then 204, and the token no longer opens /me
    assert out.status == 204
    after = call(stack, "GET", "/me", token=token)
    assert (after.status, after.json()["error"]) == (401, "unauthorized")
    # And /me without a token is refused the same way
    anonymous = call(stack, "GET", "/me")
    assert (anonymous.status, anonymous.json()["error"]) == (401, "unauthorized")


def test_given_unknown_and_wrong_credentials_when_signing_in_then_the_answers_are_identical(
    stack: Stack, register_via_api: Callable[[], Contractor]
) -> None:
    contractor = register_via_api()
    # When the password is wrong, and when the license does not exist
    wrong = call(stack, "POST", "/sessions", {"license_number": contractor.license_number, "password": "x" * 20})
    unknown = call(stack, "POST", "/sessions", {"license_number": make_license(), "password": "x" * 20})
    # Then both are the same 401 invalid_credentials
    assert wrong.status == unknown.status == 401
    assert wrong.body == unknown.body
    assert wrong.json()["error"] == "invalid_credentials"


# -- staff: the Lambda invoke endpoint -------------------------------------------------------------


def test_given_the_invoke_endpoint_when_an_unknown_function_is_invoked_then_boto3_raises_resource_not_found(
    lambda_client: Any,
) -> None:
    # When staff invoke a function that does not exist
    with pytest.raises(ClientError) as raised:
        lambda_client.invoke(FunctionName="NoSuchFunction", Payload=b"{}")
    # Then it is Lambda's ResourceNotFoundException, a 404
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert isinstance(raised.value, lambda_client.exceptions.ResourceNotFoundException)


@pytest.mark.parametrize(
    "event",
    [
        {"action": "make_coffee", "license_number": "1234567"},
        {"license_number": "1234567"},
        {"action": "issue_temporary_password"},
        {"action": "issue_temporary_password", "license_number": "not a license"},
        {"action": "import_contractors", "contractors": "everyone"},
    ],
    ids=["unknown-action", "no-action", "no-license", "bad-license", "contractors-not-a-list"],
)
def test_given_a_bad_staff_event_when_invoked_then_the_result_is_a_validation_error(
    staff: Callable[[dict[str, Any]], dict[str, Any]], event: dict[str, Any]
) -> None:
    # When staff invoke the StaffFunction with a malformed event
    result = staff(event)
    # Then it answers (no function error) with ok false and validation_error
    assert result["ok"] is False, result
    assert result["error"] == "validation_error"
    assert result["message"]


def test_given_the_legacy_csv_when_the_import_tool_runs_against_the_stack_then_the_report_lists_every_row(
    stack: Stack, staff: Callable[[dict[str, Any]], dict[str, Any]], tmp_path: Path
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-west-2",
    }

    def run_import(report: Path) -> list[dict[str, str]]:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "staff_tools.import_csv",
                str(LEGACY_CSV.relative_to(REPO_ROOT)),
                "--endpoint-url",
                stack.invoke_url,
                "--report",
                str(report),
            ],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        with report.open(newline="", encoding="utf-8") as rows:
            return list(csv.DictReader(rows))

    # When staff import the legacy contractor list through the local invoke endpoint
    first = run_import(tmp_path / "first.csv")
    # Then every row is reported as imported, license numbers normalized
    assert [(r["line"], r["license_number"], r["result"]) for r in first] == [
        ("2", "7654321", "imported"),
        ("3", "1029384", "imported"),
    ]
    # And the contractor is on file for staff
    on_file = staff({"action": "get", "actor": "e2e staff", "license_number": "765-4321"})
    assert on_file["ok"] is True, on_file
    assert on_file["contractor"]["business_name"] == "Old Town Roofing"

    # When the same file is imported again
    second = run_import(tmp_path / "second.csv")
    # Then nothing is overwritten: every row is skipped as already there
    assert [(r["license_number"], r["result"]) for r in second] == [
        ("7654321", "skipped"),
        ("1029384", "skipped"),
    ]
    assert all(r["reason"] for r in second), second

    # And the imported contractor cannot register on the web: they are told to call staff
    question = security_questions(stack)[0]
    reply = call(stack, "POST", "/contractors", registration_body("7654321", make_passphrase(), question))
    assert (reply.status, reply.json()["error"]) == (409, "license_on_file")
    assert STAFF_PHONE in reply.json()["message"]


@pytest.mark.parametrize(
    "override",
    [
        {"email": "maria@sunsetbuilders"},
        {"phone": "555"},
        {"mailing_address": {"street": "1 Main St", "city": "West Hollywood", "state": "Calif", "postal_code": "9"}},
        {"workers_comp": {"carrier": "State Fund", "policy_number": "WC-1", "expires_on": "06/30/2027"}},
    ],
    ids=["email-without-dot", "short-phone", "state-and-zip", "us-style-date"],
)
def test_given_wrongly_shaped_fields_when_registering_then_each_message_is_a_sentence_a_contractor_can_act_on(
    stack: Stack, override: dict[str, Any]
) -> None:
    # When a contractor sends a field in a shape the API does not accept
    body = registration_body(make_license(), make_passphrase(), security_questions(stack)[0], **override)
    reply = call(stack, "POST", "/contractors", body)
    # Then each message says what to enter, in words (the web client shows it next to the field)
    assert reply.status == 422
    for path, message in reply.json()["fields"].items():
        assert not message.startswith(("String should", "Input should")), (path, message)
        assert "^" not in message, (path, message)


@pytest.mark.local_only
def test_the_pages_show_the_city_name_and_phone_the_template_is_given(stack: Stack) -> None:
    # Given the stack runs with the template parameters CityName and StaffPhoneNumber
    # When the web client's config is fetched
    script = http(f"{stack.web_url}/config.js").body.decode()
    # Then it carries them, so a city changes them in one place
    assert '"cityName": "City of West Hollywood"' in script
    assert '"portalName": "City of West Hollywood eTRAKIT"' in script
    assert '"staffPhone": "(323) 848-6475"' in script


@pytest.mark.local_only
def test_the_staff_invoke_tool_runs_a_saved_event_against_the_stack(stack: Stack) -> None:
    # Given a saved console event and a license of our own
    license_number = make_license()
    staff_event = REPO_ROOT / "events" / "staff" / "import_contractors.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    run = [sys.executable, "-m", "staff_tools.invoke", "--endpoint-url", stack.invoke_url]
    # When staff import with it, then get the account
    imported = subprocess.run(
        [*run, str(staff_event)], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    event = json.dumps({"action": "get", "license_number": license_number})
    missing = subprocess.run(
        [*run, event], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    # Then the import answered ok (or already_exists on a rerun) and an unknown license exits 1 with the error
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["ok"] is True
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["error"] == "contractor_not_found"
