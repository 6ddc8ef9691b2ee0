"""POST /contractors and GET /security-questions through the RegisterFunction handler."""

import pytest

from tests.support.api import ORIGIN, Api, staff
from tests.support.clock import MovableClock
from tests.support.samples import registration_body


def test_security_questions_offer_at_least_five(api: Api) -> None:
    # When a client asks for the questions
    answer = api.get("/security-questions")
    # Then at least five come back, uncacheable
    assert answer.status == 200
    assert len(answer.json["questions"]) >= 5
    assert answer.headers["Cache-Control"] == "no-store"


def test_new_contractor_is_signed_in_and_reaches_the_dashboard(api: Api) -> None:
    # Given a new contractor's complete form
    # When they CREATE ACCOUNT
    created = api.post("/contractors", registration_body())
    # Then the account exists and they are signed in
    assert created.status == 201, created.body
    assert created.json["license_number"] == "1234567"
    token = created.json["session"]["token"]
    assert created.json["session"]["expires_at"]
    # And the dashboard shows who they are, without any secret
    dashboard = api.get("/me", token=token)
    assert dashboard.status == 200
    assert dashboard.json["license_number"] == "1234567"
    assert dashboard.json["business_name"] == "Sunset Builders Inc"
    assert dashboard.json["workers_comp"]["status"] == "valid"
    assert dashboard.json["account_status"] == "active"
    assert "argon2" not in dashboard.body
    assert "hash" not in dashboard.body


def test_license_number_is_normalized_everywhere(api: Api) -> None:
    # Given an account registered as " 12-3456 "
    assert api.post("/contractors", registration_body(license_number=" 12-3456 ")).status == 201
    # When the same license is registered as "123456"
    again = api.post("/contractors", registration_body(license_number="123456"))
    # Then it is the same account
    assert again.status == 409
    assert again.json["error"] == "license_already_registered"
    # And signing in with either spelling works
    for spelling in ("123456", "12 3456", "12-3456"):
        signed_in = api.post("/sessions", {"license_number": spelling, "password": "a long passphrase of my own"})
        assert signed_in.status == 200, spelling


def test_imported_license_answers_license_on_file_with_the_staff_phone(api: Api) -> None:
    # Given staff imported a returning contractor
    imported = staff(
        {"action": "import_contractors", "contractors": [{"license_number": "7654321", "business_name": "Old Co"}]}
    )
    assert imported["imported"] == 1
    # When that contractor tries to self-register
    answer = api.post("/contractors", registration_body(license_number="7654321"))
    # Then they are told to call staff
    assert answer.status == 409
    assert answer.json["error"] == "license_on_file"
    assert "(323) 848-6475" in answer.json["message"]


def test_every_field_error_is_named(api: Api) -> None:
    # Given a form with a short password, a bad license, a missing email and an unknown field
    body = registration_body(license_number="12AB", password="too short")
    del body["email"]
    body["favourite_color"] = "blue"
    # When it is sent
    answer = api.post("/contractors", body)
    # Then each problem is named by its field
    assert answer.status == 422
    assert answer.json["error"] == "validation_error"
    fields = answer.json["fields"]
    assert set(fields) >= {"license_number", "password", "email", "favourite_color"}
    assert "15" in fields["password"]


def test_nested_field_paths_are_dotted(api: Api) -> None:
    answer = api.post(
        "/contractors",
        registration_body(
            mailing_address={"street": "", "city": "West Hollywood", "state": "California", "postal_code": "9006"},
            workers_comp={"carrier": "State Fund", "policy_number": "WC-1", "expires_on": "not a date"},
        ),
    )
    assert answer.status == 422
    assert set(answer.json["fields"]) >= {
        "mailing_address.street",
        "mailing_address.state",
        "mailing_address.postal_code",
        "workers_comp.expires_on",
    }


def test_expired_workers_comp_is_refused(api: Api) -> None:
    answer = api.post(
        "/contractors",
        registration_body(workers_comp={"carrier": "State Fund", "policy_number": "WC-1", "expires_on": "2026-11-25"}),
    )
    assert answer.status == 422
    assert "workers_comp.expires_on" in answer.json["fields"]


def test_exempt_workers_comp_is_accepted(api: Api) -> None:
    created = api.post("/contractors", registration_body(workers_comp={"exempt": True}))
    assert created.status == 201
    dashboard = api.get("/me", token=created.json["session"]["token"])
    assert dashboard.json["workers_comp"]["status"] == "exempt"


def test_password_containing_context_is_refused_with_reason(api: Api) -> None:
    for password, reasons in [
        ("my license 1234567 is great fun", ("license number",)),
        ("Sunset Builders Inc forever and ever", ("business name",)),
        ("maria says hello to everyone here", ("email",)),
        ("aaaaaaaaaaaaaaaaaaaa", ("repeats",)),
        ("abcdefghijklmnopqrstu", ("sequence",)),
        ("passwordpassword123", ("repeats", "common")),
    ]:
        answer = api.post("/contractors", registration_body(password=password))
        assert answer.status == 422, password
        said = answer.json["fields"]["password"].lower()
        assert any(reason in said for reason in reasons), (password, said)


def test_malformed_json_is_400(api: Api) -> None:
    answer = api.post("/contractors", body='{"license_number": ')
    assert answer.status == 400
    assert answer.json["error"] == "invalid_json"
    assert answer.headers["Cache-Control"] == "no-store"


def test_oversize_body_is_413(api: Api) -> None:
    answer = api.post("/contractors", body='{"license_number": "1", "pad": "' + "x" * 17_000 + '"}')
    assert answer.status == 413
    assert answer.json["error"] == "payload_too_large"


def test_oversize_but_valid_body_is_413(api: Api) -> None:
    import json

    padded = json.dumps(registration_body()) + " " * 17_000
    answer = api.post("/contractors", body=padded)
    assert answer.status == 413


def test_non_object_body_is_422(api: Api) -> None:
    for body in ("[]", "null", '"text"', "42"):
        answer = api.post("/contractors", body=body)
        assert answer.status == 422, body
        assert answer.json["error"] == "validation_error"


def test_cors_preflight_and_actual_request_answer_allowed_origins(api: Api) -> None:
    preflight = api.request(
        "OPTIONS",
        "/contractors",
        headers={"Origin": "http://127.0.0.1:8080", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8080"
    assert preflight.headers["Cache-Control"] == "no-store"
    # (the web client's own origin, contract v3: http://localhost:8080)
    actual = api.get("/security-questions")
    assert actual.headers["Access-Control-Allow-Origin"] == "http://localhost:8080"
    foreign = api.get("/security-questions", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_field_messages_are_sentences_a_contractor_can_act_on(api: Api) -> None:
    answer = api.post(
        "/contractors",
        registration_body(
            email="a@b",
            phone="555",
            business_name="",
            mailing_address={"street": "1 Main St", "city": "West Hollywood", "state": "Calif", "postal_code": "9"},
            workers_comp={"exempt": False},
        ),
    )
    fields = answer.json["fields"]
    assert fields["email"] == "Enter an email address like name@example.com."
    assert fields["phone"].startswith("Enter a phone number")
    assert fields["business_name"] == "This field is required."
    assert fields["mailing_address.state"] == "Enter the two-letter state code, like CA."
    assert fields["mailing_address.postal_code"].startswith("Enter a 5-digit ZIP code")
    assert "exempt" in fields["workers_comp.exempt"]
    dated = api.post(
        "/contractors",
        registration_body(workers_comp={"carrier": "State Fund", "policy_number": "WC-1", "expires_on": "06/30/2027"}),
    )
    assert dated.json["fields"]["workers_comp.expires_on"] == "Enter a date as YYYY-MM-DD, like 2027-06-30."


def test_common_patterns_with_spaces_are_refused(api: Api) -> None:
    for password in ("password password", "Password1234567!", "iloveyou iloveyou"):
        answer = api.post("/contractors", registration_body(password=password))
        assert answer.status == 422, password
        assert "password" in answer.json["fields"]


def test_leading_zeros_name_the_same_account_everywhere(api: Api) -> None:
    # Given a contractor registered as "01234567"
    created = api.post("/contractors", registration_body(license_number="01234567"))
    assert created.status == 201, created.body
    assert created.json["license_number"] == "1234567"
    # Then "1234567" is the same account: registration is refused, sign-in and staff find it
    assert api.post("/contractors", registration_body(license_number="1234567")).json["error"] == (
        "license_already_registered"
    )
    signed_in = api.post("/sessions", {"license_number": "0-1234567", "password": "a long passphrase of my own"})
    assert signed_in.status == 200
    assert staff({"action": "get", "license_number": "001234567"})["contractor"]["license_number"] == "1234567"
    # And a number of zeros only is no license
    refused = api.post("/contractors", registration_body(license_number="0000"))
    assert "license_number" in refused.json["fields"]


def test_a_contact_name_cannot_carry_a_message_into_the_citys_email(api: Api) -> None:
    # When a registration_body's contact name holds line breaks (text meant for the reset email)
    answer = api.post("/contractors", registration_body(contact_name="Maria\n\nURGENT: pay at https://pay.example"))
    # Then 422 naming the field, and no account
    assert (answer.status, answer.json["error"]) == (422, "validation_error")
    assert "line breaks" in answer.json["fields"]["contact_name"]
    assert api.post("/contractors", registration_body()).status == 201


def test_staff_import_refuses_nul_bidi_overrides_and_crlf_in_names(api: Api) -> None:
    rows = [
        {"license_number": "2000001", "business_name": "Nul\x00 Builders"},
        {"license_number": "2000002", "business_name": "Evil \u202eCo"},
        {"license_number": "2000003", "business_name": "Line Co", "contact_name": "Ana\r\nRuiz"},
        {"license_number": "2000004", "business_name": "Clean Co"},
    ]
    result = staff({"action": "import_contractors", "contractors": rows})
    assert result["imported"] == 1
    skipped = {row["license_number"]: row["reason"] for row in result["skipped"]}
    assert set(skipped) == {"2000001", "2000002", "2000003"}
    assert "contact_name" in skipped["2000003"]


def test_registrations_are_limited_per_caller_address_before_any_password_work(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contractor_accounts.domain import passwords, policy

    judged: list[str] = []
    estimate = passwords._estimate
    monkeypatch.setattr(
        passwords, "_estimate", lambda password, inputs: judged.append(password) or estimate(password, inputs)
    )
    # Given as many registrations from one address as a minute allows (refused or not, they count)
    limit = policy.REGISTRATIONS_PER_IP_PER_MINUTE
    assert api.post("/contractors", registration_body(), source_ip="203.0.113.9").status == 201
    for _ in range(limit - 1):
        assert api.post("/contractors", registration_body(email="a@b"), source_ip="203.0.113.9").status == 422
    judged.clear()
    # When one more arrives from that address, whatever the license and X-Forwarded-For
    limited = api.post(
        "/contractors",
        registration_body(license_number="7654321"),
        source_ip="203.0.113.9",
        headers={"X-Forwarded-For": "192.0.2.1"},
    )
    # Then 429 in the envelope, readable by the web client, and no password was judged or hashed
    assert (limited.status, limited.json["error"]) == (429, "too_many_requests")
    assert limited.headers["Retry-After"]
    assert limited.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert judged == []
    assert staff({"action": "get", "license_number": "7654321"})["ok"] is False
    # But another address is not affected
    assert api.post("/contractors", registration_body(license_number="7654321"), source_ip="203.0.113.10").status == 201


def test_an_ipv6_caller_counts_by_its_64(api: Api, clock: MovableClock) -> None:
    from contractor_accounts.domain import policy

    # Given a caller using a new address of its /64 for every registration_body
    for host in range(policy.REGISTRATIONS_PER_IP_PER_MINUTE):
        answer = api.post("/contractors", registration_body(email="a@b"), source_ip=f"2001:db8:1:2::{host + 1:x}")
        assert answer.status == 422
    # Then the next one from that /64 is refused, written however the address is written
    limited = api.post("/contractors", registration_body(), source_ip="2001:0db8:0001:0002:ffff:ffff:ffff:ffff")
    assert limited.status == 429
    # And the neighbouring /64 is another caller
    assert api.post("/contractors", registration_body(), source_ip="2001:db8:1:3::1").status == 201
